/* Shared by the field app's screens: a DOM helper that only ever sets text (never innerHTML),
   the banner, server refusals in the interviewer's language, hashing (records and PIN), the
   status bar and the JSON API client. */
(function (root) {
  "use strict";
  var DB = root.FieldDB, I18n = root.FieldI18n, t = I18n.t;

  function h(tag, attrs) {
    var el = document.createElement(tag), i, child;
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k.indexOf("on") === 0) el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = v;
      else if (k === "value") el.value = v;
      else if (k === "checked") el.checked = !!v;
      else el.setAttribute(k, v === true ? "" : v);
    });
    for (i = 2; i < arguments.length; i++) {
      child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) child.forEach(function (c) { if (c) el.appendChild(c); });
      else el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return el;
  }
  /* Sections left out (null, false) are skipped: replaceChildren would write them as text ("null"). */
  function show() {
    var view = document.getElementById("view");
    view.replaceChildren.apply(view, Array.prototype.filter.call(arguments, function (c) { return c !== null && c !== undefined && c !== false; }));
    root.scrollTo(0, 0);
  }
  /* The banner: a sentence in the interviewer's language and, for support, the server's own
     English words on a second line. A function as text is called again when the language changes. */
  var shown = null;
  function paint(text, detail) {
    var b = document.getElementById("banner");
    b.replaceChildren(document.createTextNode(text || ""));
    if (text && detail) b.appendChild(h("small", { class: "raw", lang: "en", text: detail }));
    b.hidden = !text;
  }
  function banner(text, detail) {
    shown = typeof text === "function" ? { make: text, detail: detail } : null;
    paint(typeof text === "function" ? text() : text, detail);
  }
  function rebanner() { if (shown) paint(shown.make(), shown.detail); }
  /* The tablet's own storage (IndexedDB) refused a read or a write: full, or closed by the
     browser. Said in the banner, never dropped silently; what was stored before stays. */
  function storageFailed(error) {
    banner(function () { return t("msg.storageFailed", { msg: (error && (error.name || error.message)) || "?" }); });
    return null;
  }

  /* A refusal from the server ({code, status, detail}) as a translated phrase: the stable code
     decides, the status is the fallback, and the English detail is never the main text. */
  function serverText(err) {
    if (!err) return "";
    if (typeof err === "string") return err;  // kept by an earlier version of the app
    if (err.code === "network") return t("msg.network");
    if (err.code && I18n.has("srv." + err.code)) return t("srv." + err.code, { status: err.status });
    if (err.status >= 500) return t("srv.server_error", { status: err.status });
    if (err.status === 401 || err.status === 403) return t("srv.refused", { status: err.status });
    return err.status ? t("msg.server", { status: err.status }) : (err.detail || "?");
  }
  /* Why the server refused one item, in the interviewer's language; answer problems name the
     question by its label in that language when the version is on the tablet. */
  function itemText(r, doc) {
    if (!r.code) return r.detail || "";  // refused before the server sent codes
    var alias = { invalid_item: "invalid", different_content: "conflict" }, key = "item." + (alias[r.code] || r.code);
    var text = I18n.has(key) ? t(key) : t("item.invalid"), Form = root.FieldForm;
    (r.errors || []).forEach(function (e, i) {
      var q = doc ? questionOf(doc.questionnaire, e.field) : null;
      text += (i ? "; " : " ") + (q ? Form.label(q, I18n.lang(), false, doc.questionnaire.default_language) : e.field) + " – " + Form.msg(e.code, I18n.lang(), doc ? doc.questionnaire.messages : null);
    });
    return text;
  }
  function questionOf(form, name) {
    var found = null;
    (form.pages || []).forEach(function (p) { p.questions.forEach(function (q) { if (q.name === name) found = q; }); });
    return found;
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function sha256(text) { return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(hex); }
  function sorted(obj) {
    var out = {};
    Object.keys(obj || {}).sort().forEach(function (k) { out[k] = obj[k]; });
    return out;
  }
  /* Hash of what the tablet sends for a record: the manifest reports it, so a later local edit
     of something already sent shows up as "conflicting" in the coordinator's reconciliation. */
  function clientHash(r) {
    return sha256(JSON.stringify([r.consultation, r.version_id || null, r.kind, r.mode || "field", r.language || "",
      !!r.easy_read, sorted(r.clean), r.paper_form_number || null, r.replaces_uuid || null, r.outcome || null, r.note || ""]));
  }
  /* PIN: PBKDF2 with a random salt; the PIN never leaves the tablet and is never stored in clear. */
  function pinHash(pin, salt) {
    var enc = new TextEncoder();
    return crypto.subtle.importKey("raw", enc.encode(pin), "PBKDF2", false, ["deriveBits"]).then(function (key) {
      return crypto.subtle.deriveBits({ name: "PBKDF2", salt: enc.encode(salt), iterations: 100000, hash: "SHA-256" }, key, 256);
    }).then(hex);
  }

  /* The supervisor code's hash as the server computes it (hashlib.pbkdf2_hmac, hex). */
  function slowHash(text, salt, iterations) {
    var enc = new TextEncoder();
    return crypto.subtle.importKey("raw", enc.encode(text), "PBKDF2", false, ["deriveBits"]).then(function (key) {
      return crypto.subtle.deriveBits({ name: "PBKDF2", salt: enc.encode(salt), iterations: iterations, hash: "SHA-256" }, key, 256);
    }).then(hex);
  }

  /* A PIN typed on the tablet: true, the tries left, or "blocked" once MAX_PIN_TRIES wrong ones
     were typed (then only the password opens the tablet). */
  var MAX_PIN_TRIES = 5, pinChecks = Promise.resolve();
  /* One check at a time, so quick repeated taps cannot read the same count and undercount.
     id: whose PIN (each interviewer sharing the tablet has their own); the current one's if absent. */
  function checkPin(value, id) {
    var result = pinChecks.then(function () {
      return id === undefined ? DB.get("kv", "session").then(function (s) { return checkPinNow(value, s ? s.interviewer_id : null); }) : checkPinNow(value, id);
    });
    pinChecks = result.catch(function () { return null; });
    return result;
  }
  function checkPinNow(value, id) {
    return Promise.all([DB.get("kv", key("pin", id)), DB.get("kv", key("pinFails", id))]).then(function (got) {
      var stored = got[0], fails = got[1] || 0;
      if (!stored || fails >= MAX_PIN_TRIES) return "blocked";
      return pinHash(value, stored.salt).then(function (hash) {
        if (hash === stored.hash) return DB.del("kv", key("pinFails", id)).then(function () { return true; });
        fails += 1;
        return DB.put("kv", fails, key("pinFails", id)).then(function () { return fails >= MAX_PIN_TRIES ? "blocked" : MAX_PIN_TRIES - fails; });
      });
    });
  }
  /* An interviewer's own entry in the kv store: "pin:12", "consultations:12". */
  function key(name, id) { return name + ":" + id; }

  function text(id, value) { document.getElementById(id).textContent = value; }
  function refreshStatus() {
    return Promise.all([DB.all("interviews"), DB.get("kv", "lastSync"), DB.get("kv", "session")]).then(function (got) {
      var all = got[0], last = got[1], n = { draft: 0, pending: 0, sent: 0, rejected: 0 }, net = document.getElementById("st-net");
      var me = got[2] ? got[2].interviewer_id : null, user = document.getElementById("st-user");
      user.hidden = !got[2];  // whose counts these are: a tablet may be shared
      user.textContent = got[2] ? t("status.user", { name: got[2].username }) : "";
      all.forEach(function (r) { if (r.owner === me && n[r.status] !== undefined) n[r.status] += 1; });  // only the signed-in interviewer's
      net.textContent = navigator.onLine ? t("status.online") : t("status.offline");
      net.className = "pill " + (navigator.onLine ? "ok" : "warn");
      text("st-unfinished", t("status.unfinished", { n: n.draft }));
      text("st-pending", t("status.pending", { n: n.pending }));
      text("st-sent", t("status.sent", { n: n.sent }));
      text("st-rejected", t("status.rejected", { n: n.rejected }));
      document.getElementById("st-rejected").hidden = n.rejected === 0;
      text("st-last", last ? t("status.last", { at: new Date(last.at).toLocaleString(I18n.lang()) }) : t("status.never"));
      return n;
    });
  }
  /* The storage indicator says whether the browser promised to keep the app's data; tapping it
     explains what that means for the interviewer's unsent interviews. */
  var storageState = { persisted: null };
  function refreshStorage() {
    if (!navigator.storage || !navigator.storage.estimate) return Promise.resolve();
    return Promise.all([navigator.storage.persisted ? navigator.storage.persisted() : false, navigator.storage.estimate()])
      .then(function (got) {
        var est = got[1], free = Math.max(0, (est.quota || 0) - (est.usage || 0)), pill = document.getElementById("st-storage");
        storageState.persisted = !!got[0];
        pill.textContent = t(got[0] ? "storage.on" : "storage.off") + " · " + t("storage.free", { mb: Math.round(free / 1048576) });
        pill.className = "pill" + (got[0] ? "" : " warn");
        pill.onclick = function () { banner(function () { return t(storageState.persisted ? "storage.explainOn" : "storage.explainOff"); }); };
        var note = document.getElementById("storage-note");
        if (note) note.hidden = !!got[0];
      });
  }
  /* Asked at every start while not granted (browsers may grant it later, e.g. once the app is
     installed or used often); the answer is shown, never a reason to stop working. */
  function askPersistence() {
    var storage = navigator.storage;
    if (!storage || !storage.persist || !storage.persisted) return Promise.resolve(null);
    return storage.persisted().then(function (yes) { return yes || storage.persist(); })
      .catch(function () { return false; })
      .then(function (granted) { return refreshStorage().then(function () { return granted; }); });
  }
  /* The explanation on the start screen while storage is not persistent. */
  function storageNote() {
    return h("section", { class: "card notice", id: "storage-note", hidden: storageState.persisted !== false },
      h("p", { text: t("storage.explainOff") }));
  }

  /* The language switcher in the status bar: the interviewer's language, not the respondent's. */
  function languagePicker() {
    var pick = document.getElementById("ui-lang");
    document.getElementById("app-title").textContent = t("login.title");
    document.title = t("login.title");
    pick.replaceChildren.apply(pick, I18n.LANGS.map(function (l) {
      return h("option", { value: l[0], text: l[1], selected: l[0] === I18n.lang() ? "selected" : null });
    }));
    pick.value = I18n.lang();
    pick.setAttribute("aria-label", t("ui.language"));
    pick.onchange = function () { I18n.set(pick.value); };
  }

  /* JSON API; errors carry the HTTP status and Retry-After so screens can explain them. */
  function api(session, path, options) {
    options = options || {};
    options.headers = Object.assign({ "Content-Type": "application/json" }, options.headers || {});
    if (session) options.headers.Authorization = "Bearer " + session.token;
    options.cache = "no-store";
    return fetch(path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) return body;
        var error = new Error(body.detail || ("error " + response.status));
        error.status = response.status; error.code = body.code || ""; error.detail = body.detail || "";
        error.retryAfter = Number(response.headers.get("Retry-After") || 0);
        throw error;
      });
    });
  }

  root.FieldUI = {
    h: h, show: show, banner: banner, rebanner: rebanner, storageFailed: storageFailed, serverText: serverText, itemText: itemText,
    clientHash: clientHash, pinHash: pinHash, slowHash: slowHash, checkPin: checkPin, key: key, MAX_PIN_TRIES: MAX_PIN_TRIES, api: api,
    refreshStatus: refreshStatus, refreshStorage: refreshStorage, askPersistence: askPersistence, storageNote: storageNote,
    languagePicker: languagePicker
  };
})(window);
