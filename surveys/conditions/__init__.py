"""The condition language of survey files (``show_if``, ``end_if``, ``constraint``).

A small, safe expression language with its own tokenizer and parser; a
condition is never run as Python. ``parse_condition`` turns text into a
``Condition`` or raises ``ConditionError`` (message and column);
``evaluate`` decides it against answers and never raises; the other functions
tell the checker what a condition refers to.
"""

from __future__ import annotations

from surveys.conditions.errors import ConditionError
from surveys.conditions.evaluation import evaluate
from surveys.conditions.nodes import Condition
from surveys.conditions.parser import parse_condition
from surveys.conditions.references import option_references, referenced_names, uses_value

__all__ = [
    "Condition",
    "ConditionError",
    "evaluate",
    "option_references",
    "parse_condition",
    "referenced_names",
    "uses_value",
]
