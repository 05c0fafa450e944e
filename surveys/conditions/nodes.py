"""The parsed form of a condition: small frozen tree nodes and ``Condition``.

Every node records ``column``, the 1-based position of its first character in
the source text (for ``Compare`` the operator's), so a checker can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

__all__ = [
    "And",
    "Call",
    "Compare",
    "Condition",
    "Constant",
    "ConstantList",
    "Name",
    "Negate",
    "Node",
    "Not",
    "Or",
    "Scalar",
    "child_nodes",
]

Scalar: TypeAlias = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Constant:
    """A literal: a text, a number, ``true``, ``false`` or ``null``."""

    value: Scalar
    column: int


@dataclass(frozen=True, slots=True)
class ConstantList:
    """A list literal; it holds only constants (lists don't nest)."""

    items: tuple[Constant, ...]
    column: int


@dataclass(frozen=True, slots=True)
class Name:
    """A question id (its answer), or ``value`` (the answer a constraint checks)."""

    name: str
    column: int


@dataclass(frozen=True, slots=True)
class Call:
    """``answered(q)``, ``count(q)``, ``length(q)`` or ``selected(q, 'option')``."""

    function: str
    subject: Name
    option: str | None  # only for selected()
    column: int


@dataclass(frozen=True, slots=True)
class Negate:
    """Unary minus on something that is not a number literal."""

    operand: Node
    column: int


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node
    column: int


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Node, ...]  # two or more
    column: int


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Node, ...]  # two or more
    column: int


@dataclass(frozen=True, slots=True)
class Compare:
    """``left <operator> right``; operator is one of == != < <= > >= in, not in."""

    operator: str
    left: Node
    right: Node
    column: int


Node: TypeAlias = Constant | ConstantList | Name | Call | Negate | Not | And | Or | Compare


@dataclass(frozen=True, slots=True)
class Condition:
    """A parsed condition: the text as written and its tree."""

    source: str
    tree: Node

    def __str__(self) -> str:
        return self.source


def child_nodes(node: Node) -> tuple[Node, ...]:
    """The direct children of ``node``, in source order."""
    match node:
        case Not(operand) | Negate(operand):
            return (operand,)
        case And(operands) | Or(operands):
            return operands
        case Compare(_, left, right):
            return (left, right)
        case Call(_, subject):
            return (subject,)
        case ConstantList(items):
            return items
    return ()
