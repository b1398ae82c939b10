"""A small, documented subset of ODK XPath for `relevant`, `constraint` and `choice_filter`.

The same grammar and semantics are implemented in ``expressions.js`` for the browser and the
field app; ``expression_corpus.json`` holds the cases both must agree on. Keeping the subset
small is deliberate: every construct added here must be added, identically, in JavaScript.

Supported:
    literals        ``12``, ``3.5``, ``'text'``, ``"text"``
    references      ``${question}`` (an unanswered question is the empty string), ``.`` (the
                    current question's value, in constraints), a bare ``name`` (a column of the
                    choices sheet, in ``choice_filter`` only)
    operators       ``or and = != < <= > >= + - * div mod`` and unary ``-``, with XPath 1.0
                    precedence and comparison rules (a number compared with a string compares
                    numerically; an empty string is NaN, so ``${age} > 18`` is false when empty)
    functions       ``selected(s, 'x')``, ``count-selected(s)``, ``string-length(s)``, ``not(b)``,
                    ``true()``, ``false()``, ``boolean(x)``, ``if(c, a, b)``, ``coalesce(a, b)``,
                    ``number(x)``, ``string(x)``, ``int(x)``, ``concat(a, ...)``,
                    ``contains(s, t)``, ``starts-with(s, t)``, ``ends-with(s, t)``,
                    ``round(x)``, ``round(x, digits)`` (halves away from zero), ``once(x)`` (the
                    value itself: a response is computed once, when it is sent), ``regex(s, re)``
                    (true when the pattern matches somewhere in s; a bad pattern is false),
                    ``today()`` (the local date, ``YYYY-MM-DD``), ``date(x)`` (a date string, or
                    a number of days since 1970-01-01, as a ``YYYY-MM-DD`` date), ``abs(x)``,
                    ``floor(x)``, ``ceiling(x)``, ``sqrt(x)``, ``pow(x, y)``, ``max(x, ...)``,
                    ``min(x, ...)`` (NaN if any is), ``substr(s, start[, end])`` (0-based, end
                    excluded), ``selected-at(s, n)`` (the n-th choice, 0-based),
                    ``normalize-space(s)``
    dates           ``YYYY-MM-DD`` and ``YYYY-MM-DDTHH:MM[:SS]`` strings read as numbers are days
                    since 1970-01-01 (UTC, a time as a fraction of a day), as in ODK: so
                    ``${born} < today()`` compares dates and ``today() - ${born}`` counts days

A select_multiple answer is its choice names joined by single spaces, as in ODK. ``div`` by zero
gives ±Infinity or NaN and ``mod`` truncates toward zero, as in XPath and JavaScript.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache

from survey.questionnaire.errors import ExpressionError

Value = str | float | int | bool | None | Sequence[str]
Node = tuple[object, ...]

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<number>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<ref>\$\{(?P<refname>[A-Za-z_][A-Za-z0-9_.\-]*)\})
  | (?P<op>!=|<=|>=|[=<>+\-*(),])
  | (?P<dot>\.)
  | (?P<name>[A-Za-z_][A-Za-z0-9_\-]*)
    """,
    re.VERBOSE,
)

_FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "boolean": (1, 1),
    "if": (3, 3),
    "coalesce": (2, 2),
    "number": (1, 1),
    "string": (1, 1),
    "int": (1, 1),
    "concat": (1, None),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "round": (1, 2),
    "once": (1, 1),
    "regex": (2, 2),
    "today": (0, 0),
    "date": (1, 1),
    "abs": (1, 1),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "sqrt": (1, 1),
    "pow": (2, 2),
    "max": (1, None),
    "min": (1, None),
    "substr": (2, 3),
    "selected-at": (2, 2),
    "normalize-space": (1, 1),
}
_BINARY_LEVELS: tuple[tuple[str, ...], ...] = (
    ("or",),
    ("and",),
    ("=", "!="),
    ("<", "<=", ">", ">="),
    ("+", "-"),
    ("*", "div", "mod"),
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    pos: int


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            raise ExpressionError(f"unexpected character {source[pos]!r} at position {pos + 1}")
        kind = match.lastgroup or ""
        if kind == "refname":
            kind = "ref"
        if kind == "ref":
            tokens.append(_Token("ref", match.group("refname"), pos))
        elif kind == "string":
            tokens.append(_Token("string", match.group()[1:-1], pos))
        elif kind != "ws":
            tokens.append(_Token(kind, match.group(), pos))
        pos = match.end()
    return tokens


class _Parser:
    """Recursive descent over the precedence table; produces nested tuples."""

    def __init__(self, source: str) -> None:
        self.tokens = _tokenize(source)
        self.i = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _next(self) -> _Token:
        token = self._peek()
        if token is None:
            raise ExpressionError("expression ends too early")
        self.i += 1
        return token

    def _expect(self, text: str) -> None:
        token = self._next()
        if token.text != text:
            raise ExpressionError(f"expected {text!r} at position {token.pos + 1}, found {token.text!r}")

    def parse(self) -> Node:
        if not self.tokens:
            raise ExpressionError("empty expression")
        node = self._binary(0)
        extra = self._peek()
        if extra is not None:
            raise ExpressionError(f"unexpected {extra.text!r} at position {extra.pos + 1}")
        return node

    def _binary(self, level: int) -> Node:
        if level == len(_BINARY_LEVELS):
            return self._unary()
        node = self._binary(level + 1)
        while True:
            token = self._peek()
            if token is None or token.kind not in ("op", "name") or token.text not in _BINARY_LEVELS[level]:
                return node
            self.i += 1
            node = ("bin", token.text, node, self._binary(level + 1))

    def _unary(self) -> Node:
        token = self._peek()
        if token is not None and token.kind == "op" and token.text == "-":
            self.i += 1
            return ("neg", self._unary())
        return self._primary()

    def _primary(self) -> Node:
        token = self._next()
        if token.kind == "number":
            return ("num", float(token.text))
        if token.kind == "string":
            return ("str", token.text)
        if token.kind == "ref":
            return ("ref", token.text)
        if token.kind == "dot":
            return ("cur",)
        if token.kind == "op" and token.text == "(":
            node = self._binary(0)
            self._expect(")")
            return node
        if token.kind == "name":
            nxt = self._peek()
            if nxt is None or nxt.text != "(":
                if token.text in ("and", "or", "div", "mod"):
                    raise ExpressionError(
                        f"operator {token.text!r} at position {token.pos + 1} lacks a left side"
                    )
                return ("col", token.text)
            return self._call(token)
        raise ExpressionError(f"unexpected {token.text!r} at position {token.pos + 1}")

    def _call(self, token: _Token) -> Node:
        if token.text not in _FUNCTIONS:
            raise ExpressionError(f"unknown function {token.text!r} at position {token.pos + 1}")
        self._expect("(")
        args: list[Node] = []
        nxt = self._peek()
        if nxt is not None and nxt.text == ")":
            self.i += 1
        else:
            while True:
                args.append(self._binary(0))
                sep = self._next()
                if sep.text == ")":
                    break
                if sep.text != ",":
                    raise ExpressionError(f"expected ',' or ')' at position {sep.pos + 1}")
        low, high = _FUNCTIONS[token.text]
        if len(args) < low or (high is not None and len(args) > high):
            want = str(low) if low == high else f"at least {low}"
            raise ExpressionError(f"{token.text}() takes {want} argument(s), got {len(args)}")
        return ("call", token.text, tuple(args))


def to_string(value: Value) -> str:
    """XPath string(), with the shortest round-trip form JavaScript also prints."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return _js_number(float(value))
    if isinstance(value, str):
        return value
    return " ".join(str(v) for v in value)


def _js_number(number: float) -> str:
    """ECMAScript Number::toString, so Python and the browser print numbers identically."""
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    normal = Decimal(repr(abs(number))).normalize()
    _, digit_tuple, exponent = normal.as_tuple()
    digits = "".join(str(d) for d in digit_tuple)
    k = len(digits)
    n = int(exponent) + k
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    power = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if power > 0 else '-'}{abs(power)}"


# ASCII digits and XPath's four spaces only, here and in expressions.js: Python's \\d and str.strip() take
# Arabic-Indic digits and Unicode spaces that JavaScript's do not, and the two must agree on every answer.
SPACE = " \t\r\n"
_SPACES = re.compile(r"[ \t\r\n]+")
_NUMBER = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?")


def words(text: str) -> list[str]:
    """The items of a space-separated list (a multiple choice's answer), split on XPath spaces only."""
    return [w for w in _SPACES.split(text) if w]


_EPOCH = dt.datetime(1970, 1, 1)  # naive on purpose: dates are read as UTC in both evaluators
_FIRST_DAY, _LAST_DAY = -719162, 2932896  # 0001-01-01 and 9999-12-31, the range both evaluators print


def _days(text: str) -> float:
    """An ISO date or date-time as days since 1970-01-01 (NaN if it is not a real one)."""
    match = _DATE.fullmatch(text)
    if match is None:
        return math.nan
    year, month, day, hour, minute, second = (int(p) if p else 0 for p in match.groups())
    try:
        moment = dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return math.nan
    return (moment - _EPOCH).total_seconds() / 86400


def to_number(value: Value) -> float:
    """XPath number(): booleans are 1/0, dates are days since 1970, other unparsable strings NaN."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    text = to_string(value).strip(SPACE)
    if not _NUMBER.fullmatch(text):
        return _days(text)
    return float(text)


def to_bool(value: Value) -> bool:
    """XPath boolean(): non-zero numbers and non-empty strings are true."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return not (value == 0 or math.isnan(value))
    return to_string(value) != ""


def _equal(left: Value, right: Value) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return to_bool(left) == to_bool(right)
    if isinstance(left, int | float) or isinstance(right, int | float):
        return to_number(left) == to_number(right)
    return to_string(left) == to_string(right)


def _divide(left: float, right: float) -> float:
    if right == 0:
        if left == 0 or math.isnan(left):
            return math.nan
        return math.copysign(math.inf, left) * math.copysign(1.0, right)
    return left / right


def _modulo(left: float, right: float) -> float:
    if right == 0 or math.isinf(left) or math.isnan(left) or math.isnan(right):
        return math.nan
    return math.fmod(left, right)


def _int(value: Value) -> float:
    number = to_number(value)
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.trunc(number))


def _round(args: list[Value]) -> float:
    """ODK round(): halves away from zero; written as the browser computes it, so both agree to the bit."""
    number = to_number(args[0])
    digits = _int(args[1]) if len(args) > 1 else 0.0
    if math.isnan(digits) or math.isinf(digits):
        return math.nan
    if math.isnan(number) or math.isinf(number):
        return number
    scale = 10.0**digits
    return math.copysign(math.floor(abs(number) * scale + 0.5) / scale, number)


def _regex(args: list[Value]) -> bool:
    try:
        return re.search(to_string(args[1]), to_string(args[0])) is not None
    except re.error:
        return False


def _date(args: list[Value]) -> str:
    value = args[0]
    days = to_number(value) if isinstance(value, int | float | bool) else _days(to_string(value).strip(SPACE))
    if math.isnan(days) or not _FIRST_DAY <= math.floor(days) <= _LAST_DAY:
        return ""
    return (_EPOCH + dt.timedelta(days=math.floor(days))).date().isoformat()


def _whole(number: float, rounding: Callable[[float], int]) -> float:
    return number if math.isnan(number) or math.isinf(number) else float(rounding(number))


def _pow(args: list[Value]) -> float:
    """JavaScript's Math.pow, which Python's math.pow matches except where it raises or special-cases 1."""
    base, exponent = to_number(args[0]), to_number(args[1])
    if math.isnan(exponent) or (abs(base) == 1 and math.isinf(exponent)):
        return math.nan
    odd = exponent.is_integer() and math.fmod(exponent, 2) != 0
    try:
        return math.pow(base, exponent)
    except OverflowError:
        return -math.inf if base < 0 and odd else math.inf
    except ValueError:  # 0 to a negative power, or a negative base to a fraction
        if base == 0:
            return -math.inf if odd and math.copysign(1, base) < 0 else math.inf
        return math.nan


def _extreme(numbers: list[float], pick: Callable[[list[float]], float]) -> float:
    return math.nan if any(math.isnan(n) for n in numbers) else pick(numbers)


def _substr(args: list[Value]) -> str:
    """ODK substr(s, start[, end]): characters from start (0-based) up to end (excluded)."""
    characters = list(to_string(args[0]))
    bounds = [_int(args[1]), _int(args[2]) if len(args) > 2 else float(len(characters))]
    if any(math.isnan(b) for b in bounds):
        return ""
    start, end = (int(min(max(b, 0.0), float(len(characters)))) for b in bounds)
    return "".join(characters[start:end])


def _selected_at(args: list[Value]) -> str:
    items = words(to_string(args[0]))
    index = _int(args[1])
    if math.isnan(index) or not 0 <= index < len(items):
        return ""
    return items[int(index)]


_ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "div": _divide,
    "mod": _modulo,
}
_RELATIONAL: dict[str, Callable[[float, float], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
_CALLS: dict[str, Callable[[list[Value]], Value]] = {
    "selected": lambda a: to_string(a[1]) in words(to_string(a[0])),
    "count-selected": lambda a: float(len(words(to_string(a[0])))),
    "string-length": lambda a: float(len(to_string(a[0]))),
    "not": lambda a: not to_bool(a[0]),
    "true": lambda a: True,
    "false": lambda a: False,
    "boolean": lambda a: to_bool(a[0]),
    "coalesce": lambda a: a[0] if to_string(a[0]) != "" else a[1],
    "number": lambda a: to_number(a[0]),
    "string": lambda a: to_string(a[0]),
    "int": lambda a: _int(a[0]),
    "concat": lambda a: "".join(to_string(v) for v in a),
    "contains": lambda a: to_string(a[1]) in to_string(a[0]),
    "starts-with": lambda a: to_string(a[0]).startswith(to_string(a[1])),
    "ends-with": lambda a: to_string(a[0]).endswith(to_string(a[1])),
    "round": _round,
    "once": lambda a: a[0],
    "regex": _regex,
    "today": lambda a: dt.date.today().isoformat(),  # the respondent's local day, as in the browser
    "date": _date,
    "abs": lambda a: abs(to_number(a[0])),
    "floor": lambda a: _whole(to_number(a[0]), math.floor),
    "ceiling": lambda a: _whole(to_number(a[0]), math.ceil),
    "sqrt": lambda a: math.sqrt(n) if (n := to_number(a[0])) >= 0 else math.nan,
    "pow": _pow,
    "max": lambda a: _extreme([to_number(v) for v in a], max),
    "min": lambda a: _extreme([to_number(v) for v in a], min),
    "substr": _substr,
    "selected-at": _selected_at,
    "normalize-space": lambda a: " ".join(words(to_string(a[0]))),
}


@dataclass(slots=True)
class _Scope:
    """What one evaluation reads; made for every evaluation, so kept cheap to create (slots, not frozen)."""

    values: Mapping[str, Value]
    current: Value
    columns: Mapping[str, str]


def _nodes(node: Node) -> list[Node]:
    found = [node]
    if node[0] == "call":
        args = node[2]
        assert isinstance(args, tuple)
        for arg in args:
            found.extend(_nodes(arg))
    elif node[0] == "neg":
        child = node[1]
        assert isinstance(child, tuple)
        found.extend(_nodes(child))
    elif node[0] == "bin":
        for child in node[2:]:
            assert isinstance(child, tuple)
            found.extend(_nodes(child))
    return found


Compiled = Callable[[_Scope], Value]


def _compile(node: Node) -> Compiled:
    """Turn the tree into nested closures once, so evaluating a response does no dispatch on node kinds.

    Each closure does what the node means in XPath; the shared corpus checks the browser's
    evaluator gives the same results.
    """
    kind = node[0]
    if kind in ("num", "str"):
        constant = node[1]
        return lambda _scope: constant  # type: ignore[return-value]
    if kind == "ref":
        name = str(node[1])

        def reference(scope: _Scope) -> Value:
            found = scope.values.get(name)
            return "" if found is None else found

        return reference
    if kind == "col":
        column = str(node[1])
        return lambda scope: scope.columns.get(column, "")
    if kind == "cur":
        return lambda scope: "" if scope.current is None else scope.current
    if kind == "neg":
        inner = _compile(node[1])  # type: ignore[arg-type]
        return lambda scope: -to_number(inner(scope))
    if kind == "call":
        return _compile_call(str(node[1]), node[2])  # type: ignore[arg-type]
    return _compile_binary(str(node[1]), _compile(node[2]), _compile(node[3]))  # type: ignore[arg-type]


def _compile_call(name: str, arg_nodes: tuple[Node, ...]) -> Compiled:
    args = [_compile(a) for a in arg_nodes]
    if name == "if":
        test, then, otherwise = args
        return lambda scope: then(scope) if to_bool(test(scope)) else otherwise(scope)
    function = _CALLS[name]
    return lambda scope: function([a(scope) for a in args])


def _compile_binary(op: str, left: Compiled, right: Compiled) -> Compiled:
    if op == "or":
        return lambda scope: to_bool(left(scope)) or to_bool(right(scope))
    if op == "and":
        return lambda scope: to_bool(left(scope)) and to_bool(right(scope))
    if op == "=":
        return lambda scope: _equal(left(scope), right(scope))
    if op == "!=":
        return lambda scope: not _equal(left(scope), right(scope))
    compare: Callable[[float, float], Value] = _RELATIONAL.get(op) or _ARITHMETIC[op]
    return lambda scope: compare(to_number(left(scope)), to_number(right(scope)))


@dataclass(frozen=True)
class Expression:
    """A parsed expression: parse once at import time, evaluate for every response."""

    source: str
    tree: Node = field(repr=False)

    @cached_property
    def _compiled(self) -> Compiled:
        return _compile(self.tree)

    @property
    def references(self) -> frozenset[str]:
        """Question names the expression reads, so the importer can check they exist."""
        return frozenset(str(n[1]) for n in _nodes(self.tree) if n[0] == "ref")

    @property
    def columns(self) -> frozenset[str]:
        """Bare names: choice-sheet columns a ``choice_filter`` reads."""
        return frozenset(str(n[1]) for n in _nodes(self.tree) if n[0] == "col")

    @property
    def uses_current(self) -> bool:
        """Whether ``.`` appears: only meaningful inside a constraint."""
        return any(n[0] == "cur" for n in _nodes(self.tree))

    def evaluate(
        self, values: Mapping[str, Value], current: Value = None, columns: Mapping[str, str] | None = None
    ) -> Value:
        """Evaluate against answers by question name; unanswered questions are ''."""
        return self._compiled(_Scope(values, current, columns or {}))

    def is_true(
        self, values: Mapping[str, Value], current: Value = None, columns: Mapping[str, str] | None = None
    ) -> bool:
        """Boolean result, as used for ``relevant``, ``constraint`` and ``choice_filter``."""
        return to_bool(self.evaluate(values, current, columns))


@lru_cache(maxsize=4096)
def parse(source: str) -> Expression:
    """Parse an expression, raising :class:`ExpressionError` with the position of the fault.

    Cached: a form has a few dozen expressions, evaluated for every response.
    """
    return Expression(source=source, tree=_Parser(source).parse())


def evaluate(
    source: str, values: Mapping[str, Value], current: Value = None, columns: Mapping[str, str] | None = None
) -> Value:
    """Parse and evaluate in one go; for one-off checks, not for loops."""
    return parse(source).evaluate(values, current, columns)
