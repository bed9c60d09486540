// Polls the plan's status while it is being solved and reloads the page when it is finished.
(function () {
  "use strict";
  var card = document.getElementById("progress-card");
  if (!card) { return; }
  var url = card.getAttribute("data-status-url");
  var bar = document.getElementById("plan-progress");
  var percent = document.getElementById("plan-percent");
  var label = document.getElementById("plan-status");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body) { setTimeout(poll, 3000); return; }
        bar.value = body.progress;
        percent.textContent = Math.round(body.progress * 100);
        label.textContent = body.status_label;
        if (["done", "failed", "cancelled"].indexOf(body.status) >= 0) { window.location.reload(); return; }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
