/* "Keluar cepat": leave the site at once, without leaving this page in history.
 * Without this script the link still works: the server signs out and redirects. */
(function () {
  "use strict";
  var link = document.querySelector("[data-quick-exit]");
  if (!link) return;
  var target = link.getAttribute("data-quick-exit-target");
  var endSession = link.getAttribute("href");
  try {
    // This phone's sync key ends with the session (see offline.js).
    var device = window.localStorage && localStorage.getItem("pendamping-device");
    if (device) endSession += "?perangkat=" + encodeURIComponent(device);
  } catch (error) {
    // Storage may be off; leaving still works.
  }

  function leave(event) {
    if (event) event.preventDefault();
    document.body.style.visibility = "hidden";
    document.title = "";
    var worker = null;
    try {
      // Stored pages stop being served at once, with or without signal.
      worker = navigator.serviceWorker && navigator.serviceWorker.controller;
      if (worker) worker.postMessage({ type: "lock", offline: !navigator.onLine });
    } catch (error) {
      // As below: leaving comes first.
    }
    if (worker || navigator.onLine !== false) {
      // Through the server, which signs out before it sends the phone on: a
      // sign-out sent beside the leaving (a beacon) could still be on its way
      // when someone presses Back, and the home page would greet her by name.
      // The page is blank meanwhile; offline, the service worker sends the
      // phone on at once.
      window.location.replace(endSession);
      return;
    }
    try {
      if (navigator.sendBeacon) {
        navigator.sendBeacon(endSession);
      } else {
        fetch(endSession, { method: "POST", credentials: "same-origin", keepalive: true });
      }
    } catch (error) {
      // Leaving matters more than signing out.
    }
    window.location.replace(target);
  }

  link.addEventListener("click", leave);
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - lastEscape < 800) leave(event);
    lastEscape = now;
  });
})();
