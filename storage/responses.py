"""Responses and their answers: starting, progressing, answering and finishing."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from storage.columns import utc_day
from storage.database import insert_for, insert_id
from storage.identifiers import unused_pseudonym
from storage.outbox import detach_messages
from storage.prepared import Prepared, bound
from storage.records import AnswerRecord, PaperForm, ParticipantId, ResponseRecord
from storage.tables import answer_table, participant_table, response_table

__all__ = [
    "FINISHED",
    "answer_record",
    "answers",
    "delete_answer",
    "delete_response",
    "find_form",
    "forms_in_batch",
    "find_response",
    "finish_response",
    "response_record",
    "save_answer",
    "save_progress",
    "start_response",
    "store_form",
]

FINISHED = ("completed", "ended")

_r = response_table.c
_a = answer_table.c


def find_response(conn: Connection, participant_id: ParticipantId, process_id: str) -> ResponseRecord | None:
    """Their latest response to the process, whatever its status."""
    row = conn.execute(
        sa.select(response_table)
        .where(_r.participant_id == participant_id, _r.process_id == process_id)
        .order_by(_r.id.desc())
        .limit(1)
    ).one_or_none()
    return None if row is None else response_record(row)


def start_response(
    conn: Connection, participant_id: ParticipantId, process_id: str, now: dt.datetime, channel: str | None = None
) -> ResponseRecord:
    pseudonym = conn.scalar(sa.select(participant_table.c.pseudonym).where(participant_table.c.id == participant_id))
    if pseudonym is None:
        raise LookupError(f"participant {participant_id} does not exist")
    started: dict[str, Any] = {
        "participant_id": participant_id,
        "pseudonym": pseudonym,
        "process_id": process_id,
        "status": "active",
        "started_at": now,
        "updated_at": now,
        "completed_at": None,
        "progress": {},
        "channel": channel,
    }
    response_id = insert_id(conn.execute(sa.insert(response_table).values(detached=False, **started)))
    return ResponseRecord(id=response_id, **started)


def find_form(conn: Connection, process_id: str, form_number: str) -> ResponseRecord | None:
    """The response typed in or imported from paper form ``form_number`` of the process, if any."""
    row = conn.execute(
        sa.select(response_table).where(_r.process_id == process_id, _r.form_number == form_number)
    ).one_or_none()
    return None if row is None else response_record(row)


def store_form(
    conn: Connection,
    process_id: str,
    form: PaperForm,
    answers: Sequence[tuple[str, str, Any, str | None]],
    now: dt.datetime,
) -> int:
    """Store the answers of one paper or phone form as a finished response without participant.

    ``answers``: (question id, question type, value, other text). An anonymous survey's form
    is stored as its detached answers are (status ``anonymous``, the outcome in its progress),
    so results count it alike. A form number already stored raises ``sqlalchemy.exc.IntegrityError``
    (the unique key): the caller checks first with ``find_form``."""
    anonymous = form.anonymous
    values: dict[str, Any] = {
        "participant_id": None,
        "pseudonym": unused_pseudonym(conn, _r.pseudonym, "F"),
        "process_id": process_id,
        "status": "anonymous" if anonymous else form.status,
        "detached": False,
        "started_at": now,
        "updated_at": now,
        "completed_at": now,
        "progress": {"status": form.status} if anonymous else {},
        "channel": form.channel,
        "form_number": form.form_number,
        "batch": form.batch,
        "entered_by": form.entered_by,
    }
    response_id = insert_id(conn.execute(sa.insert(response_table).values(**values)))
    if answers:
        conn.execute(
            sa.insert(answer_table),
            [
                {
                    "response_id": response_id,
                    "question_id": qid,
                    "question_type": qtype,
                    "value": value,
                    "other_text": other,
                    "answered_at": now,
                }
                for qid, qtype, value, other in answers
            ],
        )
    return response_id


def forms_in_batch(conn: Connection, process_id: str, batch: str) -> list[str]:
    """The form numbers stored in one batch of the process, in the order they were stored."""
    rows = conn.execute(sa.select(_r.form_number).where(_r.process_id == process_id, _r.batch == batch).order_by(_r.id))
    return [str(form) for (form,) in rows if form is not None]


def delete_response(conn: Connection, response_id: int) -> None:
    """Remove a response and its answers (a paper form replaced by a corrected entry)."""
    conn.execute(sa.delete(answer_table).where(_a.response_id == response_id))
    conn.execute(sa.delete(response_table).where(_r.id == response_id))


_SAVE_PROGRESS = Prepared(
    sa.update(response_table)
    .where(_r.id == sa.bindparam("the_response"))
    .values(progress=sa.bindparam("new_progress", type_=sa.JSON()), updated_at=sa.bindparam("moment"))
)


def save_progress(conn: Connection, response_id: int, progress: dict[str, Any], now: dt.datetime) -> None:
    values = {"the_response": response_id, "new_progress": progress, "moment": now}
    if _SAVE_PROGRESS.count(conn, values) == 0:
        raise LookupError(f"{_what(response_id)} does not exist")


def save_answer(
    conn: Connection,
    response_id: int,
    question_id: str,
    question_type: str,
    value: Any,
    other_text: str | None,
    now: dt.datetime,
) -> None:
    values = {
        "response_id": response_id,
        "question_id": question_id,
        "question_type": question_type,
        "value": value,
        "other_text": other_text,
        "answered_at": now,
    }
    _save_answer(conn.dialect.name).count(conn, values)  # the response's updated_at moves with save_progress


@functools.cache
def _save_answer(dialect: str) -> Prepared:
    """Prepared once per backend: insert the answer, or replace it when answered again."""
    statement = insert_for(dialect, answer_table)
    replaced = ("question_type", "value", "other_text", "answered_at")
    return Prepared(
        statement.values(bound("response_id", "question_id", *replaced))
        .on_conflict_do_update(
            index_elements=["response_id", "question_id"],
            set_={name: statement.excluded[name] for name in replaced},
        )
        .inline()  # no RETURNING of the new id: nobody asks for it
    )


def delete_answer(conn: Connection, response_id: int, question_id: str) -> None:
    conn.execute(sa.delete(answer_table).where(_a.response_id == response_id, _a.question_id == question_id))


def answers(conn: Connection, response_id: int) -> Sequence[AnswerRecord]:
    rows = conn.execute(sa.select(answer_table).where(_a.response_id == response_id).order_by(_a.id))
    return [answer_record(row) for row in rows]


def finish_response(conn: Connection, response_id: int, status: str, now: dt.datetime, *, detach: bool) -> None:
    if status not in FINISHED:
        raise ValueError(f"a response finishes as one of {FINISHED}, not {status!r}")
    row = conn.execute(
        sa.select(_r.process_id, _r.detached, _r.participant_id, _r.started_at, _r.channel).where(_r.id == response_id)
    ).one_or_none()
    if row is None:
        raise LookupError(f"{_what(response_id)} does not exist")
    values: dict[str, Any] = {"status": status, "completed_at": now, "updated_at": now}
    if detach and not row.detached:
        _detach_answers(conn, response_id, row.process_id, status, now, row.channel)
        if row.participant_id is not None:  # the questions and "→ answer" edits of the survey say it too
            detach_messages(conn, row.participant_id, row.started_at)
        # The progress holds the answers too: the original keeps only that they took part.
        values.update(detached=True, progress={})
    conn.execute(sa.update(response_table).where(_r.id == response_id).values(**values))


def _detach_answers(
    conn: Connection, response_id: int, process_id: str, status: str, now: dt.datetime, channel: str | None
) -> None:
    """Move the answers to a new participant-less response that can't be linked back by time.

    Its timestamps (and its answers') are cut to the day: exact ones would equal
    the original's ``completed_at``. Its progress keeps only the outcome
    (completed or ended), which results need to count it, and its channel, which they are
    broken down by (every channel has many participants, so it tells nobody apart).
    """
    day = utc_day(now)
    anonymous = sa.insert(response_table).values(
        participant_id=None,
        pseudonym=unused_pseudonym(conn, _r.pseudonym, "A"),
        process_id=process_id,
        status="anonymous",
        detached=False,
        started_at=day,
        updated_at=day,
        completed_at=day,
        progress={"status": status},
        channel=channel,
    )
    anonymous_id = insert_id(conn.execute(anonymous))
    conn.execute(
        sa.update(answer_table).where(_a.response_id == response_id).values(response_id=anonymous_id, answered_at=day)
    )


def response_record(row: Row[Any] | tuple[Any, ...], prefix: str = "") -> ResponseRecord:
    """A response row (Core's, or a prepared statement's named tuple) as a record; ``prefix``: its
    columns are labelled so in a joined query."""

    def get(name: str) -> Any:
        return getattr(row, prefix + name)

    participant_id = get("participant_id")
    return ResponseRecord(
        id=get("id"),
        participant_id=None if participant_id is None else ParticipantId(participant_id),
        pseudonym=get("pseudonym"),
        process_id=get("process_id"),
        status=get("status"),
        started_at=get("started_at"),
        updated_at=get("updated_at"),
        completed_at=get("completed_at"),
        progress=dict(get("progress") or {}),
        channel=get("channel"),
        form_number=get("form_number"),
        batch=get("batch"),
        entered_by=get("entered_by"),
    )


def answer_record(row: Row[Any]) -> AnswerRecord:
    return AnswerRecord(
        response_id=row.response_id,
        question_id=row.question_id,
        question_type=row.question_type,
        value=row.value,
        other_text=row.other_text,
        answered_at=row.answered_at,
    )


def _what(response_id: int) -> str:
    return f"response {response_id}"
