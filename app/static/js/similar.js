// While a kepala desa types, show open aspirations of the same desa that look similar, with a "Saya juga" button.
// Progressive enhancement: the server-rendered list works without JavaScript.
(function () {
  "use strict";
  var form = document.getElementById("aspiration-form");
  var list = document.getElementById("similar-list");
  if (!form || !list) { return; }
  var url = form.getAttribute("data-similar-url");
  var csrf = form.querySelector("input[name=csrf_token]");
  var timer = null;

  function field(name) { var el = form.querySelector("[name=" + name + "]"); return el ? el.value : ""; }

  function render(items) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!items.length) {
      var empty = document.createElement("li");
      empty.className = "muted";
      empty.textContent = "Belum ada yang mirip.";
      list.appendChild(empty);
      return;
    }
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.reference;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" — " + item.title + " "));
      var support = document.createElement("form");
      support.method = "post";
      support.className = "inline";
      support.action = item.url + "/dukung";
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrf_token";
      token.value = csrf ? csrf.value : "";
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "button small";
      button.textContent = "Saya juga";
      support.appendChild(token);
      support.appendChild(button);
      li.appendChild(support);
      list.appendChild(li);
    });
  }

  function lookup() {
    var title = field("title"), description = field("description");
    if ((title + description).trim().length < 4) { return; }
    var params = new URLSearchParams({ judul: title, uraian: description, desa: field("desa_code") });
    fetch(url + "?" + params.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (body) { render(body.items || []); })
      .catch(function () { /* offline or slow: keep the server-rendered list */ });
  }

  form.addEventListener("input", function (event) {
    if (["title", "description", "desa_code"].indexOf(event.target.name) < 0) { return; }
    clearTimeout(timer);
    timer = setTimeout(lookup, 400);
  });
})();
