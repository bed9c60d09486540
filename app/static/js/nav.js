// Page-wide keyboard help, loaded on every page from <head> (no inline script: strict CSP).
// 1. The menu on narrow screens (≤ 720 px: phones, portrait tablets, a desktop zoomed to 400 %): a real button with
//    aria-expanded opens and closes the navigation. Without JavaScript the class "js" never appears and the menu
//    simply stays open (app.css), so every link and "Keluar" stay reachable. Loaded in <head> so the collapsed menu
//    does not flash open while the page loads.
// 2. A table too wide for the screen scrolls in its own box (.table-wrap); that box joins the Tab order while it
//    scrolls, so a keyboard can scroll it too (WCAG 2.1.1), and leaves it again when the table fits.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function markScrollers() {
    var boxes = document.querySelectorAll(".table-wrap");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) { box.setAttribute("tabindex", "0"); }
      else { box.removeAttribute("tabindex"); }
    }
  }
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(markScrollers, 150);
  });
  // A closed <details> hides its table: mark it when it opens.
  document.addEventListener("toggle", markScrollers, true);
  document.addEventListener("DOMContentLoaded", function () {
    markScrollers();
    var toggle = document.querySelector(".nav-toggle");
    var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!nav) { return; }
    function setOpen(open) { toggle.setAttribute("aria-expanded", open ? "true" : "false"); }
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes an open menu and puts focus back on its button.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  });
})();
