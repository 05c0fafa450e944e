"""The question types, one module each: everything the program knows of a type is in its module.

Each module defines a ``Kind`` (``base.py`` lists what a kind says: its file
keys and their checks, its options, how an answer is parsed and refused, how it
is asked, how an answer reads in the chat and in an export, how answers are
tallied and drawn). The loader, the answer parser, the runner, the results, the
dialogue's question view, the results view and the exports ask ``kind_of``.

Adding a type: a value in ``surveys.model.QuestionType``, a module here with its
``Kind``, an entry in ``KINDS``; its texts in the catalogs (``make catalogs``),
its keys in docs/survey-format.md, and a test. Nothing else changes.
"""

from __future__ import annotations

import datetime as dt

from surveys.answers import AnswerWords, Given, Refusal, Rejected
from surveys.model import Question, QuestionType, Text
from surveys.question_types.base import Kind, Result
from surveys.question_types.choice import ChoiceKind
from surveys.question_types.date import DateKind
from surveys.question_types.info import InfoKind
from surveys.question_types.location import LocationKind
from surveys.question_types.multi import MultiKind
from surveys.question_types.number import NumberKind
from surveys.question_types.photo import PhotoKind
from surveys.question_types.scale import ScaleKind
from surveys.question_types.text import TextKind
from surveys.question_types.yesno import YesNoKind
from surveys.text_input import clip_inbound, normalize_text

__all__ = ["KINDS", "OPTION_TYPES", "Kind", "answer_options", "kind_of", "parse_answer"]

KINDS: dict[QuestionType, Kind] = {
    kind.type: kind
    for kind in (
        InfoKind(),
        ChoiceKind(),
        MultiKind(),
        YesNoKind(),
        ScaleKind(),
        NumberKind(),
        TextKind(),
        DateKind(),
        LocationKind(),
        PhotoKind(),
    )
}

OPTION_TYPES = frozenset(t.value for t, kind in KINDS.items() if kind.stores_option_ids)
"""The types whose stored answers are option ids of the file (a string, or a list of them)."""


def kind_of(question: Question) -> Kind:
    return KINDS[question.type]


def answer_options(question: Question) -> tuple[tuple[str, Text | None], ...]:
    """(option id, label) in display order; ``other`` last, and yes/no, with label None
    (the engine takes those labels from its catalogs)."""
    return kind_of(question).options(question)


def parse_answer(question: Question, given: Given, *, today: dt.date, words: AnswerWords) -> Result:
    """The value to store for ``question``, or why ``given`` is not an answer to it."""
    kind = kind_of(question)
    if not kind.answerable:
        raise ValueError(f"question '{question.id}' is an info text and takes no answer")
    text = normalize_text(clip_inbound(given.text)) if given.text else ""
    if not (text or given.option_id or given.location or given.photo or given.photo_size is not None):
        return Rejected(Refusal.EMPTY)
    return kind.parse(question, given, text, today, words)
