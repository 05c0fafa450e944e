"""Staff's review of free-text answers before a public report quotes them.

A decision (``approved`` or ``hidden``) is kept per process, question and text,
under a keyed hash of the text (HMAC with the store's secret), never the text
itself: erasing a participant erases their answer, and what is left here says
nothing about it. The same text given twice is one decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import Field, SQLModel

from storage.columns import UtcDateTime
from storage.identifiers import keyed_hash
from storage.records import ReviewState
from storage.tables import table_of

__all__ = ["REVIEW_STATES", "TextReview", "review_texts", "text_reviews", "text_review_table"]

REVIEW_STATES: tuple[ReviewState, ...] = ("approved", "hidden")


class TextReview(SQLModel, table=True):
    """One decision on one free text of one question."""

    __tablename__ = "text_review"

    process_id: str = Field(sa_type=sa.String(), primary_key=True)
    question_id: str = Field(sa_type=sa.String(), primary_key=True)
    text_hash: str = Field(sa_type=sa.String(), primary_key=True)
    state: str = Field(sa_type=sa.String())  # approved | hidden
    decided_at: dt.datetime = Field(sa_type=UtcDateTime())
    actor: str = Field(sa_type=sa.String())  # who decided, e.g. "cli:anna"


text_review_table = table_of(TextReview)
_t = text_review_table.c


def text_hash(secret: bytes, question_id: str, text: str) -> str:
    return keyed_hash(secret, question_id, text)


def text_reviews(
    conn: Connection, secret: bytes, process_id: str, texts: Sequence[tuple[str, str]]
) -> list[ReviewState | None]:
    """The decision on each (question id, text), None where none was made yet."""
    rows = conn.execute(sa.select(_t.question_id, _t.text_hash, _t.state).where(_t.process_id == process_id))
    decided = {(row.question_id, row.text_hash): row.state for row in rows}
    return [decided.get((qid, text_hash(secret, qid, text))) for qid, text in texts]


def review_texts(
    conn: Connection,
    secret: bytes,
    process_id: str,
    texts: Sequence[tuple[str, str]],
    state: ReviewState,
    actor: str,
    now: dt.datetime,
) -> None:
    """Record ``state`` for each (question id, text), replacing an earlier decision."""
    for qid, text in dict.fromkeys(texts):
        key = text_hash(secret, qid, text)
        where = sa.and_(_t.process_id == process_id, _t.question_id == qid, _t.text_hash == key)
        values = {"state": state, "decided_at": now, "actor": actor}
        if conn.execute(sa.update(text_review_table).where(where).values(**values)).rowcount == 0:
            conn.execute(
                sa.insert(text_review_table).values(process_id=process_id, question_id=qid, text_hash=key, **values)
            )
