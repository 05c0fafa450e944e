"""Following news: topics and districts a participant subscribes to, ``stopp``, and the
buttons of invitations and reminders.

A list of topics (or districts) is a multi-select: each number or button
switches one on or off, "done" ends it. Nobody gets an invitation without
having followed something here; ``stopp`` removes every subscription and
event reminder and ends reminders of started surveys too.
"""

from __future__ import annotations

from adapters.base import Option, has_buttons
from bot.dialogue.follow_contexts import DISTRICT, FOLLOW_DONE, INVITE, TOPIC
from bot.dialogue.keywords import Command, Keyword, folds
from bot.dialogue.part import Part
from bot.dialogue.payloads import Payload
from bot.dialogue.turn import Awaiting
from storage.schedule_records import ALL, SubscriptionKind

__all__ = ["FollowPart", "numbers_in"]

_LISTS = {Awaiting.TOPICS: TOPIC, Awaiting.DISTRICTS: DISTRICT}
_KINDS: dict[str, SubscriptionKind] = {TOPIC: "topic", DISTRICT: "district"}


class FollowPart(Part):
    """``themen``, ``bezirke`` and ``stopp``; the buttons of the follow lists and of invitations."""

    keywords = frozenset({Keyword.TOPICS, Keyword.DISTRICTS, Keyword.STOP})
    contexts = frozenset({TOPIC, DISTRICT, FOLLOW_DONE, INVITE})
    awaiting = frozenset(_LISTS)

    def keyword(self, command: Command) -> bool:
        if command.keyword is Keyword.STOP:
            self.stop_everything()
        else:
            self.follow_list(TOPIC if command.keyword is Keyword.TOPICS else DISTRICT)
        return True

    def route(self, text: str) -> bool:
        """Buttons and typed numbers or names of the follow lists, and invitation buttons."""
        pressed = self.turn.pressed()
        if isinstance(pressed, Payload) and pressed.context == INVITE:
            self.open_invited(pressed.value)
            return True
        if isinstance(pressed, Payload) and pressed.context in (TOPIC, DISTRICT, FOLLOW_DONE):
            self.follow_pressed(pressed)
            return True
        awaiting = self.turn.awaiting
        if awaiting not in _LISTS:
            return False
        names, done = self.follow_names(_LISTS[awaiting]), self.turn.t.gettext("Done")
        numbers = numbers_in(text)
        if numbers is None:
            numbers = _numbers_by_label(text, [label for _, label in names] + [done])
        if numbers is None:  # the ids in the config ("gruen") work as well as their names
            numbers = _numbers_by_label(text, [value for value, _ in names] + [done])
        if numbers is None:
            self.turn.save_state(awaiting=None)  # anything else: the list is closed, the message goes its way
            return False
        self.toggle_follow(_LISTS[awaiting], numbers)
        return True

    def follow_pressed(self, pressed: Payload) -> None:
        if pressed.context == FOLLOW_DONE:
            self.follow_done()
        else:
            names = self.follow_names(pressed.context)
            index = next((i for i, (value, _) in enumerate(names, 1) if self._value(value) == pressed.value), None)
            if index is None:
                self.turn.say(self.turn.t.gettext("That button is no longer valid."))
                return
            self.toggle_follow(pressed.context, [index])

    # --- topics and districts -----------------------------------------------------
    def follow_names(self, context: str) -> list[tuple[str, str]]:
        """(stored value, label) of every entry of the list, "everything" last among topics."""
        t = self.turn.t
        if context == TOPIC:
            return [(topic, self.topic_name(topic)) for topic in self.turn.settings.topics] + [
                (ALL, t.gettext("Everything"))
            ]
        return [(district, district) for district in self.turn.settings.districts]

    def topic_name(self, topic: str) -> str:
        """What the participant reads for a topic: its name in their language, else the bot's first, else the id."""
        names = self.turn.settings.topic_names.get(topic, {})
        return names.get(self.turn.language) or names.get(self.turn.settings.languages[0]) or topic

    def follow_list(self, context: str) -> None:
        t = self.turn.t
        names = self.follow_names(context)
        if not names:
            self.turn.say(t.gettext("There are no districts to choose from."))
            return
        self.turn.save_state(awaiting=Awaiting.TOPICS if context == TOPIC else Awaiting.DISTRICTS)
        options, selected = self.follow_options(context)
        question = (
            t.gettext("Which topics would you like to hear about?")
            if context == TOPIC
            else t.gettext("Which districts would you like to hear about?")
        )
        self.turn.say(
            question + "\n" + t.gettext("Answer with numbers, like 1, 3, to switch them on or off."),
            options=options,
            multi=True,
            selected=selected,
        )

    def follow_options(self, context: str) -> tuple[tuple[Option, ...], tuple[str, ...]]:
        """The topics or districts as options (and "Done" last), and the payloads of those followed."""
        names = self.follow_names(context)
        followed = set(self.turn.tx.subscriptions(self.turn.pid))
        options = tuple(self.turn.option(context, self._value(v), label, i) for i, (v, label) in enumerate(names, 1))
        selected = tuple(
            o.payload for o, (v, _) in zip(options, names, strict=True) if (self._kind(context, v), v) in followed
        )
        return (*options, self.turn.option(FOLLOW_DONE, "1", self.turn.t.gettext("Done"), len(options) + 1)), selected

    def toggle_follow(self, context: str, numbers: list[int]) -> None:
        names = self.follow_names(context)
        if not numbers or any(not 0 < n <= len(names) + 1 for n in numbers):
            self.turn.say(self.turn.t.gettext("Please choose one of the numbers in the list."))
            self.follow_list(context)
            return
        if numbers == [len(names) + 1]:
            self.follow_done()
            return
        followed = set(self.turn.tx.subscriptions(self.turn.pid))
        switched_on: list[str] = []
        switched_off: list[str] = []
        for n in dict.fromkeys(numbers):
            if n <= len(names):
                value, label = names[n - 1]
                kind = self._kind(context, value)
                on = (kind, value) not in followed
                self.turn.tx.set_subscription(self.turn.pid, kind, value, on, self.turn.now)
                (switched_on if on else switched_off).append(label)
        self.turn.save_state(stopped=None)
        self.follow_changed(context, switched_on, switched_off)

    def follow_changed(self, context: str, switched_on: list[str], switched_off: list[str]) -> None:
        """What a toggle changed, in a line or two instead of the whole list again; a channel with
        buttons keeps its keyboard (with the new marks), so the list stays one tap away."""
        t = self.turn.t
        lines = []
        if switched_on:
            lines.append(t.gettext("Now on: {names}.", names=", ".join(switched_on)))
        if switched_off:
            lines.append(t.gettext("Now off: {names}.", names=", ".join(switched_off)))
        done = len(self.follow_names(context)) + 1
        lines.append(t.gettext("More numbers switch more on or off; {done} ends the choice.", done=done))
        if not has_buttons(self.turn.inbound.channel):
            self.turn.say("\n".join(lines))
            return
        options, selected = self.follow_options(context)
        self.turn.say("\n".join(lines), options=options, multi=True, selected=selected)

    def follow_done(self) -> None:
        self.turn.save_state(awaiting=None)
        self.turn.say(self.following_text())
        self.others.resume_hint()

    def following_text(self) -> str:
        t = self.turn.t
        followed = self.turn.tx.subscriptions(self.turn.pid)
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
        return ALL if value == ALL else self.turn.settings.signer.context_for(value)

    # --- stop and invitations -----------------------------------------------------
    def stop_everything(self) -> None:
        self.turn.tx.clear_subscriptions(self.turn.pid)
        self.turn.save_state(stopped=True, awaiting=None)
        self.turn.say(self.turn.t.gettext("Done: you will get no more invitations or reminders from me."))

    def open_invited(self, value: str) -> None:
        signer = self.turn.settings.signer
        process = next((p for p in self.turn.catalog.processes if signer.context_for(p.id) == value), None)
        if process is None:
            self.turn.say(self.turn.t.gettext("This survey is not open (any more)."))
            self.others.menu()
            return
        self.others.open_process(process.id)


def _numbers_by_label(text: str, labels: list[str]) -> list[int] | None:
    """``"Verkehr, fertig"`` → their numbers in the list; None unless every part is a label."""
    folded = [folds(label)[0] for label in labels]
    parts = [folds(part.strip())[0] for part in text.split(",") if part.strip()]
    if not parts or any(part not in folded for part in parts):
        return None
    return [folded.index(part) + 1 for part in parts]


def numbers_in(text: str) -> list[int] | None:
    """``"1, 3"`` → [1, 3]; None when the text is not a list of numbers."""
    parts = [p for p in text.replace(",", " ").split() if p]
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]
