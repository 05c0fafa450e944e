"""Reading responses for results, exports and the survey-file check.

``iter_responses`` streams: one short read transaction per batch of 500
responses (keyset pagination by id), the batch's answers loaded in one more
query, nothing held open while the caller works on a batch.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.records import AnswerRecord, ResponseRecord
from storage.responses import answer_record, response_record
from storage.tables import answer_table, response_table

__all__ = [
    "BATCH_SIZE",
    "answered_questions",
    "count_responses",
    "iter_responses",
    "process_ids_with_answers",
]

BATCH_SIZE = 500

_r = response_table.c
_a = answer_table.c

Reader = Callable[[], AbstractContextManager[Connection]]


def iter_responses(
    read: Reader, process_id: str, batch_size: int = BATCH_SIZE
) -> Iterator[tuple[ResponseRecord, Sequence[AnswerRecord]]]:
    """Every response of the process but the detached originals (they hold no answers), by id.

    An anonymous response's progress is ``{"status": "completed"|"ended"}``: how it ended.
    """
    after = 0
    while True:
        with read() as conn:
            rows = conn.execute(
                sa.select(response_table)
                .where(_r.process_id == process_id, _r.id > after, _r.detached.is_(False))
                .order_by(_r.id)
                .limit(batch_size)
            ).all()
            by_response = _answers_of(conn, [row.id for row in rows])
        for row in rows:
            yield response_record(row), by_response.get(row.id, [])
        if len(rows) < batch_size:
            return
        after = rows[-1].id


def _answers_of(conn: Connection, response_ids: list[int]) -> dict[int, list[AnswerRecord]]:
    grouped: dict[int, list[AnswerRecord]] = {}
    if not response_ids:
        return grouped
    rows = conn.execute(sa.select(answer_table).where(_a.response_id.in_(response_ids)).order_by(_a.id))
    for row in rows:
        grouped.setdefault(row.response_id, []).append(answer_record(row))
    return grouped


def count_responses(conn: Connection, process_id: str) -> int:
    """As many as ``iter_responses`` yields."""
    statement = (
        sa.select(sa.func.count())
        .select_from(response_table)
        .where(_r.process_id == process_id, _r.detached.is_(False))
    )
    return int(conn.scalar(statement) or 0)


def process_ids_with_answers(conn: Connection) -> Sequence[str]:
    has_answers = sa.select(sa.literal(1)).where(_a.response_id == _r.id).exists()
    rows = conn.execute(sa.select(_r.process_id).where(has_answers).distinct().order_by(_r.process_id))
    return [row.process_id for row in rows]


def answered_questions(
    conn: Connection, process_id: str, option_types: Collection[str]
) -> dict[str, tuple[str, set[str]]]:
    """question id -> (stored type, option ids in stored answers of the ``option_types``, whose
    values are option ids: a string or a list of strings). With several stored types for one
    question (the file changed before), the latest answer's type wins."""
    of_process = sa.and_(_a.response_id == _r.id, _r.process_id == process_id)
    types = conn.execute(
        sa.select(_a.question_id, _a.question_type, sa.func.max(_a.id).label("latest"))
        .where(of_process)
        .group_by(_a.question_id, _a.question_type)
        .order_by("latest")
    )
    found: dict[str, tuple[str, set[str]]] = {row.question_id: (row.question_type, set()) for row in types}
    # JSON has no equality on PostgreSQL, so no DISTINCT here: stream the values instead.
    values = conn.execute(
        sa.select(_a.question_id, _a.value)
        .where(of_process, _a.question_type.in_(list(option_types)))
        .execution_options(yield_per=2000)
    )
    for row in values:
        found[row.question_id][1].update(_option_ids(row.value))
    return found


def _option_ids(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {item for item in value if isinstance(item, str)}
    return set()
