"""The recursive-descent parser of the condition language.

Grammar, loosest binding first::

    condition  := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := unary [op unary]            -- one operator at most: no chains
    op         := == | != | < | <= | > | >= | in | not in
    unary      := "-" unary | primary
    primary    := string | number | true | false | null | list | name | call | "(" or ")"
    list       := "[" [constant ("," constant)* [","]] "]"
    call       := answered(name) | count(name) | length(name) | selected(name, string)

Nesting (parentheses, ``not``, ``-``, lists, calls) is capped at
``MAX_DEPTH`` levels, so no input can exhaust the Python stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from surveys.conditions.errors import ConditionError
from surveys.conditions.lexer import Token, tokenize
from surveys.conditions.messages import FUNCTIONS, describe, expected_value, trailing, unknown_function
from surveys.conditions.nodes import (
    And,
    Call,
    Compare,
    Condition,
    Constant,
    ConstantList,
    Name,
    Negate,
    Node,
    Not,
    Or,
)

__all__ = ["MAX_DEPTH", "MAX_LIST_ITEMS", "parse_condition"]

MAX_DEPTH = 32
MAX_LIST_ITEMS = 100

_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">=", "in"})
_CONSTANT_KINDS = frozenset({"string", "number", "true", "false", "null"})


def parse_condition(source: str) -> Condition:
    """Parse one condition; raises ConditionError naming the problem and its column."""
    if not isinstance(source, str):
        raise ConditionError("a condition must be a text in quotes", 1)
    if not source.strip():
        raise ConditionError("the condition is empty", 1)
    return Condition(source, _Parser(tokenize(source)).condition())


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.position = 0
        self.depth = 0

    # -- token handling

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.position + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.peek()
        self.position = min(self.position + 1, len(self.tokens) - 1)
        return token

    def previous(self) -> Token | None:
        return self.tokens[self.position - 1] if self.position > 0 else None

    @contextmanager
    def nested(self, token: Token) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(f"the condition is nested more than {MAX_DEPTH} levels deep", token.column)
        try:
            yield
        finally:
            self.depth -= 1

    # -- grammar

    def condition(self) -> Node:
        tree = self.or_()
        token = self.peek()
        if token.kind != "end":
            raise ConditionError(trailing(token, self.previous()), token.column)
        return tree

    def or_(self) -> Node:
        operands = [self.and_()]
        while self.peek().kind == "or":
            self.advance()
            operands.append(self.and_())
        return operands[0] if len(operands) == 1 else Or(tuple(operands), _column(operands[0]))

    def and_(self) -> Node:
        operands = [self.not_()]
        while self.peek().kind == "and":
            self.advance()
            operands.append(self.not_())
        return operands[0] if len(operands) == 1 else And(tuple(operands), _column(operands[0]))

    def not_(self) -> Node:
        if self.peek().kind != "not":
            return self.comparison()
        token = self.advance()
        with self.nested(token):
            return Not(self.not_(), token.column)

    def comparison(self) -> Node:
        left = self.unary()
        operator_token = self.peek()
        operator = self.comparison_operator()
        if operator is None:
            return left
        right = self.unary()
        chained = self.peek()
        if self.comparison_operator() is not None:
            raise ConditionError(
                "comparisons can't be chained; join them with 'and', like 'x > 1 and x < 5'", chained.column
            )
        return Compare(operator, left, right, operator_token.column)

    def comparison_operator(self) -> str | None:
        """Consume and return the comparison operator ahead, if there is one."""
        kind = self.peek().kind
        if kind in _COMPARISONS:
            self.advance()
            return kind
        if kind == "not" and self.peek(1).kind == "in":
            self.advance()
            self.advance()
            return "not in"
        return None

    def unary(self) -> Node:
        if self.peek().kind != "-":
            return self.primary()
        token = self.advance()
        with self.nested(token):
            operand = self.unary()
        return _negate(operand, token)

    def primary(self) -> Node:
        token = self.peek()
        if token.kind in _CONSTANT_KINDS:
            self.advance()
            return Constant(token.value, token.column)
        if token.kind == "[":
            return self.constant_list()
        if token.kind == "(":
            return self.parenthesized()
        if token.kind == "name":
            return self.call() if self.peek(1).kind == "(" else self.name()
        raise ConditionError(expected_value(token, self.previous()), token.column)

    def name(self) -> Name:
        token = self.advance()
        return Name(token.text, token.column)

    def parenthesized(self) -> Node:
        opening = self.advance()
        with self.nested(opening):
            inner = self.or_()
        self.close(")", opening)
        return inner

    def close(self, kind: str, opening: Token) -> None:
        token = self.peek()
        if token.kind != kind:
            found = "" if token.kind == "end" else f", found {describe(token)}"
            raise ConditionError(
                f"missing '{kind}' to close the '{opening.text}' at column {opening.column}{found}", token.column
            )
        self.advance()

    def constant_list(self) -> ConstantList:
        opening = self.advance()
        items: list[Constant] = []
        with self.nested(opening):
            while self.peek().kind != "]":
                items.append(self.list_item(len(items)))
                if self.peek().kind != ",":
                    break
                self.advance()
        self.close("]", opening)
        return ConstantList(tuple(items), opening.column)

    def list_item(self, count: int) -> Constant:
        token = self.peek()
        if count >= MAX_LIST_ITEMS:
            raise ConditionError(f"a list may have at most {MAX_LIST_ITEMS} items", token.column)
        minus = self.advance() if token.kind == "-" else None
        token = self.peek()
        if token.kind == "[":
            raise ConditionError("lists can't contain lists", token.column)
        if token.kind in ("name", "("):
            raise ConditionError(
                "lists may only hold fixed values (quoted texts, numbers, true, false, null)", token.column
            )
        if token.kind not in _CONSTANT_KINDS:
            raise ConditionError(expected_value(token, self.previous()), token.column)
        self.advance()
        constant = Constant(token.value, token.column)
        return constant if minus is None else _negate_constant(constant, minus)

    def call(self) -> Call:
        token = self.advance()
        if token.text not in FUNCTIONS:
            raise ConditionError(unknown_function(token.text), token.column)
        opening = self.advance()
        arguments: list[Node] = []
        with self.nested(opening):
            while self.peek().kind != ")":
                arguments.append(self.or_())
                if self.peek().kind != ",":
                    break
                self.advance()
        self.close(")", opening)
        return _checked_call(token, arguments)


def _negate(operand: Node, token: Token) -> Node:
    # A minus on a number literal folds into a negative literal, so lists can hold it.
    if isinstance(operand, Constant):
        return _negate_constant(operand, token)
    if isinstance(operand, ConstantList):
        raise ConditionError("'-' can't stand before a list", token.column)
    return Negate(operand, token.column)


def _negate_constant(constant: Constant, token: Token) -> Constant:
    value = constant.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConditionError("'-' can only stand before a number, a question id or a function", token.column)
    return Constant(-value, token.column)


def _checked_call(token: Token, arguments: list[Node]) -> Call:
    function, usage = token.text, FUNCTIONS[token.text]
    wanted = 2 if function == "selected" else 1
    if len(arguments) != wanted:
        raise ConditionError(
            f"{function}() takes {wanted} argument{'s' if wanted > 1 else ''} but got {len(arguments)}: write {usage}",
            token.column,
        )
    subject = arguments[0]
    if not isinstance(subject, Name):
        raise ConditionError(
            f"the first argument of {function}() must be a question id, like {usage}", _column(subject)
        )
    option: str | None = None
    if wanted == 2:
        second = arguments[1]
        if not (isinstance(second, Constant) and isinstance(second.value, str)):
            raise ConditionError(
                f"the second argument of selected() must be an option id in quotes, like {usage}", _column(second)
            )
        option = second.value
    return Call(function, subject, option, token.column)


def _column(node: Node) -> int:
    # A comparison's column is its operator's; messages about a whole operand want its start.
    return _column(node.left) if isinstance(node, Compare) else node.column
