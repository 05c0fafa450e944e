"""Moderating ideas: approve, reject, hide, set a status — from the staff chat and the command line alike.

Every action is written to the audit (who, when, what, why) and tells the
people it concerns, through ``notify`` in the caller's transaction: the change
and its messages are committed together or not at all, so each author and
supporter hears of a status change exactly once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from adapters.base import Reply
from bot.i18n import N_, Translator, translator
from bot.notifications import Queued, QuietHours, delivery_note, notify, opening
from storage.contract import Transaction
from storage.idea_records import IDEA_STATUSES, IdeaRecord
from storage.records import ParticipantId
from surveys.text_input import match_keys

__all__ = [
    "ACTIONS",
    "STATUS_LABELS",
    "STATUS_WORDS",
    "ModerationError",
    "Moderator",
    "status_from_word",
    "status_label",
]

ACTIONS = ("approve", "reject", "hide", "status")

STATUS_LABELS = {
    "received": N_("received"),
    "under_review": N_("under review"),
    "accepted": N_("accepted"),
    "implementing": N_("being implemented"),
    "declined": N_("declined"),
}


# The words staff may type for a status, in the chat and on the command line alike.
STATUS_WORDS = {
    "received": ("received", "eingegangen"),
    "under_review": ("under_review", "review", "pruefung", "prüfung", "in_pruefung", "in_prüfung"),
    "accepted": ("accepted", "angenommen"),
    "implementing": ("implementing", "umsetzung", "in_umsetzung"),
    "declined": ("declined", "abgelehnt"),
}


def status_label(t: Translator, status: str) -> str:
    return t.gettext(STATUS_LABELS[status]) if status in STATUS_LABELS else status


def status_from_word(word: str) -> str | None:
    """The status id for a word staff typed (``angenommen``, ``Accepted``, ``in Prüfung`` …), or None."""
    keys = match_keys(word.replace(" ", "_"))
    return next((status for status, words in STATUS_WORDS.items() if any(keys & match_keys(w) for w in words)), None)


class ModerationError(Exception):
    """The action does not fit the idea; ``args[0]`` is an English msgid, ``params`` fill it in."""

    def __init__(self, msgid: str, **params: object) -> None:  # msgid: wrapped in N_() for extraction
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def text(self, t: Translator) -> str:
        return t.gettext(self.msgid, **self.params)


@dataclass(frozen=True)
class Moderator:
    """One moderation action's context: the transaction, who acts, when, the bot's default
    language, and the quiet hours the news to authors and supporters waits out."""

    tx: Transaction
    actor: str  # a bot.staff entry, or "cli:<login name>"
    now: dt.datetime
    default_language: str
    quiet: QuietHours | None = None
    queued: list[Queued] = field(default_factory=list)  # what the action put into the outbox

    def delivery(self, t: Translator) -> str:
        """When the messages of the actions so far go out (empty when an action tells nobody)."""
        if not self.queued:
            return ""
        total = sum(self.queued[1:], self.queued[0])
        return delivery_note(t, total, self.now, self.quiet.zone if self.quiet is not None else dt.UTC)

    def apply(self, idea: IdeaRecord, action: str, *, status: str | None = None, reason: str | None = None) -> str:
        """Do ``action``; returns the English msgid that confirms it (``{ref}`` in it)."""
        reason = (reason or "").strip() or None
        if action == "approve":
            return self.approve(idea)
        if action == "reject":
            return self.reject(idea, reason)
        if action == "hide":
            return self.hide(idea)
        if action == "status":
            return self.set_status(idea, status or "", reason)
        raise ModerationError(N_("Unknown action {action}: use approve, reject, hide or status."), action=action)

    def approve(self, idea: IdeaRecord) -> str:
        if idea.visibility == "published":
            raise ModerationError(N_("Idea {ref} is published already."), ref=idea.ref)
        self.tx.update_idea(idea.id, self.now, {"visibility": "published"})
        self.tx.clear_reports(idea.id)  # looked at: old reports must not hide it again at once
        self.tx.record_audit(idea, self.actor, "approve", self.now)
        self._tell([idea.participant_id], N_("Your idea {ref} is now published. Thank you!"), idea)
        return N_("Idea {ref} is published.")

    def reject(self, idea: IdeaRecord, reason: str | None) -> str:
        if reason is None:
            raise ModerationError(N_("Please give a reason; the author will read it."))
        if idea.visibility == "rejected":
            raise ModerationError(N_("Idea {ref} is rejected already."), ref=idea.ref)
        self.tx.update_idea(idea.id, self.now, {"visibility": "rejected", "reason": reason})
        self.tx.record_audit(idea, self.actor, "reject", self.now, reason=reason)
        self._tell(
            [idea.participant_id],
            N_("Your idea {ref} was not published. The reason given: {reason}"),
            idea,
            reason=reason,
        )
        return N_("Idea {ref} is rejected.")

    def hide(self, idea: IdeaRecord) -> str:
        if idea.visibility == "hidden":
            raise ModerationError(N_("Idea {ref} is hidden already."), ref=idea.ref)
        self.tx.update_idea(idea.id, self.now, {"visibility": "hidden"})
        self.tx.record_audit(idea, self.actor, "hide", self.now)
        return N_("Idea {ref} is hidden.")

    def set_status(self, idea: IdeaRecord, status: str, reason: str | None) -> str:
        if status not in IDEA_STATUSES:
            # the words in the sentence are the ones staff may type, in each language
            raise ModerationError(
                N_("Unknown status {status}: use received, under_review, accepted, implementing or declined."),
                status=status,
            )
        if status == "declined" and reason is None:
            raise ModerationError(N_("Please give a reason; the author will read it."))
        if status == idea.status and reason == idea.reason:
            raise ModerationError(N_("Idea {ref} has this status already."), ref=idea.ref)
        self.tx.update_idea(idea.id, self.now, {"status": status, "reason": reason})
        self.tx.record_audit(idea, self.actor, "status", self.now, status=status, reason=reason)
        people = [idea.participant_id, *self.tx.supporters(idea.id)]
        message = N_("News about idea {ref}: its status is now “{status}”.")
        self._tell(list(dict.fromkeys(people)), message, idea, status=status, reason=reason)
        return N_("Idea {ref} now has the status “{status}”.")

    def _tell(
        self,
        people: list[ParticipantId],
        msgid: str,
        idea: IdeaRecord,
        *,
        status: str | None = None,
        reason: str | None = None,
    ) -> None:
        """Each person in their own language, to every channel they use, with the idea's opening
        words: months later nobody remembers which idea ``I-7KQ2`` was."""
        self.queued.append(Queued(0, self.now))
        for person in people:
            participant = self.tx.get_participant(person)
            if participant is None:
                continue
            t = translator(participant.language or self.default_language)
            params: dict[str, object] = {"ref": idea.ref, "reason": reason or ""}
            if status is not None:
                params["status"] = status_label(t, status)
            text = t.gettext(msgid, **params) + "\n" + t.gettext("The idea: “{opening}”", opening=opening(idea.text))
            if status is not None and reason:
                text += "\n" + t.gettext("The reason given: {reason}", reason=reason)
            self.queued[-1] += notify(self.tx, person, [Reply(text)], self.now, quiet=self.quiet)
