"""Evaluating a parsed condition against answers; total: it never raises.

Answer values are what the runner stores: an option id (``str``), a list of
option ids, ``bool``, ``int``/``float``, text, a ``'YYYY-MM-DD'`` date string,
a dict for locations and photos, or ``None`` for unanswered and skipped.

The rules, chosen so that a mistyped condition is false rather than a crash:

- ``==``/``!=`` are plain equality, except that ``true`` is not the number 1
  (bool is not a number here); ints equal floats numerically. Locations and
  photos (dicts) equal nothing — only ``answered()`` is meaningful for them.
- ``< <= > >=`` compare numbers with numbers and texts with texts (so dates
  order correctly); any other pairing, ``null`` included, is false.
- ``x in L`` is membership when ``L`` is a list and substring when both are
  texts. ``x not in L`` is its negation — but when ``L`` is ``null`` (an
  unanswered question) or anything else that can't contain (a number, a
  location), *both* ``in`` and ``not in`` are false: an unanswered question
  neither contains nor lacks anything.
- ``and``/``or``/``not`` use truthiness (``null``, ``0``, ``''``, ``[]`` are
  false) and give booleans.
- ``-x`` on anything but a number gives ``null``.

Equality descends into nested lists at most ``_MAX_VALUE_DEPTH`` levels, so
odd values (deep or self-containing lists) can't exhaust the stack.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from typing import Any, TypeGuard

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

__all__ = ["evaluate"]

_MAX_VALUE_DEPTH = 32


def evaluate(cond: Condition, env: Mapping[str, object]) -> bool:
    """Whether ``cond`` holds for the answers in ``env`` (question id -> value;
    ``"value"`` -> the answer a constraint checks). Missing names are ``None``."""
    return _truthy(_value(cond.tree, env))


def _value(node: Node, env: Mapping[str, object]) -> object:
    match node:
        case Constant(value):
            return value
        case ConstantList(items):
            return [item.value for item in items]
        case Name(name):
            return _lookup(env, name)
        case Not(operand):
            return not _truthy(_value(operand, env))
        case And(operands):
            return all(_truthy(_value(operand, env)) for operand in operands)
        case Or(operands):
            return any(_truthy(_value(operand, env)) for operand in operands)
        case Negate(operand):
            negated = _value(operand, env)
            return -negated if _is_number(negated) else None
        case Compare(operator, left, right):
            return _COMPARE[operator](_value(left, env), _value(right, env))
        case Call(function, subject, option):
            return _call(function, _lookup(env, subject.name), option)
    return None


def _lookup(env: Mapping[str, object], name: str) -> object:
    value = env.get(name)
    # A date object (rather than the stored string) still compares as a date.
    return value.isoformat() if type(value) is dt.date else value


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_list(value: object) -> TypeGuard[list[object] | tuple[object, ...]]:
    return isinstance(value, (list, tuple))


def _truthy(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, (bool, int, float)):
        return value != 0
    if isinstance(value, (str, list, tuple, dict)):
        return len(value) > 0
    return True


def _equal(left: object, right: object, depth: int = 0) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if _is_number(left) and _is_number(right):
        return left == right
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    if _is_list(left) and _is_list(right) and depth < _MAX_VALUE_DEPTH:
        return len(left) == len(right) and all(_equal(a, b, depth + 1) for a, b in zip(left, right, strict=True))
    return False


def _ordered(left: object, right: object) -> bool:
    """Whether ``left`` and ``right`` may be ordered: two numbers or two texts."""
    return (_is_number(left) and _is_number(right)) or (isinstance(left, str) and isinstance(right, str))


def _order(compare: Callable[[Any, Any], bool]) -> Callable[[object, object], bool]:
    return lambda left, right: _ordered(left, right) and compare(left, right)


def _contains(container: object, item: object) -> bool | None:
    """Membership; None when ``container`` can't hold ``item`` at all."""
    if _is_list(container):
        return any(_equal(item, element) for element in container)
    if isinstance(container, str) and isinstance(item, str):
        return item in container
    return None


_COMPARE: dict[str, Callable[[object, object], bool]] = {
    "==": _equal,
    "!=": lambda a, b: not _equal(a, b),
    "<": _order(operator.lt),
    "<=": _order(operator.le),
    ">": _order(operator.gt),
    ">=": _order(operator.ge),
    "in": lambda a, b: _contains(b, a) is True,
    "not in": lambda a, b: _contains(b, a) is False,
}


def _call(function: str, value: object, option: str | None) -> object:
    if function == "answered":
        return value is not None and not (_is_list(value) and len(value) == 0)
    if function == "selected":
        if _is_list(value):
            return any(isinstance(element, str) and element == option for element in value)
        return isinstance(value, str) and value == option
    if function == "count":
        return len(value) if _is_list(value) else int(value is not None)
    if function == "length":
        return len(value) if isinstance(value, str) else 0
    return None
