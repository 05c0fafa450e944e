"""Reading a survey's ``[[questions]]``: ids, types, common keys, conditions.

Type-specific keys are read by each type's ``Kind`` (``surveys.question_types``); conditions are checked by
``condition_check`` against the questions before them.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from typing import Any

from surveys.answers import OTHER
from surveys.loader.condition_check import CONDITION_KEYS, Sketch, read_condition
from surveys.loader.context import Check, describe
from surveys.loader.source_map import Path, place_of
from surveys.loader.texts import read_text
from surveys.model import Question, QuestionType
from surveys.problems import did_you_mean
from surveys.question_types import KINDS

__all__ = ["COMMON_KEYS", "QUESTION_ID", "RESERVED_IDS", "read_questions"]

QUESTION_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
COMMON_KEYS = ("id", "type", "text", "hint", "required", *CONDITION_KEYS, "end_text", "constraint_message")
NOT_FOR_INFO = ("required", "end_if", "end_text", "constraint", "constraint_message")
# Words the condition language reads as something other than a question's answer.
_CONDITION_WORDS = ("true", "false", "null", "none", "nil", "value", "answered", "selected", "count", "length")
RESERVED_IDS = frozenset(keyword.kwlist) | frozenset(_CONDITION_WORDS)
_TYPE_KEYS = {type_: kind.keys for type_, kind in KINDS.items()}  # the keys of each type, beyond COMMON_KEYS
_TYPES = tuple(t.value for t in QuestionType)
_TEXT_KEYS = ("text", "hint", "end_text", "constraint_message")


def read_questions(check: Check, data: Mapping[str, Any]) -> tuple[Question, ...]:
    at: Path = ("questions",)
    value = data.get("questions")
    if value is None or value == []:
        check.error((), "a survey needs at least one question", "add a [[questions]] block")
        return ()
    if not isinstance(value, list) or not all(isinstance(q, dict) for q in value):
        check.error(at, f"'questions' must be [[questions]] blocks, not {describe(value)}")
        return ()
    positions = _ids_and_duplicates(check, value, at)
    sketches: dict[str, Sketch] = {}
    questions: list[Question] = []
    for index, table in enumerate(value):
        later = {qid: i for qid, i in positions.items() if i > index}
        sketch, question = _read_question(check, table, (*at, index), sketches, later)
        if sketch is not None and sketch.id not in sketches:
            sketches[sketch.id] = sketch
        if question is not None:
            questions.append(question)
    if not any(q.get("type") not in (QuestionType.INFO.value, None) for q in value):
        check.error(at, "a survey needs at least one question that can be answered", "not only info texts")
    return tuple(questions)


def _ids_and_duplicates(check: Check, tables: list[dict[str, Any]], at: Path) -> dict[str, int]:
    """Question id → index of its first use; reports every id used twice, naming both places."""
    first: dict[str, int] = {}
    for index, table in enumerate(tables):
        qid = table.get("id")
        if not isinstance(qid, str):
            continue
        if qid in first:
            both = f"{place_of((*at, first[qid]))} and {place_of((*at, index))}"
            check.error((*at, index, "id"), f"question id '{qid}' is used twice: {both}", "ids must be unique")
        else:
            first[qid] = index
    return first


def _read_question(
    check: Check, table: Mapping[str, Any], at: Path, earlier: Mapping[str, Sketch], later: Mapping[str, int]
) -> tuple[Sketch | None, Question | None]:
    before = check.error_count
    qid = _read_id(check, table, at)
    kind = _read_type(check, table, at)
    _unknown_keys(check, table, at, kind)
    check.require(table, "text", at, 'add e.g. text = { de = "…", en = "…" }')
    fields = KINDS[kind].read(check, table, at) if kind is not None else {}
    sketch = _sketch(qid, at, kind, table) if qid is not None else None
    own = sketch or Sketch("", -1, kind)
    info = kind is not None and not KINDS[kind].answerable
    conditions: dict[str, Any] = {
        key: read_condition(check, table, key, at, own=own, earlier=earlier, later=later)
        for key in CONDITION_KEYS
        if not (info and key in NOT_FOR_INFO)
    }
    texts: dict[str, Any] = {
        key: read_text(check, table, key, at) for key in _TEXT_KEYS if not (info and key in NOT_FOR_INFO)
    }
    if not info:
        _pairs(check, table, at)
    required = check.boolean(table, "required", at, True)
    if check.error_count > before or qid is None or kind is None:
        return sketch, None
    question = Question(id=qid, type=kind, required=required, **texts, **conditions, **fields)
    return sketch, question


def _read_id(check: Check, table: Mapping[str, Any], at: Path) -> str | None:
    if not check.require(table, "id", at, 'add e.g. id = "haeufigkeit"'):
        return None
    qid = table["id"]
    if not isinstance(qid, str) or not QUESTION_ID.fullmatch(qid):
        check.error(
            (*at, "id"),
            f"question id {qid!r} must start with a-z, then up to 39 of a-z, 0-9 and _",
            "e.g. id = \"haeufigkeit\"; no capitals, spaces, umlauts or '-'",
        )
        return None
    if qid in RESERVED_IDS:
        check.error((*at, "id"), f"'{qid}' is a reserved word in conditions", "choose another id")
        return None
    return qid


def _read_type(check: Check, table: Mapping[str, Any], at: Path) -> QuestionType | None:
    if not check.require(table, "type", at, f'add e.g. type = "choice" (one of {", ".join(_TYPES)})'):
        return None
    kind = table["type"]
    if isinstance(kind, str) and kind in _TYPES:
        return QuestionType(kind)
    shown = f"'{kind}'" if isinstance(kind, str) else describe(kind)
    hint = did_you_mean(kind, _TYPES) if isinstance(kind, str) else None
    check.error((*at, "type"), f"unknown question type {shown}", hint or f"the types are {', '.join(_TYPES)}")
    return None


def _unknown_keys(check: Check, table: Mapping[str, Any], at: Path, kind: QuestionType | None) -> None:
    if kind is None:
        # Without a known type only plainly unknown keys can be told apart.
        every = {*COMMON_KEYS, *(k for keys in _TYPE_KEYS.values() for k in keys)}
        check.unknown_keys(table, every, at)
        return
    allowed = {*COMMON_KEYS, *_TYPE_KEYS[kind]}
    elsewhere: dict[str, tuple[str, str]] = {}
    if not KINDS[kind].answerable:
        allowed -= set(NOT_FOR_INFO)
        for key in NOT_FOR_INFO:
            elsewhere[key] = (f"an info question has no answer, so it takes no '{key}'", f"remove '{key}'")
    for keys in _TYPE_KEYS.values():
        for key in keys:
            if key not in allowed and key not in elsewhere:
                users = [k.value for k, ks in _TYPE_KEYS.items() if key in ks]
                elsewhere[key] = (f"a {kind.value} question takes no '{key}'", f"'{key}' is for {', '.join(users)}")
    check.unknown_keys(table, allowed, at, elsewhere=elsewhere)


def _sketch(qid: str, at: Path, kind: QuestionType | None, table: Mapping[str, Any]) -> Sketch:
    """Option ids as written, so that a broken option is not reported again by every condition."""
    written = table.get("options")
    items = written if isinstance(written, list) else []
    options = {o["id"] for o in items if isinstance(o, dict) and isinstance(o.get("id"), str)}
    if table.get("other") is True:
        options.add(OTHER)
    index = at[-1] if isinstance(at[-1], int) else -1
    return Sketch(qid, index, kind, frozenset(options))


def _pairs(check: Check, table: Mapping[str, Any], at: Path) -> None:
    """Keys that only make sense together."""
    if "end_text" in table and "end_if" not in table:
        check.error((*at, "end_text"), "'end_text' is only shown when 'end_if' ends the survey", "add an end_if")
    if "constraint_message" in table and "constraint" not in table:
        check.error((*at, "constraint_message"), "'constraint_message' without a 'constraint'", "add a constraint")
    if "constraint" in table and "constraint_message" not in table:
        check.warning(
            (*at, "constraint"),
            "a constraint without 'constraint_message'",
            "participants then only read that their answer does not fit; say what does",
        )
