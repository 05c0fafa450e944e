"""The in-memory form of a process file (format 1): surveys, idea calls, questions, texts.

Everything here is immutable and already checked: the loader builds these
objects only from a file without problems. Field names follow the file format
in ``docs/survey-format.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Literal, TypeAlias

if TYPE_CHECKING:
    from surveys.conditions import Condition

__all__ = [
    "Category",
    "Choice",
    "Event",
    "IdeaCall",
    "Process",
    "Question",
    "QuestionType",
    "Survey",
    "Text",
    "language_chain",
]

SIMPLE_GERMAN = "de-x-simple"


def language_chain(wanted: str | None, fallback: str) -> tuple[str, ...]:
    """Languages to try, best first: the wanted one, Easy German's parent ``de``, the fallback."""
    chain: list[str] = []
    if wanted:
        chain.append(wanted)
        if wanted == SIMPLE_GERMAN:
            chain.append("de")
        elif "-" in wanted:
            chain.append(wanted.split("-", 1)[0])
    chain.append(fallback)
    return tuple(dict.fromkeys(chain))


@dataclass(frozen=True)
class Text:
    """A text in one or more languages; ``fallback`` always has a value."""

    values: dict[str, str]
    fallback: str

    def get(self, language: str | None) -> str:
        for code in language_chain(language, self.fallback):
            if code in self.values:
                return self.values[code]
        return next(iter(self.values.values()))

    def all(self) -> tuple[str, ...]:
        """Every translation (for matching typed labels in any language)."""
        return tuple(self.values.values())


class QuestionType(StrEnum):
    INFO = "info"
    CHOICE = "choice"
    MULTI = "multi"
    YESNO = "yesno"
    SCALE = "scale"
    NUMBER = "number"
    TEXT = "text"
    DATE = "date"
    LOCATION = "location"
    PHOTO = "photo"


@dataclass(frozen=True)
class Choice:
    """One option of a ``choice`` or ``multi`` question."""

    id: str
    label: Text


Category = Choice  # an idea call's category has the same shape: an id and a label

Bound: TypeAlias = int | float | dt.date | None


@dataclass(frozen=True, kw_only=True)
class Question:
    """One question; type-specific fields are ``None``/empty on types that don't use them."""

    id: str
    type: QuestionType
    text: Text
    hint: Text | None = None
    required: bool = True
    show_if: Condition | None = None
    end_if: Condition | None = None
    end_text: Text | None = None
    constraint: Condition | None = None
    constraint_message: Text | None = None
    # choice / multi
    options: tuple[Choice, ...] = ()
    other: bool = False
    # multi: how many may be chosen; scale/number: the range; date: the range
    min: Bound = None
    max: Bound = None
    # number
    integer: bool = False
    unit: Text | None = None
    # scale
    min_label: Text | None = None
    max_label: Text | None = None
    # text
    min_length: int | None = None
    max_length: int = 2000
    # location: (south, west, north, east)
    bounds: tuple[float, float, float, float] | None = None
    # photo
    max_mb: float = 10.0

    @property
    def answerable(self) -> bool:
        return self.type is not QuestionType.INFO

    def option(self, option_id: str) -> Choice | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Event:
    """An in-person event of a process: a workshop, a walk, an information evening."""

    title: Text
    start: dt.datetime  # aware
    place: Text
    link: str | None = None

    @property
    def key(self) -> str:
        """Stable within its process (the loader refuses two events at one time), and unchanged
        when staff fix a typo in the title, so sign-ups for reminders survive edits."""
        return self.start.astimezone(dt.UTC).strftime("%Y%m%dT%H%M")


ProcessKind = Literal["survey", "ideas"]


@dataclass(frozen=True, kw_only=True)
class Process:
    """What surveys and idea calls share: identity, texts, schedule, audience."""

    id: str
    kind: ProcessKind
    title: Text
    intro: Text | None = None
    outro: Text | None = None
    languages: tuple[str, ...]
    opens: dt.datetime | None = None
    closes: dt.datetime | None = None
    topics: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    contact: Text | None = None
    events: tuple[Event, ...] = ()
    source: str = ""  # the file it came from, for staff-facing messages

    @property
    def fallback_language(self) -> str:
        return self.languages[0]

    def is_open(self, now: dt.datetime) -> bool:
        """Listed and answerable at ``now`` (an aware datetime)."""
        if self.opens is not None and now < self.opens:
            return False
        return self.closes is None or now < self.closes


@dataclass(frozen=True, kw_only=True)
class Survey(Process):
    kind: ProcessKind = "survey"
    anonymous: bool = False
    reminders: tuple[dt.timedelta, ...] = ()
    questions: tuple[Question, ...] = field(default=())

    def question(self, question_id: str) -> Question | None:
        index = self._places.get(question_id)
        return None if index is None else self.questions[index]

    def index_of(self, question_id: str) -> int:
        return self._places[question_id]

    def answerable_after(self, question_id: str) -> tuple[int, tuple[Question, ...]]:
        """The answerable questions after ``question_id``: how many are always shown, and those
        shown only if their ``show_if`` holds."""
        return self._answerable_after[self._places[question_id]]

    @cached_property
    def _answerable_after(self) -> list[tuple[int, tuple[Question, ...]]]:
        found = []
        for index in range(len(self.questions)):
            later = [q for q in self.questions[index + 1 :] if q.answerable]
            found.append((sum(q.show_if is None for q in later), tuple(q for q in later if q.show_if is not None)))
        return found

    @cached_property
    def _places(self) -> dict[str, int]:
        """Each question's place by its id, looked up on every turn (the first, should two share one)."""
        places: dict[str, int] = {}
        for index, question in enumerate(self.questions):
            places.setdefault(question.id, index)
        return places


@dataclass(frozen=True, kw_only=True)
class IdeaCall(Process):
    kind: ProcessKind = "ideas"
    categories: tuple[Category, ...] = ()
    ask_location: Literal["no", "optional", "required"] = "no"
    ask_photo: Literal["no", "optional"] = "no"
    moderation: Literal["before", "after"] = "before"
    max_length: int = 1000
    support: bool = True
