/* Questionnaire logic on the tablet, with the server's rules: relevance evaluated in page order
   against the answers kept so far, irrelevant answers dropped, required/type/choice/constraint
   checks, choice_filter. All expressions go through window.SurveyExpressions (same corpus as
   the server's evaluator), so what the interviewer sees offline is what the server accepts. */
(function (root) {
  "use strict";
  var X = root.SurveyExpressions;
  var MESSAGES = {
    required: { fr: "Réponse obligatoire.", nl: "Antwoord verplicht.", en: "This answer is required." },
    integer: { fr: "Nombre entier attendu.", nl: "Geheel getal verwacht.", en: "Enter a whole number." },
    decimal: { fr: "Nombre attendu.", nl: "Getal verwacht.", en: "Enter a number." },
    choice: { fr: "Choix non valable.", nl: "Ongeldige keuze.", en: "Not a valid choice." },
    constraint: { fr: "Valeur non acceptée.", nl: "Waarde niet aanvaard.", en: "This value is not accepted." },
    too_long: { fr: "Texte trop long.", nl: "Tekst te lang.", en: "Text too long." },
    unknown: { fr: "Question absente de cette version.", nl: "Vraag niet in deze versie.", en: "Question not in this version." }
  };
  var MAX_TEXT = 5000;

  function msg(code, lang) { var m = MESSAGES[code] || MESSAGES.constraint; return m[lang] || m.en; }

  function pick(preferred, fallback, lang, dflt) {
    var sets = [preferred || {}, fallback || {}], i, k;
    for (i = 0; i < sets.length; i++) if (sets[i][lang]) return sets[i][lang];
    for (i = sets.length - 1; i >= 0; i--) for (k in sets[i]) if (sets[i][k]) return sets[i][k];
    return dflt;
  }

  function label(q, lang, easy) { return pick(easy ? q.easy_labels : {}, q.labels, lang, q.name); }

  function empty(v) { return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0); }

  function coerce(q, v) {
    if (q.type === "integer" || q.type === "decimal") {
      var text = String(v).trim(), n;
      if (q.type === "decimal") text = text.replace(",", ".");
      n = typeof v === "number" ? v : (text === "" ? NaN : Number(text));
      if (!isFinite(n)) throw q.type;
      if (q.type === "integer" && Math.floor(n) !== n) throw "integer";
      return n;
    }
    if (q.type === "select_multiple") return Array.isArray(v) ? v.slice() : String(v).split(/\s+/).filter(Boolean);
    if (typeof v !== "string") throw "choice";
    return q.type === "select_one" ? v.trim() : v;
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
        visible[q.name] = true; shown.push(q);
        if (q.type === "note") return;
        var value = raw[q.name], typed;
        if (empty(value)) {
          if (q.required && !partial) errors[q.name] = (q.required_messages || {})[lang] || msg("required", lang);
          return;
        }
        try { typed = coerce(q, value); } catch (code) { errors[q.name] = msg(String(code), lang); return; }
        if (q.type === "select_one" || q.type === "select_multiple") {
          var allowed = choices(form, q, answers).map(function (c) { return c.name; });
          var chosen = Array.isArray(typed) ? typed : [typed];
          if (chosen.some(function (c) { return allowed.indexOf(c) < 0; })) { errors[q.name] = msg("choice", lang); return; }
        }
        if (typeof typed === "string" && typed.length > MAX_TEXT) { errors[q.name] = msg("too_long", lang); return; }
        if (q.constraint && !X.isTrue(q.constraint, answers, typed)) {
          errors[q.name] = (q.constraint_messages || {})[lang] || msg("constraint", lang); return;
        }
        answers[q.name] = typed;
      });
      if (shown.length) pages.push(index);
    });
    return { answers: answers, errors: errors, visible: visible, pages: pages };
  }

  root.FieldForm = { evaluate: evaluate, choices: choices, label: label, pick: pick, msg: msg };
})(window);
