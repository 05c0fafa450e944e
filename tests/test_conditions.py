"""Tests of the condition language: parsing, evaluation, references, hostile input."""

from __future__ import annotations

import datetime as dt
import pickle
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys.conditions import (
    ConditionError,
    evaluate,
    option_references,
    parse_condition,
    referenced_names,
    uses_value,
)
from surveys.conditions.nodes import And, Compare, Constant, Name, Not, Or


def holds(source: str, **env: object) -> bool:
    return evaluate(parse_condition(source), env)


def error_of(source: str) -> ConditionError:
    with pytest.raises(ConditionError) as caught:
        parse_condition(source)
    return caught.value


# -- the spec's example and parsing basics


@pytest.mark.parametrize(
    ("answer", "expected"),
    [("selten", True), ("nie", True), ("taeglich", False), (None, False), (["selten"], False)],
)
def test_spec_example(answer: object, expected: bool) -> None:
    assert holds("haeufigkeit in ['selten', 'nie']", haeufigkeit=answer) is expected


def test_condition_keeps_source_and_is_hashable() -> None:
    cond = parse_condition("  a == 'x'\n")
    assert cond.source == "  a == 'x'\n"
    assert str(cond) == cond.source
    assert cond == parse_condition("  a == 'x'\n")
    assert hash(cond) == hash(parse_condition("  a == 'x'\n"))
    assert cond.tree == Compare("==", Name("a", 3), Constant("x", 8), 5)


def test_literals() -> None:
    cond = parse_condition("[1, -2, 3.5, -0.25, 'a', \"b\", true, false, null,]")
    values = [item.value for item in cond.tree.items]  # type: ignore[union-attr]
    assert values == [1, -2, 3.5, -0.25, "a", "b", True, False, None]
    assert isinstance(values[0], int) and isinstance(values[2], float)


def test_string_escapes() -> None:
    assert parse_condition(r"'it\'s'").tree == Constant("it's", 1)
    assert parse_condition(r'"say \"hi\""').tree == Constant('say "hi"', 1)
    assert parse_condition(r"'back\\slash'").tree == Constant("back\\slash", 1)
    assert holds(r"t == 'a\'b'", t="a'b")


def test_line_breaks_and_tabs_are_whitespace() -> None:
    assert holds("a == 1\n\tand b == 2", a=1, b=2)


def test_precedence_not_and_or() -> None:
    cond = parse_condition("not a == 'x' and b or c")
    assert cond.tree == Or(
        (And((Not(Compare("==", Name("a", 5), Constant("x", 10), 7), 1), Name("b", 18)), 1), Name("c", 23)), 1
    )
    assert holds("not a == 'x' and b or c", a="y", b=True) is True
    assert holds("not a == 'x' and b or c", a="x", b=True) is False
    assert holds("not a == 'x' and b or c", a="x", b=True, c=1) is True
    assert holds("not (a == 'x' and b)", a="x", b=False) is True


def test_or_and_chains_are_flat() -> None:
    tree = parse_condition("a or b or c and d and e").tree
    assert isinstance(tree, Or) and len(tree.operands) == 3
    assert isinstance(tree.operands[2], And) and len(tree.operands[2].operands) == 3


def test_function_named_like_question_without_parentheses_is_a_name() -> None:
    # Question ids may be "count" or "length": only a following '(' makes a call.
    assert holds("count == 3", count=3)
    assert holds("count (q) == 2", q=["a", "b"])


# -- evaluation: equality


@pytest.mark.parametrize(
    ("source", "env", "expected"),
    [
        ("a == 'x'", {"a": "x"}, True),
        ("a == 'x'", {"a": "y"}, False),
        ("a != 'x'", {"a": "y"}, True),
        ("a != 'x'", {}, True),  # unanswered is not 'x'
        ("a == null", {}, True),
        ("a == null", {"a": 0}, False),
        ("a != null", {"a": ""}, True),
        ("a == true", {"a": True}, True),
        ("a == true", {"a": 1}, False),  # bool is not a number here
        ("a == 1", {"a": True}, False),
        ("a != 1", {"a": True}, True),
        ("a == false", {"a": 0}, False),
        ("a == 1", {"a": 1.0}, True),  # ints equal floats numerically
        ("a == 2.5", {"a": 2.5}, True),
        ("a == -3", {"a": -3}, True),
        ("a == '1'", {"a": 1}, False),
        ("a == ['x', 'y']", {"a": ["x", "y"]}, True),
        ("a == ['x', 'y']", {"a": ["y", "x"]}, False),
        ("a == [1]", {"a": [True]}, False),
        ("a == b", {"a": {"lat": 1}, "b": {"lat": 1}}, False),  # locations equal nothing
        ("a == b", {"a": [1, [2]], "b": [1, [2]]}, True),
    ],
)
def test_equality(source: str, env: dict[str, object], expected: bool) -> None:
    assert evaluate(parse_condition(source), env) is expected


# -- evaluation: order


@pytest.mark.parametrize(
    ("source", "env", "expected"),
    [
        ("n < 3", {"n": 2}, True),
        ("n < 3", {"n": 3}, False),
        ("n <= 3", {"n": 3}, True),
        ("n > 2.5", {"n": 3}, True),
        ("n >= 3", {"n": 3.0}, True),
        ("n > -1", {"n": -0.5}, True),
        ("d < '2026-12-24'", {"d": "2026-12-23"}, True),  # dates order as strings
        ("d >= '2026-01-01'", {"d": "2025-12-31"}, False),
        ("d > '2026-01-01'", {"d": dt.date(2026, 5, 1)}, True),  # a date object reads as its ISO text
        ("n < 3", {}, False),  # null never orders
        ("n >= 3", {"n": None}, False),
        ("n < 3", {"n": "2"}, False),  # text vs number
        ("n < 'b'", {"n": 1}, False),
        ("n > 0", {"n": True}, False),  # bool is not a number
        ("n < 3", {"n": [1]}, False),
        ("3 > n", {"n": 2}, True),
    ],
)
def test_order(source: str, env: dict[str, object], expected: bool) -> None:
    assert evaluate(parse_condition(source), env) is expected


def test_ordering_negations_are_not_complements_for_null() -> None:
    # Both directions are false for an unanswered question: nothing is invented.
    assert holds("n < 3") is False
    assert holds("n >= 3") is False


# -- evaluation: membership


@pytest.mark.parametrize(
    ("source", "env", "expected"),
    [
        ("a in ['x', 'y']", {"a": "y"}, True),
        ("a in ['x', 'y']", {"a": "z"}, False),
        ("a not in ['x', 'y']", {"a": "z"}, True),
        ("a not in ['x', 'y']", {"a": "x"}, False),
        ("a not in ['x']", {}, True),  # unanswered is not among the options
        ("n in [1, 2]", {"n": 2.0}, True),
        ("n in [1, 2]", {"n": True}, False),
        ("'x' in m", {"m": ["x", "y"]}, True),
        ("'z' in m", {"m": ["x", "y"]}, False),
        ("'z' not in m", {"m": ["x", "y"]}, True),
        ("'x' not in m", {"m": ["x"]}, False),
        ("'x' in m", {}, False),  # an unanswered question contains nothing ...
        ("'x' not in m", {}, False),  # ... and lacks nothing
        ("'Rad' in t", {"t": "Mehr Radwege"}, True),  # substring
        ("'Auto' in t", {"t": "Mehr Radwege"}, False),
        ("'Auto' not in t", {"t": "Mehr Radwege"}, True),
        ("1 in t", {"t": "123"}, False),  # no substring test for numbers
        ("1 not in t", {"t": "123"}, False),
        ("'x' in n", {"n": 5}, False),
        ("'x' not in n", {"n": 5}, False),
        ("'x' not in loc", {"loc": {"x": 1}}, False),
        ("null in [1, null]", {}, True),
        ("a in []", {"a": "x"}, False),
    ],
)
def test_membership(source: str, env: dict[str, object], expected: bool) -> None:
    assert evaluate(parse_condition(source), env) is expected


# -- evaluation: functions


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (None, False),
        ([], False),
        ((), False),
        ("", True),
        (0, True),
        (False, True),
        (["a"], True),
        ({"lat": 51.5}, True),
    ],
)
def test_answered(answer: object, expected: bool) -> None:
    assert holds("answered(q)", q=answer) is expected
    assert holds("not answered(q)", q=answer) is not expected


def test_answered_on_missing_question() -> None:
    assert holds("answered(q)") is False


@pytest.mark.parametrize(
    ("answer", "expected"),
    [(["a", "b"], True), (["b"], False), ("a", True), ("b", False), (None, False), ([["a"]], False), (1, False)],
)
def test_selected(answer: object, expected: bool) -> None:
    assert holds("selected(q, 'a')", q=answer) is expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [(["a", "b", "c"], 3), ([], 0), (None, 0), ("a", 1), (0, 1), (False, 1), ({"lat": 1}, 1)],
)
def test_count(answer: object, expected: int) -> None:
    assert holds(f"count(q) == {expected}", q=answer)
    assert not holds(f"count(q) == {expected + 1}", q=answer)


@pytest.mark.parametrize(
    ("answer", "expected"), [("Hallo", 5), ("", 0), ("äöü", 3), (None, 0), (12345, 0), (["abc"], 0)]
)
def test_length(answer: object, expected: int) -> None:
    assert holds(f"length(q) == {expected}", q=answer)


def test_functions_on_value_in_a_constraint() -> None:
    assert holds("length(value) >= 10", value="0123456789")
    assert not holds("length(value) >= 10", value="kurz")
    assert holds("count(value) <= 2", value=["a", "b"])
    assert not holds("count(value) <= 2", value=["a", "b", "c"])


# -- evaluation: logic, minus, results


@pytest.mark.parametrize(
    ("answer", "truthy"),
    [
        (None, False),
        (0, False),
        (0.0, False),
        ("", False),
        ([], False),
        (False, False),
        (1, True),
        (-2.5, True),
        ("x", True),
        (["x"], True),
        (True, True),
        ({"lat": 1}, True),
    ],
)
def test_truthiness_of_bare_names(answer: object, truthy: bool) -> None:
    assert holds("q", q=answer) is truthy
    assert holds("not q", q=answer) is not truthy
    assert holds("q and true", q=answer) is truthy
    assert holds("q or false", q=answer) is truthy


def test_and_or_results_are_booleans_not_operands() -> None:
    # (a or b) yields a boolean, so it never equals the answer text itself.
    assert holds("(a or b) == 'x'", a="x") is False
    assert holds("(a or b) == true", a="x") is True


def test_unary_minus() -> None:
    assert holds("-n == -4", n=4)
    assert holds("- - 3 == 3")
    assert holds("-count(q) < -1", q=["a", "b"])
    assert holds("value > -2.5", value=-1)
    # Negating a non-number gives null, which orders with nothing.
    assert holds("-t < 0", t="x") is False
    assert holds("-t == null", t="x") is True
    assert holds("-b == -1", b=True) is False


def test_literal_only_conditions() -> None:
    assert holds("true") is True
    assert holds("false") is False
    assert holds("null") is False
    assert holds("1 < 2") is True
    assert holds("[]") is False


def test_evaluate_always_returns_bool() -> None:
    for source in ("a", "count(a)", "-a", "[1]", "'x'", "a or b"):
        assert type(evaluate(parse_condition(source), {"a": 3, "b": "y"})) is bool


def test_evaluate_is_safe_on_deep_and_cyclic_values() -> None:
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    cyclic: list[object] = []
    cyclic.append(cyclic)
    other: list[object] = []
    other.append(other)
    env = {"d": deep, "e": deep, "c": cyclic, "o": other}
    for source in ("d == e", "c == o", "c in [1]", "'x' in c", "c == d", "answered(c)", "count(d) == 1", "d != e"):
        assert type(evaluate(parse_condition(source), env)) is bool
    assert evaluate(parse_condition("c == o"), env) is False  # too deep to tell: not equal


def test_evaluate_on_odd_values() -> None:
    env: dict[str, object] = {"n": float("nan"), "i": float("inf"), "b": 10**40, "o": object(), "s": {1, 2}}
    assert holds("n == n", **env) is False
    assert holds("i > b", **env) is True
    assert holds("b > 1000.5", **env) is True
    assert holds("o == o", **env) is False
    assert holds("answered(o) and answered(s)", **env) is True
    assert holds("'x' in o or 1 in s", **env) is False


# -- what a condition refers to


def test_referenced_names_and_uses_value() -> None:
    cond = parse_condition("(a == 1 or answered(b)) and selected(c, 'x') and count(value) > length(d)")
    assert referenced_names(cond) == frozenset({"a", "b", "c", "d"})
    assert uses_value(cond) is True
    plain = parse_condition("'value' in t")
    assert referenced_names(plain) == frozenset({"t"})
    assert uses_value(plain) is False
    assert referenced_names(parse_condition("1 < 2")) == frozenset()


def test_option_references() -> None:
    cond = parse_condition(
        "selected(m, 'a') or q == 'b' or 'c' == q or q != 'd' or q in ['e', 1, 'f'] "
        "or q not in ['g'] or 'h' in m or 'i' not in m or m == ['j', 'k'] or q == 'b'"
    )
    assert option_references(cond) == (
        ("m", "a"),
        ("q", "b"),
        ("q", "c"),
        ("q", "d"),
        ("q", "e"),
        ("q", "f"),
        ("q", "g"),
        ("m", "h"),
        ("m", "i"),
        ("m", "j"),
        ("m", "k"),
    )


@pytest.mark.parametrize(
    "source",
    [
        "value == 'x'",  # value is no question id
        "selected(value, 'x')",
        "q == r",
        "q == 1",
        "q < 'x'",
        "q in 'abc'",  # substring, not options
        "count(q) == 'x'",
        "-q == 'x'",
    ],
)
def test_no_option_references(source: str) -> None:
    assert option_references(parse_condition(source)) == ()


# -- hostile and mistaken input


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("", "the condition is empty", 1),
        ("  \n\t ", "the condition is empty", 1),
        ("a ==", "expected a value after '=='", 5),
        ("== 1", "expected a value at the start, found '=='", 1),
        ("a == not b", "expected a value after '==', found 'not' (put 'not …' in parentheses)", 6),
        ("()", "expected a value after '(', found ')'", 2),
        ("a and", "expected a value after 'and'", 6),
        ("a < b < c", "comparisons can't be chained; join them with 'and', like 'x > 1 and x < 5'", 7),
        ("a == b != c", "comparisons can't be chained", 8),
        ("a in b not in c", "comparisons can't be chained", 8),
        ("a == 1 b", "expected 'and', 'or' or the end of the condition, found 'b'", 8),
        ("a adn b", "found 'adn' — did you mean 'and'?", 3),
        ("a not b", "found 'not' (did you mean 'not in'?)", 3),
        ("n == 2,5", "(write decimal numbers with a '.', like 2.5)", 7),
        ("(a == 1", "missing ')' to close the '(' at column 1", 8),
        ("(a == 1 b", "missing ')' to close the '(' at column 1, found 'b'", 9),
        ("a == 1)", "unexpected ')' without a matching '('", 7),
        ("a]", "unexpected ']' without a matching '['", 2),
        ("a in ['x'", "missing ']' to close the '[' at column 6", 10),
        ("a in [['x']]", "lists can't contain lists", 7),
        ("a in [b]", "lists may only hold fixed values", 7),
        ("a in [-'x']", "'-' can only stand before a number", 7),
        ("a in ['x' 'y']", "missing ']' to close the '['", 11),
        ("-'x' == a", "'-' can only stand before a number", 1),
        ("-true", "'-' can only stand before a number", 1),
        ("-[1]", "'-' can't stand before a list", 1),
        ("a = 1", "use '==' to compare; a single '=' is not an operator", 3),
        ("a => 1", "use '>=' instead of '=>'", 3),
        ("a =< 1", "use '<=' instead of '=<'", 3),
        ("a && b", "use 'and' instead of '&&'", 3),
        ("a & b", "use 'and' instead of '&'", 3),
        ("a || b", "use 'or' instead of '||'", 3),
        ("!a", "use 'not' instead of '!'", 1),
        ("a is null", "use '==' or '!=' instead of 'is'", 3),
        ("a ; b", "unexpected character ';'", 3),
        ("a $ b", "unexpected character '$'", 3),
        ("`a`", "unexpected character '`'", 1),
        ("a.b", "unexpected character '.'", 2),
        ("a * 2", "unexpected character '*'", 3),
        ("a == .5", "write decimal numbers with a digit before the '.', like 0.5", 6),
        ("a == 5.", "a decimal number needs digits after the '.'", 7),
        ("a == 1e5", "unexpected 'e' right after the number 1", 7),
        ("a == 1.2.3", "unexpected '.' right after the number 1.2", 9),
        ("häufigkeit", "unexpected character 'ä': question ids use only a–z, 0–9 and '_'", 2),
        ("a == „ja“", "use straight quotes ' or \" around texts, not „", 6),
        ("a == 'ja", "this quoted text is not closed: add the missing '", 6),
        ('a == "ja', 'this quoted text is not closed: add the missing "', 6),
        ("a == 'ja\\'", "this quoted text is not closed", 6),
        ("a == 'x\\n'", "unknown escape '\\n' in a quoted text", 8),
        ("a == 'x\\\u202e'", "remove the invisible character U+202E", 8),
        ("__import__('os')", "'__import__' is not a valid name: question ids start with a lowercase letter", 1),
        ("a.__class__", "unexpected character '.'", 2),
        ("__class__ == 1", "'__class__' is not a valid name", 1),
        ("_x", "'_x' is not a valid name", 1),
        ("lambda", "'lambda' is a reserved word and can't be used as a question id", 1),
        ("a == 1 if b else c", "'if' is a reserved word", 8),
        ("import", "'import' is a reserved word", 1),
        ("True", "'True' is not a valid name: names are lowercase — did you mean 'true'?", 1),
        ("a == None", "did you mean 'null'?", 6),
        ("Haeufigkeit == 'nie'", "did you mean 'haeufigkeit'?", 1),
        ("selectd(q, 'x')", "unknown function 'selectd' — did you mean 'selected'?", 1),
        ("answerd(q)", "unknown function 'answerd' — did you mean 'answered'?", 1),
        ("eval('1')", "unknown function 'eval': the functions are answered(), selected(), count() and length()", 1),
        ("open(q)", "unknown function 'open'", 1),
        ("answered()", "answered() takes 1 argument but got 0: write answered(q)", 1),
        ("count(a, b)", "count() takes 1 argument but got 2: write count(q)", 1),
        ("selected(q)", "selected() takes 2 arguments but got 1: write selected(q, 'option')", 1),
        ("selected(q, 'a', 'b')", "selected() takes 2 arguments but got 3", 1),
        ("selected(q, 5)", "the second argument of selected() must be an option id in quotes", 13),
        ("selected(q, r)", "the second argument of selected() must be an option id in quotes", 13),
        ("answered('q')", "the first argument of answered() must be a question id, like answered(q)", 10),
        ("length(a == 1)", "the first argument of length() must be a question id", 8),
        ("count(count(q))", "the first argument of count() must be a question id", 7),
        ("a\u202e == 1", "remove the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)", 2),
        ("a == 'x\u202e'", "remove the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)", 8),
        ("a\u2066== 1", "U+2066 (LEFT-TO-RIGHT ISOLATE)", 2),
        ("a ==\x001", "remove the invisible character U+0000 (control character)", 5),
        ("a\x1b[0m", "U+001B (control character)", 2),
        ("a\u00a0== 1", "U+00A0 (NO-BREAK SPACE)", 2),
        ("a\u200b== 1", "U+200B (ZERO WIDTH SPACE)", 2),
    ],
)
def test_errors(source: str, message: str, column: int) -> None:
    error = error_of(source)
    assert message in error.message
    assert error.column == column
    assert str(error) == f"{error.message} (column {column})"


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("(" * 33 + "a" + ")" * 33, "the condition is nested more than 32 levels deep", 33),
        ("(" * 900 + "a" + ")" * 900, "nested more than 32 levels deep", 33),
        ("not " * 33 + "a", "nested more than 32 levels deep", 129),
        ("- " * 33 + "1", "nested more than 32 levels deep", 65),
        ("[" * 500, "lists can't contain lists", 2),
        ("answered(" * 40 + "q" + ")" * 40, "nested more than 32 levels deep", 33 * 9),
        ("x" * 2001, "the condition is longer than 2000 characters", 2001),
        ("a == '" + "x" * 501 + "'", "a quoted text may have at most 500 characters", 6),
        ("a == " + "9" * 31, "numbers may have at most 30 digits", 6),
        ("a == 1." + "5" * 30, "numbers may have at most 30 digits", 6),
        ("a in [" + ", ".join(["1"] * 101) + "]", "a list may have at most 100 items", 7 + 100 * 3),
    ],
)
def test_limits(source: str, message: str, column: int) -> None:
    error = error_of(source)
    assert message in error.message
    assert error.column == column


def test_limits_are_inclusive() -> None:
    assert holds("(" * 32 + "a" + ")" * 32, a=True)
    assert holds("not " * 32 + "a", a=True)
    assert holds("a == '" + "x" * 500 + "'", a="x" * 500)
    assert holds("a == " + "9" * 30, a=int("9" * 30))
    assert holds("a in [" + ", ".join(str(i) for i in range(100)) + "]", a=99)
    long_or = " or ".join(["a"] * 399)  # 1993 characters: long, flat and fine
    assert len(long_or) <= 2000 and holds(long_or, a=1)


def test_non_text_is_refused() -> None:
    error = error_of(True)  # type: ignore[arg-type]  # e.g. show_if = true in TOML
    assert error.message == "a condition must be a text in quotes"


def test_condition_error_is_a_value_error_and_pickles() -> None:
    error = error_of("a &&")
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.column) == (error.message, error.column)


def test_package_never_runs_python_on_conditions() -> None:
    package = Path(__file__).resolve().parents[1] / "surveys" / "conditions"
    sources = {path.name: path.read_text(encoding="utf-8") for path in package.glob("*.py")}
    assert {"lexer.py", "parser.py", "evaluation.py"} <= sources.keys()
    forbidden = re.compile(r"\b(eval|exec|compile|__import__|getattr)\s*\(|^\s*(import|from)\s+ast\b", re.M)
    for name, text in sources.items():
        assert not forbidden.search(text), name


# -- properties

_TOKENS = [
    "a",
    "b",
    "value",
    "count",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "not",
    "and",
    "or",
    "(",
    ")",
    "[",
    "]",
    ",",
    "-",
    "'x'",
    '"y"',
    "1",
    "2.5",
    "true",
    "false",
    "null",
    "answered(a)",
    "selected(b, 'x')",
    "count(a)",
    "length(b)",
    "selected(value, 'y')",
]
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=12,
)
_envs = st.dictionaries(st.sampled_from(["a", "b", "value", "count", "c"]), _json, max_size=5)
_fast = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@_fast
@given(st.text(max_size=80), _envs)
def test_any_text_parses_or_raises_condition_error(source: str, env: dict[str, object]) -> None:
    try:
        cond = parse_condition(source)
    except ConditionError as error:
        assert error.message and 1 <= error.column <= len(source) + 1
        return
    assert type(evaluate(cond, env)) is bool


@_fast
@given(st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=12).map(" ".join), _envs)
def test_token_soup_parses_or_raises_and_evaluates_to_bool(source: str, env: dict[str, object]) -> None:
    try:
        cond = parse_condition(source)
    except ConditionError as error:
        assert error.message and 1 <= error.column <= len(source) + 1
        return
    assert type(evaluate(cond, env)) is bool
    assert referenced_names(cond) <= {"a", "b", "count"}
    assert all(isinstance(q, str) and isinstance(o, str) for q, o in option_references(cond))


_operands = st.sampled_from(
    [
        "a",
        "b",
        "value",
        "count",
        "'x'",
        '"y"',
        "1",
        "-2.5",
        "true",
        "null",
        "['x', 1, null]",
        "[]",
        "answered(a)",
        "selected(b, 'x')",
        "count(a)",
        "length(b)",
        "-count(value)",
        "-a",
    ]
)
_comparisons = st.tuples(_operands, st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "in", "not in"]), _operands)
_conditions = st.recursive(
    _operands | _comparisons.map(" ".join),
    lambda inner: st.one_of(
        inner.map(lambda c: f"not ({c})"),
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]}) {t[1]} {t[2]}"),
    ),
    max_leaves=8,
)


@_fast
@given(_conditions, _envs)
def test_grammatical_conditions_parse_and_evaluate_to_bool(source: str, env: dict[str, object]) -> None:
    cond = parse_condition(source)
    result = evaluate(cond, env)
    assert type(result) is bool
    assert evaluate(parse_condition(f"not ({source})"), env) is (not result)


@_fast
@given(st.sampled_from(["==", "!=", "<", "<=", ">", ">=", "in", "not in"]), _json, _json)
def test_not_is_the_complement(operator: str, left: object, right: object) -> None:
    env = {"a": left, "b": right}
    plain = evaluate(parse_condition(f"a {operator} b"), env)
    assert evaluate(parse_condition(f"not (a {operator} b)"), env) is (not plain)
