/* IndexedDB, promised. Stores: kv (settings; the signed-in interviewers' sessions, PINs and
   assignments, each under "<name>:<interviewer id>"), versions (questionnaires by id), interviews
   (every interview and contact by tablet UUID, with its `owner`, the interviewer who made it).
   Nothing here needs the network.

   Interviews are never written blindly. Several tabs or windows of the app share this database,
   so every change to an interview is checked, inside the same transaction, against what is
   stored: a draft is updated only if its revision is still the one this tab read (`rev`), a
   finished or queued record is never rewritten by the interview screen, and only the sync may
   move a queued record on, and only if it still holds what was sent. A failed check rejects
   with a ClashError whose `clash` is the stored record, so the caller can keep its own copy as a
   new record instead of losing either. Every change is announced to the other tabs on a BroadcastChannel. */
(function (root) {
  "use strict";
  var NAME = "field-app", VERSION = 1, opening = null;
  var channel = typeof root.BroadcastChannel === "function" ? new root.BroadcastChannel("field-app") : null;
  var listeners = [];
  if (channel) channel.onmessage = function (ev) { listeners.forEach(function (fn) { fn(ev.data || {}); }); };
  function announce(uuids) { if (channel && uuids.length) channel.postMessage({ type: "changed", uuids: uuids }); }
  /* An Error (with a stack and a name the banner can show), not a bare object, carrying the stored record. */
  function clash(stored) {
    var error = new Error("the stored record changed meanwhile");
    error.name = "ClashError";
    error.clash = stored || null;
    return error;
  }

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
        var tx = db.transaction(store, mode), result, refusal = null;
        var req = action(tx.objectStore(store), function (why) { refusal = why; tx.abort(); });
        if (req) req.onsuccess = function () { result = req.result; };
        tx.oncomplete = function () { resolve(result); };   // resolved only once durable
        tx.onerror = function (ev) { if (refusal) ev.preventDefault(); };
        tx.onabort = function () { reject(refusal || tx.error); };
      });
    });
  }

  /* A draft may be replaced only by the tab that holds its current revision. */
  function writable(stored, rec) {
    return stored && stored.status === "draft" && (stored.rev || 0) === (rec.rev || 0);
  }

  /* Write one interview (a draft's answers, or the draft finished as "pending") if the stored
     record is still the draft at the revision this copy was read at; rec.rev is moved on. */
  function update(rec) {
    var next = Object.assign({}, rec, { rev: (rec.rev || 0) + 1 });
    return run("interviews", "readwrite", function (s, refuse) {
      var req = s.get(rec.uuid);
      req.onsuccess = function () {
        if (!writable(req.result, rec)) { refuse(clash(req.result)); return; }
        s.put(next);
      };
      return null;
    }).then(function () {
      rec.rev = next.rev;
      announce([rec.uuid]);
      return rec;
    });
  }

  /* A new record: refused if the UUID is already taken, never an overwrite. */
  function add(rec) {
    if (rec.rev === undefined) rec.rev = 0;
    return run("interviews", "readwrite", function (s) { return s.add(rec); })
      .then(function () { announce([rec.uuid]); return rec; });
  }

  /* Discard an unfinished interview, only if it is still the draft the caller saw. */
  function discard(rec) {
    return run("interviews", "readwrite", function (s, refuse) {
      var req = s.get(rec.uuid);
      req.onsuccess = function () {
        if (!writable(req.result, rec)) { refuse(clash(req.result)); return; }
        s.delete(rec.uuid);
      };
      return null;
    }).then(function () { announce([rec.uuid]); });
  }

  /* The sync's answer: each change applies only to a record still queued with the hash that
     was sent, so a record changed meanwhile keeps its state and is sent again. */
  function settle(changes) {
    var done = [];
    return run("interviews", "readwrite", function (s) {
      changes.forEach(function (change) {
        var req = s.get(change.uuid);
        req.onsuccess = function () {
          var stored = req.result;
          if (!stored || stored.status !== "pending" || (stored.client_hash || "") !== (change.client_hash || "")) return;
          s.put(Object.assign(stored, change.fields, { rev: (stored.rev || 0) + 1 }));
          done.push(change.uuid);
        };
      });
      return null;
    }).then(function () { announce(done); return done; });
  }

  /* Take back a refusal / not-at-home while it is still queued (the caller holds the sync lock). */
  function withdraw(uuid) {
    return run("interviews", "readwrite", function (s, refuse) {
      var req = s.get(uuid);
      req.onsuccess = function () {
        var stored = req.result;
        if (!stored || stored.kind !== "contact" || stored.status !== "pending") { refuse(clash(stored)); return; }
        s.delete(uuid);
      };
      return null;
    }).then(function () { announce([uuid]); });
  }

  /* At sign-out: forget what the server already holds of this interviewer, nothing else. */
  function clearSent(owner) {
    var gone = [];
    return run("interviews", "readwrite", function (s) {
      var req = s.openCursor();
      req.onsuccess = function () {
        var cursor = req.result;
        if (!cursor) return;
        if (cursor.value.status === "sent" && cursor.value.owner === owner) { gone.push(cursor.value.uuid); cursor.delete(); }
        cursor.continue();
      };
      return null;
    }).then(function () { announce(gone); });
  }

  /* Records made before tablets were shared (or by an older tab) have no owner: they are the
     interviewer's who was signed in, stamped before anyone else can sign in. The revision is
     kept, so a tab editing one is not made to clash. */
  function adopt(owner) {
    if (owner === null || owner === undefined) return Promise.resolve();
    return run("interviews", "readwrite", function (s) {
      var req = s.openCursor();
      req.onsuccess = function () {
        var cursor = req.result;
        if (!cursor) return;
        if (cursor.value.owner === undefined || cursor.value.owner === null) cursor.update(Object.assign(cursor.value, { owner: owner }));
        cursor.continue();
      };
      return null;
    });
  }

  root.FieldDB = {
    get: function (store, key) { return run(store, "readonly", function (s) { return s.get(key); }); },
    put: function (store, value, key) {
      if (store === "interviews") return Promise.reject(new Error("interviews are written with add/update/settle"));
      return run(store, "readwrite", function (s) { return key === undefined ? s.put(value) : s.put(value, key); });
    },
    del: function (store, key) { return run(store, "readwrite", function (s) { return s.delete(key); }); },
    all: function (store) { return run(store, "readonly", function (s) { return s.getAll(); }); },
    add: add, update: update, discard: discard, settle: settle, withdraw: withdraw, clearSent: clearSent, adopt: adopt,
    onChange: function (fn) { listeners.push(fn); }
  };
})(window);
