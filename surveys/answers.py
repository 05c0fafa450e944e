"""Turning what a citizen sent into the stored value of one answer, or saying why not.

Channel-neutral and pure: the engine passes a ``Given`` (text, a verified button
press, a shared location, a stored photo) and gets ``Accepted`` or ``Rejected``.
Stored values: ``choice`` an option id; ``multi`` a list of option ids in display
order; ``yesno`` true/false; ``scale`` an int; ``number`` an int when whole, else a
float; ``text`` the normalised text; ``date`` ``"YYYY-MM-DD"``; ``location``
``{"lat", "lon"}`` or ``{"text"}``; ``photo`` ``{"path", "mime_type", "size"}``.

Rejection codes and their params (the engine words them for the participant):

- ``empty``: nothing usable was sent.
- ``not_an_option`` ``{"count"}``: no option has that number, label or id (``count`` options).
- ``too_few_options`` ``{"min"}`` / ``too_many_options`` ``{"max"}``: a ``multi`` answer.
- ``not_yes_no``: neither a yes nor a no word (nor 1 or 2).
- ``out_of_range`` ``{"min", "max"}``: a scale answer that is not a whole number from min to
  max; a number outside a question's ``min`` and ``max`` (when it has both).
- ``too_small`` ``{"min"}`` / ``too_large`` ``{"max"}``: a number below ``min`` / above
  ``max`` of a question that has only that bound.
- ``not_a_number``; ``not_a_whole_number`` (a number question with ``integer = true``).
- ``too_short`` ``{"min", "length"}`` / ``too_long`` ``{"max", "length"}``: a text answer, or
  a place described in words (3 to 300 characters). Never silently shortened.
- ``text_expected``: a photo or location was sent to a ``text`` question.
- ``not_a_date``; ``no_such_date`` ``{"date"}`` (the form of a date, but no such day: 31.02.2026);
  ``date_out_of_range`` ``{"min", "max"}`` as ``"YYYY-MM-DD"`` (a missing
  bound is left out).
- ``not_a_location``: typed coordinates that are no valid point, or a photo for a location.
- ``outside_bounds`` ``{"bounds"}``: a point outside the question's (south, west, north, east).
- ``photo_expected``; ``photo_too_large`` ``{"max_mb"}``; ``photo_type`` ``{"mime_type"}``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from surveys.model import Question, QuestionType, Text
from surveys.option_matching import any_word, pick_one, pick_several
from surveys.text_input import MAX_INBOUND, clip_inbound, match_keys, normalize_text
from surveys.typed_values import looks_like_a_date, parse_coordinates, parse_date, parse_number

__all__ = [
    "IMAGE_TYPES",
    "OTHER",
    "PLACE_MAX",
    "PLACE_MIN",
    "Accepted",
    "AnswerWords",
    "Given",
    "PhotoRef",
    "Refusal",
    "Rejected",
    "answer_options",
    "parse_answer",
]

OTHER = "other"  # the option id of the "other" option
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/heic", "image/heif"})
PLACE_MIN, PLACE_MAX = 3, 300
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class PhotoRef:
    """A photo the engine has stored already."""

    path: str
    mime_type: str
    size: int


@dataclass(frozen=True)
class Given:
    """What the citizen sent, channel-neutral."""

    text: str | None = None
    option_id: str | None = None  # a verified button press, resolved to an option id ("yes"/"no" for yesno)
    location: tuple[float, float] | None = None
    photo: PhotoRef | None = None
    photo_size: int | None = None  # a photo announced but not fetched (too large): size in bytes
    length: int | None = None  # the text's length as sent, before the inbound cap (``MAX_INBOUND``)

    @property
    def sent_length(self) -> int:
        """How long the text was as the citizen sent it: what a "too long" refusal names."""
        return max(self.length or 0, len(self.text or ""))


@dataclass(frozen=True)
class AnswerWords:
    """Words in the participant's language, from the message catalogs."""

    yes: tuple[str, ...]
    no: tuple[str, ...]
    today: tuple[str, ...]
    tomorrow: tuple[str, ...]
    other: tuple[str, ...] = ()  # typed words that pick the "other" option ("sonstiges")


@dataclass(frozen=True)
class Accepted:
    value: object
    other_text: str | None = None
    needs_other: bool = False  # "other" was chosen: the engine asks for the free text next


class Refusal(StrEnum):
    """Why an answer was not taken: every code the parser and the runner give (documented above),
    each with a sentence in the catalogs (``bot.dialogue.questions.refusal_text``; a test checks it)."""

    EMPTY = "empty"
    REQUIRED = "required"
    NOT_AN_OPTION = "not_an_option"
    TOO_FEW_OPTIONS = "too_few_options"
    TOO_MANY_OPTIONS = "too_many_options"
    NOT_YES_NO = "not_yes_no"
    OUT_OF_RANGE = "out_of_range"
    TOO_SMALL = "too_small"
    TOO_LARGE = "too_large"
    NOT_A_NUMBER = "not_a_number"
    NOT_A_WHOLE_NUMBER = "not_a_whole_number"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    TEXT_EXPECTED = "text_expected"
    NOT_A_DATE = "not_a_date"
    NO_SUCH_DATE = "no_such_date"
    DATE_OUT_OF_RANGE = "date_out_of_range"
    NOT_A_LOCATION = "not_a_location"
    OUTSIDE_BOUNDS = "outside_bounds"
    PHOTO_EXPECTED = "photo_expected"
    PHOTO_TOO_LARGE = "photo_too_large"
    PHOTO_TYPE = "photo_type"
    CONSTRAINT = "constraint"  # the runner: the question's own rule does not hold
    NO_WAY_BACK = "no_way_back"  # the runner: "back" at the first question
    STALE_BUTTON = "stale_button"  # the dialogue: a button of another question


@dataclass(frozen=True)
class Rejected:
    """A refusal: its code (given as the enum or its text, which must be a member) and params."""

    code: Refusal
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", Refusal(self.code))  # an unknown code fails here, loudly


Result = Accepted | Rejected


def answer_options(question: Question) -> tuple[tuple[str, Text | None], ...]:
    """(option id, label) in display order; ``other`` last, and yes/no, with label None
    (the engine takes those labels from its catalogs)."""
    if question.type is QuestionType.YESNO:
        return (("yes", None), ("no", None))
    if question.type not in (QuestionType.CHOICE, QuestionType.MULTI):
        return ()
    listed: tuple[tuple[str, Text | None], ...] = tuple((o.id, o.label) for o in question.options)
    return (*listed, (OTHER, None)) if question.other else listed


def parse_answer(question: Question, given: Given, *, today: dt.date, words: AnswerWords) -> Accepted | Rejected:
    """The value to store for ``question``, or why ``given`` is not an answer to it."""
    if question.type is QuestionType.INFO:
        raise ValueError(f"question '{question.id}' is an info text and takes no answer")
    text = normalize_text(clip_inbound(given.text)) if given.text else ""
    if not (text or given.option_id or given.location or given.photo or given.photo_size is not None):
        return Rejected(Refusal.EMPTY)
    return _PARSERS[question.type](question, given, text, today, words)


# --- options ------------------------------------------------------------------------


def _choice(question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
    picked = _valid_option(question, given.option_id) if given.option_id else _pick(question, text, words)
    if picked is None:
        return Rejected(Refusal.NOT_AN_OPTION, {"count": len(answer_options(question))})
    return Accepted(picked, needs_other=picked == OTHER)


def _multi(question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
    options = answer_options(question)
    if given.option_id:
        picked = _valid_option(question, given.option_id)
        chosen = [picked] if picked else None
    else:
        chosen = _pick_several(question, text, words)
    if not chosen:
        return Rejected(Refusal.NOT_AN_OPTION, {"count": len(options)})
    ordered = [oid for oid, _ in options if oid in chosen]
    low = int(question.min) if isinstance(question.min, int) else 1
    high = int(question.max) if isinstance(question.max, int) else len(options)
    if len(ordered) < low:
        return Rejected(Refusal.TOO_FEW_OPTIONS, {"min": low})
    if len(ordered) > high:
        return Rejected(Refusal.TOO_MANY_OPTIONS, {"max": high})
    return Accepted(ordered, needs_other=OTHER in ordered)


def _valid_option(question: Question, option_id: str) -> str | None:
    return option_id if any(oid == option_id for oid, _ in answer_options(question)) else None


def _pick(question: Question, typed: str, words: AnswerWords) -> str | None:
    other = OTHER if question.other else None
    return pick_one(answer_options(question), typed, other_id=other, other_words=words.other)


def _pick_several(question: Question, typed: str, words: AnswerWords) -> list[str] | None:
    other = OTHER if question.other else None
    return pick_several(answer_options(question), typed, other_id=other, other_words=words.other)


# --- yes/no and numbers --------------------------------------------------------------


def _yesno(question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
    if given.option_id in ("yes", "no"):
        return Accepted(given.option_id == "yes")
    keys = match_keys(text)
    if text.strip(" .") == "1" or any_word(keys, (*words.yes, "yes")):
        return Accepted(True)
    if text.strip(" .") == "2" or any_word(keys, (*words.no, "no")):
        return Accepted(False)
    return Rejected(Refusal.NOT_YES_NO)


def _scale(question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
    low = int(question.min) if isinstance(question.min, int) else 1
    high = int(question.max) if isinstance(question.max, int) else 5
    typed = (given.option_id or text).strip()
    value: int | None = int(typed) if re.fullmatch(r"[+-]?\d{1,6}", typed) else None
    keys = match_keys(typed)
    if value is None and question.min_label and any_word(keys, question.min_label.all()):
        value = low
    if value is None and question.max_label and any_word(keys, question.max_label.all()):
        value = high
    if value is None or not low <= value <= high:
        return Rejected(Refusal.OUT_OF_RANGE, {"min": low, "max": high})
    return Accepted(value)


_NUMBER_AND_UNIT = re.compile(r"\s*([+\-−–]?\s*\d[\d.,'’ \u00a0\u202f]*?)[.,]?\s*(\D*?)\s*")


def _number(question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
    match = _NUMBER_AND_UNIT.fullmatch(text)
    if match is None or (match.group(2) and not _is_unit(question, match.group(2))):
        return Rejected(Refusal.NOT_A_NUMBER)
    number = parse_number(match.group(1))
    if number is None:
        return Rejected(Refusal.NOT_A_NUMBER)
    whole = number == number.to_integral_value()
    if question.integer and not whole:
        return Rejected(Refusal.NOT_A_WHOLE_NUMBER)
    refused = _outside(number, question.min, question.max)
    if refused is not None:
        return refused
    return Accepted(int(number) if whole else float(number))


def _is_unit(question: Question, typed: str) -> bool:
    return question.unit is not None and any_word(match_keys(typed), question.unit.all())


def _outside(number: Decimal, low: object, high: object) -> Rejected | None:
    has_low, has_high = isinstance(low, int | float), isinstance(high, int | float)
    too_small = has_low and number < Decimal(str(low))
    too_large = has_high and number > Decimal(str(high))
    if not (too_small or too_large):
        return None
    if has_low and has_high:
        return Rejected(Refusal.OUT_OF_RANGE, {"min": low, "max": high})
    return Rejected(Refusal.TOO_SMALL, {"min": low}) if too_small else Rejected(Refusal.TOO_LARGE, {"max": high})


# --- text and dates ------------------------------------------------------------------


def _text(question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
    if not text:
        return Rejected(Refusal.TEXT_EXPECTED)
    if given.sent_length > MAX_INBOUND:  # cut by the inbound cap: refuse with the length as sent, never store it cut
        return Rejected(Refusal.TOO_LONG, {"max": question.max_length, "length": given.sent_length})
    return _length_checked(text, question.min_length or 1, question.max_length) or Accepted(text)


def _length_checked(text: str, low: int, high: int) -> Rejected | None:
    if len(text) < low:
        return Rejected(Refusal.TOO_SHORT, {"min": low, "length": len(text)})
    if len(text) > high:
        return Rejected(Refusal.TOO_LONG, {"max": high, "length": len(text)})
    return None


def _date(question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
    typed = given.option_id or text
    keys = match_keys(typed)
    if any_word(keys, (*words.today, "today")):
        day: dt.date | None = today
    elif any_word(keys, (*words.tomorrow, "tomorrow")):
        day = today + dt.timedelta(days=1)
    else:
        day = parse_date(typed)
    if day is None:
        # "31.02.2026" has a date's form, but that day does not exist: say so, not "give a date"
        return (
            Rejected(Refusal.NO_SUCH_DATE, {"date": typed.strip()})
            if looks_like_a_date(typed)
            else Rejected(Refusal.NOT_A_DATE)
        )
    low = question.min if isinstance(question.min, dt.date) else None
    high = question.max if isinstance(question.max, dt.date) else None
    if (low and day < low) or (high and day > high):
        bounds = {"min": low.isoformat() if low else None, "max": high.isoformat() if high else None}
        return Rejected(Refusal.DATE_OUT_OF_RANGE, {k: v for k, v in bounds.items() if v})
    return Accepted(day.isoformat())


# --- location and photo ----------------------------------------------------------------


def _location(question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
    point = given.location or (parse_coordinates(text) if text else None)
    if point is not None:
        lat, lon = point
        if question.bounds is not None:
            south, west, north, east = question.bounds
            if not (south <= lat <= north and west <= lon <= east):
                return Rejected(Refusal.OUTSIDE_BOUNDS, {"bounds": question.bounds})
        return Accepted({"lat": lat, "lon": lon})
    if not text or _looks_like_coordinates(text):
        return Rejected(Refusal.NOT_A_LOCATION)
    return _length_checked(text, PLACE_MIN, PLACE_MAX) or Accepted({"text": text})


def _looks_like_coordinates(text: str) -> bool:
    """Two numbers that are no valid point: refused rather than stored as a place in words."""
    return bool(re.fullmatch(r"[\s\d.,;/+\-−]+", text)) and len(re.findall(r"\d+", text)) >= 2


def _photo(question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
    limit = question.max_mb * MEGABYTE
    photo = given.photo
    if photo is None:
        if given.photo_size is not None:
            return Rejected(Refusal.PHOTO_TOO_LARGE, {"max_mb": question.max_mb})
        return Rejected(Refusal.PHOTO_EXPECTED)
    if photo.mime_type.lower() not in IMAGE_TYPES:
        return Rejected(Refusal.PHOTO_TYPE, {"mime_type": photo.mime_type})
    if photo.size > limit:
        return Rejected(Refusal.PHOTO_TOO_LARGE, {"max_mb": question.max_mb})
    return Accepted({"path": photo.path, "mime_type": photo.mime_type, "size": photo.size})


_Parser = Callable[[Question, Given, str, dt.date, AnswerWords], Result]
_PARSERS: dict[QuestionType, _Parser] = {
    QuestionType.CHOICE: _choice,
    QuestionType.MULTI: _multi,
    QuestionType.YESNO: _yesno,
    QuestionType.SCALE: _scale,
    QuestionType.NUMBER: _number,
    QuestionType.TEXT: _text,
    QuestionType.DATE: _date,
    QuestionType.LOCATION: _location,
    QuestionType.PHOTO: _photo,
}
