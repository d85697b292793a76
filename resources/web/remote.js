// A remote ticket's page: the check-in code and the service's queue now; once the code is
// checked in at the kiosk, it turns into the ticket's page. Plain ES5.
(function () {
  "use strict";
  var token = document.body.getAttribute("data-token");
  var $ = function (id) { return document.getElementById(id); };

  function render(r) {
    if (r.ticket_url) { window.location.replace(r.ticket_url); return; }
    $("connection").hidden = !r.stale;
    $("service").textContent = r.service_name || "";
    $("waiting").textContent = r.waiting === null || r.waiting === undefined ? "-" : r.waiting;
    var m = r.estimated_wait_minutes;
    $("estimate").textContent = r.waiting === 0 ? "无需等候" :
      (m === null || m === undefined ? "暂无估计" : "约 " + m + " 分钟");
    var done = r.state === "cancelled" ? "此签到码已取消。" :
      (r.state === "expired" ? "此签到码已随营业日结束失效。" : "");
    $("done").hidden = !done;
    $("done").textContent = done;
    $("instruction").hidden = !!done;
  }

  function connect() {
    var source = new EventSource("/api/r/" + token + "/events");
    source.addEventListener("status", function (e) { render(JSON.parse(e.data)); });
    source.onopen = function () { $("connection").hidden = true; };
    source.onerror = function () {
      $("connection").hidden = false;
      if (source.readyState === 2) { setTimeout(connect, 2000); }
    };
  }

  render(JSON.parse($("initial").textContent));
  if (window.EventSource) { connect(); }
})();
