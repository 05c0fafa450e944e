"""Staff moderation in their own chat with the bot: the queue, approve, reject, hide, status.

Staff are the ``bot.staff`` entries ("telegram:123", "terminal:anna"). Every
staff command starts with ``mod``:

    mod                               the queue: ideas waiting for staff
    mod freigeben I-7KQ2              approve (publish)          · mod approve …
    mod ablehnen I-7KQ2 <Grund>       reject, the author reads the reason · mod reject …
    mod verbergen I-7KQ2              hide a published idea      · mod hide …
    mod status I-7KQ2 angenommen [<Grund>]                       · mod status I-7KQ2 accepted …

For anyone else a staff command is an unknown message, and only *that* it
happened is logged — never who sent it.
"""

from __future__ import annotations

import logging

from bot.dialogue.moderation import ModerationError, Moderator, status_from_word, status_label
from bot.dialogue.part import Part
from surveys.model import IdeaCall
from surveys.text_input import match_keys

__all__ = ["StaffPart", "parse_staff_command"]

log = logging.getLogger(__name__)

QUEUE_LIMIT = 10

_VERBS = {
    "approve": ("approve", "freigeben", "freigabe"),
    "reject": ("reject", "ablehnen"),
    "hide": ("hide", "verbergen", "ausblenden"),
    "status": ("status",),
}


def _lookup(table: dict[str, tuple[str, ...]], word: str) -> str | None:
    keys = match_keys(word)
    return next((name for name, words in table.items() if any(keys & match_keys(w) for w in words)), None)


def parse_staff_command(text: str) -> tuple[str, str, str, str] | None:
    """``(action, ref, status, reason)`` of a staff command; ``("queue", "", "", "")`` for the bare
    ``mod``; ``("unknown", …)`` for ``mod`` followed by anything else; None when it is no staff command."""
    parts = text.strip().split(maxsplit=1)
    if not parts or parts[0].lstrip("/!").casefold() != "mod":
        return None
    rest = parts[1].split() if len(parts) > 1 else []
    if not rest:
        return ("queue", "", "", "")
    action = _lookup(_VERBS, rest[0])
    ref = rest[1].upper() if len(rest) > 1 else ""
    if action is None or not ref:
        return ("unknown", ref, "", "")
    tail = rest[2:]
    status = ""
    if action == "status":
        status = (status_from_word(tail[0]) or tail[0]) if tail else ""
        tail = tail[1:]
    return (action, ref, status, " ".join(tail))


class StaffPart(Part):
    """Staff commands (``mod …``), looked at before the keywords."""

    def is_staff(self) -> bool:
        return f"{self.turn.inbound.channel}:{self.turn.inbound.sender}" in self.turn.settings.staff

    def intercept(self, text: str) -> bool:
        """Handle a staff command; a non-staff one outside any step is refused like an unknown message."""
        command = parse_staff_command(text) if text else None
        if command is None:
            return False
        if not self.is_staff():
            if self.turn.state.get("process") or self.turn.state.get("idea"):
                return False  # an answer that happens to start with "mod"
            log.info("a staff command from someone who is not staff was refused")
            self.turn.say(self.turn.t.gettext("I did not understand that."))
            self.others.menu()
            return True
        action, ref, status, reason = command
        if action == "queue":
            self.staff_queue()
        elif action == "unknown":
            self.turn.say(self.staff_help())
        else:
            self.staff_act(action, ref, status, reason)
        return True

    def staff_act(self, action: str, ref: str, status: str, reason: str) -> None:
        t = self.turn.t
        idea = self.turn.tx.get_idea(ref)
        if idea is None:
            self.turn.say(t.gettext("There is no idea {ref}.", ref=ref))
            return
        moderator = Moderator(
            self.turn.tx,
            f"{self.turn.inbound.channel}:{self.turn.inbound.sender}",
            self.turn.now,
            self.turn.settings.languages[0],
            self.turn.settings.quiet,
        )
        try:
            done = moderator.apply(idea, action, status=status, reason=reason)
        except ModerationError as error:
            self.turn.say(error.text(t))
            return
        self.turn.say(
            " ".join(
                filter(None, (t.gettext(done, ref=idea.ref, status=status_label(t, status)), moderator.delivery(t)))
            )
        )

    def staff_queue(self) -> None:
        t = self.turn.t
        calls = [p for p in self.turn.catalog.processes if isinstance(p, IdeaCall)]
        waiting = [i for c in calls for i in self.turn.tx.ideas(c.id, visibility=("pending", "reported"))]
        if not waiting:
            self.turn.say(t.gettext("No ideas are waiting for staff."))
            return
        lines = [t.gettext("{n} idea(s) wait for staff:", n=len(waiting))]
        for idea in waiting[:QUEUE_LIMIT]:
            why = t.gettext("reported {n} times", n=idea.reports) if idea.visibility == "reported" else t.gettext("new")
            lines.append(f"{idea.ref} · {idea.process_id} · {why}\n{idea.text}")
        lines.append(self.staff_help())
        self.turn.say("\n\n".join(lines))

    def staff_help(self) -> str:
        t = self.turn.t
        return "\n".join([
            t.gettext("Staff commands:"),
            t.gettext("mod – ideas waiting for staff"),
            t.gettext("mod approve I-XXXX – publish it"),
            t.gettext("mod reject I-XXXX reason – do not publish it; the author reads the reason"),
            t.gettext("mod hide I-XXXX – take a published idea down"),
            t.gettext("mod status I-XXXX received|under_review|accepted|implementing|declined [reason]"),
        ])  # fmt: skip
