/* The MBN app on every page: registers the service worker (/sw.js) and forgets the pages it kept
   for reading offline when nobody, or someone else, is signed in now (data-mbn-owner on <html>:
   an opaque mark of the person, empty when signed out), and when the person signs out. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches) {
    return;
  }
  var PAGES = "mbn-pages";
  var owner = document.documentElement.getAttribute("data-mbn-owner") || "";
  var known = null;
  try {
    known = window.localStorage.getItem("mbn-owner");
    if (owner) {
      window.localStorage.setItem("mbn-owner", owner);
    } else {
      window.localStorage.removeItem("mbn-owner");
    }
  } catch (error) {
    known = null;
  }
  if (!owner || (known !== null && known !== owner)) {
    window.caches.delete(PAGES);
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.getAttribute("action") && /\/accounts\/logout\/$/.test(form.getAttribute("action"))) {
      window.caches.delete(PAGES);
    }
  });
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
    return null; /* the platform works without it */
  });
})();
