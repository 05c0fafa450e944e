"""What a parsed condition refers to, for the survey checker.

The checker verifies that every referenced question comes earlier in the file
and that every option a condition names exists on its question.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeGuard

from surveys.conditions.nodes import Call, Compare, Condition, Constant, ConstantList, Name, Node, child_nodes

__all__ = ["option_references", "referenced_names", "uses_value"]

VALUE = "value"


def referenced_names(cond: Condition) -> frozenset[str]:
    """The question ids ``cond`` uses (``value`` is not a question id and is left out)."""
    return frozenset(node.name for node in _names(cond) if node.name != VALUE)


def uses_value(cond: Condition) -> bool:
    """Whether ``cond`` uses ``value`` (only meaningful in a ``constraint``)."""
    return any(node.name == VALUE for node in _names(cond))


def option_references(cond: Condition) -> tuple[tuple[str, str], ...]:
    """(question id, option id) pairs named in ``cond``, in source order, without repeats.

    Found where a question id meets quoted texts directly: ``selected(q, 'x')``;
    ``q == 'x'``, ``'x' == q``, ``q != 'x'`` (and with a list of texts);
    ``q in ['x', 'y']`` / ``not in``; ``'x' in q`` / ``not in``. A text compared
    with a ``text`` question looks the same, so the checker should verify these
    pairs only for questions that have options. ``value`` is never reported.
    """
    found: dict[tuple[str, str], None] = {}
    for node in _walk(cond.tree):
        for pair in _pairs(node):
            found[pair] = None
    return tuple(found)


def _pairs(node: Node) -> Iterator[tuple[str, str]]:
    if isinstance(node, Call) and node.option is not None and node.subject.name != VALUE:
        yield node.subject.name, node.option
    if not isinstance(node, Compare):
        return
    left, right = node.left, node.right
    if node.operator in ("==", "!="):
        for name, other in ((left, right), (right, left)):
            if _is_question(name):
                yield from ((name.name, text) for text in _texts(other))
    elif node.operator in ("in", "not in"):
        if _is_question(left) and isinstance(right, ConstantList):
            yield from ((left.name, text) for text in _texts(right))
        if _is_question(right) and isinstance(left, Constant) and isinstance(left.value, str):
            yield right.name, left.value


def _is_question(node: Node) -> TypeGuard[Name]:
    return isinstance(node, Name) and node.name != VALUE


def _texts(node: Node) -> list[str]:
    """The quoted texts of a text literal or a list literal."""
    constants = node.items if isinstance(node, ConstantList) else (node,) if isinstance(node, Constant) else ()
    return [constant.value for constant in constants if isinstance(constant.value, str)]


def _names(cond: Condition) -> Iterator[Name]:
    return (node for node in _walk(cond.tree) if isinstance(node, Name))


def _walk(tree: Node) -> Iterator[Node]:
    """All nodes, parents before children, in source order."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(child_nodes(node)))
