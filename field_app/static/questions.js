/* How each question type is drawn on the interview screen and said on the review screen.
   Single choices are radio buttons (a round mark; tapping the chosen one keeps it, a separate
   "clear answer" removes it), multiple choices are checkboxes (a square mark). Short lists of
   short labels (a 5-point scale) stay on one row where they fit. A list written in alphabetical
   order is shown in the respondent's alphabetical order (Dutch collation for Dutch). Types this
   file does not know are typed answers, so a new question type still works. */
(function (root) {
  "use strict";
  var Form = root.FieldForm, UI = root.FieldUI, t = root.FieldI18n.t, h = UI.h;
  var TYPED = { integer: "numeric", decimal: "decimal" };
  var DATES = { date: "date", time: "time", datetime: "datetime-local" };
  var FILES = { image: "image/*", audio: "audio/*", file: "" };

  function isChoice(q) { return q.type === "select_one" || q.type === "select_multiple"; }
  function shown(q) { return q.type !== "calculate"; }
  /* As the server: the respondent's language, the form's default language, then any label; a
     ${name} in it shows that answer (pages.py fills choice labels the same way). */
  function choiceLabel(c, lang, easy, defaultLang, answers) {
    var text = Form.pick(easy ? c.easy_labels : {}, c.labels, lang, c.name, defaultLang);
    return answers ? Form.fillIn(text, answers) : text;
  }

  /* Alphabetical in the form's own language (6 choices or more, so no scale is taken for a list)
     → alphabetical in the respondent's language, by that language's rules. */
  function ordered(form, q, choices, lang, easy) {
    var base = form.default_language || "fr", list = form.choices[q.choice_list] || [];
    if (list.length < 6) return choices;
    var source = new Intl.Collator(base, { sensitivity: "base" });
    var alphabetical = list.every(function (c, i) {
      return i === 0 || source.compare(Form.pick({}, list[i - 1].labels, base, list[i - 1].name), Form.pick({}, c.labels, base, c.name)) <= 0;
    });
    if (!alphabetical) return choices;
    var target = new Intl.Collator(lang, { sensitivity: "base" });
    return choices.slice().sort(function (a, b) { return target.compare(choiceLabel(a, lang, easy, base), choiceLabel(b, lang, easy, base)); });
  }

  /* A whole number between two close bounds (". >= 0 and . <= 10") is tapped on a row of numbers
     instead of typed: one tap instead of a tap, a key and the keyboard over half the screen. */
  var RANGE = /^\s*\.\s*>=\s*(-?\d+)\s+and\s+\.\s*<=\s*(-?\d+)\s*$/;
  function numberScale(q) {
    var m = q.type === "integer" && !q.appearance && RANGE.exec(q.constraint || ""), lo, hi, out = [];
    if (!m) return null;
    lo = Number(m[1]); hi = Number(m[2]);
    if (hi < lo || hi - lo > 10) return null;
    for (var n = lo; n <= hi; n++) out.push({ name: String(n), labels: {}, easy_labels: {} });
    return out;
  }

  /* q, the record, the form, the current evaluation, onChange(value, redraw) → element or null. */
  function input(q, rec, form, result, onChange) {
    var value = rec.answers[q.name], lang = rec.language, numbers = numberScale(q);
    if (numbers && value !== undefined && value !== null && value !== "") value = String(value);
    if (isChoice(q) || numbers) {
      var multi = q.type === "select_multiple";
      var choices = numbers || ordered(form, q, Form.choices(form, q, result.answers), lang, rec.easy_read);
      var short = choices.length <= 5 && choices.every(function (c) { return choiceLabel(c, lang, rec.easy_read, form.default_language).length <= 16; });
      var group = h("div", { class: "choices" + (short ? " scale scale-" + choices.length : numbers ? " scale numbers" : "") + (multi ? " multi" : " single"),
        role: multi ? "group" : "radiogroup", "aria-labelledby": "ql-" + q.name });
      var clear = multi ? null : h("button", { type: "button", class: "small clear", "data-clear": q.name, hidden: value ? null : "hidden",
        onclick: function () { paint(""); onChange("", "if-changed"); }, text: t("iv.clear") });
      function paint(next) {
        Array.prototype.forEach.call(group.children, function (b) {
          var name = b.getAttribute("data-choice"), on = multi ? next.indexOf(name) >= 0 : next === name;
          b.className = "choice" + (on ? " on" : "");
          b.setAttribute("aria-checked", on ? "true" : "false");
        });
        if (clear) clear.hidden = !next;
      }
      choices.forEach(function (c) {
        var on = multi ? (value || []).indexOf(c.name) >= 0 : value === c.name;
        group.appendChild(h("button", { type: "button", class: "choice" + (on ? " on" : ""), role: multi ? "checkbox" : "radio",
          "aria-checked": on ? "true" : "false", "data-q": q.name, "data-choice": c.name, onclick: function () {
            var current = numbers && rec.answers[q.name] !== undefined && rec.answers[q.name] !== null ? String(rec.answers[q.name]) : rec.answers[q.name], next;
            if (multi) {
              next = (current || []).filter(function (x) { return x !== c.name; });
              if (next.length === (current || []).length) next.push(c.name);
            } else {
              if (current === c.name) return;  // a second tap keeps the answer
              next = c.name;
            }
            paint(next);
            onChange(next, "if-changed");
          }, text: choiceLabel(c, lang, rec.easy_read, form.default_language, result.answers) }));
      });
      return clear ? h("div", {}, group, clear) : group;
    }
    if (q.type === "rank") return ranking(q, rec, form, result, onChange);
    if (q.type === "note" || !shown(q)) return null;
    if (q.type === "geopoint") return position(q, value, onChange);
    if (FILES[q.type]) return attachment(q, rec, value, onChange);
    var typed = TYPED[q.type], date = DATES[q.type];
    var el = h(typed || date ? "input" : "textarea", { "data-q": q.name, class: "answer", id: "q-" + q.name,
      type: date || null, inputmode: typed || null, "aria-describedby": "qe-" + q.name,
      value: value === undefined || value === null ? "" : String(value) });
    el.addEventListener("input", function () { onChange(el.value, false); });
    el.addEventListener("change", function () { onChange(el.value, "if-changed"); });
    return el;
  }

  /* A ranking (ODK's rank): each tap gives the choice the next place, its number shown on it; a tap
     on a placed choice takes it out and the later ones move up. Stored as ODK stores it: the names
     in order, space-separated. "Clear answer" starts again. */
  function ranking(q, rec, form, result, onChange) {
    var lang = rec.language, choices = Form.choices(form, q, result.answers);
    var order = String(rec.answers[q.name] || "").split(/\s+/).filter(Boolean);
    var group = h("div", { class: "choices rank", role: "group", "aria-labelledby": "ql-" + q.name });
    var clear = h("button", { type: "button", class: "small clear", "data-clear": q.name, hidden: order.length ? null : "hidden",
      onclick: function () { order = []; paint(); onChange("", "if-changed"); }, text: t("iv.clear") });
    function paint() {
      Array.prototype.forEach.call(group.children, function (b) {
        var place = order.indexOf(b.getAttribute("data-choice")) + 1;
        b.className = "choice" + (place ? " on" : "");
        b.setAttribute("aria-pressed", place ? "true" : "false");
        b.querySelector(".place").textContent = place ? String(place) : "";
      });
      clear.hidden = !order.length;
    }
    choices.forEach(function (c) {
      group.appendChild(h("button", { type: "button", class: "choice", "aria-pressed": "false", "data-q": q.name, "data-choice": c.name,
        onclick: function () {
          var at = order.indexOf(c.name);
          if (at >= 0) order.splice(at, 1); else order.push(c.name);
          paint();
          onChange(order.join(" "), "if-changed");
        } }, h("span", { class: "place", "aria-hidden": "true" }), h("span", { text: " " + choiceLabel(c, lang, rec.easy_read, form.default_language, result.answers) })));
    });
    paint();
    return h("div", {}, h("p", { class: "small", text: t("iv.rankHint") }), group, clear);
  }

  /* A position (only in forms imported with --allow-location): typed as "latitude longitude", or
     read once from navigator.geolocation when the interviewer taps the button, never on its own. */
  function position(q, value, onChange) {
    var el = h("input", { "data-q": q.name, class: "answer", id: "q-" + q.name, type: "text", inputmode: "decimal",
      autocomplete: "off", "aria-describedby": "qe-" + q.name, value: value === undefined || value === null ? "" : String(value) });
    var status = h("span", { class: "small", role: "status", "data-position-status": q.name });
    el.addEventListener("input", function () { onChange(el.value, false); });
    el.addEventListener("change", function () { onChange(el.value, "if-changed"); });
    function failed() { status.textContent = t("iv.positionFailed"); el.focus(); }
    var button = h("button", { type: "button", class: "small", "data-record-position": q.name, text: t("iv.recordPosition"), onclick: function () {
      status.textContent = "";
      if (!root.navigator.geolocation) { failed(); return; }
      root.navigator.geolocation.getCurrentPosition(function (p) {
        var c = p.coords, parts = [c.latitude, c.longitude, c.altitude === null ? 0 : c.altitude, c.accuracy];
        el.value = parts.map(function (n) { return String(Math.round(n * 1e6) / 1e6); }).join(" ");
        onChange(el.value, "if-changed");
      }, failed, { enableHighAccuracy: true, timeout: 30000, maximumAge: 0 });
    } });
    return h("div", { class: "position" }, el, h("div", { class: "row" }, button, status));
  }

  /* A photo, recording or file: the camera, recorder or file picker of the tablet. The file itself
     is kept with the interview in IndexedDB (rec.files, a Blob per question) and sent after the
     interview (sync.js); the answer is its name, as ODK stores it. */
  function attachment(q, rec, value, onChange) {
    var el = h("input", { "data-q": q.name, class: "answer", id: "q-" + q.name, type: "file",
      accept: q.accept || FILES[q.type] || null, capture: q.type === "image" ? "environment" : null,
      "aria-describedby": "qe-" + q.name });
    var kept = h("span", { class: "small", role: "status", "data-file-kept": q.name,
      text: value ? t("iv.fileKept", { name: String(value) }) : "" });
    el.addEventListener("change", function () {
      var file = el.files && el.files[0];
      if (!file) return;
      var name = String(file.name || "file").split(/[\\/]/).pop() || "file";
      rec.files = Object.assign({}, rec.files || {});
      rec.files[q.name] = { name: name, type: file.type || "", blob: file };
      kept.textContent = t("iv.fileKept", { name: name });
      onChange(name, "if-changed");
    });
    return h("div", { class: "attachment" }, el, kept);
  }

  /* An answer in words for the review screen ("—" when there is none). */
  function answerText(q, value, form, lang, easy, answers) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return "—";
    if (isChoice(q) || q.type === "rank") {
      var list = form.choices[q.choice_list] || [];
      var names = q.type === "rank" ? String(value).split(/\s+/).filter(Boolean) : [].concat(value);
      return names.map(function (name, i) {
        if (q.type === "rank") {
          var r = list.filter(function (x) { return x.name === name; })[0];
          return (i + 1) + ". " + (r ? choiceLabel(r, lang, easy, form.default_language, answers) : String(name));
        }
        var c = list.filter(function (x) { return x.name === name; })[0];
        return c ? choiceLabel(c, lang, easy, form.default_language, answers) : String(name);
      }).join(", ");
    }
    return String(value);
  }

  root.FieldQuestions = { input: input, answerText: answerText, isChoice: isChoice, shown: shown, ordered: ordered };
})(window);
