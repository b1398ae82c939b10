/* Questionnaire logic on the tablet, with the server's rules: relevance evaluated in page order
   against the answers kept so far, irrelevant answers dropped, required/type/choice/constraint
   checks, choice_filter. All expressions go through window.SurveyExpressions (same corpus as
   the server's evaluator), so what the interviewer sees offline is what the server accepts. */
(function (root) {
  "use strict";
  var X = root.SurveyExpressions;
  /* The server's ISO shapes (validation.py _TEMPORAL); the values are then checked to be real. */
  var TEMPORAL = {
    date: /^(\d{4})-(\d{2})-(\d{2})$/,
    time: /^(\d{2}):(\d{2})(?::(\d{2}))?$/,
    datetime: /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/
  };
  var MAX_TEXT = 5000;

  /* The server's own wording (survey/questionnaire/messages.py), shipped with each questionnaire version
     (VersionDocument.messages), so an error reads the same on the tablet, the citizen page and the server.
     A version cached before versions carried them shows the code until the next download. */
  function msg(code, lang, messages) {
    var all = messages || {}, m = all[code] || all.constraint;
    return m ? (m[lang] || m.en) : code;
  }

  /* As model.py _pick: the respondent's language, then the form's default language, then the
     first label present; the bare name only when there is no label at all. */
  function pick(preferred, fallback, lang, dflt, defaultLang) {
    var sets = [preferred || {}, fallback || {}], wanted = [lang, defaultLang], i, j, k;
    for (j = 0; j < wanted.length; j++) {
      if (!wanted[j]) continue;
      for (i = 0; i < sets.length; i++) if (sets[i][wanted[j]]) return sets[i][wanted[j]];
    }
    for (i = sets.length - 1; i >= 0; i--) for (k in sets[i]) if (sets[i][k]) return sets[i][k];
    return dflt;
  }

  function label(q, lang, easy, defaultLang) { return pick(easy ? q.easy_labels : {}, q.labels, lang, q.name, defaultLang); }
  /* As model.py Question.hint: falls back like the label, so hints written without a language show. */
  function hint(q, lang, defaultLang) { return pick({}, q.hints, lang, "", defaultLang); }

  /* ${name} in a label or hint replaced by that answer, as the server's pages.fill_in does. */
  function fillIn(text, answers) {
    if (!text || text.indexOf("${") < 0) return text;
    return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}/g, function (all, name) { return X.toString(answers[name]); });
  }

  function required(q, answers) { return !!q.required || !!(q.required_when && X.isTrue(q.required_when, answers)); }

  /* A real date / time / date-time in ISO text, as validation.py _temporal accepts it. */
  function temporal(kind, v) {
    if (typeof v !== "string") throw kind;
    var text = X.strip(v), m, p, d;
    if (kind === "datetime") text = text.replace(" ", "T");
    m = TEMPORAL[kind].exec(text);
    if (!m) throw kind;
    p = m.slice(1).map(function (x) { return x === undefined ? 0 : parseInt(x, 10); });
    if (kind === "time") p = [2000, 1, 1].concat(p);
    if (p[0] < 1 || p[1] < 1 || p[1] > 12 || p[3] > 23 || p[4] > 59 || p[5] > 59) throw kind;
    d = new Date(0);
    d.setUTCFullYear(p[0], p[1] - 1, p[2]);
    if (d.getUTCFullYear() !== p[0] || d.getUTCMonth() !== p[1] - 1 || d.getUTCDate() !== p[2]) throw kind;
    return text;
  }

  /* ODK's geopoint text, as validation.py _position: latitude longitude [altitude [accuracy]]. */
  function position(v) {
    if (typeof v !== "string") throw "geopoint";
    var parts = X.words(v), numbers;
    if (parts.length < 2 || parts.length > 4) throw "geopoint";
    numbers = parts.map(function (p) { return X.answerNumber(p, "geopoint"); });
    if (!(numbers[0] >= -90 && numbers[0] <= 90 && numbers[1] >= -180 && numbers[1] <= 180) || (numbers.length === 4 && numbers[3] < 0)) throw "geopoint";
    return numbers.map(X.toString).join(" ");
  }

  /* The form's default for a question, shaped as an answer (a list for a multiple choice). */
  function defaultValue(q) {
    if (q.default === undefined || q.default === null) return undefined;
    return q.type === "select_multiple" ? String(q.default).split(/\s+/).filter(Boolean) : q.default;
  }

  /* As validation.py _empty: nothing, only spaces, or an empty list is no answer. */
  function empty(v) { return v === null || v === undefined || (typeof v === "string" && X.strip(v) === "") || (Array.isArray(v) && v.length === 0); }

  function coerce(q, v) {
    if (q.type === "geopoint") return position(v);
    if (TEMPORAL[q.type]) return temporal(q.type, v);
    if (q.type === "integer" || q.type === "decimal") return X.answerNumber(v, q.type);
    if (q.type === "select_multiple") {  // as the server: each choice once
      var items = Array.isArray(v) ? v.slice() : X.words(String(v));
      if (items.some(function (x, i) { return typeof x !== "string" || items.indexOf(x) !== i; })) throw "choice";
      return items;
    }
    if (q.type === "rank") {  // as the server (validation.py _ranking): the names in order, each once
      var placed = Array.isArray(v) ? v.map(String) : X.words(String(v));
      if (placed.some(function (x, i) { return placed.indexOf(x) !== i; })) throw "rank_repeated";
      return placed.join(" ");
    }
    if (typeof v !== "string") throw "choice";
    if (v.indexOf("\u0000") >= 0) throw q.type === "select_one" ? "choice" : "invalid_text";  // as the server: no keyboard types it
    return q.type === "select_one" ? X.strip(v) : v;
  }

  function choices(form, q, answers) {
    var options = form.choices[q.choice_list] || [];
    if (!q.choice_filter) return options;
    return options.filter(function (c) {
      var cols = Object.assign({}, c.filters, { name: c.name });
      return X.isTrue(q.choice_filter, answers, null, cols);
    });
  }

  /* Walk the form like validation.py: returns cleaned answers, errors and which questions show. */
  function evaluate(form, raw, lang, partial) {
    var answers = {}, errors = {}, visible = {}, pages = [];
    form.pages.forEach(function (page, index) {
      var pageOn = !page.relevant || X.isTrue(page.relevant, answers);
      var shown = [];
      page.questions.forEach(function (q) {
        if (!pageOn || (q.relevant && !X.isTrue(q.relevant, answers))) return;
        if (q.type === "calculate") {
          /* Computed, never asked, and kept with the answers as the server does (validation.py _calculate). */
          if (!q.calculation) return;
          var computed = X.toString(X.evaluate(q.calculation, answers));
          if (computed && computed !== "NaN") answers[q.name] = computed;
          return;
        }
        visible[q.name] = true; shown.push(q);
        if (q.type === "note") return;
        var value = raw[q.name], typed;
        if (empty(value)) {
          if (required(q, answers) && !partial) errors[q.name] = (q.required_messages || {})[lang] || msg("required", lang, form.messages);
          return;
        }
        try { typed = coerce(q, value); } catch (code) { errors[q.name] = msg(String(code), lang, form.messages); return; }
        if (q.type === "select_one" || q.type === "select_multiple" || q.type === "rank") {
          var allowed = choices(form, q, answers).map(function (c) { return c.name; });
          var chosen = Array.isArray(typed) ? typed : q.type === "rank" ? typed.split(" ") : [typed];
          if (chosen.some(function (c) { return allowed.indexOf(c) < 0; })) { errors[q.name] = msg("choice", lang, form.messages); return; }
          if (q.type === "rank" && chosen.length !== allowed.length) { errors[q.name] = msg("rank_incomplete", lang, form.messages); return; }
        }
        if (typeof typed === "string" && typed.length > MAX_TEXT) { errors[q.name] = msg("too_long", lang, form.messages); return; }
        if (q.constraint && !X.isTrue(q.constraint, answers, typed)) {
          errors[q.name] = (q.constraint_messages || {})[lang] || msg("constraint", lang, form.messages); return;
        }
        answers[q.name] = typed;
      });
      if (shown.length) pages.push(index);
    });
    return { answers: answers, errors: errors, visible: visible, pages: pages };
  }

  root.FieldForm = { evaluate: evaluate, choices: choices, label: label, hint: hint, pick: pick, msg: msg, required: required, defaultValue: defaultValue, fillIn: fillIn };
})(window);
