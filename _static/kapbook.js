/* kapcourse: small fixes to the book theme that every page needs.
 * Each one works around a theme bug; delete it when the theme is fixed (tests/test_mobile_nav.py
 * says whether it is still needed). */
(function () {
  "use strict";

  /* The ☰ (lesson list) and page-contents buttons did nothing: pydata-sphinx-theme #2451.
   * pydata-sphinx-theme 0.17 renders a hidden copy of each button in the top navbar, before
   * the buttons sphinx-book-theme 1.3 shows, and both themes bind their click handlers with
   * querySelector(), i.e. to that hidden first copy only. So a click on a visible button is
   * passed on to the first copy, which runs the theme's own code (a drawer below 992 px, the
   * sidebar collapse above). Jupyter Book 1 cannot move past sphinx-book-theme 1.3 (1.4 needs
   * Sphinx 8), and 1.2 (with pydata-sphinx-theme 0.16) shows links in striped table rows at
   * 4.34:1 contrast, below WCAG 1.4.3's 4.5:1: hence this small forwarder, not a version pin. */
  function forwardToggleClicks(event) {
    ["primary-toggle", "secondary-toggle"].forEach(function (kind) {
      var clicked = event.target.closest("." + kind);
      var bound = document.querySelector("." + kind);
      if (clicked && bound && clicked !== bound) {
        bound.click();
      }
    });
  }

  document.addEventListener("click", forwardToggleClicks);
}());
