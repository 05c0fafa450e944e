"""In-person events: the list of upcoming ones (``termine``), and asking to be reminded.

Each event in the list is a switch: pressing (or typing) its number asks for a
reminder the day before, pressing again takes that back. The reminders are
sent by ``bot/scheduled/sweeps.py: event_reminders``.
"""

from __future__ import annotations

from bot.dialogue.follow_contexts import EVENT, FOLLOW_DONE, event_value
from bot.dialogue.invitations import local_when
from bot.dialogue.keywords import Command, Keyword
from bot.dialogue.part import Part
from bot.dialogue.payloads import Payload
from bot.dialogue.subscriptions import numbers_in
from bot.dialogue.turn import Awaiting
from surveys.model import Event

__all__ = ["EventsPart", "upcoming_events"]

MAX_LISTED = 10


def upcoming_events(processes: object, now: object) -> list[tuple[str, Event]]:
    """(process id, event) of every event still to come, soonest first."""
    found = [(p.id, e) for p in processes for e in p.events if e.start > now]  # type: ignore[attr-defined]
    return sorted(found, key=lambda pe: pe[1].start)[:MAX_LISTED]


class EventsPart(Part):
    """``termine``: the list of events, each a switch for a reminder the day before. Its "Done"
    button is the follow lists' (``FOLLOW_DONE``), answered by ``FollowPart``."""

    keywords = frozenset({Keyword.EVENTS})
    contexts = frozenset({EVENT})
    awaiting = frozenset({Awaiting.EVENTS})

    def keyword(self, command: Command) -> bool:
        self.events_list()
        return True

    def route(self, text: str) -> bool:
        pressed = self.turn.pressed()
        if isinstance(pressed, Payload) and pressed.context == EVENT:
            self.toggle_events_by_value(pressed.value)
            return True
        if self.turn.awaiting is not Awaiting.EVENTS:
            return False
        numbers = numbers_in(text)
        if numbers is None:
            self.turn.save_state(awaiting=None)  # anything else: the list is closed, the message goes its way
            return False
        self.toggle_events(numbers)
        return True

    def events_list(self) -> None:
        t = self.turn.t
        events = upcoming_events(self.turn.catalog.processes, self.turn.now)
        if not events:
            self.turn.save_state(awaiting=None)
            self.turn.say(t.gettext("There are no upcoming events at the moment."))
            return
        self.turn.save_state(awaiting=Awaiting.EVENTS)
        followed = {value for kind, value in self.turn.tx.subscriptions(self.turn.pid) if kind == "event"}
        lines = [t.gettext("Upcoming events:")]
        options = []
        selected = []
        for number, (process_id, event) in enumerate(events, 1):
            date, time = local_when(event.start, self.turn.settings)
            title = event.title.get(self.turn.language)
            lines.append(
                f"\n{number}. {date}, {time} – {title}\n"
                + t.gettext("Place: {place}", place=event.place.get(self.turn.language))
            )
            if event.link:
                lines.append(event.link)
            option = self.turn.option(EVENT, self._event_value(process_id, event), f"{date} {title}", number)
            options.append(option)
            if event_value(process_id, event) in followed:
                selected.append(option.payload)
        lines.append("\n" + t.gettext("Choose an event to be reminded the day before; choose it again to cancel."))
        self.turn.say(
            "\n".join(lines),
            options=(*options, self.turn.option(FOLLOW_DONE, "1", t.gettext("Done"), len(options) + 1)),
            multi=True,
            selected=tuple(selected),
        )

    def toggle_events(self, numbers: list[int]) -> None:
        events = upcoming_events(self.turn.catalog.processes, self.turn.now)
        if numbers == [len(events) + 1]:
            self.turn.save_state(awaiting=None)
            self.turn.say(self.turn.t.gettext("All right."))
            self.others.resume_hint()
            return
        if not numbers or any(not 0 < n <= len(events) for n in numbers):
            self.turn.say(self.turn.t.gettext("Please choose one of the numbers in the list."))
            self.events_list()
            return
        for n in numbers:
            self.toggle_event(*events[n - 1])
        self.events_list()

    def toggle_events_by_value(self, value: str) -> None:
        events = upcoming_events(self.turn.catalog.processes, self.turn.now)
        found = next((pe for pe in events if self._event_value(*pe) == value), None)
        if found is None:
            self.turn.say(self.turn.t.gettext("That button is no longer valid."))
            self.events_list()
            return
        self.toggle_event(*found)
        self.events_list()

    def toggle_event(self, process_id: str, event: Event) -> None:
        value = event_value(process_id, event)
        on = ("event", value) not in set(self.turn.tx.subscriptions(self.turn.pid))
        self.turn.tx.set_subscription(self.turn.pid, "event", value, on, self.turn.now)
        title = event.title.get(self.turn.language)
        if on:
            self.turn.save_state(stopped=None)
            self.turn.say(self.turn.t.gettext("I will remind you the day before: {title}", title=title))
        else:
            self.turn.say(self.turn.t.gettext("No reminder for {title} any more.", title=title))

    def _event_value(self, process_id: str, event: Event) -> str:
        return self.turn.settings.signer.context_for(process_id, event.key)
