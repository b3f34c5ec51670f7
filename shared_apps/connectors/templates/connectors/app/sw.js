/* The MBN app's service worker (served at /sw.js, scope: the whole host).

   Kept for reading offline: the person's week (/timetable/) and their homework pages
   (/homework/, /homework/<id>/), network first, the last copy when the network is gone; any
   other page then shows the offline page. Nothing else is stored: no API answer, no other page.
   The kept pages are forgotten on sign-out (the sign-out request itself, and app.js on the next
   page seen signed out or by someone else). Push notifications (Web Push) are shown here; signing
   out unsubscribes the device from them. */
"use strict";

const VERSION = "__VERSION__";
const SHELL = "mbn-shell-" + VERSION;
const PAGES = "mbn-pages";
const MAX_PAGES = 40;
const OFFLINE = "{{ offline|escapejs }}";
const SHELL_FILES = [{% for path in shell %}"{{ path|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const KEPT = [{% for pattern in kept %}new RegExp("{{ pattern|escapejs }}"){% if not forloop.last %}, {% endif %}{% endfor %}];
const ICON = "{{ icon|escapejs }}";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL)
      .then((cache) => cache.addAll(SHELL_FILES.map((path) => new Request(path, { credentials: "omit" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("mbn-shell-") && name !== SHELL).map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

/* Signing out: the kept pages go, and this device stops receiving the person's push
   notifications (the push service then answers 410 and the platform deletes the subscription). */
async function forget() {
  await caches.delete(PAGES);
  const subscription = await self.registration.pushManager.getSubscription();
  if (subscription) {
    await subscription.unsubscribe();
  }
}

function kept(url) {
  return KEPT.some((pattern) => pattern.test(url.pathname));
}

async function keep(request, response) {
  const cache = await caches.open(PAGES);
  await cache.put(request, response);
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map((key) => cache.delete(key)));
}

async function page(request, url) {
  try {
    const response = await fetch(request);
    if (kept(url) && response.ok && !response.redirected && response.type === "basic") {
      await keep(new Request(url.href), response.clone());
    }
    return response;
  } catch (error) {
    if (kept(url)) {
      const copy = await caches.match(url.href, { cacheName: PAGES });
      if (copy) {
        return copy;
      }
    }
    return (await caches.match(OFFLINE, { cacheName: SHELL })) || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.method === "POST" && url.pathname === "/accounts/logout/") {
    event.waitUntil(forget());
    return;
  }
  if (request.method !== "GET") {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (SHELL_FILES.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname, { cacheName: SHELL }).then((hit) => hit || fetch(request)));
  }
});

self.addEventListener("push", (event) => {
  const message = event.data ? event.data.json() : {};
  const title = message.title || "MBN";
  event.waitUntil(self.registration.showNotification(title, {
    body: message.body || "",
    icon: ICON,
    tag: message.tag || undefined,
    data: { url: message.url || "/" },
    lang: message.lang || "fr",
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data && event.notification.data.url || "/", self.location.origin);
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((windows) => {
    const open = windows.find((client) => client.url === target.href);
    return open ? open.focus() : self.clients.openWindow(target.href);
  }));
});
