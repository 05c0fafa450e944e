"""The texts of bot-initiated messages: invitations, reminders, last-chance notes, event
reminders and the staff digest — each a ``Reply`` in the participant's language.

Every message to a citizen says how to stop them, and offers the process as a
button whose number is the one the menu gives it, so typing the number means
the same as pressing the button.
"""

from __future__ import annotations

import datetime as dt

from adapters.base import Option, Reply
from bot.dialogue.follow_contexts import INVITE
from bot.dialogue.keywords import Keyword
from bot.dialogue.turn import DialogueSettings
from bot.i18n import Translator, translator
from bot.process_files import Catalog
from storage.records import ParticipantRecord
from storage.schedule_records import DigestCounts
from surveys.model import Event, IdeaCall, Survey

__all__ = [
    "digest_reply",
    "event_reminder_reply",
    "invitation_reply",
    "last_chance_reply",
    "local_when",
    "reminder_reply",
]

Process = Survey | IdeaCall


def _language(participant: ParticipantRecord, settings: DialogueSettings) -> str:
    return participant.language or settings.languages[0]


def local_when(moment: dt.datetime, settings: DialogueSettings) -> tuple[str, str]:
    """(date, time) in the city's time zone, as Germans write them: ``03.02.2027``, ``18:00``."""
    local = moment.astimezone(settings.timezone)
    return local.strftime("%d.%m.%Y"), local.strftime("%H:%M")


def _word(settings: DialogueSettings, keyword: Keyword, language: str) -> str:
    return settings.keywords.first_word(keyword, language)


def _stop_line(t: Translator, settings: DialogueSettings, language: str) -> str:
    return t.gettext(
        "Type '{stop}' to get no more invitations or reminders.", stop=_word(settings, Keyword.STOP, language)
    )


def _with_button(
    text: str, process: Process, participant: ParticipantRecord, settings: DialogueSettings, number: int | None
) -> Reply:
    t = translator(_language(participant, settings))
    if number is None:
        return Reply(text)
    payload = settings.signer.sign(participant.id, INVITE, settings.signer.context_for(process.id))
    return Reply(text, options=(Option(payload, t.gettext("Take part now"), number),))


def invitation_reply(
    process: Process, participant: ParticipantRecord, settings: DialogueSettings, number: int | None
) -> Reply:
    language = _language(participant, settings)
    t = translator(language)
    command = f"start {process.id}"  # "start" works in every language
    lines = [
        t.gettext("New: {title}", title=process.title.get(language)),
        t.gettext("Would you like to take part? Type '{command}'.", command=command),
        "",
        t.gettext("You get this message because you follow news in this chat.")
        + " "
        + _stop_line(t, settings, language),
    ]
    return _with_button("\n".join(lines), process, participant, settings, number)


def reminder_reply(
    process: Survey, participant: ParticipantRecord, settings: DialogueSettings, number: int | None
) -> Reply:
    language = _language(participant, settings)
    news = translator(language).gettext(
        "A friendly reminder: you have not finished '{title}' yet. Your answers so far are kept.",
        title=process.title.get(language),
    )
    return _to_continue(news, process, participant, settings, number)


def last_chance_reply(
    process: Survey, participant: ParticipantRecord, settings: DialogueSettings, number: int | None
) -> Reply:
    language = _language(participant, settings)
    assert process.closes is not None
    date, time = local_when(process.closes, settings)
    news = translator(language).gettext(
        "Last chance: '{title}' closes on {date} at {time}. You have not finished it yet.",
        title=process.title.get(language),
        date=date,
        time=time,
    )
    return _to_continue(news, process, participant, settings, number)


def _to_continue(
    news: str, process: Survey, participant: ParticipantRecord, settings: DialogueSettings, number: int | None
) -> Reply:
    """A nudge to go on with a begun survey: the news, how to continue, how to stop such messages."""
    language = _language(participant, settings)
    t = translator(language)
    command = f"start {process.id}"  # "start" works in every language
    lines = [news, t.gettext("To continue, type '{command}'.", command=command), "", _stop_line(t, settings, language)]
    return _with_button("\n".join(lines), process, participant, settings, number)


def event_reminder_reply(event: Event, participant: ParticipantRecord, settings: DialogueSettings) -> Reply:
    language = _language(participant, settings)
    t = translator(language)
    date, time = local_when(event.start, settings)
    lines = [
        t.gettext(
            "Reminder: {title} on {date} at {time}, {place}.",
            title=event.title.get(language),
            date=date,
            time=time,
            place=event.place.get(language),
        )
    ]
    if event.link:
        lines.append(event.link)
    lines += [
        "",
        t.gettext(
            "You asked me to remind you. Type '{events}' to see all events.",
            events=_word(settings, Keyword.EVENTS, language),
        ),
    ]
    return Reply("\n".join(lines))


def digest_reply(counts: DigestCounts, catalog: Catalog, language: str) -> Reply:
    t = translator(language)
    lines = [t.gettext("Daily overview for staff (last 24 hours):")]
    if not counts.responses:
        lines.append(t.gettext("No new responses."))
    for process_id, (started, completed) in counts.responses.items():
        process = catalog.get(process_id)
        title = process.title.get(language) if process is not None else process_id
        lines.append(
            t.gettext(
                "{title}: {started} started, {completed} finished", title=title, started=started, completed=completed
            )
        )
    if counts.ideas_waiting is not None:
        lines.append(t.gettext("Ideas waiting for moderation: {count}", count=counts.ideas_waiting))
    return Reply("\n".join(lines))
