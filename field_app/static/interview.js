/* The interview screen: one page of the questionnaire at a time, in the respondent's language,
   with the buttons in the interviewer's. Every answer is written to IndexedDB as it is given, so
   an interrupted interview resumes where it stopped; a finished interview is locked (a correction
   is a new record pointing at it through replaces_uuid). */
(function (root) {
  "use strict";
  var DB = root.FieldDB, Form = root.FieldForm, Sync = root.FieldSync, UI = root.FieldUI, t = root.FieldI18n.t;
  var h = UI.h, show = UI.show, banner = UI.banner;

  /* ctx: the app's shared state (redraw is set here); hooks.home draws the home screen. */
  root.FieldInterview = function (ctx, hooks) {
    function uuid() { return crypto.randomUUID(); }
    function now() { return new Date().toISOString(); }
    /* One interview is edited in one tab at a time: this tab holds a Web Lock named after it
       while its screen is shown. `current` is the record on screen; `writes` keeps this tab's
       writes in order, so each one is checked against the revision the previous one left. */
    var held = null, current = null, writes = Promise.resolve();

    function leave() {
      current = null;
      if (held) { held.release(); held = null; }
    }

    function startInterview(c, language, easy, paperNumber, replaces) {
      var rec = {
        uuid: uuid(), kind: "interview", consultation: c.slug, version_id: replaces ? replaces.version_id : c.version_id,
        language: language, easy_read: !!easy, mode: paperNumber ? "paper" : "field", paper_form_number: paperNumber || null,
        answers: replaces ? Object.assign({}, replaces.answers) : {}, note: "", status: "draft", pagePos: 0,
        started_at: now(), replaces_uuid: replaces ? replaces.uuid : null
      };
      DB.add(rec).then(function () { open(rec); });
    }

    /* Open a stored interview for editing, in this tab only. Without Web Locks (an old browser)
       the revision checks still stop a silent overwrite. takeOver: the interviewer chose to move
       the interview here from another window, which then stops editing it. */
    function open(r, takeOver) {
      leave();
      if (!root.navigator.locks) { load(r.uuid); return; }
      var mine = {};
      root.navigator.locks.request("interview:" + r.uuid, takeOver ? { steal: true } : { ifAvailable: true }, function (lock) {
        if (!lock) { busy(r); return null; }
        return new Promise(function (release) {
          mine.uuid = r.uuid; mine.release = release; held = mine;
          load(r.uuid);
        });
      }).catch(function () {
        // The lock was taken over by another window: this one must not write any more.
        if (held !== mine) return;
        held = null;
        if (current && current.uuid === r.uuid) {
          current = null;
          banner(function () { return t("iv.takenOver"); });
          hooks.home();
        }
      });
    }

    function busy(r) {
      ctx.redraw = function () { busy(r); };
      show(h("section", { class: "card", id: "busy" }, h("h2", { text: t("iv.busyTitle") }), h("p", { text: t("iv.busy") }),
        h("div", { class: "row" },
          h("button", { class: "primary big", id: "take-over", onclick: function () { open(r, true); }, text: t("iv.takeOver") }),
          h("button", { class: "big", id: "busy-back", onclick: hooks.home, text: t("iv.backHome") }))));
    }

    /* Always from the database, never from a list drawn earlier: another tab may have moved on. */
    function load(id) {
      DB.get("interviews", id).then(function (rec) {
        if (!rec || rec.status !== "draft") {
          leave();
          banner(function () { return t(rec ? "iv.alreadyDone" : "iv.gone"); });
          hooks.home();
          return null;
        }
        return DB.get("versions", rec.version_id).then(function (doc) {
          if (!doc) { leave(); banner(t("msg.noVersion")); hooks.home(); return; }
          current = rec;
          renderInterview(rec, doc.questionnaire, {});
        });
      });
    }

    /* Another tab changed the record on screen (possible only without locks, or just before a
       take-over): adopt its version when this tab has nothing unsaved, or close the screen when
       the interview was finished there. This tab's own later edits then clash instead. */
    DB.onChange(function (msg) {
      var rec = current;
      if (!rec || (msg.uuids || []).indexOf(rec.uuid) < 0) return;
      writes = writes.then(function () {
        if (current !== rec) return null;
        return DB.get("interviews", rec.uuid).then(function (stored) {
          if (current !== rec || (stored && stored.rev === rec.rev)) return;
          if (!stored || stored.status !== "draft") {
            leave(); banner(function () { return t(stored ? "iv.alreadyDone" : "iv.gone"); }); hooks.home(); return;
          }
          Object.keys(rec).forEach(function (k) { delete rec[k]; });
          Object.assign(rec, stored);
          if (ctx.redraw) ctx.redraw();
        });
      }).catch(function () { return null; });
    });

    /* The stored record moved on under this tab: keep this tab's version as a new unfinished
       interview linked to the other (clash_of), and say so. Nothing is overwritten. */
    function keepCopy(rec, error) {
      if (!error || !("clash" in error)) throw error;
      var original = rec.uuid, copy = Object.assign({}, rec, {
        uuid: uuid(), rev: 0, status: "draft", clash_of: original, clean: null, submitted_at: null, client_hash: ""
      });
      if (held) { held.release(); held = null; }
      Object.keys(rec).forEach(function (k) { delete rec[k]; });
      Object.assign(rec, copy);
      return DB.add(rec).then(function () {
        banner(function () { return t("iv.clash"); });
        if (root.navigator.locks) {
          root.navigator.locks.request("interview:" + rec.uuid, { ifAvailable: true }, function (lock) {
            if (!lock) return null;
            return new Promise(function (release) { held = { uuid: rec.uuid, release: release }; });
          });
        }
        if (ctx.redraw) ctx.redraw();
      });
    }

    /* This tab's write of rec, after its earlier ones, checked against the stored revision. */
    function write(rec) {
      writes = writes.then(function () {
        return DB.update(rec).catch(function (error) { return keepCopy(rec, error); });
      });
      return writes;
    }

    function inputFor(q, rec, form, result, onChange) {
      var value = rec.answers[q.name], lang = rec.language;
      if (q.type === "select_one" || q.type === "select_multiple") {
        var multi = q.type === "select_multiple";
        var group = h("div", { class: "choices", role: "group", "aria-labelledby": "ql-" + q.name });
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
      var el = h(numeric ? "input" : "textarea", { "data-q": q.name, class: "answer", id: "q-" + q.name,
        inputmode: q.type === "integer" ? "numeric" : (q.type === "decimal" ? "decimal" : null),
        value: value === undefined || value === null ? "" : String(value) });
      el.addEventListener("input", function () { onChange(el.value, false); });
      el.addEventListener("change", function () { onChange(el.value, "if-changed"); });
      return el;
    }

    function renderInterview(rec, form, shownErrors) {
      ctx.redraw = function () { renderInterview(rec, form, shownErrors); };
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
        return write(rec).then(function () {
          if (current !== rec) return;
          if (redraw === "if-changed") {
            var again = Form.evaluate(form, rec.answers, rec.language, true);
            if (shape(again) === signature) return;
          }
          if (redraw) renderInterview(rec, form, {});
        });
      }
      var questions = page.questions.filter(function (q) { return result.visible[q.name]; }).map(function (q) {
        return h("div", { class: "question", "data-question": q.name },
          /* Typed answers get a real <label>; a choice group is named by its question. */
          h(q.type === "select_one" || q.type === "select_multiple" || q.type === "note" ? "p" : "label",
            { class: "qlabel", id: "ql-" + q.name, for: q.type === "select_one" || q.type === "select_multiple" || q.type === "note" ? null : "q-" + q.name,
              text: Form.label(q, rec.language, rec.easy_read) }),
          q.hints && q.hints[rec.language] ? h("p", { class: "hint", text: q.hints[rec.language] }) : null,
          inputFor(q, rec, form, result, function (value, redraw) { rec.answers[q.name] = value; save(redraw); }),
          shownErrors[q.name] ? h("p", { class: "error", "data-error": q.name, text: shownErrors[q.name] }) : null);
      });
      /* Typed values are also read from the page itself at "Next", whatever events fired. */
      function harvest() {
        Array.prototype.forEach.call(document.getElementById("view").querySelectorAll("input.answer, textarea.answer"), function (el) {
          rec.answers[el.getAttribute("data-q")] = el.value;
        });
      }
      function pageErrors() {
        var full = Form.evaluate(form, rec.answers, rec.language, false), errs = {}, count = 0;
        page.questions.forEach(function (q) { if (full.errors[q.name]) { errs[q.name] = full.errors[q.name]; count += 1; } });
        return count ? errs : null;
      }
      var note = h("textarea", { id: "interviewer-note", class: "note", value: rec.note || "", placeholder: t("iv.noteHint"), "aria-label": t("iv.note") });
      note.addEventListener("input", function () { rec.note = note.value; save(false); });
      show(h("section", { class: "card interview" },
        h("p", { class: "small", text: (rec.mode === "paper" ? t("iv.paper", { no: rec.paper_form_number }) + " · " : "") +
          t("iv.page", { pos: pos + 1, total: pages.length }) + (rec.replaces_uuid ? " · " + t("iv.correction") : "") +
          (rec.clash_of ? " · " + t("iv.copy") : "") }),
        h("h2", { text: Form.pick({}, page.labels, rec.language, "") }), questions,
        h("details", {}, h("summary", { text: t("iv.note") }), note),
        h("div", { class: "row nav" },
          h("button", { class: "big", id: "back", disabled: pos === 0, onclick: function () { rec.pagePos = pos - 1; save(true); }, text: t("iv.back") }),
          h("button", { class: "big", id: "pause", onclick: function () { save(false).then(hooks.home); }, text: t("iv.pause") }),
          h("button", { class: "primary big", id: last ? "finish" : "next", onclick: function () {
            harvest();
            var errs = pageErrors();
            if (errs) { renderInterview(rec, form, errs); return; }
            if (!last) { rec.pagePos = pos + 1; save(true); return; }
            finishInterview(rec, form);
          }, text: last ? t("iv.finish") : t("iv.next") }))));
    }

    /* Finishing is one conditional write: only the draft at this tab's revision becomes
       "pending"; if another window got there first, this tab's answers become a linked copy. */
    function finishInterview(rec, form) {
      var full = Form.evaluate(form, rec.answers, rec.language, false);
      if (Object.keys(full.errors).length) { rec.pagePos = 0; renderInterview(rec, form, full.errors); return; }
      var done = Object.assign({}, rec, { clean: full.answers, submitted_at: now(), status: "pending" });
      writes = writes.then(function () {
        return UI.clientHash(done).then(function (hash) {
          done.client_hash = hash; done.rev = rec.rev;
          return DB.update(done);
        }).then(function () {
          leave(); banner(t("msg.saved")); hooks.home(); if (navigator.onLine) Sync.run("auto");
        }, function (error) { return keepCopy(rec, error); });
      });
    }

    return { start: startInterview, open: open, leave: leave };
  };
})(window);
