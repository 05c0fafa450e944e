"""XLSForm's ``relevant`` and ``constraint`` (XPath) in our condition language.

The subset that has a counterpart is translated; anything else raises
``Untranslatable`` with a sentence for staff and, where there is one, a way out:

=================================  ==================================
XLSForm                            condition
=================================  ==================================
``${q}``                           ``q`` (its new id)
``.`` (in a constraint)            ``value``
``=`` ``!=`` ``<`` ``<=`` …        ``==`` ``!=`` ``<`` ``<=`` …
``and`` ``or`` ``not(…)``          ``and`` ``or`` ``not …``
``selected(${q}, 'a')``            ``selected(q, 'a')``
``count-selected(${q})``           ``count(q)``
``string-length(${q})``            ``length(q)``
``${q} != ''`` / ``${q} = ''``     ``answered(q)`` / ``not answered(q)``
``true()`` ``false()``             ``true`` ``false``
``date('2026-05-01')``             ``'2026-05-01'``
=================================  ==================================

Option names in literals become the options' new ids; a quoted number compared
with a number question becomes a number. Every condition made here is parsed
again by ``surveys.conditions.parse_condition`` before it is handed out, so
what this module emits is known to be valid.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from surveys.conditions import ConditionError, parse_condition

__all__ = ["Subject", "Untranslatable", "translate"]

VALUE = "value"
_OPERATORS = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_ARITHMETIC = ("+", "*", "div", "mod", "|", "-")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER_TEXT = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | \$\{(?P<ref>[^}\s]*)\}
  | '(?P<single>[^']*)'
  | "(?P<double>[^"]*)"
  | (?P<number>\d+(\.\d*)?|\.\d+)
  | (?P<op>!=|<=|>=|=|<|>|\(|\)|,|\+|\*|-|\||\.\.|\.|/|\[|\])
  | (?P<word>[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?)
    """,
    re.VERBOSE,
)
_NO_COUNTERPART = {
    "today": "conditions have no clock: for a date range give the date question min and max in the TOML file",
    "now": "conditions have no clock: for a date range give the date question min and max in the TOML file",
    "regex": "conditions have no patterns: for a length rule use string-length(.) in the spreadsheet",
    "if": "write the two cases as (a and b) or (not(a) and c)",
    "position": "a survey has no repeats",
    "indexed-repeat": "a survey has no repeats",
    "jr:choice-name": "compare the option's name instead, e.g. ${q} = 'yes'",
}


class Untranslatable(ValueError):
    """An expression, or a part of it, that has no counterpart in our condition language."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Subject:
    """A question a condition may name: its new id, its type (ours) and its options (XLSForm name → id)."""

    id: str
    type: str
    options: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Token:
    kind: str  # "ref", "string", "number", "word", "end" or the operator itself
    text: str


@dataclass(frozen=True)
class _Part:
    """A translated piece: its text, how tightly it binds, and what it is.

    ``level``: 1 an ``or``, 2 an ``and``, 3 a ``not``, 4 a comparison, 5 a single term.
    ``subject`` is set for a bare question (or ``value``); ``literal`` for a quoted text or number."""

    text: str
    level: int
    subject: Subject | None = None
    literal: str | float | int | None = None
    is_literal: bool = False

    def at_least(self, level: int) -> str:
        return self.text if self.level >= level else f"({self.text})"


def translate(
    expression: str,
    *,
    questions: Mapping[str, Subject | str],
    own: Subject | None = None,
    own_name: str | None = None,
) -> str:
    """Our condition for the XLSForm ``expression``.

    ``questions`` maps the XLSForm names a condition may refer to onto their
    ``Subject``, or onto a sentence saying why it can't be named (a later question,
    a note, a question left out). ``own`` is the question a constraint checks
    (``.``, and ``${own_name}``), None for ``relevant``. Raises ``Untranslatable``."""
    tokens = _tokenize(expression)
    part = _Parser(tokens, questions, own, own_name).expression()
    text = _as_condition(part).text
    try:
        parse_condition(text)
    except ConditionError as error:  # a gap in this module, never the form's fault: say so plainly
        raise Untranslatable(f"the translation {text!r} is not a valid condition: {error}") from error
    return text


def _tokenize(expression: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if match is None:
            raise Untranslatable(f"unexpected character {expression[position]!r} at position {position + 1}")
        position = match.end()
        kind = match.lastgroup or ""
        if kind == "space":
            continue
        if kind in ("single", "double"):
            tokens.append(_Token("string", match.group(kind)))
        elif kind == "op":
            tokens.append(_Token(match.group(kind), match.group(kind)))
        elif kind == "ref":
            tokens.append(_Token("ref", match.group("ref")))
        else:
            tokens.append(_Token(kind, match.group(kind)))
    tokens.append(_Token("end", ""))
    return tokens


class _Parser:
    """XPath precedence: or < and < = != < < <= > >= < unary minus < terms."""

    def __init__(
        self, tokens: list[_Token], questions: Mapping[str, Subject | str], own: Subject | None, own_name: str | None
    ) -> None:
        self.tokens = tokens
        self.position = 0
        self.questions = questions
        self.own = own
        self.own_name = own_name

    def peek(self) -> _Token:
        return self.tokens[self.position]

    def advance(self) -> _Token:
        token = self.tokens[self.position]
        self.position = min(self.position + 1, len(self.tokens) - 1)
        return token

    def expect(self, kind: str) -> None:
        token = self.advance()
        if token.kind != kind:
            found = "the end" if token.kind == "end" else f"'{token.text}'"
            raise Untranslatable(f"expected '{kind}' but found {found}")

    def expression(self) -> _Part:
        part = self.or_()
        token = self.peek()
        if token.kind != "end":
            raise self.unexpected(token)
        return part

    def unexpected(self, token: _Token) -> Untranslatable:
        if token.kind in _ARITHMETIC or token.text in _ARITHMETIC:
            return Untranslatable(
                f"arithmetic ('{token.text}') has no counterpart in survey conditions",
                "compare answers with fixed values instead, e.g. ${alter} >= 18",
            )
        if token.kind in ("/", "..", "[", "]"):
            return Untranslatable("paths such as /data/q or ../q have no counterpart", "refer to questions as ${name}")
        return Untranslatable(f"unexpected '{token.text}'")

    def or_(self) -> _Part:
        parts = [self.and_()]
        while self.peek().kind == "word" and self.peek().text == "or":
            self.advance()
            parts.append(self.and_())
        if len(parts) == 1:
            return parts[0]
        return _Part(" or ".join(_as_condition(p).at_least(1) for p in parts), 1)

    def and_(self) -> _Part:
        parts = [self.comparison()]
        while self.peek().kind == "word" and self.peek().text == "and":
            self.advance()
            parts.append(self.comparison())
        if len(parts) == 1:
            return parts[0]
        return _Part(" and ".join(_as_condition(p).at_least(2) for p in parts), 2)

    def comparison(self) -> _Part:
        left = self.unary()
        if self.peek().kind not in _OPERATORS:
            return left
        operator = self.advance().kind
        right = self.unary()
        if self.peek().kind in _OPERATORS:
            raise Untranslatable("comparisons can't be chained", "join them with 'and', e.g. ${a} > 1 and ${a} < 5")
        return _compare(left, operator, right)

    def unary(self) -> _Part:
        if self.peek().kind != "-":
            return self.term()
        self.advance()
        operand = self.unary()
        if isinstance(operand.literal, int | float) and operand.is_literal:
            return _number(-operand.literal)
        raise Untranslatable("a minus sign can only stand before a number here")

    def term(self) -> _Part:
        token = self.advance()
        if token.kind == "ref":
            return self.reference(token.text)
        if token.kind == ".":
            if self.own is None:
                raise Untranslatable("'.' (this question) only means something in a constraint")
            return _Part(VALUE, 5, subject=self.own)
        if token.kind == "string":
            return _Part(_quoted(token.text), 5, literal=token.text, is_literal=True)
        if token.kind == "number":
            value = float(token.text) if "." in token.text else int(token.text)
            return _number(value)
        if token.kind == "(":
            inner = self.or_()
            self.expect(")")
            return _Part(inner.at_least(5), 5, inner.subject, inner.literal, inner.is_literal)
        if token.kind == "word" and self.peek().kind == "(":
            return self.call(token.text)
        if token.kind == "end":
            raise Untranslatable("the expression ends too early")
        if token.kind == "word":
            raise Untranslatable(
                f"'{token.text}' is neither a question nor a function", "refer to questions as ${name}"
            )
        raise self.unexpected(token)

    def reference(self, name: str) -> _Part:
        if self.own is not None and name == self.own_name:
            return _Part(VALUE, 5, subject=self.own)
        found = self.questions.get(name)
        if found is None:
            raise Untranslatable(f"there is no question '{name}'")
        if isinstance(found, str):
            raise Untranslatable(found)
        return _Part(found.id, 5, subject=found)

    def arguments(self) -> list[_Part]:
        self.expect("(")
        found: list[_Part] = []
        while self.peek().kind != ")":
            found.append(self.or_())
            if self.peek().kind != ",":
                break
            self.advance()
        self.expect(")")
        return found

    def call(self, function: str) -> _Part:
        if function in _NO_COUNTERPART:
            raise Untranslatable(f"{function}() has no counterpart in survey conditions", _NO_COUNTERPART[function])
        arguments = self.arguments()
        count = len(arguments)
        if function in ("true", "false") and count == 0:
            return _Part(function, 5)
        if function == "not" and count == 1:
            return _Part(f"not {_as_condition(arguments[0]).at_least(3)}", 3)
        if function == "selected" and count == 2:
            subject = _question(arguments[0], function)
            _options_of(subject, function)
            option = _option(subject, arguments[1])
            return _Part(f"selected({_name(arguments[0])}, {_quoted(option)})", 5)
        if function == "count-selected" and count == 1:
            subject = _question(arguments[0], function)
            _options_of(subject, function)
            return _Part(f"count({_name(arguments[0])})", 5)
        if function == "string-length" and count == 1:
            _question(arguments[0], function)
            return _Part(f"length({_name(arguments[0])})", 5)
        if function == "date" and count == 1 and isinstance(arguments[0].literal, str):
            if not _DATE.fullmatch(arguments[0].literal):
                raise Untranslatable(f"date({arguments[0].text}) is not a date like '2026-05-01'")
            return arguments[0]
        raise Untranslatable(
            f"{function}() with {count} argument{'s' if count != 1 else ''} has no counterpart in survey conditions",
            "conditions know selected(), count-selected(), string-length(), not(), comparisons, and, or",
        )


def _number(value: int | float) -> _Part:
    return _Part(repr(value), 5, literal=value, is_literal=True)


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _name(part: _Part) -> str:
    return part.text


def _question(part: _Part, function: str) -> Subject:
    if part.subject is None or part.level < 5:
        raise Untranslatable(f"{function}() needs a question, like {function}(${{q}}…)")
    return part.subject


def _options_of(subject: Subject, function: str) -> None:
    if subject.type not in ("choice", "multi"):
        raise Untranslatable(f"{function}() needs a select question, but this one is a {subject.type} question")


def _option(subject: Subject, part: _Part) -> str:
    if not part.is_literal:
        raise Untranslatable("the option must be a fixed name in quotes, like 'yes'")
    name = str(part.literal if not isinstance(part.literal, float) else part.text)
    if name not in subject.options:
        known = ", ".join(f"'{o}'" for o in subject.options) or "none"
        raise Untranslatable(f"question '{subject.id}' has no option '{name}'", f"its options are {known}")
    return subject.options[name]


def _as_condition(part: _Part) -> _Part:
    """A bare question in a true/false place means "answered", as in XPath (an empty answer is false)."""
    if part.subject is not None and part.level == 5:
        return _Part(f"answered({part.text})", 5)
    return part


def _compare(left: _Part, operator: str, right: _Part) -> _Part:
    if left.is_literal and right.subject is not None:  # 'a' = ${q}: the question first
        flipped = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(operator, operator)
        return _compare(right, flipped, left)
    subject = left.subject if left.level == 5 else None
    if subject is not None and right.is_literal:
        if right.literal == "" and operator in ("=", "!="):
            answered = f"answered({left.text})"
            return _Part(answered, 5) if operator == "!=" else _Part(f"not {answered}", 3)
        right = _literal_for(subject, operator, right)
    elif subject is not None and subject.type == "multi":
        raise Untranslatable("a select_multiple question can only be tested with selected() or count-selected()")
    text = f"{left.at_least(5)} {_OPERATORS[operator]} {right.at_least(5)}"
    return _Part(text, 4)


def _literal_for(subject: Subject, operator: str, literal: _Part) -> _Part:
    """The literal as our condition needs it for ``subject``: an option id, a number, a date."""
    if subject.type == "multi":
        raise Untranslatable(
            f"a select_multiple answer can't be compared with {operator}",
            f"write selected(${{…}}, {literal.text}) in the spreadsheet",
        )
    if subject.type == "choice":
        if operator not in ("=", "!="):
            raise Untranslatable(f"options can't be compared with {operator}", "use = or != with an option name")
        return _Part(_quoted(_option(subject, literal)), 5, literal=literal.literal, is_literal=True)
    if subject.type in ("number", "scale") and isinstance(literal.literal, str):
        if not _NUMBER_TEXT.fullmatch(literal.literal.strip()):
            raise Untranslatable(f"the number question '{subject.id}' is compared with the text {literal.text}")
        value = float(literal.literal) if "." in literal.literal else int(literal.literal)
        return _number(value)
    if subject.type == "date" and not (isinstance(literal.literal, str) and _DATE.fullmatch(literal.literal)):
        raise Untranslatable(f"the date question '{subject.id}' is compared with {literal.text}, which is no date")
    if subject.type in ("location", "photo"):
        raise Untranslatable(f"a {subject.type} answer can only be tested for being answered, e.g. ${{q}} != ''")
    return literal
