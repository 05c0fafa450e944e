"""``photo``: one picture, of an image type, at most ``max_mb`` large; stored as a file, the answer
is its path, type and size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from surveys.answers import IMAGE_TYPES, MEGABYTE, Accepted, AnswerWords, Given, Refusal, Rejected
from surveys.model import Question, QuestionType
from surveys.question_types.base import N_, Fields, Kind, Paper, Result, Speaker, Table, Tally

if TYPE_CHECKING:
    from surveys.loader.context import Check
    from surveys.loader.source_map import Path

__all__ = ["MAX_PHOTO_MB", "PhotoKind", "photo_file_name"]

MAX_PHOTO_MB = 20


def photo_file_name(value: object) -> str | None:
    """The stored photo's file name (what staff find in the media folder), without the folder."""
    if isinstance(value, Mapping) and value.get("path"):
        return PurePath(str(value["path"])).name
    return None


class PhotoTally(Tally):
    def __init__(self, question: Question) -> None:
        super().__init__(question)
        self.files = 0

    def take(self, value: object, other_text: str | None) -> None:
        if isinstance(value, Mapping) and value.get("path"):
            self.files += 1

    def summary(self) -> dict[str, Any]:
        return super().summary() | {"files": self.files}


class PhotoKind(Kind):
    type = QuestionType.PHOTO
    xlsform_types = ("photo",)
    keys = ("max_mb",)
    asks_for = "photo"
    on_paper = False
    drawn = ("files",)

    def read(self, check: Check, table: Table, at: Path) -> Fields:
        size = check.number(table, "max_mb", at, 10.0, high=MAX_PHOTO_MB, why="messengers hand bots at most 20 MB")
        if size is not None and size <= 0:
            check.error((*at, "max_mb"), f"'max_mb' is {size} but must be more than 0")
        return {"max_mb": float(size) if size is not None else 10.0}

    def parse(self, question: Question, given: Given, text: str, today: dt.date, words: AnswerWords) -> Result:
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

    def how_to_answer(self, question: Question, t: Speaker, *, buttons: bool) -> str:
        size = question.max_mb
        shown = str(int(size)) if size.is_integer() else str(size)
        return t.gettext("Please send one photo (at most {max} MB).", max=shown)

    def paper(self, question: Question, t: Speaker) -> Paper:
        return Paper("none", t.gettext(N_("A photo can only be sent online.")))

    def read_cell(self, question: Question, cell: object, today: dt.date, words: AnswerWords) -> Result:
        return Rejected(Refusal.PHOTO_EXPECTED)  # a spreadsheet holds no picture

    def reads_as(self, question: Question, value: object, t: Speaker, *, limit: int | None) -> str:
        return t.gettext("a photo")

    def cell(self, question: Question, value: object, language: str, fixed: Mapping[str, str]) -> object:
        return photo_file_name(value)

    def typed(self, question: Question, value: object) -> object:
        return photo_file_name(value)

    def tally(self, question: Question) -> Tally:
        return PhotoTally(question)
