"""Following news: topics and districts a participant subscribes to, ``stopp``, and the
buttons of invitations and reminders.

A list of topics (or districts) is a multi-select: each number or button
switches one on or off, "done" ends it. Nobody gets an invitation without
having followed something here; ``stopp`` removes every subscription and
event reminder and ends reminders of started surveys too.
"""

from __future__ import annotations

from adapters.base import Option, has_buttons
from bot.dialogue.follow_contexts import DISTRICT, EVENT, FOLLOW_DONE, INVITE, TOPIC
from bot.dialogue.keywords import folds
from bot.dialogue.payloads import Payload
from bot.dialogue.turn import Awaiting, Turn
from storage.schedule_records import ALL, SubscriptionKind

__all__ = ["SubscriptionSteps"]

_LISTS = {Awaiting.TOPICS: TOPIC, Awaiting.DISTRICTS: DISTRICT}
_KINDS: dict[str, SubscriptionKind] = {TOPIC: "topic", DISTRICT: "district"}


class SubscriptionSteps(Turn):
    # --- routing ------------------------------------------------------------------
    def follow_routed(self, text: str) -> bool:
        """Buttons and typed numbers of the follow lists, events and invitations; True when handled."""
        pressed = self.pressed()
        if isinstance(pressed, Payload) and pressed.context == INVITE:
            self.open_invited(pressed.value)
            return True
        awaiting = self.awaiting
        if isinstance(pressed, Payload) and pressed.context in (TOPIC, DISTRICT, EVENT, FOLLOW_DONE):
            self.follow_pressed(pressed)
            return True
        if awaiting not in (*_LISTS, Awaiting.EVENTS):
            return False
        numbers = _numbers(text)
        if numbers is None and awaiting in _LISTS:
            names, done = self.follow_names(_LISTS[awaiting]), self.t.gettext("Done")
            numbers = _numbers_by_label(text, [label for _, label in names] + [done])
            if numbers is None:  # the ids in the config ("gruen") work as well as their names
                numbers = _numbers_by_label(text, [value for value, _ in names] + [done])
        if numbers is None:
            self.save_state(awaiting=None)  # anything else: the list is closed, the message goes its way
            return False
        if awaiting is Awaiting.EVENTS:
            self.toggle_events(numbers)
        elif awaiting is not None:
            self.toggle_follow(_LISTS[awaiting], numbers)
        return True

    def follow_pressed(self, pressed: Payload) -> None:
        if pressed.context == FOLLOW_DONE:
            self.follow_done()
        elif pressed.context == EVENT:
            self.toggle_events_by_value(pressed.value)
        else:
            names = self.follow_names(pressed.context)
            index = next((i for i, (value, _) in enumerate(names, 1) if self._value(value) == pressed.value), None)
            if index is None:
                self.say(self.t.gettext("That button is no longer valid."))
                return
            self.toggle_follow(pressed.context, [index])

    # --- topics and districts -----------------------------------------------------
    def follow_names(self, context: str) -> list[tuple[str, str]]:
        """(stored value, label) of every entry of the list, "everything" last among topics."""
        t = self.t
        if context == TOPIC:
            return [(topic, self.topic_name(topic)) for topic in self.settings.topics] + [
                (ALL, t.gettext("Everything"))
            ]
        return [(district, district) for district in self.settings.districts]

    def topic_name(self, topic: str) -> str:
        """What the participant reads for a topic: its name in their language, else the bot's first, else the id."""
        names = self.settings.topic_names.get(topic, {})
        return names.get(self.language) or names.get(self.settings.languages[0]) or topic

    def follow_list(self, context: str) -> None:
        t = self.t
        names = self.follow_names(context)
        if not names:
            self.say(t.gettext("There are no districts to choose from."))
            return
        self.save_state(awaiting=Awaiting.TOPICS if context == TOPIC else Awaiting.DISTRICTS)
        options, selected = self.follow_options(context)
        question = (
            t.gettext("Which topics would you like to hear about?")
            if context == TOPIC
            else t.gettext("Which districts would you like to hear about?")
        )
        self.say(
            question + "\n" + t.gettext("Answer with numbers, like 1, 3, to switch them on or off."),
            options=options,
            multi=True,
            selected=selected,
        )

    def follow_options(self, context: str) -> tuple[tuple[Option, ...], tuple[str, ...]]:
        """The topics or districts as options (and "Done" last), and the payloads of those followed."""
        names = self.follow_names(context)
        followed = set(self.tx.subscriptions(self.pid))
        options = tuple(self.option(context, self._value(v), label, i) for i, (v, label) in enumerate(names, 1))
        selected = tuple(
            o.payload for o, (v, _) in zip(options, names, strict=True) if (self._kind(context, v), v) in followed
        )
        return (*options, self.option(FOLLOW_DONE, "1", self.t.gettext("Done"), len(options) + 1)), selected

    def toggle_follow(self, context: str, numbers: list[int]) -> None:
        names = self.follow_names(context)
        if not numbers or any(not 0 < n <= len(names) + 1 for n in numbers):
            self.say(self.t.gettext("Please choose one of the numbers in the list."))
            self.follow_list(context)
            return
        if numbers == [len(names) + 1]:
            self.follow_done()
            return
        followed = set(self.tx.subscriptions(self.pid))
        switched_on: list[str] = []
        switched_off: list[str] = []
        for n in dict.fromkeys(numbers):
            if n <= len(names):
                value, label = names[n - 1]
                kind = self._kind(context, value)
                on = (kind, value) not in followed
                self.tx.set_subscription(self.pid, kind, value, on, self.now)
                (switched_on if on else switched_off).append(label)
        self.save_state(stopped=None)
        self.follow_changed(context, switched_on, switched_off)

    def follow_changed(self, context: str, switched_on: list[str], switched_off: list[str]) -> None:
        """What a toggle changed, in a line or two instead of the whole list again; a channel with
        buttons keeps its keyboard (with the new marks), so the list stays one tap away."""
        t = self.t
        lines = []
        if switched_on:
            lines.append(t.gettext("Now on: {names}.", names=", ".join(switched_on)))
        if switched_off:
            lines.append(t.gettext("Now off: {names}.", names=", ".join(switched_off)))
        done = len(self.follow_names(context)) + 1
        lines.append(t.gettext("More numbers switch more on or off; {done} ends the choice.", done=done))
        if not has_buttons(self.inbound.channel):
            self.say("\n".join(lines))
            return
        options, selected = self.follow_options(context)
        self.say("\n".join(lines), options=options, multi=True, selected=selected)

    def follow_done(self) -> None:
        self.save_state(awaiting=None)
        self.say(self.following_text())
        self.resume_hint()

    def following_text(self) -> str:
        t = self.t
        followed = self.tx.subscriptions(self.pid)
        names = [
            t.gettext("Everything") if kind == "all" else self.topic_name(value) if kind == "topic" else value
            for kind, value in followed
            if kind != "event"
        ]
        if not names:
            return t.gettext("You follow nothing, so I will not send you invitations.")
        return t.gettext("You will be invited when something opens on: {names}.", names=", ".join(names))

    def _kind(self, context: str, value: str) -> SubscriptionKind:
        return "all" if value == ALL else _KINDS[context]

    def _value(self, value: str) -> str:
        return ALL if value == ALL else self.settings.signer.context_for(value)

    # --- stop and invitations -----------------------------------------------------
    def stop_everything(self) -> None:
        self.tx.clear_subscriptions(self.pid)
        self.save_state(stopped=True, awaiting=None)
        self.say(self.t.gettext("Done: you will get no more invitations or reminders from me."))

    def open_invited(self, value: str) -> None:
        signer = self.settings.signer
        process = next((p for p in self.catalog.processes if signer.context_for(p.id) == value), None)
        if process is None:
            self.say(self.t.gettext("This survey is not open (any more)."))
            self.menu()
            return
        self.open_process(process.id)

    # --- steps that live in events.py ------------------------------------------
    def toggle_events(self, numbers: list[int]) -> None:
        raise NotImplementedError

    def toggle_events_by_value(self, value: str) -> None:
        raise NotImplementedError


def _numbers_by_label(text: str, labels: list[str]) -> list[int] | None:
    """``"Verkehr, fertig"`` → their numbers in the list; None unless every part is a label."""
    folded = [folds(label)[0] for label in labels]
    parts = [folds(part.strip())[0] for part in text.split(",") if part.strip()]
    if not parts or any(part not in folded for part in parts):
        return None
    return [folded.index(part) + 1 for part in parts]


def _numbers(text: str) -> list[int] | None:
    """``"1, 3"`` → [1, 3]; None when the text is not a list of numbers."""
    parts = [p for p in text.replace(",", " ").split() if p]
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]
