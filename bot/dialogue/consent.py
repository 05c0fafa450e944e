"""First contact and consent: the greeting, the privacy notice, yes or no.

Before consent nothing is stored but the contact and the wish to be asked
again (and which process a direct link asked for); without consent the bot
answers only help and privacy.
"""

from __future__ import annotations

from bot.dialogue.keywords import Keyword
from bot.dialogue.payloads import Payload
from bot.dialogue.turn import CONSENT, Awaiting, Turn

__all__ = ["ConsentSteps"]


class ConsentSteps(Turn):
    def first_contact(self, text: str) -> None:
        language = self.settings.language_for(self.inbound.language)
        self.participant = self.tx.create_participant(
            self.inbound.channel, self.inbound.sender, self.inbound.address, language, self.now
        )
        command = self.settings.keywords.parse(text) if text else None
        wanted = command.argument if command and command.keyword is Keyword.START and command.argument else None
        self.save_state(awaiting=Awaiting.CONSENT, start=wanted)
        t = self.t
        self.say(
            t.gettext("Hello! This is {name}.", name=self.settings.bot_name)
            + "\n\n"
            + t.gettext("Here you can take part in surveys and calls for ideas of the city, in this chat, at any time.")
        )
        self.ask_consent()

    def privacy_text(self) -> str:
        return self.t.gettext(
            "Privacy: your answers are stored for the city's participation processes under a random "
            "pseudonym, never with your name or your messenger account in the results. You can get "
            "your data at any time with 'mydata' and delete it with 'delete'. Details: {url}",
            url=self.settings.privacy_url,
        )

    def ask_consent(self, *, not_understood: bool = False) -> None:
        """The privacy notice and the question; after an answer that is neither yes nor no, only
        "not understood" and the question (the notice was just shown)."""
        self.save_state(awaiting=Awaiting.CONSENT)
        t = self.t
        if not_understood:
            lead = t.gettext("Sorry, I did not understand that.")
        else:
            lead = self.privacy_text()
            if self.participant is not None and self.participant.consent_at is not None:
                lead = (
                    t.gettext("Our privacy notice has changed. Please read it and agree again to go on.")
                    + "\n\n"
                    + lead
                )
        self.say(
            lead + "\n\n" + t.gettext("Do you agree? Please answer 1 for yes or 2 for no."),
            options=(
                self.option(CONSENT, "y", t.gettext("Yes, I agree"), 1),
                self.option(CONSENT, "n", t.gettext("No"), 2),
            ),
        )

    def before_consent(self, text: str) -> None:
        command = self.settings.keywords.parse(text) if text else None
        if command is not None and command.keyword is Keyword.HELP:
            self.say(self.help_text())
            self.ask_consent()
            return
        if command is not None and command.keyword is Keyword.PRIVACY:
            self.ask_consent()
            return
        if command is not None and command.keyword is Keyword.LANGUAGE:
            self.language_menu(command.argument)
            return
        if command is not None and command.keyword is Keyword.START:
            if command.argument:
                self.save_state(start=command.argument)
            self.ask_consent()  # "start" after a refusal: the notice once more
            return
        if command is not None and command.keyword is Keyword.DELETE:
            self.erase()
            return
        if self.awaiting is Awaiting.LANGUAGE and self.choose_language(text):
            self.ask_consent()
            return
        if self.awaiting is not Awaiting.CONSENT:
            # a yes counts only as the answer to a notice the citizen was shown
            self.ask_consent()
            return
        answer = self.consent_answer(text)
        if answer is True:
            self.tx.record_consent(self.pid, self.settings.consent_version, self.now)
            wanted = self.state.get("start")
            self.save_state(awaiting=None, start=None, consent_version=self.settings.consent_version)
            self.say(self.t.gettext("Thank you! You can stop at any time and continue later."))
            if wanted:
                self.open_process(str(wanted))
            else:
                self.resume_or_menu()
        elif answer is False:
            self.save_state(awaiting=Awaiting.CONSENT)
            self.say(
                self.t.gettext(
                    "All right. Without your consent I store nothing. Until you agree, only 'help', "
                    "'privacy', 'language' and 'delete' work. Write 'start' whenever you change your mind."
                )
            )
        else:
            self.ask_consent(not_understood=True)

    def consent_answer(self, text: str) -> bool | None:
        pressed = self.pressed()
        if isinstance(pressed, Payload) and pressed.context == CONSENT:
            return pressed.value == "y"
        if not text:
            return None
        words = self.answer_words()
        folded = text.casefold().strip(" .!")
        if folded in ("1", *map(str.casefold, words.yes)):
            return True
        if folded in ("2", *map(str.casefold, words.no)):
            return False
        return None
