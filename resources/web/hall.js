// The public hall page: waiting and estimated wait per service, open or closed, the
// last calls; follows the hall over server-sent events. Plain ES5.
(function () {
  "use strict";
  var site = document.body.getAttribute("data-site");
  var $ = function (id) { return document.getElementById(id); };

  function cell(row, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    row.appendChild(td);
  }

  function render(h) {
    $("connection").hidden = !h.stale;
    if (h.stale) { $("connection").textContent = "排队系统暂时无法连接，显示的可能不是最新情况"; }
    var body = $("services");
    body.innerHTML = "";
    h.services.forEach(function (s) {
      var tr = document.createElement("tr");
      cell(tr, s.name, "name");
      cell(tr, s.waiting + " 人", "num");
      var m = s.estimated_wait_minutes;
      cell(tr, s.waiting === 0 ? "无需等候" : (m === null ? "—" : "约 " + m + " 分钟"), "num");
      cell(tr, s.open ? "取号中" : (s.closed_reason || "暂停取号"), s.open ? "open" : "closed");
      body.appendChild(tr);
    });
    var calls = $("calls");
    calls.innerHTML = "";
    if (!h.recent_calls.length) {
      var none = document.createElement("li"); none.textContent = "暂无叫号"; calls.appendChild(none);
    }
    h.recent_calls.forEach(function (c) {
      var li = document.createElement("li");
      li.textContent = c.text;
      calls.appendChild(li);
    });
  }

  function connect() {
    var source = new EventSource("/api/hall/" + encodeURIComponent(site) + "/events");
    source.addEventListener("status", function (e) { render(JSON.parse(e.data)); });
    source.onopen = function () { $("connection").hidden = true; };
    source.onerror = function () {
      $("connection").hidden = false;
      $("connection").textContent = "连接中断，正在重新连接…";
      if (source.readyState === 2) { setTimeout(connect, 2000); }
    };
  }

  render(JSON.parse($("initial").textContent));
  if (window.EventSource) { connect(); }
})();
