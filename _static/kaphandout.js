/* kapcourse key-points handouts: a "Print this handout" button for each lesson's handout on
 * the Handouts page, which prints that lesson's page alone (kaphandout.css hides the others
 * while it prints). Without JavaScript, printing the page gives every lesson, one per page. */
(function () {
  "use strict";

  function printOnly(section) {
    var root = document.documentElement;
    root.classList.add("kap-print-one");
    section.classList.add("kap-print-this");
    function done() {
      root.classList.remove("kap-print-one");
      section.classList.remove("kap-print-this");
      window.removeEventListener("afterprint", done);
    }
    window.addEventListener("afterprint", done);
    window.print();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("section.kap-handout").forEach(function (section) {
      var heading = section.querySelector("h2");
      if (!heading || section.querySelector(".kap-handout-print")) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kap-handout-print";
      button.textContent = "Print this handout";
      button.setAttribute("aria-label", "Print this handout: " + heading.textContent.replace(/#$/, "").trim());
      button.addEventListener("click", function () {
        printOnly(section);
      });
      heading.insertAdjacentElement("afterend", button);
    });
  });
})();
