/* kapcourse: small fixes to the book theme that every page needs (see also kapbook.css).
 * Each one works around a theme bug; delete it when the theme is fixed (tests/test_mobile_nav.py
 * and the every-page axe test in tests/test_browser.py say whether it is still needed). */
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

  /* WCAG 2.5.3 "label in name": the colour-mode button is named "Color mode", but Font Awesome
   * turns each of its icons into an SVG with a <title> ("Light", "Dark", "System Settings"),
   * which counts as text inside the button that its name does not contain (axe
   * label-content-name-mismatch). The icons are decorative (the button's name says what it
   * does), so they are hidden from assistive technology, as the theme does with its other
   * icons. */
  function hideThemeSwitchIcons() {
    document.querySelectorAll(".theme-switch-button .theme-switch").forEach(function (icon) {
      if (icon.getAttribute("aria-hidden") === "true" && !icon.querySelector("title")) {
        return; // already done: do not wake the observer below for nothing
      }
      icon.setAttribute("aria-hidden", "true");
      icon.removeAttribute("title");
      icon.removeAttribute("role");
      icon.removeAttribute("aria-labelledby");
      icon.querySelectorAll("title").forEach(function (title) {
        title.remove();
      });
    });
  }

  /* axe "region" (best practice): the course title at the top of the lesson list sits in a
   * plain <div>, outside every landmark, so screen-reader users who move by landmarks skip it.
   * The whole primary sidebar is the course's navigation; say so. */
  function nameTheSidebar() {
    var sidebar = document.getElementById("pst-primary-sidebar");
    if (sidebar && !sidebar.hasAttribute("role")) {
      sidebar.setAttribute("role", "navigation");
      sidebar.setAttribute("aria-label", "Course");
    }
  }

  document.addEventListener("click", forwardToggleClicks);
  document.addEventListener("DOMContentLoaded", function () {
    nameTheSidebar();
    hideThemeSwitchIcons();
    // Font Awesome replaces the <i> icons with SVGs whenever it gets to them (before or after
    // this runs), so tidy up again each time the button's content changes.
    document.querySelectorAll(".theme-switch-button").forEach(function (button) {
      new MutationObserver(hideThemeSwitchIcons).observe(button, { childList: true, subtree: true });
    });
  });
})();
