// ESLint for the book's scripts in _static/ (`make lint`). They are plain ES2020 scripts, each
// an IIFE loaded by a <script> tag in the built book (no modules, no bundler, no dependencies).
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  // kapvendor: third-party libraries shipped unchanged (tippy.js, Popper), not ours to lint.
  { ignores: ["_build/**", ".venv/**", "node_modules/**", "src/kapcourse/book/static/kapvendor/**"] },
  js.configs.recommended,
  {
    files: ["_static/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    rules: {
      // `catch (e) { ... }` that ignores e is the scripts' way of saying "storage or JSON may
      // fail; carry on" (ESLint before 9 did not report it either).
      "no-unused-vars": ["error", { caughtErrors: "none" }],
      // `let raw = null;` before a try that assigns or returns: harmless; shown, not fatal.
      "no-useless-assignment": "warn",
    },
  },
  {
    // SPACE matches what Python's str.split() splits on, which includes U+001C-U+001F.
    files: ["_static/kapprogress.js"],
    rules: { "no-control-regex": "off" },
  },
  {
    // Node scripts around the tests (the golden-case harnesses run the book's scripts in node).
    files: ["tests/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "commonjs", globals: { ...globals.node } },
  },
];
