/* The field app's screens: login (online once), PIN lock, home with queue status, interview,
   contact outcome, quotas. Every answer is written to IndexedDB as soon as it is given, so an
   interrupted interview resumes where it stopped; a finished interview is locked (a correction
   is a new record pointing at it through replaces_uuid). */
(function () {
  "use strict";
  var DB = window.FieldDB, Form = window.FieldForm, Sync = window.FieldSync;
  var view = document.getElementById("view");
  var LANGS = [["fr", "Français"], ["nl", "Nederlands"], ["en", "English"]];
  var ctx = { session: null, unlocked: false };

  /* DOM helper: text always via textContent (no innerHTML with data, strict CSP). */
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
  function show() { view.replaceChildren.apply(view, arguments); window.scrollTo(0, 0); }
  function banner(text) {
    var b = document.getElementById("banner");
    b.textContent = text || ""; b.hidden = !text;
  }
  function uuid() { return crypto.randomUUID(); }
  function now() { return new Date().toISOString(); }

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
     of something already sent shows up as "conflicting" in the supervisor's reconciliation. */
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

  /* ---------- status bar ---------- */
  function refreshStatus() {
    return Promise.all([DB.all("interviews"), DB.get("kv", "lastSync")]).then(function (got) {
      var all = got[0], last = got[1], n = { pending: 0, sent: 0, rejected: 0 };
      all.forEach(function (r) { if (n[r.status] !== undefined) n[r.status] += 1; });
      document.getElementById("st-net").textContent = navigator.onLine ? "online" : "offline";
      document.getElementById("st-net").className = "pill " + (navigator.onLine ? "ok" : "warn");
      document.getElementById("st-pending").textContent = "pending " + n.pending;
      document.getElementById("st-sent").textContent = "sent " + n.sent;
      var rej = document.getElementById("st-rejected");
      rej.textContent = "rejected " + n.rejected; rej.hidden = n.rejected === 0;
      document.getElementById("st-last").textContent = last ? "last sync " + new Date(last.at).toLocaleString() : "never synced";
      return n;
    });
  }
  function refreshStorage() {
    if (!navigator.storage || !navigator.storage.estimate) return Promise.resolve();
    return Promise.all([navigator.storage.persisted ? navigator.storage.persisted() : false, navigator.storage.estimate()])
      .then(function (got) {
        var est = got[1], free = Math.max(0, (est.quota || 0) - (est.usage || 0));
        document.getElementById("st-storage").textContent =
          (got[0] ? "storage persistent" : "storage NOT persistent") + " · " + Math.round(free / 1048576) + " MB free";
      });
  }

  /* ---------- login, versions ---------- */
  function api(path, options) {
    options = options || {};
    options.headers = Object.assign({ "Content-Type": "application/json" }, options.headers || {});
    if (ctx.session) options.headers.Authorization = "Bearer " + ctx.session.token;
    options.cache = "no-store";
    return fetch(path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) throw new Error(body.detail || ("error " + response.status));
        return body;
      });
    });
  }
  function downloadVersions(consultations) {
    return Promise.all(consultations.map(function (c) {
      return DB.get("versions", c.version_id).then(function (have) {
        if (have) return null;
        return api("/field/api/versions/" + c.version_id).then(function (doc) { return DB.put("versions", doc); });
      });
    })).then(function () { return DB.put("kv", consultations, "consultations"); });
  }
  function refreshAssignments() {
    if (!ctx.session || !navigator.onLine) return Promise.resolve();
    return api("/field/api/consultations").then(downloadVersions).catch(function () { return null; });
  }

  function loginView(message) {
    var user = h("input", { id: "login-user", autocomplete: "username", autocapitalize: "none" });
    var pass = h("input", { id: "login-pass", type: "password", autocomplete: "current-password" });
    var label = h("input", { id: "login-device", value: "tablet" });
    var error = h("p", { class: "error", text: message || "" });
    function submit(ev) {
      ev.preventDefault();
      if (!navigator.onLine) { error.textContent = "The first login needs the network."; return; }
      error.textContent = "Logging in…";
      api("/field/api/login", { method: "POST", body: JSON.stringify({ username: user.value, password: pass.value, device_label: label.value }) })
        .then(function (body) {
          ctx.session = { token: body.token, device_id: body.device_id, interviewer_id: body.interviewer_id, username: body.username };
          return DB.put("kv", ctx.session, "session")
            .then(function () { return DB.del("kv", "authError"); })
            .then(function () { return downloadVersions(body.consultations); })
            .then(function () { return navigator.storage && navigator.storage.persist ? navigator.storage.persist() : false; })
            .then(function () { banner(""); pinSetView(); });
        }).catch(function (e) { error.textContent = e.message; });
    }
    show(h("form", { class: "card", onsubmit: submit },
      h("h1", { text: "Field interviews" }),
      h("label", {}, "Username", user), h("label", {}, "Password", pass), h("label", {}, "Tablet name", label),
      h("button", { class: "primary", type: "submit", id: "login-submit", text: "Log in" }), error));
  }

  function pinSetView() {
    var pin = h("input", { id: "pin-new", type: "password", inputmode: "numeric", autocomplete: "off" });
    var error = h("p", { class: "error" });
    show(h("form", { class: "card", onsubmit: function (ev) {
      ev.preventDefault();
      if (!/^\d{4,8}$/.test(pin.value)) { error.textContent = "4 to 8 digits."; return; }
      var salt = uuid();
      pinHash(pin.value, salt).then(function (hash) { return DB.put("kv", { salt: salt, hash: hash }, "pin"); })
        .then(function () { ctx.unlocked = true; homeView(); });
    } }, h("h1", { text: "Choose a PIN" }), h("p", { text: "It unlocks the app on this tablet, also offline." }),
      h("label", {}, "PIN", pin), h("button", { class: "primary", type: "submit", id: "pin-save", text: "Save PIN" }), error));
  }

  function lockView() {
    ctx.unlocked = false;
    var pin = h("input", { id: "pin", type: "password", inputmode: "numeric", autocomplete: "off" });
    var error = h("p", { class: "error" });
    show(h("form", { class: "card", onsubmit: function (ev) {
      ev.preventDefault();
      DB.get("kv", "pin").then(function (stored) {
        return pinHash(pin.value, stored.salt).then(function (hash) {
          if (hash !== stored.hash) { error.textContent = "Wrong PIN."; pin.value = ""; return; }
          ctx.unlocked = true; homeView();
        });
      });
    } }, h("h1", { text: "Locked" }), h("label", {}, "PIN", pin),
      h("button", { class: "primary", type: "submit", id: "unlock", text: "Unlock" }), error));
    pin.focus();
  }

  /* ---------- home ---------- */
  function homeView() {
    Promise.all([DB.get("kv", "consultations"), DB.all("interviews"), DB.all("versions"), DB.get("kv", "authError")]).then(function (got) {
      var consultations = got[0] || [], all = got[1], versions = got[2];
      if (got[3]) banner("Sync refused: " + got[3]);
      var drafts = all.filter(function (r) { return r.status === "draft"; });
      var done = all.filter(function (r) { return r.status !== "draft"; })
        .sort(function (a, b) { return (b.submitted_at || "").localeCompare(a.submitted_at || ""); });
      var lang = h("select", { id: "lang" }, LANGS.map(function (l) { return h("option", { value: l[0], text: l[1] }); }));
      var easy = h("input", { id: "easy", type: "checkbox" });
      var paper = h("input", { id: "paper", type: "checkbox" });
      var paperNo = h("input", { id: "paper-no", placeholder: "paper form number" });
      var note = h("input", { id: "contact-note", placeholder: "note (optional)" });
      show(
        h("section", { class: "card" }, h("h2", { text: "New contact" }),
          h("div", { class: "row" }, h("label", {}, "Language", lang), h("label", { class: "check" }, easy, "Easy-read")),
          h("div", { class: "row" }, h("label", { class: "check" }, paper, "Paper entry"), paperNo),
          consultations.map(function (c) {
            var title = Form.pick({}, c.title, "fr", c.slug);
            return h("div", { class: "consultation" }, h("h3", { text: title }),
              h("button", { class: "primary big", "data-start": c.slug, onclick: function () {
                if (paper.checked && !paperNo.value.trim()) { banner("Enter the paper form number first."); return; }
                startInterview(c, lang.value, easy.checked, paper.checked ? paperNo.value.trim() : null, null);
              }, text: "Start interview" }),
              h("div", { class: "row" },
                h("button", { class: "big", "data-refusal": c.slug, onclick: function () { recordContact(c, "refusal", note.value); }, text: "Refusal" }),
                h("button", { class: "big", "data-notathome": c.slug, onclick: function () { recordContact(c, "not_at_home", note.value); }, text: "Not at home" }),
                h("button", { class: "big", onclick: function () { quotasView(c); }, text: "Quotas" })));
          }),
          h("label", {}, "Contact note", note),
          consultations.length ? null : h("p", { text: "No consultation assigned to you yet." })),
        drafts.length ? h("section", { class: "card" }, h("h2", { text: "Unfinished interviews" }),
          drafts.map(function (r) {
            return h("button", { class: "big", "data-resume": r.uuid, onclick: function () { interviewView(r); },
              text: "Resume " + r.consultation + " (" + r.language + ", started " + new Date(r.started_at).toLocaleTimeString() + ")" });
          })) : null,
        h("section", { class: "card" }, h("h2", { text: "Queue" }),
          h("div", { class: "row" },
            h("button", { class: "primary big", id: "sync-now", onclick: function () { Sync.run("manual"); }, text: "Sync now" }),
            h("button", { class: "big", id: "export", onclick: exportUnsynced, text: "Export unsynced" }),
            h("button", { class: "big", id: "lock", onclick: lockView, text: "Lock" })),
          h("ul", { class: "queue", id: "queue" }, done.slice(0, 200).map(function (r) {
            var version = versions.filter(function (v) { return v.version_id === r.version_id; })[0];
            return h("li", { class: "q-" + r.status, "data-uuid": r.uuid },
              h("span", { text: (r.kind === "contact" ? r.outcome : "interview") + " · " + r.status + (r.mode === "paper" ? " · paper " + r.paper_form_number : "") }),
              r.detail ? h("small", { text: " " + r.detail }) : null,
              r.kind === "interview" && version ? h("button", { class: "small", onclick: function () {
                var c = { slug: r.consultation, version_id: r.version_id };
                startInterview(c, r.language, r.easy_read, r.paper_form_number, r);
              }, text: "Correct" }) : null);
          })))
      );
      refreshStatus(); refreshStorage();
    });
  }

  function recordContact(c, outcome, note) {
    var rec = { uuid: uuid(), kind: "contact", consultation: c.slug, outcome: outcome, note: note || "",
      started_at: now(), submitted_at: now(), status: "pending", clean: {} };
    clientHash(rec).then(function (hash) { rec.client_hash = hash; return DB.put("interviews", rec); })
      .then(function () { banner("Recorded: " + outcome.replace(/_/g, " ")); homeView(); Sync.run("auto"); });
  }

  /* ---------- interview ---------- */
  function startInterview(c, language, easy, paperNumber, replaces) {
    var rec = {
      uuid: uuid(), kind: "interview", consultation: c.slug, version_id: replaces ? replaces.version_id : c.version_id,
      language: language, easy_read: !!easy, mode: paperNumber ? "paper" : "field", paper_form_number: paperNumber || null,
      answers: replaces ? Object.assign({}, replaces.answers) : {}, note: "", status: "draft", pagePos: 0,
      started_at: now(), replaces_uuid: replaces ? replaces.uuid : null
    };
    DB.put("interviews", rec).then(function () { interviewView(rec); });
  }

  function inputFor(q, rec, form, result, onChange) {
    var value = rec.answers[q.name], lang = rec.language;
    if (q.type === "select_one" || q.type === "select_multiple") {
      var multi = q.type === "select_multiple";
      var group = h("div", { class: "choices" });
      Form.choices(form, q, result.answers).forEach(function (c) {
        var on = multi ? (value || []).indexOf(c.name) >= 0 : value === c.name;
        group.appendChild(h("button", { type: "button", class: "choice" + (on ? " on" : ""), "aria-pressed": on ? "true" : "false",
          "data-q": q.name, "data-choice": c.name, onclick: function () {
            var current = rec.answers[q.name], next, pressed;
            if (multi) {
              next = (current || []).filter(function (x) { return x !== c.name; });
              if (next.length === (current || []).length) next.push(c.name);
            } else next = current === c.name ? "" : c.name;
            Array.prototype.forEach.call(group.children, function (b) {
              var name = b.getAttribute("data-choice");
              pressed = multi ? next.indexOf(name) >= 0 : next === name;
              b.className = "choice" + (pressed ? " on" : "");
              b.setAttribute("aria-pressed", pressed ? "true" : "false");
            });
            onChange(next, "if-changed");
          }, text: Form.pick(rec.easy_read ? c.easy_labels : {}, c.labels, lang, c.name) }));
      });
      return group;
    }
    if (q.type === "note") return null;
    var numeric = q.type === "integer" || q.type === "decimal";
    var el = h(numeric ? "input" : "textarea", { "data-q": q.name, class: "answer",
      inputmode: q.type === "integer" ? "numeric" : (q.type === "decimal" ? "decimal" : null),
      value: value === undefined || value === null ? "" : String(value) });
    el.addEventListener("input", function () { onChange(el.value, false); });
    el.addEventListener("change", function () { onChange(el.value, "if-changed"); });
    return el;
  }

  function interviewView(rec) {
    DB.get("versions", rec.version_id).then(function (doc) {
      if (!doc) { banner("This questionnaire version is not on the tablet."); homeView(); return; }
      renderInterview(rec, doc.questionnaire, {});
    });
  }

  function renderInterview(rec, form, shownErrors) {
    var result = Form.evaluate(form, rec.answers, rec.language, true);
    var pages = result.pages;
    if (!pages.length) return;
    var pos = Math.max(0, Math.min(rec.pagePos || 0, pages.length - 1));
    var page = form.pages[pages[pos]], last = pos === pages.length - 1;
    function shape(r) {
      // Only this page matters: later pages are drawn fresh when reached.
      return JSON.stringify(form.pages[pages[pos]].questions.map(function (q) {
        if (!r.visible[q.name]) return 0;
        return q.choice_filter ? Form.choices(form, q, r.answers).map(function (c) { return c.name; }) : 1;
      }));
    }
    var signature = shape(result);
    /* Redraw only when what is shown changes: replacing the page under the interviewer's finger
       would swallow the tap on "Next" that blurred a text field. */
    function save(redraw) {
      return DB.put("interviews", rec).then(function () {
        if (redraw === "if-changed") {
          var again = Form.evaluate(form, rec.answers, rec.language, true);
          if (shape(again) === signature) return;
        }
        if (redraw) renderInterview(rec, form, {});
      });
    }
    var questions = page.questions.filter(function (q) { return result.visible[q.name]; }).map(function (q) {
      return h("div", { class: "question", "data-question": q.name },
        h("p", { class: "qlabel", text: Form.label(q, rec.language, rec.easy_read) }),
        q.hints && q.hints[rec.language] ? h("p", { class: "hint", text: q.hints[rec.language] }) : null,
        inputFor(q, rec, form, result, function (value, redraw) { rec.answers[q.name] = value; save(redraw); }),
        shownErrors[q.name] ? h("p", { class: "error", "data-error": q.name, text: shownErrors[q.name] }) : null);
    });
    /* Typed values are also read from the page itself at "Next", whatever events fired. */
    function harvest() {
      Array.prototype.forEach.call(view.querySelectorAll("input.answer, textarea.answer"), function (el) {
        rec.answers[el.getAttribute("data-q")] = el.value;
      });
    }
    function pageErrors() {
      var full = Form.evaluate(form, rec.answers, rec.language, false), errs = {}, count = 0;
      page.questions.forEach(function (q) { if (full.errors[q.name]) { errs[q.name] = full.errors[q.name]; count += 1; } });
      return count ? errs : null;
    }
    var note = h("textarea", { id: "interviewer-note", class: "note", value: rec.note || "", placeholder: "Interviewer note (not shown to the respondent)" });
    note.addEventListener("input", function () { rec.note = note.value; save(false); });
    show(h("section", { class: "card interview" },
      h("p", { class: "small", text: (rec.mode === "paper" ? "Paper form " + rec.paper_form_number + " · " : "") +
        "Page " + (pos + 1) + " / " + pages.length + (rec.replaces_uuid ? " · correction" : "") }),
      h("h2", { text: Form.pick({}, page.labels, rec.language, "") }), questions,
      h("details", {}, h("summary", { text: "Interviewer note" }), note),
      h("div", { class: "row nav" },
        h("button", { class: "big", id: "back", disabled: pos === 0, onclick: function () { rec.pagePos = pos - 1; save(true); }, text: "Back" }),
        h("button", { class: "big", id: "pause", onclick: function () { save(false).then(homeView); }, text: "Pause" }),
        h("button", { class: "primary big", id: last ? "finish" : "next", onclick: function () {
          harvest();
          var errs = pageErrors();
          if (errs) { renderInterview(rec, form, errs); return; }
          if (!last) { rec.pagePos = pos + 1; save(true); return; }
          finishInterview(rec, form);
        }, text: last ? "Finish" : "Next" }))));
  }

  function finishInterview(rec, form) {
    var full = Form.evaluate(form, rec.answers, rec.language, false);
    if (Object.keys(full.errors).length) { rec.pagePos = 0; renderInterview(rec, form, full.errors); return; }
    rec.clean = full.answers; rec.submitted_at = now(); rec.status = "pending";
    clientHash(rec).then(function (hash) { rec.client_hash = hash; return DB.put("interviews", rec); })
      .then(function () { banner("Interview saved on the tablet."); homeView(); if (navigator.onLine) Sync.run("auto"); });
  }

  /* ---------- quotas, export ---------- */
  function quotasView(c) {
    var key = "quotas:" + c.slug;
    var load = navigator.onLine ? api("/field/api/consultations/" + c.slug + "/quotas")
      .then(function (cells) { return DB.put("kv", { at: now(), cells: cells }, key).then(function () { return { at: now(), cells: cells }; }); })
      .catch(function () { return DB.get("kv", key); }) : DB.get("kv", key);
    Promise.all([load, DB.all("interviews")]).then(function (got) {
      var data = got[0] || { cells: [] }, mine = got[1].filter(function (r) { return r.status === "pending" && r.consultation === c.slug; });
      show(h("section", { class: "card" }, h("h2", { text: "Quotas" }),
        h("p", { class: "small", text: data.at ? "as of " + new Date(data.at).toLocaleString() + " (+ pending on this tablet)" : "not downloaded yet" }),
        h("table", { id: "quotas" }, h("tr", {}, h("th", { text: "Cell" }), h("th", { text: "Done" }), h("th", { text: "Pending here" }), h("th", { text: "Target" })),
          data.cells.map(function (cell) {
            var local = mine.filter(function (r) { return r.clean && r.clean[cell.variable] === cell.category; }).length;
            return h("tr", { class: cell.done + local >= cell.target ? "full" : "" },
              h("td", { text: cell.variable + " = " + cell.category }), h("td", { text: String(cell.done) }),
              h("td", { text: String(local) }), h("td", { text: String(cell.target) }));
          })),
        h("button", { class: "big", onclick: homeView, text: "Back" })));
    });
  }

  function exportUnsynced() {
    DB.all("interviews").then(function (all) {
      var items = all.filter(function (r) { return r.status === "pending" || r.status === "rejected"; }).map(Sync.toItem);
      var file = { format: "civic-field-export/1", device_id: ctx.session.device_id, interviewer_id: ctx.session.interviewer_id,
        exported_at: now(), items: items };
      var url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 1)], { type: "application/json" }));
      var a = h("a", { href: url, download: "field-export-device" + ctx.session.device_id + "-" + now().slice(0, 19).replace(/:/g, "") + ".json" });
      document.body.appendChild(a); a.click(); a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      banner(items.length + " unsynced item(s) exported.");
    });
  }

  /* ---------- start ---------- */
  Sync.onChange(function (event) {
    if (event.type === "auth") banner("Sync refused: " + event.message);
    else if (event.type === "retry") banner("Sync will retry: " + event.message);
    else if (event.type === "done") banner("");
    refreshStatus();
    if (ctx.unlocked && event.type !== "start" && document.getElementById("queue")) homeView();
  });
  window.addEventListener("online", function () { refreshStatus(); refreshAssignments(); Sync.run("online"); });
  window.addEventListener("offline", refreshStatus);
  setInterval(function () {
    refreshStatus().then(function (n) { if (n.pending && navigator.onLine && ctx.session) Sync.run("timer"); });
  }, 30000);

  /* Auto-lock after 10 idle minutes; answers are already saved, so nothing is lost. */
  var lastActive = Date.now(), IDLE_LOCK = 10 * 60 * 1000;
  ["pointerdown", "keydown"].forEach(function (type) {
    document.addEventListener(type, function () { lastActive = Date.now(); }, true);
  });
  setInterval(function () {
    if (ctx.unlocked && Date.now() - lastActive > IDLE_LOCK) lockView();
  }, 15000);

  window.FieldApp = { ready: false };
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" }).catch(function (e) { banner("Offline mode unavailable: " + e.message); });
  }
  Promise.all([DB.get("kv", "session"), DB.get("kv", "pin")]).then(function (got) {
    ctx.session = got[0] || null;
    refreshStatus(); refreshStorage();
    if (!ctx.session) loginView();
    else if (!got[1]) pinSetView();
    else { lockView(); refreshAssignments(); }
    window.FieldApp.ready = true;
  });
})();
