/* The browser twin of expressions.py: same grammar, same XPath 1.0 semantics, same corpus
   (expression_corpus.json). Exposes window.SurveyExpressions = {parse, evaluate, isTrue, toString,
   answerNumber}; answerNumber is validation.py's number rule, held to it by answer_corpus.json. */
(function (root) {
  "use strict";
  var FUNCTIONS = {
    "selected": [2, 2], "count-selected": [1, 1], "string-length": [1, 1], "not": [1, 1],
    "true": [0, 0], "false": [0, 0], "boolean": [1, 1], "if": [3, 3], "coalesce": [2, 2],
    "number": [1, 1], "string": [1, 1], "int": [1, 1], "concat": [1, null],
    "contains": [2, 2], "starts-with": [2, 2], "ends-with": [2, 2],
    "round": [1, 2], "once": [1, 1], "regex": [2, 2], "today": [0, 0], "date": [1, 1],
    "abs": [1, 1], "floor": [1, 1], "ceiling": [1, 1], "sqrt": [1, 1], "pow": [2, 2], "max": [1, null],
    "min": [1, null], "substr": [2, 3], "selected-at": [2, 2], "normalize-space": [1, 1]
  };
  var LEVELS = [["or"], ["and"], ["=", "!="], ["<", "<=", ">", ">="], ["+", "-"], ["*", "div", "mod"]];
  var TOKEN = /^(?:([ \t\r\n]+)|(\d+(?:\.\d+)?|\.\d+)|('[^']*'|"[^"]*")|\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}|(!=|<=|>=|[=<>+\-*(),])|(\.)|([A-Za-z_][A-Za-z0-9_\-]*))/;

  function ExpressionError(message) { this.name = "ExpressionError"; this.message = message; }
  ExpressionError.prototype = Object.create(Error.prototype);

  function tokenize(source) {
    var tokens = [], pos = 0, m;
    while (pos < source.length) {
      m = TOKEN.exec(source.slice(pos));
      if (!m) { throw new ExpressionError("unexpected character '" + source[pos] + "' at position " + (pos + 1)); }
      if (m[2] !== undefined) tokens.push({ kind: "number", text: m[2], pos: pos });
      else if (m[3] !== undefined) tokens.push({ kind: "string", text: m[3].slice(1, -1), pos: pos });
      else if (m[4] !== undefined) tokens.push({ kind: "ref", text: m[4], pos: pos });
      else if (m[5] !== undefined) tokens.push({ kind: "op", text: m[5], pos: pos });
      else if (m[6] !== undefined) tokens.push({ kind: "dot", text: ".", pos: pos });
      else if (m[7] !== undefined) tokens.push({ kind: "name", text: m[7], pos: pos });
      pos += m[0].length;
    }
    return tokens;
  }

  function parse(source) {
    var tokens = tokenize(source), i = 0;
    function peek() { return i < tokens.length ? tokens[i] : null; }
    function next() {
      var t = peek();
      if (t === null) throw new ExpressionError("expression ends too early");
      i += 1; return t;
    }
    function binary(level) {
      if (level === LEVELS.length) return unary();
      var node = binary(level + 1), t;
      for (;;) {
        t = peek();
        if (t === null || (t.kind !== "op" && t.kind !== "name") || LEVELS[level].indexOf(t.text) < 0) return node;
        i += 1;
        node = ["bin", t.text, node, binary(level + 1)];
      }
    }
    function unary() {
      var t = peek();
      if (t !== null && t.kind === "op" && t.text === "-") { i += 1; return ["neg", unary()]; }
      return primary();
    }
    function primary() {
      var t = next(), n, node;
      if (t.kind === "number") return ["num", parseFloat(t.text)];
      if (t.kind === "string") return ["str", t.text];
      if (t.kind === "ref") return ["ref", t.text];
      if (t.kind === "dot") return ["cur"];
      if (t.kind === "op" && t.text === "(") {
        node = binary(0); n = next();
        if (n.text !== ")") throw new ExpressionError("expected ')' at position " + (n.pos + 1) + ", found '" + n.text + "'");
        return node;
      }
      if (t.kind === "name") {
        n = peek();
        if (n === null || n.text !== "(") {
          if (["and", "or", "div", "mod"].indexOf(t.text) >= 0) {
            throw new ExpressionError("operator '" + t.text + "' at position " + (t.pos + 1) + " lacks a left side");
          }
          return ["col", t.text];
        }
        return call(t);
      }
      throw new ExpressionError("unexpected '" + t.text + "' at position " + (t.pos + 1));
    }
    function call(t) {
      if (!Object.prototype.hasOwnProperty.call(FUNCTIONS, t.text)) {
        throw new ExpressionError("unknown function '" + t.text + "' at position " + (t.pos + 1));
      }
      next();
      var args = [], sep, n = peek(), range = FUNCTIONS[t.text];
      if (n !== null && n.text === ")") { i += 1; } else {
        for (;;) {
          args.push(binary(0)); sep = next();
          if (sep.text === ")") break;
          if (sep.text !== ",") throw new ExpressionError("expected ',' or ')' at position " + (sep.pos + 1));
        }
      }
      if (args.length < range[0] || (range[1] !== null && args.length > range[1])) {
        throw new ExpressionError(t.text + "() takes " + (range[0] === range[1] ? range[0] : "at least " + range[0]) +
          " argument(s), got " + args.length);
      }
      return ["call", t.text, args];
    }
    if (tokens.length === 0) throw new ExpressionError("empty expression");
    var tree = binary(0), extra = peek();
    if (extra !== null) throw new ExpressionError("unexpected '" + extra.text + "' at position " + (extra.pos + 1));
    return tree;
  }

  function toStr(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") {
      if (isNaN(v)) return "NaN";
      if (!isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
      return String(v);
    }
    if (Array.isArray(v)) return v.join(" ");
    return String(v);
  }
  var DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/;
  /* An ISO date or date-time as days since 1970-01-01 (UTC), NaN unless it is a real one. */
  function days(s) {
    var m = DATE.exec(s), p, ms, back;
    if (!m) return NaN;
    p = m.slice(1).map(function (x) { return x === undefined ? 0 : parseInt(x, 10); });
    if (p[1] < 1 || p[1] > 12 || p[3] > 23 || p[4] > 59 || p[5] > 59) return NaN;
    back = new Date(0);
    back.setUTCFullYear(p[0], p[1] - 1, p[2]);
    back.setUTCHours(p[3], p[4], p[5], 0);
    if (back.getUTCFullYear() !== p[0] || back.getUTCDate() !== p[2] || p[0] < 1) return NaN;
    ms = back.getTime();
    return ms / 86400000;
  }
  function toNum(v) {
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "number") return v;
    var s = strip(toStr(v));
    return /^-?(\d+(\.\d*)?|\.\d+)$/.test(s) ? parseFloat(s) : days(s);
  }
  function pad(n, width) { var s = String(n); while (s.length < width) s = "0" + s; return s; }
  function isoDate(d, utc) {
    return pad(utc ? d.getUTCFullYear() : d.getFullYear(), 4) + "-" + pad((utc ? d.getUTCMonth() : d.getMonth()) + 1, 2) +
      "-" + pad(utc ? d.getUTCDate() : d.getDate(), 2);
  }
  function roundHalfAway(a) {
    var n = toNum(a[0]), digits = a.length > 1 ? truncate(a[1]) : 0, scale;
    if (isNaN(digits) || !isFinite(digits)) return NaN;
    if (isNaN(n) || !isFinite(n)) return n;
    scale = Math.pow(10, digits);
    return (n < 0 || Object.is(n, -0) ? -1 : 1) * (Math.floor(Math.abs(n) * scale + 0.5) / scale);
  }
  function regex(a) {
    try { return new RegExp(toStr(a[1])).test(toStr(a[0])); } catch (e) { return false; }
  }
  function toDate(a) {
    var v = a[0], d = (typeof v === "number" || typeof v === "boolean") ? toNum(v) : days(strip(toStr(v)));
    if (isNaN(d) || Math.floor(d) < -719162 || Math.floor(d) > 2932896) return "";
    return isoDate(new Date(Math.floor(d) * 86400000), true);
  }
  function toBool(v) {
    if (typeof v === "boolean") return v;
    if (typeof v === "number") return !(v === 0 || isNaN(v));
    return toStr(v) !== "";
  }
  function equal(a, b) {
    if (typeof a === "boolean" || typeof b === "boolean") return toBool(a) === toBool(b);
    if (typeof a === "number" || typeof b === "number") return toNum(a) === toNum(b);
    return toStr(a) === toStr(b);
  }
  /* XPath's four spaces, as expressions.py SPACE: String.trim and \s take Unicode spaces Python's do not. */
  function strip(s) { return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ""); }
  function words(v) { return toStr(v).split(/[ \t\r\n]+/).filter(function (w) { return w !== ""; }); }

  /* validation.py's number rule (_INTEGER_TEXT, _DECIMAL_TEXT): ASCII digits, a sign, for a decimal one
     point or comma; no exponent, separators or other scripts' digits. Throws the error code. */
  var INTEGER_TEXT = /^[+-]?[0-9]+$/, DECIMAL_TEXT = /^[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)$/;
  function answerNumber(v, kind) {
    var n;
    if (typeof v === "number") n = v;
    else if (typeof v === "string") {
      var text = strip(v);
      if (!(kind === "integer" ? INTEGER_TEXT : DECIMAL_TEXT).test(text)) throw kind;
      n = Number(text.replace(",", "."));
    } else throw kind;
    if (!isFinite(n) || (kind === "integer" && Math.floor(n) !== n)) throw kind;
    return n;
  }
  function divide(a, b) {
    if (b === 0) { if (a === 0 || isNaN(a)) return NaN; return (a > 0 ? Infinity : -Infinity) * (Object.is(b, -0) ? -1 : 1); }
    return a / b;
  }
  function modulo(a, b) { return (b === 0 || !isFinite(a) || isNaN(b)) ? NaN : a % b; }
  function truncate(v) { var n = toNum(v); return (isNaN(n) || !isFinite(n)) ? n : Math.trunc(n); }
  var CALLS = {
    "selected": function (a) { return words(a[0]).indexOf(toStr(a[1])) >= 0; },
    "count-selected": function (a) { return words(a[0]).length; },
    "string-length": function (a) { return Array.from(toStr(a[0])).length; },
    "not": function (a) { return !toBool(a[0]); },
    "true": function () { return true; },
    "false": function () { return false; },
    "boolean": function (a) { return toBool(a[0]); },
    "coalesce": function (a) { return toStr(a[0]) !== "" ? a[0] : a[1]; },
    "number": function (a) { return toNum(a[0]); },
    "string": function (a) { return toStr(a[0]); },
    "int": function (a) { return truncate(a[0]); },
    "concat": function (a) { return a.map(toStr).join(""); },
    "contains": function (a) { return toStr(a[0]).indexOf(toStr(a[1])) >= 0; },
    "starts-with": function (a) { return toStr(a[0]).indexOf(toStr(a[1])) === 0; },
    "ends-with": function (a) { var s = toStr(a[0]), t = toStr(a[1]); return s.length >= t.length && s.slice(s.length - t.length) === t; },
    "round": roundHalfAway,
    "once": function (a) { return a[0]; },
    "regex": regex,
    "today": function () { return isoDate(new Date(), false); },
    "date": toDate,
    "abs": function (a) { return Math.abs(toNum(a[0])); },
    "floor": function (a) { return Math.floor(toNum(a[0])); },
    "ceiling": function (a) { return Math.ceil(toNum(a[0])); },
    "sqrt": function (a) { return Math.sqrt(toNum(a[0])); },
    "pow": function (a) { return Math.pow(toNum(a[0]), toNum(a[1])); },
    "max": function (a) { return Math.max.apply(null, a.map(toNum)); },
    "min": function (a) { return Math.min.apply(null, a.map(toNum)); },
    "substr": function (a) {
      var chars = Array.from(toStr(a[0])), start = truncate(a[1]), end = a.length > 2 ? truncate(a[2]) : chars.length;
      if (isNaN(start) || isNaN(end)) return "";
      start = Math.min(Math.max(start, 0), chars.length); end = Math.min(Math.max(end, 0), chars.length);
      return chars.slice(start, end).join("");
    },
    "selected-at": function (a) {
      var items = words(a[0]), n = truncate(a[1]);
      return (isNaN(n) || n < 0 || n >= items.length) ? "" : items[n];
    },
    "normalize-space": function (a) { return words(a[0]).join(" "); }
  };
  var REL = {
    "<": function (a, b) { return a < b; }, "<=": function (a, b) { return a <= b; },
    ">": function (a, b) { return a > b; }, ">=": function (a, b) { return a >= b; }
  };
  var ARITH = {
    "+": function (a, b) { return a + b; }, "-": function (a, b) { return a - b; },
    "*": function (a, b) { return a * b; }, "div": divide, "mod": modulo
  };

  function ev(node, scope) {
    var kind = node[0], found, l, r, op;
    if (kind === "num" || kind === "str") return node[1];
    if (kind === "ref") {
      found = Object.prototype.hasOwnProperty.call(scope.values, node[1]) ? scope.values[node[1]] : null;
      return (found === null || found === undefined) ? "" : found;
    }
    if (kind === "col") {
      return Object.prototype.hasOwnProperty.call(scope.columns, node[1]) ? scope.columns[node[1]] : "";
    }
    if (kind === "cur") return (scope.current === null || scope.current === undefined) ? "" : scope.current;
    if (kind === "neg") return -toNum(ev(node[1], scope));
    if (kind === "call") {
      if (node[1] === "if") return ev(toBool(ev(node[2][0], scope)) ? node[2][1] : node[2][2], scope);
      return CALLS[node[1]](node[2].map(function (a) { return ev(a, scope); }));
    }
    op = node[1];
    if (op === "or") return toBool(ev(node[2], scope)) || toBool(ev(node[3], scope));
    if (op === "and") return toBool(ev(node[2], scope)) && toBool(ev(node[3], scope));
    l = ev(node[2], scope); r = ev(node[3], scope);
    if (op === "=") return equal(l, r);
    if (op === "!=") return !equal(l, r);
    if (REL[op]) return REL[op](toNum(l), toNum(r));
    return ARITH[op](toNum(l), toNum(r));
  }

  function evaluate(source, values, current, columns) {
    var tree = typeof source === "string" ? parse(source) : source;
    return ev(tree, { values: values || {}, current: current === undefined ? null : current, columns: columns || {} });
  }
  root.SurveyExpressions = {
    parse: parse,
    evaluate: evaluate,
    isTrue: function (source, values, current, columns) { return toBool(evaluate(source, values, current, columns)); },
    toString: toStr,
    answerNumber: answerNumber,
    words: words,
    strip: strip,
    ExpressionError: ExpressionError
  };
})(typeof window !== "undefined" ? window : globalThis);
