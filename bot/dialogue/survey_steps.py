"""Answering a survey: turning a message or a pressed button into a runner action,
storing what the runner decided, and showing the choice on the question message.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from adapters.base import Reply
from bot.dialogue.keywords import Command, Keyword
from bot.dialogue.part import Part
from bot.dialogue.payloads import Payload
from bot.dialogue.questions import refusal_text
from storage.records import ResponseRecord
from surveys.answers import Given, Refusal, Rejected
from surveys.model import Survey
from surveys.runner import Action, Progress, Refused, StepResult, ask_again, step

__all__ = ["SurveyPart"]


class SurveyPart(Part):
    """The open survey (``state["process"]``): every message answers its question, and
    ``zurück``, ``überspringen``, ``abbrechen`` move in it. The contexts of its buttons are
    made per question (``QuestionView.context``), so it declares none of the fixed ones."""

    keywords = frozenset({Keyword.BACK, Keyword.SKIP, Keyword.CANCEL})

    def keyword(self, command: Command) -> bool:
        if not self.turn.state.get("process"):
            return False
        self.survey_command(command.keyword)
        return True

    def route(self, text: str) -> bool:
        if not self.turn.state.get("process"):
            return False
        self.survey_input(text)
        return True

    def current(self) -> tuple[Survey, ResponseRecord] | None:
        process_id = str(self.turn.state.get("process"))
        process = self.turn.catalog.get(process_id)
        if not isinstance(process, Survey) or not process.is_open(self.turn.now):
            self.turn.say(self.turn.t.gettext("This survey has ended. Thank you for your interest!"))
            self.others.menu()
            return None
        response = self.turn.tx.find_response(self.turn.pid, process.id)
        if response is None or response.status != "active":
            self.others.menu()
            return None
        return process, response

    def survey_command(self, keyword: Keyword) -> None:
        found = self.current()
        if found is None:
            return
        survey, response = found
        if keyword is Keyword.CANCEL:
            self.turn.save_state(process=None)
            self.turn.say(
                self.turn.t.gettext(
                    "The survey is paused; your answers so far are kept. Type 'menu' to continue later."
                )
            )
            return
        action = Action("back" if keyword is Keyword.BACK else "skip")
        self.apply(survey, response, step(survey, self.turn.progress(response), action, **self.step_args()))

    def survey_input(self, text: str) -> None:
        found = self.current()
        if found is None:
            return
        survey, response = found
        progress = self.turn.progress(response)
        action = self.action_for(survey, progress, text)
        if isinstance(action, Rejected):
            view = self.turn.view(survey)
            self.turn.say(refusal_text(self.turn.t, action))
            self.turn.replies.extend(view.replies(ask_again(survey, progress)))
            return
        first = len(self.turn.replies)
        result = step(survey, progress, action, **self.step_args())
        self.apply(survey, response, result)
        if self.turn.inbound.choice is not None and self.turn.inbound.reply_to is not None:
            self.show_choice(survey, progress, action, result, first)

    def show_choice(self, survey: Survey, before: Progress, action: Action, result: StepResult, first: int) -> None:
        """A pressed button shows what it chose: a toggle of a multi question redraws its buttons
        in place (an edit, no new message), with the selection so far as the press's notice, which
        a channel that can shows instead of the edit; an accepted answer opens the next message
        with "→ answer" (a press leaves no message of the citizen's own in the chat). The turn
        stays one platform message: editing the old question as well would cost a second call."""
        question = survey.question(before.current or "")
        if question is None or not result.say or isinstance(result.say[0], Refused):
            return
        edit_of = self.turn.inbound.reply_to
        if action.kind == "toggle":
            redrawn = self.turn.replies[first]
            so_far = ", ".join(o.label for o in redrawn.options if o.payload in redrawn.selected)
            t = self.turn.t
            notice = (
                t.gettext("Chosen so far: {options}", options=so_far) if so_far else t.gettext("Nothing chosen yet.")
            )
            self.turn.replies[first] = replace(redrawn, edit_of=edit_of, notice=notice)
            return
        view = self.turn.view(survey)
        options = view.options(question)
        if action.kind == "done":
            chosen = set(before.toggled)
            ids = view.option_ids(question)
            label = ", ".join(o.label for o, oid in zip(options, ids, strict=True) if oid in chosen)
        else:
            label = next((o.label for o in options if o.payload == self.turn.inbound.choice), "")
        self.turn.replies.insert(first, Reply(f"→ {label}"))

    def action_for(self, survey: Survey, progress: Progress, text: str) -> Action | Rejected:
        pressed = self.turn.pressed()
        question = survey.question(progress.current or "")
        if pressed is not None and question is not None:
            view = self.turn.view(survey)
            if not isinstance(pressed, Payload) or pressed.context != view.context(question):
                return Rejected(Refusal.STALE_BUTTON)
            resolved = view.resolve(question, pressed.value)
            if resolved is None:
                return Rejected(Refusal.STALE_BUTTON)
            kind, option_id = resolved
            if kind == "toggle":
                return Action("toggle", option_id=option_id)
            if kind == "done":
                return Action("done")
            return Action("answer", Given(option_id=option_id))
        return Action("answer", self.turn.given(text))

    def step_args(self) -> dict[str, Any]:
        return {
            "today": self.turn.now.astimezone(self.turn.settings.timezone).date(),
            "words": self.turn.answer_words(),
        }

    def apply(self, survey: Survey, response: ResponseRecord, result: StepResult) -> None:
        for change in result.changes:
            if change.delete:
                self.turn.tx.delete_answer(response.id, change.question_id)
            else:
                self.turn.tx.save_answer(
                    response.id,
                    change.question_id,
                    change.question_type,
                    change.value,
                    change.other_text,
                    self.turn.now,
                )
        self.turn.tx.save_progress(response.id, result.progress.to_json(), self.turn.now)
        if result.progress.status != "active":
            self.turn.tx.finish_response(response.id, result.progress.status, self.turn.now, detach=survey.anonymous)
            self.turn.anonymous_replies = survey.anonymous  # the summary of the answers is nobody's either
            self.turn.save_state(process=None)
        self.turn.replies.extend(self.turn.view(survey).replies(result.say))
