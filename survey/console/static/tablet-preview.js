/* A questionnaire version as the tablet shows it, for organisers in the console; nothing is stored.

   The page runs the field app's own interview screen (field_app/static/interview.js with
   questions.js and form.js): the same drawing of each question type, the same relevance, checks
   and error summary, the same review screen. Loaded before those files, this one gives them what
   the tablet's IndexedDB and sync would: a store in this page's memory holding the version and
   the one interview under way (with the same revision checks as db.js), and a sync that sends
   nothing. Closing or reloading the page forgets the answers; no response ever reaches the server. */
(function (root) {
  "use strict";
  var data = JSON.parse(document.getElementById("preview-data").textContent);
  var stores = { interviews: {}, versions: {}, kv: {} }, latest = null;  // the interview begun last
  stores.versions[data.version_id] = { id: data.version_id, questionnaire: data.questionnaire };

  function copy(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }

  /* db.js's rule: a draft is replaced only by the copy read at its current revision. */
  function update(rec) {
    var stored = stores.interviews[rec.uuid];
    if (!stored || stored.status !== "draft" || (stored.rev || 0) !== (rec.rev || 0)) {
      return Promise.reject({ clash: copy(stored) || null });
    }
    var next = Object.assign({}, rec, { rev: (rec.rev || 0) + 1 });
    stores.interviews[rec.uuid] = copy(next);
    rec.rev = next.rev;
    return Promise.resolve(rec);
  }

  root.FieldDB = {
    add: function (rec) {
      if (rec.rev === undefined) rec.rev = 0;
      stores.interviews[rec.uuid] = copy(rec);
      latest = rec.uuid;
      return Promise.resolve(rec);
    },
    get: function (store, id) { return Promise.resolve(copy(stores[store][id])); },
    update: update,
    onChange: function () { /* one page, one tab: no other window changes this memory */ }
  };
  /* The interview screen asks for a sync after "Finish": a preview sends nothing. */
  root.FieldSync = { run: function () { return Promise.resolve(null); } };

  function start() {
    var UI = root.FieldUI, h = UI.h, texts = data.texts;
    var ctx = { session: { interviewer_id: 0 }, form: { lang: data.language }, handover: false, redraw: null,
      lang: function () { return root.FieldI18n.lang(); } };
    /* Where the tablet would go home (after "Pause" or "Finish"): the end of the preview, with
       the way back into the interview or a fresh start. */
    function home() {
      var finished = latest !== null && stores.interviews[latest].status !== "draft";
      ctx.redraw = null;
      interview.leave();  // its Web Lock released, so that "Resume" can take it again
      /* "Hand back" asks for the interviewer's PIN; a preview has none, so it ends here too. */
      ctx.handover = false;
      document.body.classList.remove("handover");
      UI.banner(finished ? texts.finished : texts.paused);
      UI.show(h("section", { class: "card", id: "preview-end" },
        h("h2", { text: finished ? texts.finished_title : texts.paused_title }),
        h("div", { class: "row" },
          finished ? null : h("button", { class: "primary big", id: "preview-resume", type: "button", text: texts.resume,
            onclick: function () { UI.banner(""); interview.open(stores.interviews[latest]); } }),
          h("button", { class: finished ? "primary big" : "big", id: "preview-restart", type: "button", text: texts.restart,
            onclick: function () { UI.banner(""); begin(); } }))));
    }
    var interview = root.FieldInterview(ctx, { home: home, lock: home });
    function begin() { interview.start({ slug: data.slug, version_id: data.version_id }, data.language, data.easy); }
    begin();
  }
  document.addEventListener("DOMContentLoaded", start);
})(window);
