/* The start screen: a new contact (interview, refusal, not at home), the unfinished interviews
   (resume or discard), and the queue with what each item is and whether it reached the server.
   A refusal or not-at-home is confirmed first (one record per confirmation, however many taps)
   and can be taken back until it is sent; its note can be typed before or in the confirmation. */
(function (root) {
  "use strict";
  var DB = root.FieldDB, Form = root.FieldForm, Sync = root.FieldSync, UI = root.FieldUI, I18n = root.FieldI18n;
  var t = I18n.t, h = UI.h, show = UI.show, banner = UI.banner;

  function now() { return new Date().toISOString(); }
  function time(iso) {
    return iso ? new Date(iso).toLocaleString(I18n.lang(), { dateStyle: "short", timeStyle: "short" }) : "";
  }

  /* A few answers in words (choice labels in the interviewer's language, numbers as typed), so
     an interview can be recognised in a list: "Woman · 45 · Forest". */
  function summary(r, doc) {
    if (!doc) return "";
    var form = doc.questionnaire, out = [], answers = r.clean || r.answers || {};
    form.pages.forEach(function (page) {
      page.questions.forEach(function (q) {
        var v = answers[q.name];
        if (out.length >= 3 || v === undefined || v === null || v === "" || q.type === "text" || q.type === "select_multiple") return;
        if (q.type === "select_one") {
          var c = (form.choices[q.choice_list] || []).filter(function (x) { return x.name === v; })[0];
          out.push(c ? Form.pick({}, c.labels, I18n.lang(), c.name) : String(v));
        } else if (q.type === "integer" || q.type === "decimal") out.push(String(v));
      });
    });
    return out.join(" · ");
  }
  function answered(r) {
    return Object.keys(r.answers || {}).filter(function (k) { var v = r.answers[k]; return v !== "" && v !== null && !(Array.isArray(v) && !v.length); }).length;
  }

  /* deps: Interview, Account, Quotas, screen(draw), session() */
  root.FieldHome = function (ctx, deps) {
    var Interview = deps.Interview, busy = false;

    function confirmBox(id, text, yes, onYes) {
      var box = h("div", { class: "confirm", id: id, role: "group" }, h("p", { text: text }));
      var ok = h("button", { class: "primary big", "data-confirm": "", text: yes });
      ok.addEventListener("click", function () { if (ok.disabled) return; ok.disabled = true; onYes(box); });
      box.appendChild(h("div", { class: "row" }, ok,
        h("button", { class: "big", "data-cancel": "", onclick: function () { box.remove(); }, text: t("home.cancel") })));
      return box;
    }

    /* One confirmation, one record: the button is disabled at the first tap. */
    function askContact(c, outcome, place, title) {
      var open = document.getElementById("contact-confirm");
      if (open) open.remove();
      var note = h("textarea", { id: "contact-note-confirm", class: "note", value: ctx.form.note, "aria-label": t("home.note") });
      note.addEventListener("input", function () { ctx.form.note = note.value; });
      var box = confirmBox("contact-confirm", t("home.confirmContact", { what: t("kind." + outcome), title: title }), t("home.confirmYes"), function () {
        recordContact(c, outcome, note.value);
      });
      box.insertBefore(h("label", {}, t("home.note"), note), box.lastChild);
      place.after(box);
      box.querySelector("[data-confirm]").focus();
    }

    function recordContact(c, outcome, note) {
      if (busy) return;
      busy = true;
      var rec = { uuid: crypto.randomUUID(), owner: ctx.session.interviewer_id, kind: "contact", consultation: c.slug, outcome: outcome, note: note || "",
        started_at: now(), submitted_at: now(), status: "pending", clean: {} };
      UI.clientHash(rec).then(function (hash) { rec.client_hash = hash; return DB.add(rec); })
        .then(function () {
          ctx.form.note = "";
          banner(function () { return t("msg.recordedUndo", { what: t("kind." + outcome) }); });
          draw();
        }).then(function () { busy = false; }, function (error) {
          busy = false;  // the contact was not stored: say so instead of dropping it silently
          banner(function () { return t("msg.saveFailed", { msg: (error && (error.name || error.message)) || "?" }); });
        });
    }

    /* Taken back only while queued, and never while a sync is sending it. */
    function undo(r) {
      var go = function () {
        return DB.withdraw(r.uuid).then(function () { banner(t("msg.undone", { what: t("kind." + r.outcome) })); },
          function () { banner(t("msg.undoTooLate")); });
      };
      var done = root.navigator.locks ? root.navigator.locks.request("field-sync", go) : go();
      return Promise.resolve(done).then(draw);
    }

    function discard(r) {
      var go = function () {
        return DB.discard(r).then(function () { banner(t("msg.discarded")); }, function () { banner(t("msg.discardFailed")); });
      };
      var done = root.navigator.locks ? root.navigator.locks.request("interview:" + r.uuid, { ifAvailable: true }, function (lock) {
        if (!lock) { banner(t("iv.busy")); return null; }
        return go();
      }) : go();
      return Promise.resolve(done).then(draw);
    }

    function draw() {
      Interview.leave();
      ctx.handover = false;  // only reached from a hand-over when another window took the interview
      document.body.classList.remove("handover");
      ctx.redraw = draw;
      var id = ctx.session ? ctx.session.interviewer_id : null;
      return Promise.all([DB.get("kv", UI.key("consultations", id)), DB.all("interviews"), DB.all("versions"), DB.get("kv", UI.key("authError", id))]).then(function (got) {
        // Another screen (sign-out's login, the lock) was drawn while this one read the database.
        if (ctx.redraw !== draw || !ctx.session) return;
        // Only this interviewer's work: a tablet may be shared, each sees their own.
        var consultations = got[0] || [], versions = got[2], form = ctx.form;
        var all = got[1].filter(function (r) { return r.owner === id; });
        if (got[3]) banner(function () { return t("msg.refused", { msg: UI.serverText(got[3]) }); }, got[3].detail);
        function versionOf(r) { return versions.filter(function (v) { return v.version_id === r.version_id; })[0]; }
        function titleOf(slug) {
          var c = consultations.filter(function (x) { return x.slug === slug; })[0];
          return c ? Form.pick({}, c.title, I18n.lang(), slug) : slug;
        }
        var drafts = all.filter(function (r) { return r.status === "draft"; })
          .sort(function (a, b) { return (b.started_at || "").localeCompare(a.started_at || ""); });
        var done = all.filter(function (r) { return r.status !== "draft"; })
          .sort(function (a, b) { return (b.submitted_at || "").localeCompare(a.submitted_at || ""); });
        var correctedBy = {};
        all.forEach(function (r) { if (r.replaces_uuid) correctedBy[r.replaces_uuid] = r; });
        var unsent = all.filter(function (r) { return r.status !== "sent"; }).length;

        var lang = h("select", { id: "lang" }, I18n.LANGS.map(function (l) {
          return h("option", { value: l[0], text: l[1], selected: l[0] === (form.lang || I18n.lang()) ? "selected" : null });
        }));
        var easy = h("input", { id: "easy", type: "checkbox", checked: form.easy });
        /* One control for paper: a number typed here makes the interview a paper entry. */
        var paperNo = h("input", { id: "paper-no", value: form.paperNo, autocomplete: "off" });
        var note = h("input", { id: "contact-note", value: form.note, autocomplete: "off" });
        lang.addEventListener("change", function () { form.lang = lang.value; });
        easy.addEventListener("change", function () { form.easy = easy.checked; });
        paperNo.addEventListener("input", function () { form.paperNo = paperNo.value; });
        note.addEventListener("input", function () { form.note = note.value; });

        show(
          UI.storageNote(),
          h("section", { class: "card" }, h("h2", { text: t("home.new") }),
            h("div", { class: "row" }, h("label", {}, t("home.respondentLang"), lang), h("label", { class: "check" }, easy, t("home.easy"))),
            h("label", {}, t("home.paperNoLabel"), h("span", { class: "hint", text: t("home.paperNoHint") }), paperNo),
            consultations.map(function (c) {
              var title = Form.pick({}, c.title, I18n.lang(), c.slug), actions;
              actions = h("div", { class: "row contact-actions" },
                h("button", { class: "big", "data-refusal": c.slug, onclick: function () { askContact(c, "refusal", actions, title); }, text: t("home.refusal") }),
                h("button", { class: "big", "data-notathome": c.slug, onclick: function () { askContact(c, "not_at_home", actions, title); }, text: t("home.notAtHome") }),
                h("button", { class: "big", "data-quotas": c.slug, onclick: function () { deps.screen(function () { deps.Quotas.view(c, deps.session(), draw); }); }, text: t("home.quotas") }));
              return h("div", { class: "consultation" }, h("h3", { text: title }),
                h("button", { class: "primary big", "data-start": c.slug, onclick: function () {
                  var number = paperNo.value.trim() || null;
                  form.paperNo = "";  // one paper form, one interview; the respondent's language stays
                  Interview.start(c, lang.value, easy.checked, number, null);
                }, text: t("home.start") }), actions);
            }),
            h("label", {}, t("home.note"), note),
            consultations.length ? null : h("p", { text: t("home.none") })),
          drafts.length ? h("section", { class: "card", id: "unfinished" }, h("h2", { text: t("home.unfinished") + " (" + drafts.length + ")" }),
            h("ul", { class: "queue" }, drafts.map(function (r) {
              var doc = versionOf(r), item;
              var what = [time(r.started_at), titleOf(r.consultation), r.language.toUpperCase(),
                r.mode === "paper" ? t("queue.paper", { no: r.paper_form_number }) : null,
                t("home.answered", { n: answered(r) }), summary(r, doc) || null,
                r.replaces_uuid ? t("iv.correction") : null, r.clash_of ? t("home.copyOf") : null].filter(Boolean).join(" · ");
              item = h("li", { "data-draft": r.uuid }, h("span", { class: "what", text: what }),
                h("div", { class: "row" },
                  h("button", { class: "primary big", "data-resume": r.uuid, onclick: function () { Interview.open(r); }, text: t("home.resumeShort") }),
                  h("button", { class: "big", "data-discard": r.uuid, onclick: function () {
                    if (item.querySelector(".confirm")) return;
                    item.appendChild(confirmBox("discard-confirm", t("home.confirmDiscard", { what: what }), t("home.discardYes"), function () { discard(r); }));
                  }, text: t("home.discard") })));
              return item;
            }))) : null,
          h("section", { class: "card" }, h("h2", { text: t("home.queue") }),
            unsent === 0 && all.length ? h("p", { class: "safe", id: "all-sent", role: "status", text: t("home.allSent") }) : null,
            h("div", { class: "row" },
              h("button", { class: "primary big", id: "sync-now", onclick: function () { Sync.run("manual"); }, text: t("home.sync") }),
              h("button", { class: "big", id: "export", onclick: function () { deps.Quotas.exportUnsynced(deps.session()); }, text: t("home.export") }),
              h("button", { class: "big", id: "lock", onclick: function () { banner(""); deps.Account.lockView(); }, text: t("home.lock") }),
              h("button", { class: "big", id: "switch-user", onclick: function () { banner(""); deps.Account.lockView(); }, text: t("home.switchUser") }),
              got[3] ? h("button", { class: "big", id: "login-again", onclick: function () { deps.Account.loginView("", "again"); }, text: t("home.loginAgain") }) : null,
              h("button", { class: "big", id: "sign-out", onclick: deps.Account.signOut, text: t("home.signOut") })),
            h("ul", { class: "queue", id: "queue" }, done.slice(0, 200).map(function (r) {
              var version = versionOf(r), fix = correctedBy[r.uuid];
              var what = [time(r.submitted_at), r.kind === "contact" ? t("kind." + r.outcome) : t("kind.interview"),
                r.mode === "paper" ? t("queue.paper", { no: r.paper_form_number }) : t("queue.no", { no: r.uuid.slice(0, 8) }),
                r.kind === "interview" ? summary(r, version) || null : (r.note ? "“" + r.note + "”" : null),
                r.replaces_uuid ? t("queue.correctionOf", { no: r.replaces_uuid.slice(0, 8) }) : null].filter(Boolean).join(" · ");
              return h("li", { class: "q-" + r.status + (fix ? " corrected" : ""), "data-uuid": r.uuid },
                h("span", { class: "state", text: t("state." + r.status) }), " ",
                h("span", { class: "what", text: what }),
                fix ? h("span", { class: "tag", "data-corrected": "", text: t(fix.status === "draft" ? "queue.correcting" : "queue.corrected") }) : null,
                r.status === "rejected" ? h("small", { class: "reason", "data-code": r.code || "", title: r.detail || "",
                  text: " " + UI.itemText(r, version) }) : null,
                r.kind === "interview" && version && !fix ? h("button", { class: "small", "data-correct": r.uuid, onclick: function () {
                  var c = { slug: r.consultation, version_id: r.version_id };
                  Interview.start(c, r.language, r.easy_read, r.paper_form_number, r);
                }, text: t("home.correct") }) : null,
                r.kind === "contact" && r.status === "pending" ? h("button", { class: "small", "data-undo": r.uuid, onclick: function () { undo(r); }, text: t("home.undo") }) : null);
            })))
        );
        UI.refreshStatus(); UI.refreshStorage();
      });
    }

    return { draw: draw, summary: summary };
  };
})(window);
