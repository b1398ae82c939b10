/* IndexedDB, promised. Stores: kv (settings, session, PIN), versions (questionnaires by id),
   interviews (every interview and contact by tablet UUID). Nothing here needs the network. */
(function (root) {
  "use strict";
  var NAME = "field-app", VERSION = 1, opening = null;

  function open() {
    if (opening) return opening;
    opening = new Promise(function (resolve, reject) {
      var req = indexedDB.open(NAME, VERSION);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("kv")) db.createObjectStore("kv");
        if (!db.objectStoreNames.contains("versions")) db.createObjectStore("versions", { keyPath: "version_id" });
        if (!db.objectStoreNames.contains("interviews")) {
          db.createObjectStore("interviews", { keyPath: "uuid" }).createIndex("status", "status");
        }
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
    return opening;
  }

  function run(store, mode, action) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode), result;
        var req = action(tx.objectStore(store));
        if (req) req.onsuccess = function () { result = req.result; };
        tx.oncomplete = function () { resolve(result); };   // resolved only once durable
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  root.FieldDB = {
    get: function (store, key) { return run(store, "readonly", function (s) { return s.get(key); }); },
    put: function (store, value, key) {
      return run(store, "readwrite", function (s) { return key === undefined ? s.put(value) : s.put(value, key); });
    },
    del: function (store, key) { return run(store, "readwrite", function (s) { return s.delete(key); }); },
    all: function (store) { return run(store, "readonly", function (s) { return s.getAll(); }); },
    putMany: function (store, values) {
      return run(store, "readwrite", function (s) { values.forEach(function (v) { s.put(v); }); return null; });
    }
  };
})(window);
