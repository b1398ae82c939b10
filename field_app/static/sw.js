/* Service worker: the app shell and downloaded questionnaire versions are served from cache, so
   after one online login the app starts with no network, even after the browser restarts.
   Shell files are refreshed in the background when the network is there (stale-while-revalidate). */
"use strict";
var SHELL = "field-shell-v19";
var DATA = "field-data-v1";
var FILES = [
  "/field/", "/field/app.js", "/field/i18n.js", "/field/ui.js", "/field/db.js", "/field/form.js", "/field/sync.js",
  "/field/quotas.js", "/field/questions.js", "/field/interview.js", "/field/account.js", "/field/home.js", "/field/app.css",
  "/field/manifest.webmanifest", "/field/icon.svg", "/field/icon-192.png", "/field/icon-512.png",
  "/static/expressions.js"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(FILES); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== SHELL && k !== DATA; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function shellKey(url) {
  return url.pathname === "/field" || url.pathname === "/field/index.html" ? "/field/" : url.pathname;
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/field/api/versions/") === 0) {
    // Versions are immutable: cache first, network once.
    event.respondWith(caches.open(DATA).then(function (cache) {
      return cache.match(url.pathname).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) cache.put(url.pathname, response.clone());
          return response;
        });
      });
    }));
    return;
  }
  if (url.pathname.indexOf("/field/api/") === 0) return;  // live data: network only
  var key = shellKey(url);
  /* Only the app's own page is the shell: the coordinators' pages (and anything else under
     /field/) are the network's. Answering them with the shell hid them on a tablet with the app,
     and the background refresh then stored their HTML as the shell, so the app no longer opened offline. */
  if (FILES.indexOf(key) < 0) return;
  event.respondWith(caches.open(SHELL).then(function (cache) {
    return cache.match(key).then(function (hit) {
      var refresh = fetch(request).then(function (response) {
        if (response.ok) cache.put(key, response.clone());
        return response;
      }).catch(function () { return hit; });
      if (hit) { event.waitUntil(refresh.catch(function () { return null; })); return hit; }
      return refresh;
    });
  }));
});
