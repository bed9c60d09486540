// The menu on narrow screens (≤ 720 px: phones, portrait tablets, a desktop zoomed to 400 %): a real button with
// aria-expanded opens and closes the navigation. Without JavaScript the class "js" never appears and the menu simply
// stays open (app.css), so every link and "Keluar" stay reachable. Loaded in <head> (no inline script: strict CSP)
// so the collapsed menu does not flash open while the page loads.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
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
