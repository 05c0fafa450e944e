"""In-person events: the list of upcoming ones (``termine``), and asking to be reminded.

Each event in the list is a switch: pressing (or typing) its number asks for a
reminder the day before, pressing again takes that back. The reminders are
sent by ``bot/scheduled/sweeps.py: event_reminders``.
"""

from __future__ import annotations

from bot.dialogue.follow_contexts import EVENT, FOLLOW_DONE, event_value
from bot.dialogue.invitations import local_when
from bot.dialogue.subscriptions import SubscriptionSteps
from bot.dialogue.turn import Awaiting
from surveys.model import Event

__all__ = ["EventSteps", "upcoming_events"]

MAX_LISTED = 10


def upcoming_events(processes: object, now: object) -> list[tuple[str, Event]]:
    """(process id, event) of every event still to come, soonest first."""
    found = [(p.id, e) for p in processes for e in p.events if e.start > now]  # type: ignore[attr-defined]
    return sorted(found, key=lambda pe: pe[1].start)[:MAX_LISTED]


class EventSteps(SubscriptionSteps):
    def events_list(self) -> None:
        t = self.t
        events = upcoming_events(self.catalog.processes, self.now)
        if not events:
            self.save_state(awaiting=None)
            self.say(t.gettext("There are no upcoming events at the moment."))
            return
        self.save_state(awaiting=Awaiting.EVENTS)
        followed = {value for kind, value in self.tx.subscriptions(self.pid) if kind == "event"}
        lines = [t.gettext("Upcoming events:")]
        options = []
        selected = []
        for number, (process_id, event) in enumerate(events, 1):
            date, time = local_when(event.start, self.settings)
            title = event.title.get(self.language)
            lines.append(
                f"\n{number}. {date}, {time} – {title}\n"
                + t.gettext("Place: {place}", place=event.place.get(self.language))
            )
            if event.link:
                lines.append(event.link)
            option = self.option(EVENT, self._event_value(process_id, event), f"{date} {title}", number)
            options.append(option)
            if event_value(process_id, event) in followed:
                selected.append(option.payload)
        lines.append("\n" + t.gettext("Choose an event to be reminded the day before; choose it again to cancel."))
        self.say(
            "\n".join(lines),
            options=(*options, self.option(FOLLOW_DONE, "1", t.gettext("Done"), len(options) + 1)),
            multi=True,
            selected=tuple(selected),
        )

    def toggle_events(self, numbers: list[int]) -> None:
        events = upcoming_events(self.catalog.processes, self.now)
        if numbers == [len(events) + 1]:
            self.save_state(awaiting=None)
            self.say(self.t.gettext("All right."))
            self.resume_hint()
            return
        if not numbers or any(not 0 < n <= len(events) for n in numbers):
            self.say(self.t.gettext("Please choose one of the numbers in the list."))
            self.events_list()
            return
        for n in numbers:
            self.toggle_event(*events[n - 1])
        self.events_list()

    def toggle_events_by_value(self, value: str) -> None:
        events = upcoming_events(self.catalog.processes, self.now)
        found = next((pe for pe in events if self._event_value(*pe) == value), None)
        if found is None:
            self.say(self.t.gettext("That button is no longer valid."))
            self.events_list()
            return
        self.toggle_event(*found)
        self.events_list()

    def toggle_event(self, process_id: str, event: Event) -> None:
        value = event_value(process_id, event)
        on = ("event", value) not in set(self.tx.subscriptions(self.pid))
        self.tx.set_subscription(self.pid, "event", value, on, self.now)
        title = event.title.get(self.language)
        if on:
            self.save_state(stopped=None)
            self.say(self.t.gettext("I will remind you the day before: {title}", title=title))
        else:
            self.say(self.t.gettext("No reminder for {title} any more.", title=title))

    def _event_value(self, process_id: str, event: Event) -> str:
        return self.settings.signer.context_for(process_id, event.key)
