/* The interviewer's own interface language (FR/NL/EN), separate from the respondent's language
   used for questionnaire labels. The choice is kept in localStorage, which is read synchronously
   so the very first screen is already in the right language; the first default is the browser's. */
(function (root) {
  "use strict";
  var KEY = "field-ui-lang", LANGS = [["fr", "Français"], ["nl", "Nederlands"], ["en", "English"]];
  /* The texts, language → key → text, are written in here by the server from the one catalogue
     (field_app/tablet_texts.py, checked in FR/NL/EN by tests/test_catalogues.py). */
  var T = /*TEXTS*/{ fr: {}, nl: {}, en: {} };
  var listeners = [], current = initial();

  function supported(code) { return Object.prototype.hasOwnProperty.call(T, code); }
  function initial() {
    var saved = null, wanted, i;
    try { saved = root.localStorage.getItem(KEY); } catch (e) { saved = null; }
    if (saved && supported(saved)) return saved;
    wanted = root.navigator.languages || [root.navigator.language || ""];
    for (i = 0; i < wanted.length; i++) if (supported(String(wanted[i]).slice(0, 2).toLowerCase())) return String(wanted[i]).slice(0, 2).toLowerCase();
    return "fr";
  }
  function t(key, params) {
    var text = T[current][key] || T.en[key] || key;
    return text.replace(/\{(\w+)\}/g, function (all, name) { return params && params[name] !== undefined ? String(params[name]) : all; });
  }
  function set(code) {
    if (!supported(code)) return;
    current = code;
    try { root.localStorage.setItem(KEY, code); } catch (e) { /* private mode: still switched for this session */ }
    root.document.documentElement.lang = code;
    listeners.forEach(function (fn) { fn(code); });
  }
  root.document.documentElement.lang = current;
  root.FieldI18n = {
    t: t, set: set, LANGS: LANGS, supported: supported,
    lang: function () { return current; },
    has: function (key) { return Object.prototype.hasOwnProperty.call(T.en, key); },
    onChange: function (fn) { listeners.push(fn); }
  };
})(window);
