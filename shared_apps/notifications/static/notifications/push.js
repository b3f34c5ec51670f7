/* The preferences page: subscribe this browser (or the installed MBN app) to push notifications.
   The button shows only where the browser can receive them; the device is listed after. */
(function () {
  "use strict";
  var button = document.getElementById("push-subscribe");
  var status = document.getElementById("push-status");
  if (!button || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    return;
  }
  button.hidden = false;

  function key(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function deviceName() {
    var agent = navigator.userAgent;
    var browser = /Edg\//.test(agent) ? "Edge" : /Firefox\//.test(agent) ? "Firefox"
      : /Chrome\//.test(agent) ? "Chrome" : /Safari\//.test(agent) ? "Safari" : "Browser";
    var system = /Android/.test(agent) ? "Android" : /iPhone|iPad/.test(agent) ? "iOS"
      : /Windows/.test(agent) ? "Windows" : /Mac OS/.test(agent) ? "macOS" : /Linux/.test(agent) ? "Linux" : "";
    return system ? browser + " — " + system : browser;
  }

  button.addEventListener("click", function () {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        status.textContent = status.getAttribute("data-refused");
        return null;
      }
      return navigator.serviceWorker.register("/sw.js", { scope: "/" })
        .then(function () { return navigator.serviceWorker.ready; })
        .then(function (registration) {
          return registration.pushManager.subscribe({
            userVisibleOnly: true,
            applicationServerKey: key(button.getAttribute("data-key"))
          });
        })
        .then(function (subscription) {
          var body = subscription.toJSON();
          body.device = deviceName();
          return fetch(button.getAttribute("data-url"), {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
            body: JSON.stringify(body)
          });
        })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          window.location.reload();
        });
    }).catch(function () {
      status.textContent = status.getAttribute("data-failed");
    });
  });
})();
