"""Idea calls in the chat: handing in an idea, browsing and supporting ideas, reporting one.

Handing in walks through the call's steps — category, text, location, photo,
as the call asks — keeping the draft in the participant's dialogue state
(``state["idea"]``), so it survives a restart. Before filing, up to three
similar published ideas are offered for support instead. Browsing keeps the
page it shows in ``state["browse"]``, so typed numbers work like the buttons.
Other citizens see ideas by reference only: authors stay pseudonymous.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from bot.dialogue.idea_similarity import similar
from bot.dialogue.keywords import Command, Keyword, folds
from bot.dialogue.part import Part
from bot.dialogue.payloads import Payload
from bot.dialogue.questions import refusal_text
from storage.idea_records import IdeaOrder, IdeaRecord
from surveys.answers import Accepted
from surveys.model import IdeaCall, Question, QuestionType, Text
from surveys.option_matching import pick_one
from surveys.question_types import parse_answer

__all__ = ["IDEA", "IdeasPart"]

log = logging.getLogger(__name__)

IDEA = "n"  # payload context of every idea button (one letter: see turn.py and follow_contexts.py)
PAGE = 3
SKIP = "skip"  # the value of the "Skip" option of an optional location or photo step
MIN_IDEA_LENGTH = 10
_DRAFT_CONTENT = ("category", "text", "location", "photo")  # what a citizen has put into a draft
_REF_COMMAND = re.compile(r"^[/!]?(\S+)\s+(I-[0-9A-Z]{4})[.!]?$", re.IGNORECASE)


class IdeasPart(Part):
    """``idee`` and ``ideen``: handing in an idea step by step, browsing, supporting, reporting."""

    keywords = frozenset({Keyword.IDEA, Keyword.IDEAS, Keyword.BACK, Keyword.SKIP, Keyword.CANCEL})
    contexts = frozenset({IDEA})

    def keyword(self, command: Command) -> bool:
        if command.keyword is Keyword.IDEA:
            self.hand_in_idea()
        elif command.keyword is Keyword.IDEAS:
            self.browse_ideas()
        elif self.turn.state.get("idea"):
            self.idea_command(command.keyword)
        else:
            return False
        return True

    # --- entry points -----------------------------------------------------------------------

    def open_calls(self) -> list[IdeaCall]:
        return [p for p in self.turn.open_processes() if isinstance(p, IdeaCall)]

    def hand_in_idea(self) -> None:
        """The ``idee`` keyword: start handing in, after choosing the call when several are open."""
        self.pick_call("hand_in")

    def browse_ideas(self) -> None:
        """The ``ideen`` keyword: the published ideas of an open call."""
        self.pick_call("browse")

    def pick_call(self, purpose: str) -> None:
        calls = self.open_calls()
        if purpose == "browse":
            calls = [c for c in calls if self.turn.tx.ideas(c.id, visibility=("published",), limit=1)] or calls
        if not calls:
            self.turn.say(self.turn.t.gettext("There is no open call for ideas at the moment."))
            self.others.menu()
            return
        if len(calls) == 1:
            self.start_idea(calls[0]) if purpose == "hand_in" else self.show_page(calls[0].id, "newest", 0)
            return
        self.turn.save_state(idea=None, browse=None, idea_pick=purpose)
        options = tuple(
            self.turn.option(IDEA, f"p{i}", c.title.get(self.turn.language), i) for i, c in enumerate(calls, 1)
        )
        self.turn.say(self.turn.t.gettext("Which call for ideas? Please answer with a number."), options=options)

    def route(self, text: str) -> bool:
        """Handle the message if it belongs to an idea step; False leaves it to the menu."""
        pressed = self.turn.pressed()
        if isinstance(pressed, Payload) and pressed.context == IDEA:
            self.idea_button(pressed.value, text)
            return True
        if self.turn.state.get("idea"):
            self.idea_input(text)
            return True
        if self.turn.state.get("idea_pick") and text.strip().isdigit():
            self.idea_button(f"p{int(text)}", text)
            return True
        browse = self.turn.state.get("browse")
        if browse and text.strip().isdigit():
            actions = list(browse.get("actions", []))
            index = int(text) - 1
            if 0 <= index < len(actions):
                self.idea_button(actions[index], text)
                return True
        return self.ref_command(text)

    def idea_button(self, value: str, text: str) -> None:
        if value.startswith("p"):
            self.call_picked(value[1:])
        elif self.turn.state.get("idea"):
            self.idea_input(text)
        elif value[:1] in "sw" and value[1:3] == "I-":
            self.support_ref(value[1:], withdraw=value[0] == "w")
        elif value in ("more", "sort"):
            self.turn_page(value)
        else:
            self.turn.say(self.turn.t.gettext("That button is no longer valid."))
            self.others.menu()

    def call_picked(self, number: str) -> None:
        purpose = self.turn.state.get("idea_pick")
        calls = self.open_calls()
        index = int(number) - 1 if number.isdigit() else -1
        if purpose is None or not 0 <= index < len(calls):
            self.turn.say(self.turn.t.gettext("Please choose one of the numbers in the list."))
            self.pick_call(str(purpose or "hand_in"))
            return
        self.turn.save_state(idea_pick=None)
        call = calls[index]
        self.start_idea(call) if purpose == "hand_in" else self.show_page(call.id, "newest", 0)

    # --- handing in -----------------------------------------------------------------------

    def keep_idea_draft(self) -> None:
        """Put a begun idea aside (the menu, a language change, another call): opening its call
        again continues it. Only ``abbrechen`` or handing it in ends a draft."""
        draft = self.draft()
        if any(draft.get(step) is not None for step in _DRAFT_CONTENT):
            self.turn.save_state(idea_kept=draft, idea=None)

    def start_idea(self, call: IdeaCall) -> None:
        self.keep_idea_draft()
        kept = dict(self.turn.state.get("idea_kept") or {})
        if kept.get("call") == call.id:
            self.turn.save_state(idea=kept, idea_kept=None, browse=None, idea_pick=None, process=None)
            self.turn.say(
                self.turn.t.gettext("Welcome back! Let's continue your idea where you stopped.")
                + "\n"
                + self.turn.t.gettext("Type 'cancel' to stop without handing in anything.")
            )
            self.ask_step(call, kept)
            return
        self.turn.save_state(idea={"call": call.id, "step": _steps(call)[0]}, browse=None, idea_pick=None, process=None)
        intro = [call.title.get(self.turn.language)]
        if call.contact is not None:
            intro.append(
                self.turn.t.gettext(
                    "Questions about this call for ideas: {contact}", contact=call.contact.get(self.turn.language)
                )
            )
        if call.intro is not None:
            intro.append(call.intro.get(self.turn.language))
        intro.append(self.turn.t.gettext("Type 'cancel' to stop without handing in anything."))
        self.turn.say("\n".join(intro))
        self.ask_step(call, self.draft())

    def draft(self) -> dict[str, Any]:
        return dict(self.turn.state.get("idea") or {})

    def current_call(self) -> IdeaCall | None:
        call = self.turn.catalog.get(str(self.draft().get("call")))
        if isinstance(call, IdeaCall) and call.is_open(self.turn.now):
            return call
        self.turn.save_state(idea=None)
        self.turn.say(self.turn.t.gettext("This call for ideas has ended. Thank you for your interest!"))
        self.others.menu()
        return None

    def ask_step(self, call: IdeaCall, draft: dict[str, Any]) -> None:
        t, step = self.turn.t, draft["step"]
        if step == "category":
            options = tuple(
                self.turn.option(IDEA, f"k{i}", c.label.get(self.turn.language), i)
                for i, c in enumerate(call.categories, 1)
            )
            self.turn.say(t.gettext("Which topic does your idea belong to?"), options=options)
        elif step == "text":
            self.turn.say(
                t.gettext(
                    "Please describe your idea in a few sentences (at most {max} characters).", max=call.max_length
                )
            )
        elif step == "location":
            self.ask_optional(
                call.ask_location == "optional",
                t.gettext("Where is it? Please share a location or describe the place in words."),
                ask_location=True,
                location_button=t.gettext("Share my location"),
            )
        elif step == "photo":
            self.ask_optional(True, t.gettext("Would you like to add a photo? Please send one."), ask_photo=True)
        elif step == "similar":
            self.offer_similar([i for i in map(self.turn.tx.get_idea, draft.get("similar", [])) if i is not None])

    def ask_optional(self, optional: bool, text: str, **kind: Any) -> None:
        """Ask a location or photo step (``kind``: the Reply fields that tell the channel which);
        an optional one offers "Skip" as option 1, which a typed "1" chooses too."""
        if not optional:
            self.turn.say(text, **kind)
            return
        self.turn.say(text, options=(self.turn.option(IDEA, SKIP, self.turn.t.gettext("Skip"), 1),), **kind)

    def idea_command(self, keyword: Keyword) -> None:
        """``abbrechen`` drops the draft; ``überspringen`` leaves out an optional step; ``zurück``
        asks the step before again."""
        call = self.current_call()
        if call is None:
            return
        draft = self.draft()
        if keyword is Keyword.CANCEL:
            self.turn.save_state(idea=None, idea_kept=None)
            self.turn.say(self.turn.t.gettext("Your idea was not handed in. Type 'idea' to start again."))
        elif keyword is Keyword.SKIP and _optional(call, draft["step"]):
            self.next_step(call, draft)
        elif keyword is Keyword.BACK:
            steps = _steps(call)
            # the similar ideas are offered right after the text: "back" from them is the text
            position = steps.index(draft["step"]) if draft["step"] in steps else steps.index("text") + 1
            draft["step"] = steps[max(position - 1, 0)]
            self.turn.save_state(idea=draft)
            self.ask_step(call, draft)
        else:
            self.turn.say(self.turn.t.gettext("This step cannot be skipped."))
            self.ask_step(call, draft)

    def idea_input(self, text: str) -> None:
        call = self.current_call()
        if call is None:
            return
        draft = self.draft()
        pressed = self.turn.pressed()
        value = pressed.value if isinstance(pressed, Payload) and pressed.context == IDEA else None
        if pressed is False or (pressed is not None and value is None):
            self.turn.say(self.turn.t.gettext("That button is no longer valid."))
            self.ask_step(call, draft)
            return
        step = draft["step"]
        if step == "similar":
            self.similar_choice(call, draft, value or text.strip())
            return
        if (value == SKIP or (value is None and text.strip() == "1")) and _optional(call, step):
            self.next_step(call, draft)
            return
        accepted = self.step_answer(call, step, value, text)
        if accepted is None:
            self.ask_step(call, draft)
            return
        draft[step] = accepted
        if step == "text":
            draft.pop("similar_seen", None)  # a new text is compared anew
        self.next_step(call, draft)

    def step_answer(self, call: IdeaCall, step: str, value: str | None, text: str) -> Any:
        """The step's accepted value, or None after saying what is wrong."""
        if step == "category":
            listed = [(c.id, c.label) for c in call.categories]
            typed = value[1:] if value and value.startswith("k") else text
            chosen = pick_one(listed, typed)
            if chosen is None:
                self.turn.say(self.turn.t.gettext("Please choose one of the options by its number."))
            return chosen
        given = self.turn.given(text)
        result = parse_answer(_question(call, step), given, today=self.turn.now.date(), words=self.turn.answer_words())
        if isinstance(result, Accepted):
            return result.value
        self.turn.say(refusal_text(self.turn.t, result))
        return None

    def next_step(self, call: IdeaCall, draft: dict[str, Any]) -> None:
        """The step after the current one; right after the text, similar ideas are offered first
        (before location and photo are asked for nothing), once per text."""
        if draft["step"] == "text" and call.support and not draft.get("similar_seen"):
            lookalikes = self.lookalikes(call, str(draft.get("text", "")))
            if lookalikes:
                draft["step"], draft["similar"] = "similar", [idea.ref for idea in lookalikes]
                self.turn.save_state(idea=draft)
                self.offer_similar(lookalikes)
                return
        steps = _steps(call)
        position = steps.index(draft["step"]) if draft["step"] in steps else len(steps)
        if position + 1 < len(steps):
            draft["step"] = steps[position + 1]
            self.turn.save_state(idea=draft)
            self.ask_step(call, draft)
            return
        self.file_idea(call, draft)

    def lookalikes(self, call: IdeaCall, text: str) -> list[IdeaRecord]:
        published = self.turn.tx.ideas(call.id, visibility=("published",))
        return list(similar(text, ((idea, idea.text) for idea in published)))

    def offer_similar(self, ideas: list[IdeaRecord]) -> None:
        t = self.turn.t
        lines = [t.gettext("There are similar ideas already. Would you like to support one of them instead?")]
        lines += [self.idea_line(idea) for idea in ideas]
        options = [
            self.turn.option(IDEA, f"x{i}", t.gettext("Support {ref}", ref=idea.ref), i)
            for i, idea in enumerate(ideas, 1)
        ]
        options.append(self.turn.option(IDEA, "own", t.gettext("Hand in my own idea"), len(ideas) + 1))
        self.turn.say("\n\n".join(lines), options=tuple(options))

    def similar_choice(self, call: IdeaCall, draft: dict[str, Any], choice: str) -> None:
        shown = [str(ref) for ref in draft.get("similar", [])]
        number = choice.removeprefix("x")
        if choice == "own" or number == str(len(shown) + 1):
            draft["step"], draft["similar_seen"] = "text", True  # on with the steps after the text
            self.next_step(call, draft)
            return
        index = int(number) - 1 if number.isdigit() else -1
        if not 0 <= index < len(shown):
            self.turn.say(self.turn.t.gettext("Please choose one of the numbers in the list."))
            self.offer_similar([i for i in map(self.turn.tx.get_idea, shown) if i is not None])
            return
        self.turn.save_state(idea=None)
        self.support_ref(shown[index], withdraw=False)
        self.turn.say(self.turn.t.gettext("Your own text was not handed in."))

    def file_idea(self, call: IdeaCall, draft: dict[str, Any]) -> None:
        assert self.turn.participant is not None
        idea = self.turn.tx.create_idea(
            {
                "process_id": call.id,
                "participant_id": self.turn.pid,
                "pseudonym": self.turn.participant.pseudonym,
                "category": draft.get("category"),
                "text": draft["text"],
                "location": draft.get("location"),
                "photo": draft.get("photo"),
                "visibility": "pending" if call.moderation == "before" else "published",
            },
            self.turn.now,
        )
        self.turn.save_state(idea=None)
        t = self.turn.t
        lines = [t.gettext("Thank you! Your idea has been handed in. Its reference is {ref}.", ref=idea.ref)]
        if idea.visibility == "pending":
            lines.append(t.gettext("City staff will check it before others can see it."))
        else:
            lines.append(t.gettext("Others can see and support it now."))
        lines.append(t.gettext("I will tell you when its status changes."))
        closing = call.outro.get(self.turn.language) if call.outro is not None else ""
        self.turn.say("\n\n".join(p for p in (" ".join(lines), closing) if p))

    # --- browsing and support -------------------------------------------------------------

    def show_page(self, call_id: str, order: IdeaOrder, offset: int) -> None:
        call = self.turn.catalog.get(call_id)
        if not isinstance(call, IdeaCall) or not call.is_open(self.turn.now):
            self.turn.save_state(browse=None)
            self.turn.say(self.turn.t.gettext("This call for ideas has ended. Thank you for your interest!"))
            self.others.menu()
            return
        t = self.turn.t
        ideas = list(self.turn.tx.ideas(call.id, visibility=("published",), order=order, offset=offset, limit=PAGE + 1))
        if not ideas and offset == 0:
            self.turn.save_state(browse=None, idea_pick=None)
            self.turn.say(
                t.gettext("No ideas have been published in this call yet. Type 'idea' to hand in the first one.")
            )
            return
        more = len(ideas) > PAGE
        ideas = ideas[:PAGE]
        heading = t.gettext("The most supported ideas:") if order == "support" else t.gettext("The newest ideas:")
        lines = [f"{call.title.get(self.turn.language)}\n{heading}", *(self.idea_line(i) for i in ideas)]
        actions: list[str] = []
        labels: list[str] = []
        if call.support:
            for idea in ideas:
                if idea.participant_id == self.turn.pid:
                    continue
                supported = self.turn.tx.has_supported(idea.id, self.turn.pid)
                actions.append(("w" if supported else "s") + idea.ref)
                labels.append(
                    t.gettext("Withdraw support for {ref}", ref=idea.ref)
                    if supported
                    else t.gettext("Support {ref}", ref=idea.ref)
                )
        if more:
            actions.append("more")
            labels.append(t.gettext("More ideas"))
        actions.append("sort")
        labels.append(t.gettext("Newest first") if order == "support" else t.gettext("Most supported first"))
        lines.append(
            t.gettext(
                "To report an idea as inappropriate, type 'report' and its reference, e.g. 'report {ref}'.",
                ref=ideas[0].ref if ideas else "I-7KQ2",
            )
        )
        self.turn.save_state(
            browse={"call": call.id, "order": order, "offset": offset, "actions": actions}, idea_pick=None
        )
        options = tuple(
            self.turn.option(IDEA, a, label, n) for n, (a, label) in enumerate(zip(actions, labels, strict=True), 1)
        )
        self.turn.say("\n\n".join(lines), options=options)

    def turn_page(self, value: str) -> None:
        browse = self.turn.state.get("browse")
        if not browse:
            self.browse_ideas()
            return
        order: IdeaOrder = "support" if browse.get("order") == "support" else "newest"
        if value == "more":
            self.show_page(str(browse["call"]), order, int(browse.get("offset", 0)) + PAGE)
        else:
            self.show_page(str(browse["call"]), "newest" if order == "support" else "support", 0)

    def idea_line(self, idea: IdeaRecord) -> str:
        t = self.turn.t
        call = self.turn.catalog.get(idea.process_id)
        head = [idea.ref]
        if isinstance(call, IdeaCall) and idea.category:
            category = next((c for c in call.categories if c.id == idea.category), None)
            if category is not None:
                head.append(category.label.get(self.turn.language))
        if isinstance(call, IdeaCall) and call.support:
            head.append(t.gettext("supporters: {n}", n=idea.supporters))
        return " · ".join(head) + "\n" + idea.text

    def support_ref(self, ref: str, *, withdraw: bool) -> None:
        idea = self.turn.tx.get_idea(ref)
        if idea is None:
            self.turn.say(self.turn.t.gettext("This idea is not open for support."))
            return
        self.support(idea, withdraw=withdraw)

    def support(self, idea: IdeaRecord, *, withdraw: bool) -> None:
        t = self.turn.t
        call = self.turn.catalog.get(idea.process_id)
        if (
            not isinstance(call, IdeaCall)
            or not call.is_open(self.turn.now)
            or not call.support
            or (idea.visibility != "published")
        ):
            self.turn.say(t.gettext("This idea is not open for support."))
        elif idea.participant_id == self.turn.pid:
            self.turn.say(t.gettext("This is your own idea, so you cannot support it."))
        elif withdraw:
            removed = self.turn.tx.remove_support(idea.id, self.turn.pid)
            self.turn.say(
                t.gettext("Your support for {ref} is withdrawn.", ref=idea.ref)
                if removed
                else t.gettext("You do not support {ref}.", ref=idea.ref)
            )
        elif self.turn.tx.add_support(idea.id, self.turn.pid, self.turn.now):
            self.turn.say(t.gettext("Thank you! You now support idea {ref}.", ref=idea.ref))
        else:
            self.turn.say(t.gettext("You already support idea {ref}.", ref=idea.ref))

    # --- typed commands with a reference: report, support, withdraw -------------------------

    def ref_command(self, text: str) -> bool:
        match = _REF_COMMAND.match(text.strip())
        if match is None:
            return False
        typed, ref = set(folds(match.group(1))), match.group(2).upper()
        verbs = {
            "report": self.turn.t.words("report|flag"),
            "support": self.turn.t.words("support"),
            "withdraw": self.turn.t.words("withdraw"),
        }
        english = {"report": ("report", "flag"), "support": ("support",), "withdraw": ("withdraw",)}
        # folded like the keywords: "zglos" is "zgłoś", "unterstuetzen" is "unterstützen"
        verb = next((v for v, ws in verbs.items() if any(typed & set(folds(w)) for w in (*ws, *english[v]))), None)
        if verb is None:
            return False
        idea = self.turn.tx.get_idea(ref)
        if idea is None or idea.visibility != "published":
            self.turn.say(self.turn.t.gettext("There is no published idea {ref}.", ref=ref))
        elif verb == "report":
            self.report(idea)
        else:
            self.support(idea, withdraw=verb == "withdraw")
        return True

    def report(self, idea: IdeaRecord) -> None:
        t = self.turn.t
        if idea.participant_id == self.turn.pid:
            self.turn.say(t.gettext("This is your own idea. Type 'delete' if you want everything of yours removed."))
            return
        count = self.turn.tx.add_report(idea.id, self.turn.pid, self.turn.now)
        if count is None:
            self.turn.say(t.gettext("You have reported this idea already. Thank you."))
            return
        if count >= self.turn.settings.idea_report_threshold:
            self.turn.tx.update_idea(idea.id, self.turn.now, {"visibility": "reported"})
            self.turn.tx.record_audit(idea, "reports", "reported", self.turn.now, reason=f"{count} reports")
            log.info("an idea was hidden after %d reports; it waits for staff", count)
        self.turn.say(t.gettext("Thank you. City staff will look at idea {ref}.", ref=idea.ref))


def _steps(call: IdeaCall) -> list[str]:
    steps = ["category"] if call.categories else []
    steps.append("text")
    if call.ask_location != "no":
        steps.append("location")
    if call.ask_photo != "no":
        steps.append("photo")
    return steps


def _optional(call: IdeaCall, step: str) -> bool:
    return (step == "location" and call.ask_location == "optional") or (step == "photo" and call.ask_photo != "no")


def _question(call: IdeaCall, step: str) -> Question:
    """The idea step as a survey question, so typed answers are checked the same way."""
    kind = {"text": QuestionType.TEXT, "location": QuestionType.LOCATION, "photo": QuestionType.PHOTO}[step]
    return Question(
        id=step, type=kind, text=Text({"en": step}, "en"), min_length=MIN_IDEA_LENGTH, max_length=call.max_length
    )
