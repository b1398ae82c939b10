/* Who may use the tablet: the first login (online), the PIN chosen twice, the lock screen, and
   the ways out of it that never touch stored interviews: after MAX_TRIES wrong PINs (or "forgot
   PIN", or a tablet the server refused), the interviewer signs in again with the password while
   online and chooses a new PIN, or offline a supervisor types the consultation's unlock code;
   signing out is refused while anything is unsent, and ends the device token on the server.

   Several interviewers may share a tablet: each signs in once (a device token of their own),
   chooses their own PIN and sees only their own interviews; the lock screen switches between
   them, and only with the PIN of the one taking over. kv "sessions" holds every signed-in
   interviewer's session, kv "session" the one using the tablet now; their PINs, wrong tries,
   refusals and assignments are kept under "<name>:<interviewer id>". */
(function (root) {
  "use strict";
  var DB = root.FieldDB, UI = root.FieldUI, I18n = root.FieldI18n, t = I18n.t, h = UI.h, show = UI.show, banner = UI.banner;
  var MAX_TRIES = UI.MAX_PIN_TRIES, key = UI.key;

  /* ctx: the app's shared state; hooks: home(), unlocked() (home, or the interview the auto-lock
     interrupted), afterLogin(body), leave() (closes an open interview). */
  root.FieldAccount = function (ctx, hooks) {
    function uuid() { return crypto.randomUUID(); }
    function api(path, options) { return UI.api(ctx.session, path, options); }
    function me() { return ctx.session ? ctx.session.interviewer_id : null; }
    function sessions() { return DB.get("kv", "sessions").then(function (all) { return all || {}; }); }

    /* The interviewer `id` (already signed in on this tablet) becomes the one using it. */
    function become(id) {
      return sessions().then(function (all) {
        if (!all[id] || me() === id) return null;
        ctx.session = all[id];
        ctx.resumeAfterUnlock = null;  // the interview the auto-lock interrupted is someone else's
        ctx.form.paperNo = ""; ctx.form.note = "";
        return DB.put("kv", ctx.session, "session");
      });
    }

    function loginError(e) {
      if (e.status === 429) return t("login.tooMany", { minutes: Math.max(1, Math.ceil((e.retryAfter || 60) / 60)) });
      if (e.status === 401) return t("login.wrong");
      if (e.status) return UI.serverText(e);
      return e instanceof TypeError ? t("msg.network") : e.message;  // fetch fails with a TypeError offline
    }

    /* mode "again": an interviewer already signed in here (`who`) signs in once more (forgotten
       PIN, too many wrong tries, refused tablet); the name is fixed and the interviews stay.
       mode "add": another interviewer signs in on this shared tablet. */
    function loginView(message, mode, who) {
      hooks.leave();
      ctx.redraw = function () { loginView(message, mode, who); };
      ctx.unlocked = false;
      var again = mode === "again", known = again ? (who || ctx.session || {}).username || "" : "";
      var user = h("input", { id: "login-user", autocomplete: "username", autocapitalize: "none", value: known, readonly: known ? "readonly" : null });
      var pass = h("input", { id: "login-pass", type: "password", autocomplete: "current-password" });
      var label = h("input", { id: "login-device", value: (ctx.session && ctx.session.device_label) || "tablet" });
      var error = h("p", { class: "error", id: "login-error", role: "alert", text: message || "" });
      function submit(ev) {
        ev.preventDefault();
        if (!navigator.onLine) { error.textContent = t("login.network"); return; }
        error.textContent = t("login.busy");
        api("/field/api/login", { method: "POST", body: JSON.stringify({ username: user.value, password: pass.value, device_label: label.value }) })
          .then(function (body) {
            var session = { token: body.token, device_id: body.device_id, interviewer_id: body.interviewer_id,
              username: body.username, device_label: label.value }, id = body.interviewer_id;
            // What the interviewer signed in until now made stays theirs, whoever signs in now.
            return DB.adopt(me())
              .then(sessions)
              .then(function (all) { all[id] = session; return DB.put("kv", all, "sessions"); })
              .then(function () { ctx.session = session; return DB.put("kv", session, "session"); })
              .then(function () { return DB.del("kv", key("authError", id)); })
              .then(function () { return DB.del("kv", key("pinFails", id)); })
              .then(function () { return hooks.afterLogin(body); })
              .then(UI.askPersistence)
              .then(function () { banner(""); pinSetView(); });
          }).catch(function (e) { error.textContent = loginError(e); error.title = e.detail || ""; });
      }
      show(h("form", { class: "card", onsubmit: submit },
        h("h2", { text: t(again ? "login.againTitle" : mode === "add" ? "login.addTitle" : "login.title") }),
        again ? h("p", { text: t("login.againExplain") }) : null,
        mode === "add" ? h("p", { text: t("login.addExplain") }) : null,
        h("label", {}, t("login.user"), user), h("label", {}, t("login.pass"), pass), h("label", {}, t("login.device"), label),
        h("button", { class: "primary", type: "submit", id: "login-submit", text: t("login.submit") }), error,
        mode ? h("button", { type: "button", class: "big", id: "login-cancel", onclick: function () { lockView(who && who.interviewer_id); }, text: t("login.back") }) : null));
    }

    /* The PIN is typed twice: a typo would otherwise lock the interviewer out at once. */
    function pinSetView() {
      ctx.redraw = pinSetView;
      var pin = h("input", { id: "pin-new", type: "password", inputmode: "numeric", autocomplete: "off" });
      var again = h("input", { id: "pin-again", type: "password", inputmode: "numeric", autocomplete: "off" });
      var error = h("p", { class: "error", id: "pin-error", role: "alert" });
      show(h("form", { class: "card", onsubmit: function (ev) {
        ev.preventDefault();
        if (!/^\d{4,8}$/.test(pin.value)) { error.textContent = t("pin.digits"); return; }
        if (pin.value !== again.value) { error.textContent = t("pin.differ"); again.value = ""; again.focus(); return; }
        var salt = uuid(), id = me();
        UI.pinHash(pin.value, salt).then(function (hash) { return DB.put("kv", { salt: salt, hash: hash }, key("pin", id)); })
          .then(function () { return DB.del("kv", key("pinFails", id)); })
          .then(function () { ctx.unlocked = true; hooks.home(); })
          .catch(function (e) { error.textContent = t("msg.saveFailed", { msg: (e && (e.name || e.message)) || "?" }); });
      } }, h("h2", { text: t("pin.title") }), h("p", { text: t("pin.explain") }),
        h("p", { class: "who", id: "pin-who", text: t("lock.who", { name: ctx.session ? ctx.session.username : "" }) }),
        h("label", {}, t("pin.label"), pin), h("label", {}, t("pin.againLabel"), again),
        h("button", { class: "primary", type: "submit", id: "pin-save", text: t("pin.save") }), error));
      pin.focus();
    }

    /* The lock screen of one interviewer (the one using the tablet unless `forId` names another
       signed in here). Wrong tries are counted per interviewer on the tablet (a reload does not
       reset them); after MAX_TRIES only the password (online) or the supervisor's code opens it.
       Unlocking as another interviewer makes them the one using the tablet. */
    function lockView(forId) {
      hooks.leave();
      ctx.unlocked = false;
      var redraw = ctx.redraw = function () { lockView(forId); };
      sessions().then(function (all) {
        var id = forId && all[forId] ? forId : me(), who = all[id] || ctx.session || {};
        return DB.get("kv", key("pinFails", id)).then(function (fails) {
          if (ctx.redraw !== redraw) return;  // another screen was drawn meanwhile
          ctx.redraw = function () { lockView(id); };
          fails = fails || 0;
          var blocked = fails >= MAX_TRIES;
          var pin = h("input", { id: "pin", type: "password", inputmode: "numeric", autocomplete: "off", disabled: blocked ? "disabled" : null });
          var error = h("p", { class: "error", id: "lock-error", role: "alert", text: blocked ? t("lock.blocked", { n: MAX_TRIES }) : "" });
          var others = Object.keys(all).map(Number).filter(function (other) { return other !== id; });
          show(h("form", { class: "card", onsubmit: function (ev) {
            ev.preventDefault();
            if (blocked) return;
            UI.checkPin(pin.value, id).then(function (ok) {
              if (ok === true) {
                return become(id).then(function () {
                  ctx.unlocked = true; ctx.handover = false; document.body.classList.remove("handover"); hooks.unlocked();
                });
              }
              if (ok === "blocked") { lockView(id); return null; }
              error.textContent = t("lock.wrong", { left: ok }); pin.value = ""; pin.focus();
              return null;
            }).catch(UI.storageFailed);  // not counted, so not unlocked: the lock screen stays
          } }, h("h2", { text: t("lock.title") }),
            h("p", { class: "who", id: "lock-who", text: t("lock.who", { name: who.username || "" }) }),
            h("label", {}, t("pin.label"), pin),
            blocked ? null : h("button", { class: "primary", type: "submit", id: "unlock", text: t("lock.unlock") }), error,
            h("button", { type: "button", class: blocked ? "primary big" : "big", id: "forgot-pin",
              onclick: function () { loginView("", "again", who); }, text: t(blocked ? "lock.password" : "lock.forgot") }),
            blocked ? h("button", { type: "button", class: "big", id: "supervisor-unlock", onclick: function () { supervisorView(id); }, text: t("sup.button") }) : null,
            h("div", { class: "others", role: "group", "aria-label": t("lock.others") },
              others.map(function (other) {
                return h("button", { type: "button", class: "big", "data-user": all[other].username,
                  onclick: function () { lockView(other); }, text: t("lock.switchTo", { name: all[other].username }) });
              }),
              h("button", { type: "button", class: "big", id: "add-user", onclick: function () { loginView("", "add", who); }, text: t("lock.add") }))));
          if (!blocked) pin.focus();
        });
      }).catch(UI.storageFailed);
    }

    /* Offline way out of a blocked tablet: the supervisor types the consultation's unlock code,
       checked against the salted slow hash the server sent with the assignments (the code itself
       never reaches the tablet); then the interviewer chooses a new PIN, twice. Stored interviews
       are not touched. One check at a time, and each wrong code costs a pause. */
    function supervisorView(id) {
      ctx.redraw = function () { supervisorView(id); };
      var code = h("input", { id: "supervisor-code", type: "password", inputmode: "numeric", autocomplete: "off" });
      var error = h("p", { class: "error", id: "supervisor-error", role: "alert" });
      var busy = false;
      show(h("form", { class: "card", id: "supervisor-form", onsubmit: function (ev) {
        ev.preventDefault();
        if (busy) return;
        busy = true; error.textContent = t("sup.checking");
        supervisorMatches(code.value, id).then(function (ok) {
          if (ok === true) return become(id).then(pinSetView);
          error.textContent = t(ok === "none" ? "sup.none" : "sup.wrong"); code.value = "";
          setTimeout(function () { busy = false; code.focus(); }, ok === "none" ? 0 : 2000);
          return null;
        }).catch(function (e) { busy = false; error.textContent = ""; UI.storageFailed(e); });
      } }, h("h2", { text: t("sup.title") }), h("p", { text: t("sup.explain") }),
        h("label", {}, t("sup.label"), code),
        h("button", { class: "primary", type: "submit", id: "supervisor-ok", text: t("sup.ok") }), error,
        h("button", { type: "button", class: "big", id: "supervisor-cancel", onclick: function () { lockView(id); }, text: t("login.back") })));
      code.focus();
    }
    /* true, false, or "none" when no consultation of this interviewer has a code on the tablet yet. */
    function supervisorMatches(typed, id) {
      var plain = typed.replace(/[\s-]+/g, "");
      return DB.get("kv", key("consultations", id)).then(function (list) {
        var hashes = (list || []).map(function (c) { return c.supervisor; }).filter(Boolean);
        if (!hashes.length) return "none";
        if (!plain) return false;
        return Promise.all(hashes.map(function (s) { return UI.slowHash(plain, s.salt, s.iterations); }))
          .then(function (got) { return got.some(function (hash, i) { return hash === hashes[i].hash; }); });
      });
    }

    /* Signing out forgets this interviewer's session, PIN and sent interviews (another
       interviewer signed in on the tablet keeps theirs); refused while anything of theirs is not
       on the server yet (unfinished, queued or refused), which the interviewer can export. */
    function signOut() {
      var id = me();
      function unsentOf(all) { return all.filter(function (r) { return r.owner === id && r.status !== "sent"; }).length; }
      DB.all("interviews").then(function (all) {
        var unsent = unsentOf(all);
        if (unsent) { banner(function () { return t("out.refused", { n: unsent }); }); return; }
        var box = h("section", { class: "card notice", id: "signout-confirm" }, h("p", { text: t("out.confirm") }),
          h("div", { class: "row" },
            h("button", { class: "primary big", id: "signout-yes", onclick: function () {
              box.remove();
              DB.all("interviews").then(function (again) {
                var left = unsentOf(again);
                if (left) { banner(t("out.refused", { n: left })); hooks.home(); return null; }
                if (!navigator.onLine) { banner(function () { return t("out.offline"); }); return null; }
                /* The server ends the device token first, so a copy of it is worthless; a token it
                   no longer knows (401) or revoked (403) is already worthless. */
                return api("/field/api/logout", { method: "POST", body: "{}" }).then(forget, function (e) {
                  if (e.status === 401 || e.status === 403) return forget();
                  banner(function () { return t("out.failed", { msg: e.status ? UI.serverText(e) : t("msg.network") }); });
                  return null;
                });
              }).catch(UI.storageFailed);
              function forget() {
                var rest;
                return sessions().then(function (all) {
                  delete all[id];
                  rest = Object.keys(all).map(Number);
                  return DB.put("kv", all, "sessions");
                }).then(function () {
                  var keys = ["session"].concat(["pin", "pinFails", "authError", "consultations"].map(function (k) { return key(k, id); }));
                  if (!rest.length) keys.push("lastSync");
                  return Promise.all(keys.map(function (k) { return DB.del("kv", k); }));
                })
                  .then(function () { return DB.clearSent(id); })
                  .then(function () {
                    ctx.session = null; banner(t("out.done"));
                    if (!rest.length) { UI.refreshStatus(); loginView(); return null; }
                    // Another interviewer is still signed in here: their lock screen, their PIN.
                    return sessions().then(function (all) {
                      ctx.session = all[rest[0]];
                      return DB.put("kv", ctx.session, "session");
                    }).then(function () { UI.refreshStatus(); lockView(rest[0]); });
                  });
              }
            }, text: t("out.yes") }),
            h("button", { class: "big", id: "signout-no", onclick: function () { box.remove(); }, text: t("out.no") })));
        /* Beside the view, not in it: the home screen re-renders when a sync or another tab
           reports, and a question inside the view vanished before the interviewer could answer. */
        var earlier = document.getElementById("signout-confirm");
        if (earlier) earlier.remove();
        document.getElementById("view").before(box);
        box.scrollIntoView();
      }).catch(UI.storageFailed);
    }

    return { loginView: loginView, pinSetView: pinSetView, lockView: lockView, signOut: signOut, MAX_TRIES: MAX_TRIES };
  };
})(window);
