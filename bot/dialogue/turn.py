"""One turn of the conversation: the state and helpers every dialogue step shares.

A turn lives for one inbound event. All it reads and writes goes through the
transaction it is given; the replies it collects are enqueued by the engine in
that same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from typing import Any, TypedDict, Unpack

from adapters.base import Inbound, Option, Reply, has_buttons
from bot.dialogue.keywords import KeywordTable
from bot.dialogue.payloads import Payload, PayloadSigner
from bot.dialogue.questions import QuestionView
from bot.i18n import Translator, translator, ui_language
from bot.notifications import QuietHours
from bot.process_files import Catalog
from storage.contract import Transaction
from storage.records import ParticipantId, ParticipantRecord, ResponseRecord
from surveys.answers import AnswerWords, Given, PhotoRef
from surveys.model import IdeaCall, Survey
from surveys.runner import Progress

__all__ = ["CONSENT", "ERASE", "LANGUAGE", "MENU", "DialogueSettings", "Turn", "answer_words_of"]

# payload contexts of the buttons that are not survey questions
CONSENT, MENU, LANGUAGE, ERASE = "c", "m", "l", "x"


class Awaiting(StrEnum):
    """What a participant's next message answers, outside a survey question."""

    CONSENT = "consent"  # the privacy notice: yes or no
    LANGUAGE = "language"  # the language menu
    ERASE = "erase"  # "really delete everything?"
    TOPICS = "topics"  # the topics to follow
    DISTRICTS = "districts"  # the districts to follow
    EVENTS = "events"  # the events to be reminded of


STATE_VERSION = 1
"""The shape of the stored dialogue state (``participant.state``); raise it when a key changes meaning."""


class StateChanges(TypedDict, total=False):
    """The keys of the dialogue state and their types; None removes a key."""

    awaiting: Awaiting | None
    process: str | None  # the survey being answered
    start: str | None  # a process a direct link asked for, opened after consent
    consent_version: str | None  # the privacy notice agreed to
    stopped: bool | None  # "stopp": no invitations or reminders
    idea: dict[str, Any] | None  # the idea being handed in: call, step, text, …
    idea_kept: dict[str, Any] | None  # a begun idea put aside (menu, survey, language)
    idea_pick: str | None  # which call "idee"/"ideen" is for, while the citizen picks
    browse: dict[str, Any] | None  # the page of ideas shown: call, order, offset, actions


@dataclass(frozen=True)
class DialogueSettings:
    """What the conversation needs to know about this installation."""

    bot_name: str
    languages: tuple[str, ...]
    privacy_url: str
    consent_version: str
    timezone: dt.tzinfo
    keywords: KeywordTable
    signer: PayloadSigner
    staff: frozenset[str] = field(default_factory=frozenset)
    topics: tuple[str, ...] = ()  # what participants may follow (bot.topics)
    topic_names: dict[str, dict[str, str]] = field(default_factory=dict)  # bot.topic_names
    districts: tuple[str, ...] = ()  # … and bot.districts
    idea_report_threshold: int = 3  # [ideas] report_threshold
    quiet: QuietHours | None = None  # [reminders] quiet_hours, for news the bot sends unasked

    def language_for(self, reported: str | None) -> str:
        """The language a messenger reports, where it is offered; else the bot's first."""
        return ui_language(reported, self.languages) or self.languages[0]


@dataclass
class Turn:
    """One inbound event's context, handed to every part of the dialogue: the transaction, the
    message, the participant and their state, and the replies collected so far."""

    tx: Transaction
    inbound: Inbound
    now: dt.datetime
    catalog: Catalog
    settings: DialogueSettings
    photo: PhotoRef | None = None
    replies: list[Reply] = field(default_factory=list)
    participant: ParticipantRecord | None = None
    visitor: bool = False  # ``participant`` is not stored: they have not agreed (yet), see ``storage.visitors``
    erased: bool = False
    anonymous_replies: bool = False  # an anonymous survey ended: this turn's replies are linked to nobody
    removed_files: list[str] = field(default_factory=list)
    read_photo: Callable[[str], bytes | None] = lambda name: None  # a stored photo's bytes (the media store)

    @property
    def pid(self) -> ParticipantId:
        """The participant's id; a visitor's stands in for signing buttons only and is stored nowhere."""
        assert self.participant is not None
        return self.participant.id

    @property
    def stored_pid(self) -> ParticipantId | None:
        """The id of a stored participant (what outbox rows may name), else None."""
        if self.visitor or self.erased or self.anonymous_replies or self.participant is None:
            return None
        return self.participant.id

    def meet_visitor(self, language: str | None, state: dict[str, Any]) -> None:
        """Work with somebody who has not agreed: nothing of them is stored but ``save_state`` and
        ``set_language`` into the visitor row."""
        inbound = self.inbound
        stand_in = ParticipantId(f"visitor\0{inbound.channel}\0{inbound.sender}")
        self.participant = ParticipantRecord(stand_in, "", language, None, self.now, self.now, dict(state))
        self.visitor = True

    def admit(self) -> None:
        """The visitor agreed: from now on a stored participant, with what the visitor row held."""
        assert self.participant is not None and self.visitor
        inbound, kept = self.inbound, self.participant
        self.participant = self.tx.create_participant(
            inbound.channel, inbound.sender, inbound.address, kept.language, self.now
        )
        self.tx.forget_visitor(inbound.channel, inbound.sender)
        self.visitor = False
        self.tx.update_participant(self.pid, now=self.now, state=dict(kept.state))
        self.set_participant(state=dict(kept.state))

    def set_language(self, code: str) -> None:
        self._write(language=code)

    def _write(self, **changes: Any) -> None:
        """Store a new language or state: in the visitor row, or on the participant; and keep the
        in-memory record in step."""
        self.set_participant(**changes)
        if self.visitor:
            assert self.participant is not None
            kept, inbound = self.participant, self.inbound
            self.tx.save_visitor(inbound.channel, inbound.sender, kept.language, kept.state, self.now)
        else:
            self.tx.update_participant(self.pid, now=self.now, **changes)

    @property
    def state(self) -> dict[str, Any]:
        assert self.participant is not None
        return dict(self.participant.state)

    @property
    def language(self) -> str:
        if self.participant is not None and self.participant.language:
            return self.participant.language
        return self.settings.languages[0]

    @property
    def t(self) -> Translator:
        return translator(self.language)

    def t_default(self) -> Translator:
        return translator(self.settings.language_for(self.inbound.language))

    def say(self, text: str, **kw: Any) -> None:
        if kw.get("multi"):
            kw.setdefault("chosen_mark", self.t.gettext("chosen"))
        self.replies.append(Reply(text, **kw))

    def save_state(self, **changes: Unpack[StateChanges]) -> None:
        """Change the stored dialogue state: a value replaces its key, None removes it."""
        state: dict[str, Any] = {**self.state, **changes, "version": STATE_VERSION}
        self._write(state={k: v for k, v in state.items() if v is not None})

    @property
    def awaiting(self) -> Awaiting | None:
        """What the last message asked for, when it was not a survey question."""
        stored = self.state.get("awaiting")
        return Awaiting(stored) if isinstance(stored, str) and stored in Awaiting._value2member_map_ else None

    def option(self, context: str, value: str, label: str, number: int) -> Option:
        return Option(self.settings.signer.sign(self.pid, context, value), label, number)

    def pressed(self) -> Payload | None | bool:
        """The verified payload of a pressed button; False when forged or foreign; None without a button."""
        if self.inbound.choice is None:
            return None
        payload = self.settings.signer.verify(self.pid, self.inbound.choice)
        return payload if payload is not None else False

    def open_processes(self) -> list[Survey | IdeaCall]:
        return self.catalog.open_processes(self.now)

    def given(self, text: str) -> Given:
        """What the citizen sent, as the answer parser takes it (a photo kept, or its size when refused)."""
        media = self.inbound.media
        return Given(
            text=text or None,
            location=self.inbound.location,
            photo=self.photo,
            photo_size=media.size if media is not None and self.photo is None else None,
            length=len(self.inbound.text) if self.inbound.text else None,
        )

    def answer_words(self) -> AnswerWords:
        return answer_words_of(self.t)

    def view(self, survey: Survey) -> QuestionView:
        return QuestionView(survey, self.pid, self.t, self.settings.signer, buttons=has_buttons(self.inbound.channel))

    def progress(self, response: ResponseRecord) -> Progress:
        return Progress.from_json(response.progress)

    def set_participant(self, **changes: Any) -> None:
        """Keep the in-memory record in step with what was written."""
        assert self.participant is not None
        self.participant = replace(self.participant, **changes)


@lru_cache(maxsize=32)
def answer_words_of(t: Translator) -> AnswerWords:
    """The words for yes, no, today, tomorrow and "other" in the language of ``t`` (kept for the
    last few translators: every answer is parsed with them)."""
    return AnswerWords(
        yes=t.words("yes|y|ok|agree"),
        no=t.words("no|n"),
        today=t.words("today"),
        tomorrow=t.words("tomorrow"),
        other=t.words("other|something else"),
    )
