/* The upload queue. An item leaves "pending" only when the server acknowledged it (stored or
   duplicate); network errors and 5xx answers retry with exponential back-off; 401/403 stop and
   say why, keeping everything on the tablet. Refusals are kept as the server's stable code (with
   its English detail for support) so the screens can say them in the interviewer's language.
   Each run also reports the manifest (UUID + hash of every finished item) so supervisors can
   reconcile what the tablet holds with the store. */
(function (root) {
  "use strict";
  var DB = root.FieldDB, BATCH = 50, MANIFEST_CHUNK = 2000, MAX_DELAY = 60000;
  var state = { running: false, attempt: 0, timer: null, listeners: [], clockWrong: false };

  function notify(event) { state.listeners.forEach(function (fn) { try { fn(event); } catch (e) { /* ignore */ } }); }

  function toItem(r) {
    return {
      uuid: r.uuid, consultation: r.consultation, kind: r.kind, version_id: r.version_id || null,
      mode: r.mode || "field", language: r.language || "fr", easy_read: !!r.easy_read, answers: r.clean || {},
      paper_form_number: r.paper_form_number || null, replaces_uuid: r.replaces_uuid || null,
      started_at: r.started_at || null, submitted_at: r.submitted_at || null, outcome: r.outcome || null,
      note: r.note || "", client_hash: r.client_hash || ""
    };
  }

  function schedule() {
    clearTimeout(state.timer);
    var delay = Math.min(MAX_DELAY, 1000 * Math.pow(2, state.attempt)) + Math.floor(Math.random() * 500);
    state.attempt += 1;
    state.nextRetryAt = Date.now() + delay;
    state.timer = setTimeout(function () { run("retry"); }, delay);
  }

  function post(session, body) {
    return fetch("/field/api/sync", {
      method: "POST", cache: "no-store",
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + session.token },
      body: JSON.stringify(body)
    });
  }

  /* One file of an acknowledged interview, as raw bytes. Resolves with null when the server kept
     it (now or before: the same bytes are kept once), with the refusal when it never will; a
     network error or a 5xx rejects, so the interview stays queued and everything is sent again. */
  function putFile(session, rec, question) {
    var file = rec.files[question];
    return fetch("/field/api/attachments/" + encodeURIComponent(rec.uuid) + "/" + encodeURIComponent(question), {
      method: "PUT", cache: "no-store", body: file.blob,
      headers: { "Content-Type": "application/octet-stream", "Authorization": "Bearer " + session.token,
                 "X-File-Name": encodeURIComponent(file.name) }
    }).then(function (response) {
      if (response.ok) return null;
      return response.json().catch(function () { return {}; }).then(function (b) {
        var refusal = { code: b.code || "", status: response.status, detail: b.detail || "" };
        if (response.status === 401 || response.status === 403) throw syncError("auth", refusal);
        if (response.status >= 500 || response.status === 429) throw syncError("retry", refusal);
        return refusal;
      });
    }, function () { throw syncError("retry", { code: "network", status: 0, detail: "" }); });
  }

  /* The files of the interviews the server acknowledged, one after the other; the first refusal
     of an interview's file is its outcome. Only the questions whose answer still names the file go. */
  function sendFiles(session, results, byUuid) {
    var refused = {}, chain = Promise.resolve();
    results.forEach(function (res) {
      var rec = byUuid[res.uuid];
      if (!rec || !rec.files || (res.status !== "stored" && res.status !== "duplicate")) return;
      Object.keys(rec.files).forEach(function (question) {
        if ((rec.clean || {})[question] !== rec.files[question].name) return;
        chain = chain.then(function () {
          if (refused[rec.uuid]) return null;
          return putFile(session, rec, question).then(function (refusal) { if (refusal) refused[rec.uuid] = refusal; });
        });
      });
    });
    return chain.then(function () { return refused; });
  }

  /* The server's answers, applied only to records still queued as they were sent. */
  function apply(results, byUuid, refusedFiles) {
    var now = new Date().toISOString(), changes = [];
    results.forEach(function (res) {
      var rec = byUuid[res.uuid], fields, file = (refusedFiles || {})[res.uuid];
      if (!rec) return;
      if (file) {
        fields = { status: "rejected", code: "file_refused", detail: file.detail || file.code, errors: [] };
      } else if (res.status === "stored" || res.status === "duplicate") {
        fields = { status: "sent", sent_at: now, detail: "", code: "", errors: [] };
        // The server kept it but could not believe its times: this tablet's clock is wrong.
        if (res.clock_wrong && res.clock_wrong.length) { fields.clock_wrong = res.clock_wrong; state.clockWrong = true; }
      } else {
        fields = { status: "rejected", code: res.code || res.status, detail: res.detail || res.status, errors: res.errors || [] };
      }
      changes.push({ uuid: rec.uuid, client_hash: rec.client_hash || "", fields: fields });
    });
    return DB.settle(changes);
  }

  /* A tablet clock a day away from the server's is wrong; the home screen says so after the sync. */
  var SKEW = 24 * 3600 * 1000;
  function checkClock(serverTime) {
    var server = Date.parse(serverTime || "");
    if (!isNaN(server)) state.clockWrong = Math.abs(server - Date.now()) > SKEW;
  }

  /* One sync run: every pending item in batches, manifest with the first request. */
  /* Only one tab of the app syncs at a time (a Web Lock shared by the tabs of this browser). */
  function run(reason) {
    if (state.running) return Promise.resolve("busy");
    if (!root.navigator.locks) return runHere(reason);
    /* Timers give way to a sync already under way in another tab; a tap or a finished interview
       waits for it, then sends what is still queued. */
    var background = reason === "timer" || reason === "retry";
    return root.navigator.locks.request("field-sync", { ifAvailable: background }, function (lock) {
      return lock ? runHere(reason) : "busy";
    });
  }

  /* One interviewer's items, in batches with their own device token; the manifest (and the
     count of unfinished interviews) with the first request. Rejects with {auth} or {retry}. */
  /* A refusal is an Error (with a stack, caught as any other) that says its kind: ``auth`` (the
     server refused the token: stop this interviewer's items) or ``retry`` (try again later). */
  function syncError(kind, refusal) {
    var error = new Error(kind + ": " + (refusal.code || refusal.status));
    error.name = "SyncError";
    error[kind] = refusal;
    return error;
  }

  function sendFor(session, all) {
    var pending = all.filter(function (r) { return r.status === "pending"; });
    var unfinished = all.filter(function (r) { return r.status === "draft"; }).length;
    var manifest = all.filter(function (r) { return r.status !== "draft"; })
      .map(function (r) { return { uuid: r.uuid, client_hash: r.client_hash || "" }; });
    var batches = [], chunks = [], i;
    for (i = 0; i < pending.length; i += BATCH) batches.push(pending.slice(i, i + BATCH));
    // The manifest travels in chunks (request bodies are capped); the first replaces the old one.
    for (i = 0; i < manifest.length; i += MANIFEST_CHUNK) chunks.push(manifest.slice(i, i + MANIFEST_CHUNK));
    if (!chunks.length) chunks.push([]);
    while (batches.length < chunks.length) batches.push([]);
    var chain = Promise.resolve();
    batches.forEach(function (batch, index) {
      chain = chain.then(function () {
        var byUuid = {};
        batch.forEach(function (r) { byUuid[r.uuid] = r; });
        var body = { items: batch.map(toItem) };
        if (index < chunks.length) { body.manifest = chunks[index]; body.manifest_append = index > 0; }
        // Unfinished interviews never travel, but their number tells the coordinator the tablet holds work.
        if (index === 0) body.unfinished = unfinished;
        return post(session, body).then(function (response) {
          if (response.ok) return response.json().then(function (b) {
            checkClock(b.server_time);
            // An interview is "sent" only once its files are acknowledged too: a lost file means a retry.
            return sendFiles(session, b.results, byUuid).then(function (refused) { return apply(b.results, byUuid, refused); });
          });
          return response.json().catch(function () { return {}; }).then(function (b) {
            var refusal = { code: b.code || "", status: response.status, detail: b.detail || "" };
            throw syncError(response.status === 401 || response.status === 403 ? "auth" : "retry", refusal);
          });
        }, function () { throw syncError("retry", { code: "network", status: 0, detail: "" }); });
      });
    });
    return chain;
  }

  /* Every interviewer signed in on the tablet sends their own items with their own token: one
     refused token stops only that interviewer's items (kept as "authError:<id>"). */
  function runHere(reason) {
    if (state.running) return Promise.resolve("busy");
    state.running = true; clearTimeout(state.timer);
    notify({ type: "start", reason: reason });
    var current = null, refused = null;
    return Promise.all([DB.get("kv", "session"), DB.get("kv", "sessions")]).then(function (got) {
      current = got[0];
      if (!current) throw syncError("auth", { code: "token_missing", status: 0, detail: "" });
      var sessions = got[1] || {};
      if (!sessions[current.interviewer_id]) sessions[current.interviewer_id] = current;
      // Records an older tab made without an owner are the current interviewer's.
      return DB.adopt(current.interviewer_id).then(function () { return DB.all("interviews"); }).then(function (all) {
        var chain = Promise.resolve();
        Object.keys(sessions).forEach(function (id) {
          var session = sessions[id], errorKey = "authError:" + session.interviewer_id;
          var mine = all.filter(function (r) { return r.owner === session.interviewer_id; });
          chain = chain.then(function () {
            return sendFor(session, mine).then(function () { return DB.del("kv", errorKey); }, function (err) {
              if (!err || !err.auth) throw err;
              if (session.interviewer_id === current.interviewer_id) refused = err.auth;
              return DB.put("kv", err.auth, errorKey);
            });
          });
        });
        return chain;
      });
    }).then(function () {
      state.attempt = 0; state.running = false;
      if (refused) { notify({ type: "auth", error: refused }); return "auth"; }
      return DB.put("kv", { at: new Date().toISOString(), error: "" }, "lastSync").then(function () {
        notify({ type: "done" }); return "done";
      });
    }, function (err) {
      state.running = false;
      if (err && err.auth) { notify({ type: "auth", error: err.auth }); return "auth"; }
      schedule();
      notify({ type: "retry", error: (err && err.retry) || { code: "", status: 0, detail: String(err) }, attempt: state.attempt });
      return "retry";
    });
  }

  root.FieldSync = {
    run: run,
    toItem: toItem,
    onChange: function (fn) { state.listeners.push(fn); },
    state: state
  };
})(window);
