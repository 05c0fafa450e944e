"""What an answer is: what a citizen sent (``Given``), and its verdict (``Accepted`` or ``Rejected``).

Channel-neutral and pure. Each question type parses in its own module
(``surveys.question_types``, ``parse_answer`` there); the vocabulary they share is here.
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

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "IMAGE_TYPES",
    "MEGABYTE",
    "OTHER",
    "PLACE_MAX",
    "PLACE_MIN",
    "Accepted",
    "AnswerWords",
    "Given",
    "PhotoRef",
    "Refusal",
    "Rejected",
    "length_checked",
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


def length_checked(text: str, low: int, high: int) -> Rejected | None:
    """A refusal when ``text`` is shorter than ``low`` or longer than ``high`` characters."""
    if len(text) < low:
        return Rejected(Refusal.TOO_SHORT, {"min": low, "length": len(text)})
    if len(text) > high:
        return Rejected(Refusal.TOO_LONG, {"max": high, "length": len(text)})
    return None
