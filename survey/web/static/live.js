/* The server's walk through a form (validation.py validate with partial=True), in the browser:
   pages and questions in order, each relevance decided on the answers before it, calculations
   computed where they stand, answers that the server would refuse left out. The citizen page uses
   it to show and hide questions and to re-compute calculate fields and the ${name} references in
   labels as the respondent types; tests/questionnaire/test_live_calculations.py holds it to the
   server's results in Chromium. Exposes window.SurveyLive = {walk, fillIn}. */
(function (root) {
  "use strict";
  var X = root.SurveyExpressions;
  var MAX_TEXT = 5000;
  /* The shapes validation.py _TEMPORAL accepts (a browser's date inputs send exactly these). */
  var TEMPORAL = {
    date: /^\d{4}-\d{2}-\d{2}$/,
    time: /^\d{2}:\d{2}(:\d{2})?$/,
    datetime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/
  };
  var REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}/g;

  /* As validation.py _empty: nothing, only XPath's spaces, or an empty list. */
  function empty(v) {
    if (typeof v === "string") return X.strip(v) === "";
    return v === null || v === undefined || (Array.isArray(v) && v.length === 0);
  }

  var trees = {};
  /* Each expression parsed once: the walk runs on every keystroke, over the whole form. */
  function tree(source) {
    if (!Object.prototype.hasOwnProperty.call(trees, source)) {
      try { trees[source] = X.parse(source); } catch (e) { trees[source] = null; }
    }
    return trees[source];
  }

  function isTrue(source, answers, current) {
    if (!source || !String(source).trim()) return true;
    var parsed = tree(source);
    if (parsed === null) return true;  // the server decides
    try { return X.isTrue(parsed, answers, current); } catch (e) { return true; }
  }

  /* The value the server would store for a raw answer, or undefined when it would refuse it. */
  function typed(q, v) {
    var text;
    if (q.type === "integer" || q.type === "decimal") {
      try { return X.answerNumber(v, q.type); } catch (code) { return undefined; }  // the server's one number rule
    }
    if (q.type === "select_multiple") return Array.isArray(v) ? v.slice() : String(v).split(/[ \t\r\n]+/).filter(Boolean);
    if (q.type === "rank") return Array.isArray(v) ? v.join(" ") : String(v);
    if (TEMPORAL[q.type]) {
      text = X.strip(String(v));
      if (q.type === "datetime") text = text.replace(" ", "T");
      return TEMPORAL[q.type].test(text) ? text : undefined;
    }
    if (typeof v !== "string" && typeof v !== "number") return undefined;
    text = String(v);
    if (text.indexOf("\u0000") >= 0 || text.length > MAX_TEXT) return undefined;
    return q.type === "select_one" ? X.strip(text) : text;
  }

  /* plan: [{relevant, questions: [{name, type, relevant, calculation, constraint}]}] in form order;
     raw: the answers as typed so far, by question name. Returns the answers the server would keep
     (calculations included, as their text) and which questions are relevant. */
  function walk(plan, raw) {
    var answers = {}, on = {};
    plan.forEach(function (page) {
      var pageOn = isTrue(page.relevant, answers);
      page.questions.forEach(function (q) {
        on[q.name] = pageOn && isTrue(q.relevant, answers);
        if (!on[q.name] || q.type === "note") return;
        if (q.type === "calculate") {
          if (!q.calculation) return;
          var parsed = tree(q.calculation), computed;
          if (parsed === null) return;
          try { computed = X.toString(X.evaluate(parsed, answers)); } catch (e) { return; }
          if (computed && computed !== "NaN") answers[q.name] = computed;
          return;
        }
        var value = raw[q.name];
        if (empty(value)) return;
        value = typed(q, value);
        if (value === undefined || (q.constraint && !isTrue(q.constraint, answers, value))) return;
        answers[q.name] = value;
      });
    });
    return { answers: answers, on: on };
  }

  /* ${name} in a label or hint replaced by that answer, as the server's pages.fill_in does. */
  function fillIn(text, answers) {
    if (!text || text.indexOf("${") < 0) return text || "";
    return text.replace(REFERENCE, function (all, name) {
      return X.toString(Object.prototype.hasOwnProperty.call(answers, name) ? answers[name] : null);
    });
  }

  root.SurveyLive = { walk: walk, fillIn: fillIn };
})(typeof window !== "undefined" ? window : globalThis);
