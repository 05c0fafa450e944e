"""The conversation: what the bot answers to one message.

It routes each message — keyword, pressed button or answer — to the dialogue
step that handles it: consent (``consent.py``), menu and language
(``menu.py``), answering a survey (``survey_steps.py``), the citizen's own
data (``own_data.py``), idea calls (``ideas.py``), staff moderation (``staff.py``), following
topics, districts and events (``subscriptions.py``, ``events.py``).
"""

from __future__ import annotations

from adapters.base import Reply
from bot.dialogue.consent import ConsentSteps
from bot.dialogue.events import EventSteps
from bot.dialogue.follow_contexts import DISTRICT, TOPIC
from bot.dialogue.ideas import IdeaSteps
from bot.dialogue.keywords import Command, Keyword
from bot.dialogue.menu import MenuSteps
from bot.dialogue.own_data import OwnDataSteps
from bot.dialogue.payloads import Payload
from bot.dialogue.staff import StaffSteps
from bot.dialogue.survey_steps import SurveySteps
from bot.dialogue.turn import ERASE, MENU, Awaiting
from storage.records import ParticipantRecord
from surveys.text_input import clip_inbound, normalize_text

__all__ = ["Conversation"]


class Conversation(ConsentSteps, MenuSteps, SurveySteps, OwnDataSteps, IdeaSteps, StaffSteps, EventSteps):
    def run(self) -> list[Reply]:
        if not self.inbound.private:
            self.say(self.t_default().gettext("I only talk in private chats. Please write to me directly."))
            return self.replies
        participant = self.tx.find_participant(self.inbound.channel, self.inbound.sender)
        if self.inbound.unreadable:
            self.unreadable(participant)
            return self.replies
        text = normalize_text(clip_inbound(self.inbound.text)) if self.inbound.text else ""
        if participant is None:
            self.first_contact(text)
            return self.replies
        self.participant = participant
        self.tx.set_address(participant.id, self.inbound.channel, self.inbound.address)
        if participant.consent_at is None or participant.state.get("consent_version") != self.settings.consent_version:
            # never agreed, or agreed to an earlier privacy notice: ask (again) before anything else
            self.before_consent(text)
        else:
            self.consented(text)
        return self.replies

    def unreadable(self, participant: ParticipantRecord | None) -> None:
        """A message that arrived encrypted without its key: say so, and ask the open question again."""
        self.participant = participant
        t = self.t if participant is not None else self.t_default()
        self.say(
            t.gettext(
                "I could not read your last message: the key to decrypt it did not reach me. Please send it again."
            )
        )
        if participant is not None and participant.consent_at is not None and self.state.get("process"):
            self.resume_hint()

    def consented(self, text: str) -> None:
        awaiting = self.awaiting
        command = self.settings.keywords.parse(text) if text else None
        if awaiting is Awaiting.ERASE:
            self.erase_answer(text)
            return
        if self.staff_routed(text):
            return
        if command is not None:
            self.keyword(command)
            return
        if awaiting is Awaiting.LANGUAGE and self.choose_language(text):
            self.resume_or_menu(welcome=False)  # the same question in the new language, no "welcome back"
            return
        if self.follow_routed(text):
            return
        if self.state.get("process"):
            self.survey_input(text)
            return
        if self.idea_routed(text):
            return
        pressed = self.pressed()
        if isinstance(pressed, Payload) and pressed.context == MENU:
            self.menu_choice(pressed.value)
            return
        if pressed is False:
            self.say(self.t.gettext("That button is no longer valid."))
            self.menu()
            return
        if text.isdigit():
            self.menu_choice(str(int(text)))
            return
        self.say(self.t.gettext("I did not understand that."))
        self.menu()

    def keyword(self, command: Command) -> None:
        k = command.keyword
        if k is Keyword.START and command.argument:
            self.open_process(command.argument)
        elif k in (Keyword.START, Keyword.SURVEYS):
            self.menu()
        elif k is Keyword.HELP:
            self.say(self.help_text())
            self.resume_hint()
        elif k is Keyword.PRIVACY:
            self.say(self.privacy_text())
            self.resume_hint()
        elif k is Keyword.LANGUAGE:
            self.language_menu(command.argument)
        elif k is Keyword.MYDATA:
            self.my_data()
        elif k is Keyword.DELETE:
            self.save_state(awaiting=Awaiting.ERASE)
            t = self.t
            self.say(
                t.gettext(
                    "Do you really want to delete everything stored about you, including your answers? "
                    "This cannot be undone. Please answer 1 for yes or 2 for no."
                ),
                options=(
                    self.option(ERASE, "y", t.gettext("Yes, delete everything"), 1),
                    self.option(ERASE, "n", t.gettext("No, keep it"), 2),
                ),
            )
        elif k is Keyword.STOP:
            self.stop_everything()
        elif k is Keyword.TOPICS:
            self.follow_list(TOPIC)
        elif k is Keyword.DISTRICTS:
            self.follow_list(DISTRICT)
        elif k is Keyword.EVENTS:
            self.events_list()
        elif k in (Keyword.BACK, Keyword.SKIP, Keyword.CANCEL) and self.state.get("process"):
            self.survey_command(k)
        elif k in (Keyword.BACK, Keyword.SKIP, Keyword.CANCEL) and self.state.get("idea"):
            self.idea_command(k)
        elif k is Keyword.IDEA:
            self.hand_in_idea()
        elif k is Keyword.IDEAS:
            self.browse_ideas()
        else:
            self.say(self.t.gettext("There is no survey running that this would apply to."))
            self.menu()
