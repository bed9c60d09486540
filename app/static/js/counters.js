// Big +1 buttons on a phone: send the increment in the background and show the new total; on a slow or broken
// connection the plain form post still works (progressive enhancement).
(function () {
  "use strict";
  var box = document.querySelector(".counters");
  if (!box) { return; }
  var url = box.getAttribute("data-url");
  var csrf = box.getAttribute("data-csrf");
  var status = document.getElementById("counter-status");
  box.addEventListener("click", function (event) {
    var button = event.target.closest("button[name=count]");
    if (!button) { return; }
    event.preventDefault();
    // Busy, not disabled: a disabled button drops the keyboard focus, and the next Enter would go nowhere.
    if (button.getAttribute("aria-disabled") === "true") { return; }
    var counter = button.closest(".counter");
    var value = counter.querySelector(".counter-value");
    button.setAttribute("aria-disabled", "true");
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ service: counter.getAttribute("data-service"), count: parseInt(button.value, 10) })
    }).then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (res.ok) { value.textContent = res.body.count; status.textContent = ""; }
        else { status.textContent = res.body.message || "Gagal menyimpan."; }
      })
      .catch(function () { status.textContent = "Koneksi terputus; coba lagi."; })
      .then(function () { button.removeAttribute("aria-disabled"); });
  });
})();
