/* Runs the book's real scripts (_static/kapquiz.js, kapprogress.js, as shipped) in node with a
 * small stub DOM, so that pytest can give them the same golden cases as the Python code.
 *
 * Input (stdin, JSON): {scripts: [{name, code}], globals: {name: value}, calls: [call]}
 *   call: {fn: "kapquiz.parseNumber", args: [...], storage?: {key: value}, quota?: bytes,
 *          times?: n (call it n times), keepStorage?: true,
 *          fromPrevious?: {argument index: key} (that argument is the previous call's value,
 *          or its value's key when key is not "": a chain of calls in one node process)}
 * Output (stdout, JSON): one {value} or {error} per call, plus storage: the stub's contents
 * after the call.
 *
 * The stub is not a browser: innerHTML is "parsed" by dropping tags and decoding the five
 * entities the course's Markdown renderer writes. The browser tests (tests/test_browser.py,
 * tests/test_security_browser.py) check the pages themselves in Chromium. */
"use strict";
const vm = require("vm");

const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&#39;": "'" };

class Element {
  constructor(tag) { this.tagName = tag.toUpperCase(); this.children = []; this.html = ""; this.style = {}; this.dataset = {}; this.attrs = {}; }
  set innerHTML(html) { this.html = String(html); }
  get innerHTML() { return this.html; }
  set textContent(text) { this.html = String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]); }
  get textContent() { return this.html.replace(/<[^>]*>/g, "").replace(/&(amp|lt|gt|quot|#x27|#39);/g, (e) => ENTITIES[e]); }
  setAttribute(name, value) { this.attrs[name] = String(value); }
  append(...nodes) { this.children.push(...nodes); }
  appendChild(node) { this.children.push(node); return node; }
  querySelector() { return null; }
  querySelectorAll() { return []; }
  addEventListener() {}
}

class Storage {
  constructor(items, quota) { this.map = new Map(Object.entries(items || {})); this.quota = quota || Infinity; }
  get length() { return this.map.size; }
  key(i) { return Array.from(this.map.keys())[i] === undefined ? null : Array.from(this.map.keys())[i]; }
  getItem(key) { return this.map.has(key) ? this.map.get(key) : null; }
  setItem(key, value) {
    const used = Array.from(this.map.entries()).filter((e) => e[0] !== key).reduce((n, e) => n + e[0].length + e[1].length, 0);
    if (used + key.length + String(value).length > this.quota) {
      const error = new Error("The quota has been exceeded.");
      error.name = "QuotaExceededError";
      throw error;
    }
    this.map.set(key, String(value));
  }
  removeItem(key) { this.map.delete(key); }
  clear() { this.map.clear(); }
  dump() { return Object.fromEntries(this.map); }
}

function main(input) {
  const request = JSON.parse(input);
  globalThis.window = globalThis;
  globalThis.addEventListener = () => {};  // window events (afterprint) never fire here
  globalThis.localStorage = new Storage({});
  globalThis.document = {
    readyState: "complete", currentScript: null,
    createElement: (tag) => new Element(tag), createTextNode: (text) => ({ textContent: String(text) }),
    getElementById: () => null, querySelector: () => null, querySelectorAll: () => [], addEventListener: () => {},
    getElementsByClassName: () => [],
  };
  Object.entries(request.globals || {}).forEach(([name, value]) => { globalThis[name] = value; });
  request.scripts.forEach((s) => vm.runInThisContext(s.code, { filename: s.name }));
  let previous;  // the value the call before returned (undefined after an error)
  return request.calls.map((call) => {
    if (!call.keepStorage) { globalThis.localStorage = new Storage(call.storage, call.quota); }
    const path = call.fn.split("."), name = path.pop();  // "kapquiz.versions.state" too
    const fn = path.reduce((api, key) => api[key], globalThis)[name];
    try {
      const args = [...(call.args || [])];
      Object.entries(call.fromPrevious || {}).forEach(([index, key]) => {
        args[index] = key === "" ? previous : previous[key];
      });
      let value;
      for (let n = 0; n < (call.times || 1); n += 1) { value = fn(...args); }
      previous = value;
      return { value: value === undefined ? null : value, storage: globalThis.localStorage.dump() };
    } catch (e) {
      previous = undefined;
      return { error: e.message, storage: globalThis.localStorage.dump() };
    }
  });
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => { process.stdout.write(JSON.stringify(main(input))); });
