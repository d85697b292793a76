// The ticket page: renders the ticket's status, follows it over server-sent events and
// alerts the citizen when the people ahead fall to the chosen number and when called.
// Plain ES5 so that older WeChat built-in browsers run it too.
(function () {
  "use strict";
  var token = document.body.getAttribute("data-token");
  var $ = function (id) { return document.getElementById(id); };
  var STATE_TEXT = {
    finished: "已办理完毕，感谢您的耐心等候。",
    no_show: "已过号。请到窗口或导服台重新排队。",
    cancelled: "此号已取消。",
    expired: "此号已随营业日结束失效。"
  };
  var audio = null;
  var last = null;

  function stored(key, fallback) {
    try { var v = window.localStorage.getItem(key); return v === null ? fallback : v; }
    catch (e) { return fallback; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }

  var threshold = $("threshold");
  threshold.value = stored("hallq-threshold", "3");
  threshold.onchange = function () { store("hallq-threshold", threshold.value); check(last); };

  function beep() {
    if (!audio) { return; }
    var t = audio.currentTime;
    [0, 0.35, 0.7].forEach(function (offset) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.4, t + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, t + offset + 0.3);
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(t + offset); osc.stop(t + offset + 0.3);
    });
  }

  $("enable").onclick = function () {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx && !audio) { audio = new Ctx(); }
    if (audio && audio.resume) { audio.resume(); }
    if (window.Notification && Notification.permission === "default") {
      Notification.requestPermission();
    }
    $("enable").textContent = "提醒已开启";
    beep();
  };

  function alertCitizen(key, text) {
    // Each alert once per ticket, even across reloads of the page.
    if (stored("hallq-alert-" + token + "-" + key, "") === "1") { return; }
    store("hallq-alert-" + token + "-" + key, "1");
    var banner = $("banner");
    banner.textContent = text;
    banner.hidden = false;
    if (navigator.vibrate) { navigator.vibrate([400, 200, 400, 200, 400]); }
    beep();
    if (window.Notification && Notification.permission === "granted") {
      try { new Notification(text); } catch (e) { /* Android wants a service worker */ }
    }
  }

  function check(s) {
    if (!s) { return; }
    if (s.state === "waiting" && s.people_ahead <= parseInt(threshold.value, 10)) {
      alertCitizen("near-" + threshold.value,
        s.people_ahead === 0 ? "快到了！下一个就是您" : "快到了！前面还有 " + s.people_ahead + " 人");
    } else if ((s.state === "called" || s.state === "serving") && s.window) {
      alertCitizen("called-" + s.window, "请到 " + s.window + " 号窗口办理");
    }
  }

  function render(s) {
    last = s;
    $("connection").hidden = !s.stale;
    if (s.stale) { $("connection").textContent = "排队系统暂时无法连接，显示的可能不是最新情况"; }
    if (s.number) { $("number").textContent = s.number; }
    $("service").textContent = s.service_name || "";
    $("windows").textContent = (s.windows || []).join("、");
    var called = (s.state === "called" || s.state === "serving") && s.window;
    $("called").hidden = !called;
    if (called) { $("called").textContent = "请到 " + s.window + " 号窗口"; }
    $("waiting").hidden = s.state !== "waiting";
    if (s.state === "waiting") {
      $("ahead").textContent = s.people_ahead;
      var m = s.estimated_wait_minutes;
      $("estimate").textContent = s.people_ahead === 0 ? "即将叫号" :
        (s.wait_range ? s.wait_range :
          (m === null || m === undefined ? "暂无估计" : "约 " + m + " 分钟"));
    }
    var doneText = STATE_TEXT[s.state];
    $("done").hidden = !doneText;
    $("done").textContent = doneText || "";
    if (!called && s.state !== "waiting") { $("banner").hidden = true; }
    var list = $("materials");
    if (s.materials && list.getAttribute("data-filled") !== "1") {
      list.setAttribute("data-filled", "1");
      s.materials.forEach(function (m) {
        var li = document.createElement("li"); li.textContent = m; list.appendChild(li);
      });
    }
    document.body.setAttribute("data-state", s.state);
    check(s);
  }

  function lost() {
    $("connection").hidden = false;
    $("connection").textContent = "连接中断，正在重新连接…";
  }

  function poll() {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", "/api/t/" + token);
    xhr.onload = function () {
      if (xhr.status === 200) { render(JSON.parse(xhr.responseText)); } else { lost(); }
      setTimeout(poll, 3000);
    };
    xhr.onerror = function () { lost(); setTimeout(poll, 3000); };
    xhr.send();
  }

  function connect() {
    var source = new EventSource("/api/t/" + token + "/events");
    source.addEventListener("status", function (e) { render(JSON.parse(e.data)); });
    source.onopen = function () { if (last && !last.stale) { $("connection").hidden = true; } };
    source.onerror = function () {
      lost();
      // The browser retries by itself unless the server answered with an error status
      // (a restart behind a proxy); then start again ourselves.
      if (source.readyState === 2) { setTimeout(connect, 2000); }
    };
  }

  render(JSON.parse($("initial").textContent));
  if (window.EventSource) { connect(); } else { setTimeout(poll, 3000); }
})();
