/* The interview screen: one page of the questionnaire at a time, in the respondent's language,
   with the buttons in the interviewer's. Every answer is written to IndexedDB as it is given, so
   an interrupted interview resumes where it stopped; a finished interview is locked (a correction
   is a new record pointing at it through replaces_uuid). */
(function (root) {
  "use strict";
  var DB = root.FieldDB, Form = root.FieldForm, Sync = root.FieldSync, UI = root.FieldUI, Q = root.FieldQuestions, t = root.FieldI18n.t;
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
        uuid: uuid(), owner: ctx.session.interviewer_id, kind: "interview", consultation: c.slug, version_id: replaces ? replaces.version_id : c.version_id,
        language: language, easy_read: !!easy, mode: paperNumber ? "paper" : "field", paper_form_number: paperNumber || null,
        answers: replaces ? Object.assign({}, replaces.answers) : {}, note: "", status: "draft", pagePos: 0,
        started_at: now(), replaces_uuid: replaces ? replaces.uuid : null
      };
      DB.add(rec).then(function () { open(rec); }).catch(unsaved);  // a full or blocked store must be told
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
        if (rec && ctx.session && rec.owner !== ctx.session.interviewer_id) rec = null;  // another interviewer's
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
      }).catch(UI.storageFailed);
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
      }).catch(unsaved);
      return writes;
    }
    /* The database itself failed (full, or closed by the browser): say so; the chain goes on, so
       the next answer is tried again. */
    function unsaved(error) {
      banner(function () { return t("msg.saveFailed", { msg: (error && (error.name || error.message)) || "?" }); });
    }

    /* The browser's back button moves within the interview: while it is open a marker entry sits
       on top of the history; going back pops it, and the interview steps back (review → last
       page → earlier page → start screen) and puts the marker back. */
    var back = null;
    function armBack(step) {
      back = step;
      if (!(root.history.state && root.history.state.fieldInterview)) root.history.pushState({ fieldInterview: true }, "");
    }
    root.addEventListener("popstate", function () {
      if (!current || !back) return;
      var step = back;
      root.history.pushState({ fieldInterview: true }, "");
      step();
    });

    function languagePicker(rec, redraw) {
      var pick = h("select", { id: "iv-lang", class: "inline" }, root.FieldI18n.LANGS.map(function (l) {
        return h("option", { value: l[0], text: l[1], selected: l[0] === rec.language ? "selected" : null });
      }));
      pick.addEventListener("change", function () {
        rec.language = pick.value;
        ctx.form.lang = pick.value;  // the next interview starts in it too, until changed
        write(rec).then(redraw);
      });
      return h("label", { class: "inline-label" }, t("iv.respondentLang"), pick);
    }

    /* Errors: a summary at the top (each entry jumps to its question) and the focus on the first
       question in error, scrolled into view, as the citizen pages do. */
    function errorSummary(errs, order) {
      var names = order.filter(function (n) { return errs[n]; });
      if (!names.length) return null;
      return h("div", { class: "error-summary", id: "error-summary", role: "alert", tabindex: "-1" },
        h("h2", { text: t("iv.errors", { n: names.length }) }),
        h("ul", {}, names.map(function (n) {
          return h("li", {}, h("a", { href: "#qb-" + n, "data-goto": n, onclick: function (ev) { ev.preventDefault(); focusQuestion(n); },
            text: (document.getElementById("ql-" + n) || {}).textContent || n }), " – " + errs[n]);
        })));
    }
    function focusQuestion(name) {
      var box = document.getElementById("qb-" + name);
      if (!box) return;
      var target = box.querySelector("input, textarea, select, [aria-checked='true'], button.choice");
      box.scrollIntoView({ block: "start" });
      if (target) target.focus({ preventScroll: true });
    }

    /* Any page (and the review) in one tap; errors are still checked before "Finish". */
    function jumpList(form, pages, pos, go) {
      if (pages.length < 2) return null;
      var pick = h("select", { id: "iv-jump", class: "inline" }, pages.map(function (index, i) {
        return h("option", { value: String(i), text: (i + 1) + ". " + Form.pick({}, form.pages[index].labels, ctx.lang ? ctx.lang() : "en", form.pages[index].name, form.default_language),
          selected: i === pos ? "selected" : null });
      }), h("option", { value: "review", text: t("iv.review") }));
      pick.addEventListener("change", function () { go(pick.value === "review" ? "review" : Number(pick.value)); });
      return h("label", { class: "inline-label" }, t("iv.jump"), pick);
    }

    /* "Hand the tablet to the respondent": the interviewer's note, the queue and the way out
       are hidden until the interviewer's PIN is typed (wrong PINs count toward the lock). */
    function handoverButton(redraw) {
      document.body.classList.toggle("handover", !!ctx.handover);
      if (!ctx.handover) {
        return h("button", { type: "button", class: "small", id: "handover", onclick: function () { ctx.handover = true; redraw(); },
          text: t("iv.handover") });
      }
      var box = h("form", { class: "row handback", id: "handback-form", hidden: "hidden" });
      var pin = h("input", { id: "handback-pin", type: "password", inputmode: "numeric", autocomplete: "off", "aria-label": t("pin.label") });
      var error = h("span", { class: "error", role: "alert" });
      box.append(pin, h("button", { class: "primary", type: "submit", id: "handback-ok", text: t("lock.unlock") }), error);
      box.addEventListener("submit", function (ev) {
        ev.preventDefault();
        UI.checkPin(pin.value).then(function (ok) {
          if (ok === true) { ctx.handover = false; document.body.classList.remove("handover"); redraw(); return; }
          if (ok === "blocked") { hooks.lock(); return; }
          error.textContent = t("lock.wrong", { left: ok }); pin.value = "";
        }).catch(UI.storageFailed);  // the wrong try could not be counted: the screen stays handed over
      });
      return h("div", {}, h("button", { type: "button", class: "small", id: "handback", onclick: function () { box.hidden = false; pin.focus(); },
        text: t("iv.handback") }), box);
    }

    function renderInterview(rec, form, shownErrors) {
      ctx.redraw = function () { renderInterview(rec, form, shownErrors); };
      var result = Form.evaluate(form, rec.answers, rec.language, true);
      var pages = result.pages;
      if (!pages.length) return;
      if (rec.pagePos === "review") { renderReview(rec, form); return; }
      var pos = Math.max(0, Math.min(rec.pagePos || 0, pages.length - 1));
      var page = form.pages[pages[pos]], last = pos === pages.length - 1;
      /* The form's defaults pre-fill this page's unanswered questions, as the citizen pages do;
         an answer the interviewer cleared ("") stays cleared. */
      var preset = page.questions.filter(function (q) {
        return result.visible[q.name] && Form.defaultValue(q) !== undefined && rec.answers[q.name] === undefined;
      });
      preset.forEach(function (q) { rec.answers[q.name] = Form.defaultValue(q); });
      if (preset.length) result = Form.evaluate(form, rec.answers, rec.language, true);
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
      function go(to) { rec.pagePos = to; save(true); }
      var visible = page.questions.filter(function (q) { return result.visible[q.name] && Q.shown(q); });
      var questions = visible.map(function (q) {
        var labelled = !Q.isChoice(q) && q.type !== "note", hint = Form.hint(q, rec.language, form.default_language);
        return h("div", { class: "question" + (shownErrors[q.name] ? " has-error" : ""), "data-question": q.name, id: "qb-" + q.name },
          /* Typed answers get a real <label>; a choice group is named by its question. */
          h(labelled ? "label" : "p", { class: "qlabel", id: "ql-" + q.name, for: labelled ? "q-" + q.name : null,
            text: Form.fillIn(Form.label(q, rec.language, rec.easy_read, form.default_language), result.answers) }),
          hint ? h("p", { class: "hint", text: Form.fillIn(hint, result.answers) }) : null,
          shownErrors[q.name] ? h("p", { class: "error", id: "qe-" + q.name, "data-error": q.name, text: shownErrors[q.name] }) : null,
          Q.input(q, rec, form, result, function (value, redraw) { rec.answers[q.name] = value; save(redraw); }));
      });
      /* Typed values are also read from the page itself at "Next", whatever events fired. */
      function harvest() {
        Array.prototype.forEach.call(document.getElementById("view").querySelectorAll("input.answer:not([type=file]), textarea.answer"), function (el) {
          rec.answers[el.getAttribute("data-q")] = el.value;  // a file's answer is its name, set when chosen
        });
      }
      function pageErrors() {
        var full = Form.evaluate(form, rec.answers, rec.language, false), errs = {}, count = 0;
        page.questions.forEach(function (q) { if (full.errors[q.name]) { errs[q.name] = full.errors[q.name]; count += 1; } });
        return count ? errs : null;
      }
      var note = h("textarea", { id: "interviewer-note", class: "note", value: rec.note || "", placeholder: t("iv.noteHint"), "aria-label": t("iv.note") });
      note.addEventListener("input", function () { rec.note = note.value; save(false); });
      var summary = errorSummary(shownErrors, visible.map(function (q) { return q.name; }));
      show(h("section", { class: "card interview" },
        h("div", { class: "row iv-head" },
          h("p", { class: "small", text: (rec.mode === "paper" ? t("iv.paper", { no: rec.paper_form_number }) + " · " : "") +
            t("iv.page", { pos: pos + 1, total: pages.length }) + (rec.replaces_uuid ? " · " + t("iv.correction") : "") +
            (rec.clash_of ? " · " + t("iv.copy") : "") }),
          languagePicker(rec, function () { renderInterview(rec, form, {}); }),
          ctx.handover ? null : jumpList(form, pages, pos, function (to) { harvest(); go(to); }),
          handoverButton(function () { renderInterview(rec, form, {}); })),
        summary,
        h("h2", { text: Form.pick({}, page.labels, rec.language, "", form.default_language) }), questions,
        ctx.handover ? null : h("details", {}, h("summary", { text: t("iv.note") }), note),
        h("nav", { class: "row nav", "aria-label": t("iv.navigation") },
          h("button", { class: "big", id: "back", disabled: pos === 0, onclick: function () { go(pos - 1); }, text: t("iv.back") }),
          ctx.handover ? null : h("button", { class: "big", id: "pause", onclick: function () { save(false).then(hooks.home); }, text: t("iv.pause") }),
          h("button", { class: "primary big", id: last ? "review" : "next", onclick: function () {
            harvest();
            var errs = pageErrors();
            if (errs) { renderInterview(rec, form, errs); return; }
            go(last ? "review" : pos + 1);
          }, text: last ? t("iv.review") : t("iv.next") }))));
      armBack(function () { if (pos > 0) go(pos - 1); else if (!ctx.handover) save(false).then(hooks.home); });
      if (summary) {
        var first = visible.filter(function (q) { return shownErrors[q.name]; })[0];
        if (first) focusQuestion(first.name); else summary.focus();
      }
    }

    /* Every answer before "Finish"; tapping one goes back to its page. */
    function renderReview(rec, form) {
      ctx.redraw = function () { renderReview(rec, form); };
      var full = Form.evaluate(form, rec.answers, rec.language, false);
      var pages = full.pages, errors = Object.keys(full.errors).length;
      function go(to) { rec.pagePos = to; write(rec).then(function () { if (current === rec) renderInterview(rec, form, {}); }); }
      var items = [];
      pages.forEach(function (index, pos) {
        var page = form.pages[index];
        items.push(h("h3", { text: Form.pick({}, page.labels, rec.language, t("iv.page", { pos: pos + 1, total: pages.length }), form.default_language) }));
        items.push(h("ul", { class: "review" }, page.questions.filter(function (q) {
          return full.visible[q.name] && Q.shown(q) && q.type !== "note";
        }).map(function (q) {
          return h("li", {}, h("button", { type: "button", class: "review-item" + (full.errors[q.name] ? " has-error" : ""), "data-review": q.name,
            onclick: function () { go(pos); } },
            h("span", { class: "q", text: Form.fillIn(Form.label(q, rec.language, rec.easy_read, form.default_language), full.answers) }),
            h("span", { class: "a", text: Q.answerText(q, rec.answers[q.name], form, rec.language, rec.easy_read, full.answers) }),
            full.errors[q.name] ? h("span", { class: "error", text: full.errors[q.name] }) : null));
        })));
      });
      show(h("section", { class: "card interview", id: "review-screen" },
        h("h2", { text: t("iv.reviewTitle") }), h("p", { class: "small", text: t("iv.reviewHint") }),
        errors ? h("p", { class: "error", role: "alert", text: t("iv.errors", { n: errors }) }) : null,
        items,
        h("nav", { class: "row nav", "aria-label": t("iv.navigation") },
          h("button", { class: "big", id: "back", onclick: function () { go(pages.length - 1); }, text: t("iv.back") }),
          ctx.handover ? null : h("button", { class: "big", id: "pause", onclick: function () { write(rec).then(hooks.home); }, text: t("iv.pause") }),
          ctx.handover ? handoverButton(function () { renderReview(rec, form); })
            : h("button", { class: "primary big", id: "finish", onclick: function () { finishInterview(rec, form); }, text: t("iv.finish") }))));
      armBack(function () { go(pages.length - 1); });
    }

    /* Finishing is one conditional write: only the draft at this tab's revision becomes
       "pending"; if another window got there first, this tab's answers become a linked copy. */
    function finishInterview(rec, form) {
      var full = Form.evaluate(form, rec.answers, rec.language, false);
      if (Object.keys(full.errors).length) {
        // Back to the first page with a problem, its errors shown.
        var bad = full.pages.filter(function (i) { return form.pages[i].questions.some(function (q) { return full.errors[q.name]; }); })[0];
        rec.pagePos = Math.max(0, full.pages.indexOf(bad)); renderInterview(rec, form, full.errors); return;
      }
      var done = Object.assign({}, rec, { clean: full.answers, submitted_at: now(), status: "pending" });
      writes = writes.then(function () {
        return UI.clientHash(done).then(function (hash) {
          done.client_hash = hash; done.rev = rec.rev;
          return DB.update(done);
        }).then(function () {
          leave(); banner(t("msg.saved")); hooks.home(); if (navigator.onLine) Sync.run("auto");
        }, function (error) { return keepCopy(rec, error); });
      }).catch(unsaved);
    }

    return { start: startInterview, open: open, leave: leave, current: function () { return current ? current.uuid : null; } };
  };
})(window);
