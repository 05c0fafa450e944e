"""The command-line side of idea calls: list ideas, moderate one, results and export.

``mitwirken ideas ID`` lists a call's ideas for staff (all of them, with
filters); ``mitwirken moderate I-7KQ2 approve|reject|hide|status …`` does what
the staff chat does, recorded in the audit as ``cli:<login name>``;
``mitwirken results ID`` and ``mitwirken export ID`` reach here for idea calls.
Exports name authors by pseudonym only, and chat staff by their channel only
("staff:telegram"): the audit's platform ids stay in the database.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.text import Text as RichText

from adapters.base import clean_text
from bot.dialogue.moderation import ModerationError, Moderator, status_label
from bot.i18n import translator
from bot.runtime.app import Core
from bot.staff.export import Column, ExportFormat, ExportStyle, Sheet, iso_utc, write_rows
from bot.staff.results_view import render_results
from storage.idea_records import AuditRecord, IdeaRecord
from surveys.model import IdeaCall
from surveys.question_types.location import location_text
from surveys.results import IdeaData, idea_results

__all__ = [
    "ModerationError", "export_ideas", "idea_summary", "list_ideas", "moderate", "moderation_error_text", "results",
]  # fmt: skip


def list_ideas(
    core: Core,
    call: IdeaCall,
    *,
    status: str | None,
    visibility: str | None,
    category: str | None,
    order: str,
    console: Console,
) -> int:
    with core.store.transaction() as tx:
        ideas = tx.ideas(
            call.id,
            status=status,
            category=category,
            order="support" if order == "support" else "newest",
            visibility=(visibility,) if visibility else None,
        )
    # One block per idea, the facts on one line and the text below it: readable in an
    # 80-column terminal and by a screen reader, where a table squeezed the text to a sliver.
    console.print(RichText(f"{call.id}: {len(ideas)} idea(s)", style="bold"))
    for idea in ideas:
        facts = (
            idea.visibility,
            idea.status,
            idea.category or "–",
            f"support {idea.supporters}",
            f"reports {idea.reports}",
            idea.created_at.strftime("%Y-%m-%d"),
        )
        head = RichText("\n" + idea.ref, style="bold")
        head.append("  " + " · ".join(facts))
        console.print(head)
        console.print(Padding(RichText(idea.text[:200]), (0, 0, 0, 2)))  # citizens' text: never markup
    return len(ideas)


def moderate(
    core: Core, ref: str, action: str, *, actor: str, status: str | None, reason: str | None, now: dt.datetime
) -> str:
    """Do the action; returns the confirmation (in English, like every command's output). Raises
    ``LookupError`` for an unknown reference and ``ModerationError`` for an action that does not fit."""
    language = core.config.bot.languages[0]  # of the messages to citizens without a language of their own
    t = translator("en")
    with core.store.transaction() as tx:
        idea = tx.get_idea(ref)
        if idea is None:
            raise LookupError(f"no idea {ref.upper()}")
        moderator = Moderator(tx, actor, now, language, core.engine.settings.quiet)
        done = moderator.apply(idea, action, status=status, reason=reason)
    return " ".join(
        filter(None, (t.gettext(done, ref=idea.ref, status=status_label(t, status or "")), moderator.delivery(t)))
    )


def results(core: Core, call: IdeaCall, fmt: str, language: str, console: Console) -> dict[str, Any]:
    summary = idea_summary(core, call)
    if fmt == "json":
        print(clean_text(json.dumps(summary, ensure_ascii=False, indent=2)))
    else:
        render_results(summary, call, language, console)
    return summary


def idea_summary(core: Core, call: IdeaCall) -> dict[str, Any]:
    """``idea_results`` of the call's ideas, most supported first, with the status news each got."""
    with core.store.transaction() as tx:
        ideas = tx.ideas(call.id, order="support")
        audit = tx.idea_audit(call.id)
    news: dict[str, int] = {}
    for entry in audit:
        if entry.action == "status":
            news[entry.idea_ref] = news.get(entry.idea_ref, 0) + 1
    return idea_results(
        call,
        (
            IdeaData(
                id=i.ref,
                status=i.status,
                category=i.category,
                text=i.text,
                supporters=i.supporters,
                visibility=i.visibility,
                status_news=news.get(i.ref, 0),
            )
            for i in ideas
        ),
    )


def export_ideas(core: Core, call: IdeaCall, fmt: ExportFormat, out: Path | None, style: ExportStyle) -> int:
    with core.store.transaction() as tx:
        ideas = list(tx.ideas(call.id))
        audit = tx.idea_audit(call.id)
    history: dict[str, list[AuditRecord]] = {}
    for entry in audit:
        history.setdefault(entry.idea_ref, []).append(entry)
    rows = [(idea, history.get(idea.ref, [])) for idea in reversed(ideas)]  # oldest first
    return write_rows(Sheet(_columns(call, style), rows, call.id, style), fmt, out)


Row = tuple[IdeaRecord, Sequence[AuditRecord]]


def _columns(call: IdeaCall, style: ExportStyle) -> list[Column]:
    """The idea columns: ids and typed values for JSON; labels, words and local times for spreadsheets."""
    labels, t = style.labels, translator(style.language)
    categories = {c.id: c.label.get(style.language) for c in call.categories}

    def field(name: str) -> Any:
        return lambda row: getattr(row[0], name)

    def when(name: str) -> Column:
        return Column(
            name,
            labels[name],
            lambda row: iso_utc(getattr(row[0], name)),
            lambda row: style.local(getattr(row[0], name)),
        )

    return [
        Column("idea", labels["idea"], field("ref")),
        Column("author", labels["author"], field("pseudonym")),
        Column("category", labels["category"], field("category"),
               lambda row: categories.get(row[0].category, row[0].category)),
        Column("status", labels["status"], field("status"), lambda row: status_label(t, row[0].status)),
        Column("visibility", labels["visibility"], field("visibility"),
               lambda row: labels.get(row[0].visibility, row[0].visibility)),
        Column("supporters", labels["supporters"], field("supporters")),
        Column("reports", labels["reports"], field("reports")),
        Column("text", labels["text"], field("text")),
        Column("location", labels["location"], field("location"),
               lambda row: None if row[0].location is None else location_text(row[0].location)),
        Column("photo", labels["photo"], lambda row: Path(row[0].photo["path"]).name if row[0].photo else None),
        Column("reason", labels["reason"], field("reason")),
        when("created_at"),
        when("updated_at"),
        Column("moderation", labels["moderation"], lambda row: [_audit_json(a) for a in row[1]],
               lambda row: "; ".join(_audit_line(a) for a in row[1])),
    ]  # fmt: skip


def _actor(actor: str) -> str:
    """Chat staff by channel only: their entry holds a platform id."""
    channel = actor.split(":", 1)[0]
    return actor if channel in ("cli", "reports") or ":" not in actor else f"staff:{channel}"


def _audit_json(entry: AuditRecord) -> dict[str, Any]:
    return {
        "at": iso_utc(entry.at),
        "by": _actor(entry.actor),
        "action": entry.action,
        "status": entry.status,
        "reason": entry.reason,
    }


def _audit_line(entry: AuditRecord) -> str:
    parts = [iso_utc(entry.at) or "", _actor(entry.actor), entry.action, entry.status or "", entry.reason or ""]
    return " ".join(p for p in parts if p)


def moderation_error_text(error: ModerationError, language: str) -> str:
    return error.text(translator(language))
