/* The field app's glue: shared state, start-up, sync events, timers and the auto-lock. The
   screens live in account.js (login, PIN, lock, sign-out), home.js (start screen and queue),
   interview.js and quotas.js. Texts come from i18n.js in the interviewer's language,
   switchable at any time from the status bar. */
(function () {
  "use strict";
  var DB = window.FieldDB, Sync = window.FieldSync, UI = window.FieldUI, I18n = window.FieldI18n;
  var t = I18n.t, banner = UI.banner, refreshStatus = UI.refreshStatus;
  /* form: what the interviewer set on the start screen; it outlives redraws and interviews
     (the respondent's language stays until changed). */
  var ctx = { session: null, unlocked: false, handover: false, lang: I18n.lang, redraw: null, form: { lang: "", easy: false, paperNo: "", note: "" } };
  var Home = null, Account = null;
  var Interview = window.FieldInterview(ctx, { home: function () { Home.draw(); }, lock: function () { Account.lockView(); } });
  Account = window.FieldAccount(ctx, {
    home: function () { Home.draw(); },
    unlocked: function () {
      var uuid = ctx.resumeAfterUnlock;
      ctx.resumeAfterUnlock = null;
      if (uuid) { banner(t("msg.resumed")); Interview.open({ uuid: uuid }); } else Home.draw();
    }, leave: function () { Interview.leave(); }, afterLogin: function (body) { return downloadVersions(body.consultations, ctx.session); }
  });
  Home = window.FieldHome(ctx, {
    Interview: Interview, Account: Account, Quotas: window.FieldQuotas, screen: screen, session: function () { return ctx.session; }
  });

  /* Every screen records how to draw itself again, so switching the UI language redraws it. */
  function screen(draw) { ctx.redraw = draw; draw(); }
  I18n.onChange(function () {
    UI.languagePicker(); refreshStatus(); UI.refreshStorage(); UI.rebanner();
    if (ctx.redraw) ctx.redraw();
  });

  /* An interviewer's assignments (with each consultation's supervisor-code hash) and the
     questionnaire versions they need; versions are shared, assignments are kept per interviewer. */
  function downloadVersions(consultations, session) {
    session = session || ctx.session;
    return Promise.all(consultations.map(function (c) {
      return DB.get("versions", c.version_id).then(function (have) {
        if (have) return null;
        return UI.api(session, "/field/api/versions/" + c.version_id).then(function (doc) { return DB.put("versions", doc); });
      });
    })).then(function () { return DB.put("kv", consultations, UI.key("consultations", session.interviewer_id)); });
  }
  /* For every interviewer signed in on the tablet, so a rotated supervisor code reaches them all. */
  function refreshAssignments() {
    if (!ctx.session || !navigator.onLine) return Promise.resolve();
    return DB.get("kv", "sessions").then(function (all) {
      return Promise.all(Object.keys(all || {}).map(function (id) {
        var session = all[id];
        return UI.api(session, "/field/api/consultations").then(function (list) { return downloadVersions(list, session); })
          .catch(function () { return null; });
      }));
    });
  }

  /* Data kept by a version of the app from before tablets were shared: one interviewer, keys
     without an id. Moved to that interviewer's keys, and their records stamped as theirs. */
  function upgradeStorage() {
    return DB.get("kv", "session").then(function (session) {
      if (!session) return null;
      var id = session.interviewer_id;
      return DB.get("kv", "sessions").then(function (all) {
        all = all || {};
        if (all[id]) return null;
        all[id] = session;
        return DB.put("kv", all, "sessions");
      }).then(function () {
        return Promise.all(["pin", "pinFails", "authError", "consultations"].map(function (name) {
          return DB.get("kv", name).then(function (value) {
            if (value === undefined) return null;
            return DB.put("kv", value, UI.key(name, id)).then(function () { return DB.del("kv", name); });
          });
        }));
      }).then(function () { return DB.adopt(id); });
    });
  }

  function onHome() { return ctx.unlocked && ctx.redraw === Home.draw; }
  Sync.onChange(function (event) {
    if (event.type === "auth") banner(function () { return t("msg.refused", { msg: UI.serverText(event.error) }); }, event.error.detail);
    else if (event.type === "retry") banner(function () { return t("msg.retry", { msg: UI.serverText(event.error) }); }, event.error.detail);
    else if (event.type === "done") {
      banner(Sync.state.clockWrong ? function () { return t("msg.clock"); } : "");
      refreshAssignments();  // a rotated supervisor code (or a new version) arrives with each sync
    }
    refreshStatus();
    if (event.type !== "start" && onHome()) Home.draw();
  });
  /* Another tab changed the interviews: the start screen and the status bar show it. */
  var redrawSoon = null;
  DB.onChange(function () {
    clearTimeout(redrawSoon);
    redrawSoon = setTimeout(function () { refreshStatus(); if (onHome()) Home.draw(); }, 150);
  });
  window.addEventListener("online", function () { refreshStatus(); refreshAssignments(); Sync.run("online"); });
  window.addEventListener("offline", refreshStatus);
  setInterval(function () {
    refreshStatus().then(function (n) { if (n.pending && navigator.onLine && ctx.session) Sync.run("timer"); }).catch(UI.storageFailed);
  }, 30000);

  /* Auto-lock after 10 idle minutes; answers are already saved, so nothing is lost. */
  var lastActive = Date.now(), IDLE_LOCK = 10 * 60 * 1000;
  ["pointerdown", "keydown"].forEach(function (type) {
    document.addEventListener(type, function () { lastActive = Date.now(); }, true);
  });
  setInterval(function () {
    if (!ctx.unlocked || Date.now() - lastActive <= IDLE_LOCK) return;
    ctx.resumeAfterUnlock = Interview.current();  // unlocking goes back to it, where it was
    Account.lockView();
  }, 15000);

  window.FieldApp = { ready: false };
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" }).catch(function (e) { banner(t("msg.noOffline", { msg: e.message })); });
  }
  UI.languagePicker();
  upgradeStorage().then(function () { return DB.get("kv", "session"); }).then(function (session) {
    return Promise.all([session, session ? DB.get("kv", UI.key("pin", session.interviewer_id)) : null]);
  }).then(function (got) {
    ctx.session = got[0] || null;
    refreshStatus(); UI.refreshStorage();
    if (!ctx.session) Account.loginView();
    else if (!got[1]) Account.pinSetView();
    else { Account.lockView(); refreshAssignments(); }
    if (ctx.session) {
      UI.askPersistence();
      // What was queued before a restart goes now, not at the next timer tick.
      if (navigator.onLine) Sync.run("startup");
    }
    window.FieldApp.ready = true;
  }).catch(UI.storageFailed);  // IndexedDB refused (blocked, or a private window): said, not a blank screen
})();
