"""``info``: a text shown between questions, taking no answer."""

from __future__ import annotations

from surveys.model import QuestionType
from surveys.question_types.base import Kind

__all__ = ["InfoKind"]


class InfoKind(Kind):
    type = QuestionType.INFO
    answerable = False
    drawn = ()
    xlsform_types = ("note",)
