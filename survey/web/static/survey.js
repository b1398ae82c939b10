/* Progressive enhancement of a questionnaire page: live skip logic, calculations and ${name}
   references in labels re-computed as answers change, and early checks. The server decides
   everything again; without this script every page still works. Uses window.SurveyExpressions
   (the shared evaluator, /static/expressions.js) and window.SurveyLive (the server's walk, live.js). */
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  var E = window.SurveyExpressions, L = window.SurveyLive;
  if (!form || !E || !L) return;
  var flag = document.createElement("input");
  flag.type = "hidden"; flag.name = "_js"; flag.value = "1";
  form.appendChild(flag);
  var others = {};
  try { others = JSON.parse(form.getAttribute("data-answers") || "{}"); } catch (e) { others = {}; }
  var plan = [];
  try { plan = JSON.parse(form.getAttribute("data-plan") || "[]"); } catch (e) { plan = []; }
  var blocks = Array.prototype.slice.call(form.querySelectorAll(".question"));

  function valueOf(block) {
    var name = block.getAttribute("data-name"), type = block.getAttribute("data-type");
    var inputs = form.querySelectorAll("[name='" + name + "']");
    if (type === "select_multiple") {
      return Array.prototype.filter.call(inputs, function (i) { return i.checked; }).map(function (i) { return i.value; });
    }
    if (type === "rank") {  // one select per place; blanks are places still open
      return Array.prototype.map.call(inputs, function (i) { return i.value; }).filter(function (x) { return x; });
    }
    if (type === "select_one" && inputs.length && inputs[0].tagName === "SELECT") return inputs[0].value;
    if (type === "select_one") {
      var on = Array.prototype.filter.call(inputs, function (i) { return i.checked; });
      return on.length ? on[0].value : "";
    }
    if (type === "note" || !inputs.length) return "";
    if (type === "image" || type === "audio" || type === "file") {  // the file chosen, else the one sent before
      return inputs[0].value.split(/[\\/]/).pop() || inputs[0].getAttribute("data-current") || "";
    }
    return inputs[0].value;
  }
  function typed(block, v) {
    var type = block.getAttribute("data-type");
    if (type === "integer" || type === "decimal") {
      try { return E.answerNumber(v, type); } catch (code) { return v; }  // the check below names the problem
    }
    if (type === "select_multiple" || type === "rank") return v.join(" ");
    return v;
  }
  /* What the respondent has typed so far: this page's fields over the stored answers of the others.
     A ranking with a place still open is no answer yet (the server says rank_incomplete). */
  function raw() {
    var out = {}, k;
    for (k in others) if (Object.prototype.hasOwnProperty.call(others, k)) out[k] = others[k];
    blocks.forEach(function (b) {
      var name = b.getAttribute("data-name"), v = valueOf(b);
      if (b.getAttribute("data-type") === "rank" && v.length < form.querySelectorAll("[name='" + name + "']").length) v = [];
      out[name] = v;
    });
    return out;
  }
  /* The server's walk (live.js): relevance in form order, calculations recomputed, refused answers left out. */
  function current() { return L.walk(plan, raw()); }
  function refresh() {
    var result = current();
    blocks.forEach(function (b) {
      var name = b.getAttribute("data-name");
      if (Object.prototype.hasOwnProperty.call(result.on, name)) b.hidden = !result.on[name];
    });
    form.querySelectorAll("[data-template]").forEach(function (el) {
      var text = L.fillIn(el.getAttribute("data-template"), result.answers);
      if (el.textContent !== text) el.textContent = text;
      if (el.parentNode.classList.contains("hint")) el.parentNode.hidden = !text;  // a hint reading only unanswered questions
    });
  }
  /* XLSForm's required as an expression, decided on the answers as they are now (the server does the same). */
  function requiredNow(block, all) {
    var when = block.getAttribute("data-required-when"), on;
    if (!when) return "";
    try { on = E.isTrue(when, all); } catch (e) { on = false; }
    return on ? block.getAttribute("data-required-message") : "";
  }
  function empty(v) { return v === "" || (Array.isArray(v) && v.length === 0); }
  function check(block, all) {
    var v = valueOf(block), type = block.getAttribute("data-type");
    if (empty(typeof v === "string" ? E.strip(v) : v)) return block.getAttribute("data-required") || requiredNow(block, all);
    if (type === "integer" || type === "decimal") {  // the server's rule (expressions.js answerNumber)
      try { E.answerNumber(v, type); } catch (code) { return form.getAttribute("data-msg-" + code); }
    }
    var c = block.getAttribute("data-constraint");
    if (c) {
      var ok;
      try { ok = E.isTrue(c, all, typed(block, v)); } catch (e) { ok = true; }
      if (!ok) return block.getAttribute("data-constraint-message");
    }
    return "";
  }
  function show(block, message) {
    var name = block.getAttribute("data-name");
    var p = document.getElementById("error-" + name);
    block.classList.toggle("invalid", !!message);
    block.querySelectorAll("input,textarea,select").forEach(function (i) {
      if (message) i.setAttribute("aria-invalid", "true"); else i.removeAttribute("aria-invalid");
    });
    if (!p) return;
    p.hidden = !message;
    p.textContent = message ? form.getAttribute("data-error-prefix") + " " + message : "";
    var target = block.querySelector("fieldset,input:not([type=hidden]),textarea,select");
    if (target) {
      var ids = (target.getAttribute("aria-describedby") || "").split(" ").filter(function (x) { return x && x !== p.id; });
      if (message) ids.push(p.id);
      if (ids.length) target.setAttribute("aria-describedby", ids.join(" ")); else target.removeAttribute("aria-describedby");
    }
  }
  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.value !== "next") return;
    refresh();
    var all = current().answers, problems = [];
    blocks.forEach(function (b) {
      if (b.hidden || b.getAttribute("data-type") === "note") { show(b, ""); return; }
      var message = check(b, all);
      show(b, message);
      if (message) problems.push([b, message]);
    });
    if (!problems.length) return;
    event.preventDefault();
    var summary = document.getElementById("errors");
    var list = summary.querySelector("ul");
    list.textContent = "";
    problems.forEach(function (p) {
      var li = document.createElement("li"), a = document.createElement("a");
      var first = p[0].querySelector("input:not([type=hidden]),textarea,select");
      var label = p[0].querySelector("legend,.qlabel");
      a.href = "#" + (first ? first.id : p[0].id);
      a.textContent = (label ? label.childNodes[0].textContent.trim() : "") + " – " + p[1];
      li.appendChild(a); list.appendChild(li);
    });
    summary.hidden = false;
    summary.focus();
  });
  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("#errors a");
    if (!a) return;
    var el = document.getElementById(a.getAttribute("href").slice(1));
    if (el) { event.preventDefault(); el.focus(); }
  });
  refresh();
  var summary = document.getElementById("errors");
  if (summary && !summary.hidden) summary.focus();
})();
