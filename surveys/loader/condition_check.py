"""Checking the conditions of a question: ``show_if``, ``end_if`` and ``constraint``.

A condition may name only questions that come *before* it, because only their
answers exist when it is evaluated. Two exceptions follow from when the runner
evaluates: ``end_if`` runs after its own question is answered, so it may name
that question; ``constraint`` checks the answer being given, which it calls
``value``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from surveys.conditions import (
    Condition,
    ConditionError,
    option_references,
    parse_condition,
    referenced_names,
    uses_value,
)
from surveys.loader.context import Check, describe
from surveys.loader.source_map import Path, place_of
from surveys.model import QuestionType
from surveys.problems import did_you_mean
from surveys.question_types import KINDS

__all__ = ["CONDITION_KEYS", "Sketch", "read_condition"]

CONDITION_KEYS = ("show_if", "end_if", "constraint")


@dataclass(frozen=True)
class Sketch:
    """What conditions need to know of a question, even of one with problems of its own."""

    id: str
    index: int
    type: QuestionType | None
    option_ids: frozenset[str] = frozenset()


def read_condition(
    check: Check,
    table: Mapping[str, Any],
    key: str,
    at: Path,
    *,
    own: Sketch,
    earlier: Mapping[str, Sketch],
    later: Mapping[str, int],
) -> Condition | None:
    """Parse the condition under ``key`` and check every name and option it uses."""
    source = table.get(key)
    if source is None:
        return None
    here = (*at, key)
    if not isinstance(source, str) or not source.strip():
        shown = "empty" if isinstance(source, str) else f"{describe(source)}, not a condition in quotes"
        check.error(here, f"'{key}' is {shown}", "write e.g. show_if = \"haeufigkeit == 'nie'\"")
        return None
    try:
        condition = parse_condition(source)
    except ConditionError as error:
        check.error(here, f"{error.message} (column {error.column})", column=_file_column(check, here, error.column))
        return None
    before = check.error_count
    visible = {**earlier, own.id: own} if key == "end_if" else earlier
    _check_names(check, here, condition, own, visible, later)
    _check_value(check, here, condition, key)
    _check_options(check, here, condition, visible)
    return condition if check.error_count == before else None


def _file_column(check: Check, at: Path, column: int) -> int | None:
    """Where the condition's column is in the file, when the condition starts on its key's line."""
    line, _ = check.source.locate(at)
    start = check.source.value_column(line) if line is not None else None
    return start + column - 1 if start is not None else None


def _check_names(
    check: Check,
    at: Path,
    condition: Condition,
    own: Sketch,
    visible: Mapping[str, Sketch],
    later: Mapping[str, int],
) -> None:
    for name in sorted(referenced_names(condition)):
        if name in visible:
            type_ = visible[name].type
            if type_ is not None and not KINDS[type_].answerable:
                check.error(at, f"question '{name}' is an info text and has no answer to test")
        elif name == own.id:
            hint = "use 'value' for the answer being checked" if at[-1] == "constraint" else None
            check.error(at, f"refers to its own question '{name}', which is not answered yet", hint)
        elif name in later:
            check.error(
                at,
                f"refers to question '{name}' which comes later ({place_of(('questions', later[name]))})",
                "a condition can only use answers given before it",
            )
        else:
            check.error(at, f"unknown question '{name}'", did_you_mean(name, visible))


def _check_value(check: Check, at: Path, condition: Condition, key: str) -> None:
    if key != "constraint" and uses_value(condition):
        check.error(at, f"'value' only works in a constraint, not in '{key}'", "name the question by its id instead")


def _check_options(check: Check, at: Path, condition: Condition, visible: Mapping[str, Sketch]) -> None:
    for name, literal in option_references(condition):
        question = visible.get(name)
        if question is None:
            continue  # an unknown or later name is reported already
        kind = KINDS[question.type] if question.type is not None else None
        problem = kind.literal_problem(question.id, question.option_ids, literal) if kind is not None else None
        if problem is not None:
            check.error(at, *problem)
