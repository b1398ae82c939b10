/* The field app's screens: login (online once), PIN lock, home with queue status and contact
   outcomes; the interview screen is interview.js, quotas and export quotas.js. Texts come from
   i18n.js in the interviewer's language, switchable at any time from the status bar. */
(function () {
  "use strict";
  var DB = window.FieldDB, Form = window.FieldForm, Sync = window.FieldSync, UI = window.FieldUI, I18n = window.FieldI18n;
  var t = I18n.t, h = UI.h, show = UI.show, banner = UI.banner, refreshStatus = UI.refreshStatus;
  var LANGS = I18n.LANGS;
  var ctx = { session: null, unlocked: false, redraw: null, form: { lang: "", easy: false, paper: false, paperNo: "", note: "" } };
  var Quotas = window.FieldQuotas, Interview = window.FieldInterview(ctx, { home: homeView });

  function uuid() { return crypto.randomUUID(); }
  function now() { return new Date().toISOString(); }
  function api(path, options) { return UI.api(ctx.session, path, options); }
  /* Every screen records how to draw itself again, so switching the UI language redraws it. */
  function screen(draw) { ctx.redraw = draw; draw(); }
  I18n.onChange(function () {
    UI.languagePicker(); refreshStatus(); UI.refreshStorage(); UI.rebanner();
    if (ctx.redraw) ctx.redraw();
  });

  /* ---------- login, versions ---------- */
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

  function loginError(e) {
    if (e.status === 429) return t("login.tooMany", { minutes: Math.max(1, Math.ceil((e.retryAfter || 60) / 60)) });
    if (e.status === 401) return t("login.wrong");
    if (e.status) return UI.serverText(e);
    return e instanceof TypeError ? t("msg.network") : e.message;  // fetch fails with a TypeError offline
  }

  function loginView(message) {
    ctx.redraw = function () { loginView(message); };
    var user = h("input", { id: "login-user", autocomplete: "username", autocapitalize: "none" });
    var pass = h("input", { id: "login-pass", type: "password", autocomplete: "current-password" });
    var label = h("input", { id: "login-device", value: "tablet" });
    var error = h("p", { class: "error", text: message || "" });
    function submit(ev) {
      ev.preventDefault();
      if (!navigator.onLine) { error.textContent = t("login.network"); return; }
      error.textContent = t("login.busy");
      api("/field/api/login", { method: "POST", body: JSON.stringify({ username: user.value, password: pass.value, device_label: label.value }) })
        .then(function (body) {
          ctx.session = { token: body.token, device_id: body.device_id, interviewer_id: body.interviewer_id, username: body.username };
          return DB.put("kv", ctx.session, "session")
            .then(function () { return DB.del("kv", "authError"); })
            .then(function () { return downloadVersions(body.consultations); })
            .then(UI.askPersistence)
            .then(function () { banner(""); pinSetView(); });
        }).catch(function (e) { error.textContent = loginError(e); error.title = e.detail || ""; });
    }
    show(h("form", { class: "card", onsubmit: submit },
      h("h1", { text: t("login.title") }),
      h("label", {}, t("login.user"), user), h("label", {}, t("login.pass"), pass), h("label", {}, t("login.device"), label),
      h("button", { class: "primary", type: "submit", id: "login-submit", text: t("login.submit") }), error));
  }

  function pinSetView() {
    ctx.redraw = pinSetView;
    var pin = h("input", { id: "pin-new", type: "password", inputmode: "numeric", autocomplete: "off" });
    var error = h("p", { class: "error" });
    show(h("form", { class: "card", onsubmit: function (ev) {
      ev.preventDefault();
      if (!/^\d{4,8}$/.test(pin.value)) { error.textContent = t("pin.digits"); return; }
      var salt = uuid();
      UI.pinHash(pin.value, salt).then(function (hash) { return DB.put("kv", { salt: salt, hash: hash }, "pin"); })
        .then(function () { ctx.unlocked = true; homeView(); });
    } }, h("h1", { text: t("pin.title") }), h("p", { text: t("pin.explain") }),
      h("label", {}, t("pin.label"), pin), h("button", { class: "primary", type: "submit", id: "pin-save", text: t("pin.save") }), error));
  }

  function lockView() {
    Interview.leave();
    ctx.redraw = lockView;
    ctx.unlocked = false;
    var pin = h("input", { id: "pin", type: "password", inputmode: "numeric", autocomplete: "off" });
    var error = h("p", { class: "error" });
    show(h("form", { class: "card", onsubmit: function (ev) {
      ev.preventDefault();
      DB.get("kv", "pin").then(function (stored) {
        return UI.pinHash(pin.value, stored.salt).then(function (hash) {
          if (hash !== stored.hash) { error.textContent = t("lock.wrong"); pin.value = ""; return; }
          ctx.unlocked = true; homeView();
        });
      });
    } }, h("h1", { text: t("lock.title") }), h("label", {}, t("pin.label"), pin),
      h("button", { class: "primary", type: "submit", id: "unlock", text: t("lock.unlock") }), error));
    pin.focus();
  }

  /* ---------- home ---------- */
  function homeView() {
    Interview.leave();
    ctx.redraw = homeView;
    Promise.all([DB.get("kv", "consultations"), DB.all("interviews"), DB.all("versions"), DB.get("kv", "authError")]).then(function (got) {
      var consultations = got[0] || [], all = got[1], versions = got[2];
      if (got[3]) refusedBanner(got[3]);
      var drafts = all.filter(function (r) { return r.status === "draft"; });
      var done = all.filter(function (r) { return r.status !== "draft"; })
        .sort(function (a, b) { return (b.submitted_at || "").localeCompare(a.submitted_at || ""); });
      /* The respondent's language starts as the interviewer's own; it only sets questionnaire labels. */
      var form = ctx.form;
      var lang = h("select", { id: "lang" }, LANGS.map(function (l) {
        return h("option", { value: l[0], text: l[1], selected: l[0] === (form.lang || I18n.lang()) ? "selected" : null });
      }));
      var easy = h("input", { id: "easy", type: "checkbox", checked: form.easy });
      var paper = h("input", { id: "paper", type: "checkbox", checked: form.paper });
      var paperNo = h("input", { id: "paper-no", placeholder: t("home.paperNo"), value: form.paperNo });
      var note = h("input", { id: "contact-note", placeholder: t("home.noteHint"), value: form.note });
      /* What is typed here survives a redraw (another tab's change, a language switch). */
      lang.addEventListener("change", function () { form.lang = lang.value; });
      easy.addEventListener("change", function () { form.easy = easy.checked; });
      paper.addEventListener("change", function () { form.paper = paper.checked; });
      paperNo.addEventListener("input", function () { form.paperNo = paperNo.value; });
      note.addEventListener("input", function () { form.note = note.value; });
      show(
        UI.storageNote(),
        h("section", { class: "card" }, h("h2", { text: t("home.new") }),
          h("div", { class: "row" }, h("label", {}, t("home.respondentLang"), lang), h("label", { class: "check" }, easy, t("home.easy"))),
          h("div", { class: "row" }, h("label", { class: "check" }, paper, t("home.paper")), paperNo),
          consultations.map(function (c) {
            var title = Form.pick({}, c.title, I18n.lang(), c.slug);
            return h("div", { class: "consultation" }, h("h3", { text: title }),
              h("button", { class: "primary big", "data-start": c.slug, onclick: function () {
                if (paper.checked && !paperNo.value.trim()) { banner(t("home.paperFirst")); return; }
                var number = paper.checked ? paperNo.value.trim() : null;
                form.paper = false; form.paperNo = "";  // one paper form, one interview; the language stays
                Interview.start(c, lang.value, easy.checked, number, null);
              }, text: t("home.start") }),
              h("div", { class: "row" },
                h("button", { class: "big", "data-refusal": c.slug, onclick: function () { recordContact(c, "refusal", note.value); }, text: t("home.refusal") }),
                h("button", { class: "big", "data-notathome": c.slug, onclick: function () { recordContact(c, "not_at_home", note.value); }, text: t("home.notAtHome") }),
                h("button", { class: "big", "data-quotas": c.slug, onclick: function () { screen(function () { Quotas.view(c, ctx.session, homeView); }); }, text: t("home.quotas") })));
          }),
          h("label", {}, t("home.note"), note),
          consultations.length ? null : h("p", { text: t("home.none") })),
        drafts.length ? h("section", { class: "card" }, h("h2", { text: t("home.unfinished") }),
          drafts.map(function (r) {
            return h("button", { class: "big", "data-resume": r.uuid, onclick: function () { Interview.open(r); },
              text: t("home.resume", { slug: r.consultation, lang: r.language, time: new Date(r.started_at).toLocaleTimeString(I18n.lang()) }) +
                (r.clash_of ? " · " + t("home.copyOf") : "") });
          })) : null,
        h("section", { class: "card" }, h("h2", { text: t("home.queue") }),
          h("div", { class: "row" },
            h("button", { class: "primary big", id: "sync-now", onclick: function () { Sync.run("manual"); }, text: t("home.sync") }),
            h("button", { class: "big", id: "export", onclick: function () { Quotas.exportUnsynced(ctx.session); }, text: t("home.export") }),
            h("button", { class: "big", id: "lock", onclick: lockView, text: t("home.lock") })),
          h("ul", { class: "queue", id: "queue" }, done.slice(0, 200).map(function (r) {
            var version = versions.filter(function (v) { return v.version_id === r.version_id; })[0];
            return h("li", { class: "q-" + r.status, "data-uuid": r.uuid },
              h("span", { text: t("kind." + (r.kind === "contact" ? r.outcome : "interview")) + " · " + t("state." + r.status) +
                (r.mode === "paper" ? " · " + t("queue.paper", { no: r.paper_form_number }) : "") }),
              r.status === "rejected" ? h("small", { class: "reason", "data-code": r.code || "", title: r.detail || "",
                text: " " + UI.itemText(r, version) }) : null,
              r.kind === "interview" && version ? h("button", { class: "small", onclick: function () {
                var c = { slug: r.consultation, version_id: r.version_id };
                Interview.start(c, r.language, r.easy_read, r.paper_form_number, r);
              }, text: t("home.correct") }) : null);
          })))
      );
      refreshStatus(); UI.refreshStorage();
    });
  }

  function recordContact(c, outcome, note) {
    var rec = { uuid: uuid(), kind: "contact", consultation: c.slug, outcome: outcome, note: note || "",
      started_at: now(), submitted_at: now(), status: "pending", clean: {} };
    UI.clientHash(rec).then(function (hash) { rec.client_hash = hash; return DB.add(rec); })
      .then(function () {
        banner(t("msg.recorded", { what: t("kind." + outcome) })); homeView();
        if (navigator.onLine) Sync.run("auto");  // offline, a retry warning would hide the confirmation
      });
  }

  /* ---------- start ---------- */
  function refusedBanner(error) {
    banner(function () { return t("msg.refused", { msg: UI.serverText(error) }); }, error.detail);
  }
  Sync.onChange(function (event) {
    if (event.type === "auth") refusedBanner(event.error);
    else if (event.type === "retry") banner(function () { return t("msg.retry", { msg: UI.serverText(event.error) }); }, event.error.detail);
    else if (event.type === "done") banner("");
    refreshStatus();
    if (ctx.unlocked && event.type !== "start" && document.getElementById("queue")) homeView();
  });
  /* Another tab changed the interviews: the home screen and the status bar show it. */
  var redrawSoon = null;
  DB.onChange(function () {
    clearTimeout(redrawSoon);
    redrawSoon = setTimeout(function () {
      refreshStatus();
      if (ctx.unlocked && ctx.redraw === homeView) homeView();
    }, 150);
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
    navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" }).catch(function (e) { banner(t("msg.noOffline", { msg: e.message })); });
  }
  UI.languagePicker();
  Promise.all([DB.get("kv", "session"), DB.get("kv", "pin")]).then(function (got) {
    ctx.session = got[0] || null;
    refreshStatus(); UI.refreshStorage();
    if (!ctx.session) loginView();
    else if (!got[1]) pinSetView();
    else { lockView(); refreshAssignments(); }
    if (ctx.session) {
      UI.askPersistence();
      // What was queued before a restart goes now, not at the next timer tick.
      if (navigator.onLine) Sync.run("startup");
    }
    window.FieldApp.ready = true;
  });
})();
