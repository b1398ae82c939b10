/* Who may use the tablet: the first login (online), the PIN chosen twice, the lock screen, and
   the ways out of it that never touch stored interviews: after MAX_TRIES wrong PINs (or "forgot
   PIN", or a tablet the server refused), the interviewer signs in again with the password while
   online and chooses a new PIN, or offline a supervisor types the consultation's unlock code;
   signing out is refused while anything is unsent, and ends the device token on the server. */
(function (root) {
  "use strict";
  var DB = root.FieldDB, UI = root.FieldUI, I18n = root.FieldI18n, t = I18n.t, h = UI.h, show = UI.show, banner = UI.banner;
  var MAX_TRIES = UI.MAX_PIN_TRIES;

  /* ctx: the app's shared state; hooks: home(), unlocked() (home, or the interview the auto-lock
     interrupted), afterLogin(body), leave() (closes an open interview). */
  root.FieldAccount = function (ctx, hooks) {
    function uuid() { return crypto.randomUUID(); }
    function api(path, options) { return UI.api(ctx.session, path, options); }

    function loginError(e) {
      if (e.status === 429) return t("login.tooMany", { minutes: Math.max(1, Math.ceil((e.retryAfter || 60) / 60)) });
      if (e.status === 401) return t("login.wrong");
      if (e.status) return UI.serverText(e);
      return e instanceof TypeError ? t("msg.network") : e.message;  // fetch fails with a TypeError offline
    }

    /* again: the account already signed in on this tablet signs in once more (forgotten PIN,
       too many wrong tries, refused tablet); its name is fixed and its interviews stay. */
    function loginView(message, again) {
      hooks.leave();
      ctx.redraw = function () { loginView(message, again); };
      ctx.unlocked = false;
      var known = again && ctx.session ? ctx.session.username : "";
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
            ctx.session = { token: body.token, device_id: body.device_id, interviewer_id: body.interviewer_id,
              username: body.username, device_label: label.value };
            return DB.put("kv", ctx.session, "session")
              .then(function () { return DB.del("kv", "authError"); })
              .then(function () { return DB.del("kv", "pinFails"); })
              .then(function () { return hooks.afterLogin(body); })
              .then(UI.askPersistence)
              .then(function () { banner(""); pinSetView(); });
          }).catch(function (e) { error.textContent = loginError(e); error.title = e.detail || ""; });
      }
      show(h("form", { class: "card", onsubmit: submit },
        h("h2", { text: t(again ? "login.againTitle" : "login.title") }),
        again ? h("p", { text: t("login.againExplain") }) : null,
        h("label", {}, t("login.user"), user), h("label", {}, t("login.pass"), pass), h("label", {}, t("login.device"), label),
        h("button", { class: "primary", type: "submit", id: "login-submit", text: t("login.submit") }), error,
        again ? h("button", { type: "button", class: "big", id: "login-cancel", onclick: lockView, text: t("login.back") }) : null));
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
        var salt = uuid();
        UI.pinHash(pin.value, salt).then(function (hash) { return DB.put("kv", { salt: salt, hash: hash }, "pin"); })
          .then(function () { return DB.del("kv", "pinFails"); })
          .then(function () { ctx.unlocked = true; hooks.home(); });
      } }, h("h2", { text: t("pin.title") }), h("p", { text: t("pin.explain") }),
        h("label", {}, t("pin.label"), pin), h("label", {}, t("pin.againLabel"), again),
        h("button", { class: "primary", type: "submit", id: "pin-save", text: t("pin.save") }), error));
      pin.focus();
    }

    /* Wrong tries are counted on the tablet (a reload does not reset them); after MAX_TRIES only
       the password, online, opens the tablet again. */
    function lockView() {
      hooks.leave();
      ctx.redraw = lockView;
      ctx.unlocked = false;
      DB.get("kv", "pinFails").then(function (fails) {
        fails = fails || 0;
        var blocked = fails >= MAX_TRIES;
        var pin = h("input", { id: "pin", type: "password", inputmode: "numeric", autocomplete: "off", disabled: blocked ? "disabled" : null });
        var error = h("p", { class: "error", id: "lock-error", role: "alert", text: blocked ? t("lock.blocked", { n: MAX_TRIES }) : "" });
        show(h("form", { class: "card", onsubmit: function (ev) {
          ev.preventDefault();
          if (blocked) return;
          UI.checkPin(pin.value).then(function (ok) {
            if (ok === true) { ctx.unlocked = true; ctx.handover = false; document.body.classList.remove("handover"); hooks.unlocked(); return; }
            if (ok === "blocked") { lockView(); return; }
            error.textContent = t("lock.wrong", { left: ok }); pin.value = ""; pin.focus();
          });
        } }, h("h2", { text: t("lock.title") }), h("label", {}, t("pin.label"), pin),
          blocked ? null : h("button", { class: "primary", type: "submit", id: "unlock", text: t("lock.unlock") }), error,
          h("button", { type: "button", class: blocked ? "primary big" : "big", id: "forgot-pin",
            onclick: function () { loginView("", true); }, text: t(blocked ? "lock.password" : "lock.forgot") }),
          blocked ? h("button", { type: "button", class: "big", id: "supervisor-unlock", onclick: supervisorView, text: t("sup.button") }) : null));
        if (!blocked) pin.focus();
      });
    }

    /* Offline way out of a blocked tablet: the supervisor types the consultation's unlock code,
       checked against the salted slow hash the server sent with the assignments (the code itself
       never reaches the tablet); then the interviewer chooses a new PIN, twice. Stored interviews
       are not touched. One check at a time, and each wrong code costs a pause. */
    function supervisorView() {
      ctx.redraw = supervisorView;
      var code = h("input", { id: "supervisor-code", type: "password", inputmode: "numeric", autocomplete: "off" });
      var error = h("p", { class: "error", id: "supervisor-error", role: "alert" });
      var busy = false;
      show(h("form", { class: "card", id: "supervisor-form", onsubmit: function (ev) {
        ev.preventDefault();
        if (busy) return;
        busy = true; error.textContent = t("sup.checking");
        supervisorMatches(code.value).then(function (ok) {
          if (ok === true) { pinSetView(); return; }
          error.textContent = t(ok === "none" ? "sup.none" : "sup.wrong"); code.value = "";
          setTimeout(function () { busy = false; code.focus(); }, ok === "none" ? 0 : 2000);
        });
      } }, h("h2", { text: t("sup.title") }), h("p", { text: t("sup.explain") }),
        h("label", {}, t("sup.label"), code),
        h("button", { class: "primary", type: "submit", id: "supervisor-ok", text: t("sup.ok") }), error,
        h("button", { type: "button", class: "big", id: "supervisor-cancel", onclick: lockView, text: t("login.back") })));
      code.focus();
    }
    /* true, false, or "none" when no assigned consultation has a code on this tablet yet. */
    function supervisorMatches(typed) {
      var plain = typed.replace(/[\s-]+/g, "");
      return DB.get("kv", "consultations").then(function (list) {
        var hashes = (list || []).map(function (c) { return c.supervisor; }).filter(Boolean);
        if (!hashes.length) return "none";
        if (!plain) return false;
        return Promise.all(hashes.map(function (s) { return UI.slowHash(plain, s.salt, s.iterations); }))
          .then(function (got) { return got.some(function (hash, i) { return hash === hashes[i].hash; }); });
      });
    }

    /* Signing out forgets the session, the PIN and what was sent; refused while anything is not
       on the server yet (unfinished, queued or refused), which the interviewer can export. */
    function signOut() {
      DB.all("interviews").then(function (all) {
        var unsent = all.filter(function (r) { return r.status !== "sent"; }).length;
        if (unsent) { banner(function () { return t("out.refused", { n: unsent }); }); return; }
        var box = h("section", { class: "card notice", id: "signout-confirm" }, h("p", { text: t("out.confirm") }),
          h("div", { class: "row" },
            h("button", { class: "primary big", id: "signout-yes", onclick: function () {
              box.remove();
              DB.all("interviews").then(function (again) {
                if (again.some(function (r) { return r.status !== "sent"; })) { banner(t("out.refused", { n: again.length })); hooks.home(); return null; }
                if (!navigator.onLine) { banner(function () { return t("out.offline"); }); return null; }
                /* The server ends the device token first, so a copy of it is worthless; a token it
                   no longer knows (401) or revoked (403) is already worthless. */
                return api("/field/api/logout", { method: "POST", body: "{}" }).then(forget, function (e) {
                  if (e.status === 401 || e.status === 403) return forget();
                  banner(function () { return t("out.failed", { msg: e.status ? UI.serverText(e) : t("msg.network") }); });
                  return null;
                });
              });
              function forget() {
                return Promise.all(["session", "pin", "pinFails", "authError", "lastSync", "consultations"].map(function (k) { return DB.del("kv", k); }))
                  .then(function () { return DB.clearSent(); })
                  .then(function () { ctx.session = null; banner(t("out.done")); UI.refreshStatus(); loginView(); });
              }
            }, text: t("out.yes") }),
            h("button", { class: "big", id: "signout-no", onclick: function () { box.remove(); }, text: t("out.no") })));
        /* Beside the view, not in it: the home screen re-renders when a sync or another tab
           reports, and a question inside the view vanished before the interviewer could answer. */
        var earlier = document.getElementById("signout-confirm");
        if (earlier) earlier.remove();
        document.getElementById("view").before(box);
        box.scrollIntoView();
      });
    }

    return { loginView: loginView, pinSetView: pinSetView, lockView: lockView, signOut: signOut, MAX_TRIES: MAX_TRIES };
  };
})(window);
