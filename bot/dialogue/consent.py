"""First contact and consent: the greeting, the privacy notice, yes or no.

Before consent nothing is stored but the contact and the wish to be asked
again (and which process a direct link asked for); without consent the bot
answers only help and privacy.
"""

from __future__ import annotations

from bot.dialogue.keywords import Command, Keyword
from bot.dialogue.part import Part
from bot.dialogue.payloads import Payload
from bot.dialogue.turn import CONSENT, Awaiting
from bot.i18n import LANGUAGE_NAMES, isolate
from surveys.typed_values import european_digits

__all__ = ["ConsentPart"]


class ConsentPart(Part):
    """The greeting, the privacy notice and its yes or no; everything before consent; ``datenschutz``."""

    keywords = frozenset({Keyword.PRIVACY})
    contexts = frozenset({CONSENT})
    awaiting = frozenset({Awaiting.CONSENT})

    def keyword(self, command: Command) -> bool:
        self.turn.say(self.privacy_text())
        self.others.resume_hint()
        return True

    def first_contact(self, text: str) -> None:
        # nothing is stored of a visitor but what asking again needs (storage.visitors)
        self.turn.meet_visitor(self.turn.settings.language_for(self.turn.inbound.language), {})
        command = self.turn.settings.keywords.parse(text) if text else None
        wanted = command.argument if command and command.keyword is Keyword.START and command.argument else None
        self.turn.save_state(awaiting=Awaiting.CONSENT, start=wanted)
        t = self.turn.t
        self.turn.say(
            t.gettext("Hello! This is {name}.", name=self.turn.settings.bot_name)
            + "\n\n"
            + t.gettext("Here you can take part in surveys and calls for ideas of the city, in this chat, at any time.")
            + self.other_languages()
        )
        self.ask_consent()

    def other_languages(self) -> str:
        """For whoever does not read the greeting's language: every other offered language by its own
        name, with its own word for the language menu (``Türkçe: dil · العربية: اللغة``); empty with one."""
        keywords, current = self.turn.settings.keywords, self.turn.t.language
        others = [code for code in self.turn.settings.languages if code != current]
        lines = [isolate(f"{LANGUAGE_NAMES.get(c, c)}: {keywords.first_word(Keyword.LANGUAGE, c)}") for c in others]
        return "\n\n" + " · ".join(lines) if lines else ""

    def privacy_text(self) -> str:
        return self.turn.t.gettext(
            "Privacy: your answers are stored for the city's participation processes under a random "
            "pseudonym, never with your name or your messenger account in the results. You can get "
            "your data at any time with 'mydata' and delete it with 'delete'. Details: {url}",
            url=self.turn.settings.privacy_url,
        )

    def ask_consent(self, *, not_understood: bool = False) -> None:
        """The privacy notice and the question; after an answer that is neither yes nor no, only
        "not understood" and the question (the notice was just shown)."""
        self.turn.save_state(awaiting=Awaiting.CONSENT)
        t = self.turn.t
        if not_understood:
            lead = t.gettext("Sorry, I did not understand that.")
        else:
            lead = self.privacy_text()
            if self.turn.participant is not None and self.turn.participant.consent_at is not None:
                lead = (
                    t.gettext("Our privacy notice has changed. Please read it and agree again to go on.")
                    + "\n\n"
                    + lead
                )
        self.turn.say(
            lead + "\n\n" + t.gettext("Do you agree? Please answer 1 for yes or 2 for no."),
            options=(
                self.turn.option(CONSENT, "y", t.gettext("Yes, I agree"), 1),
                self.turn.option(CONSENT, "n", t.gettext("No"), 2),
            ),
        )

    def before_consent(self, text: str) -> None:
        command = self.turn.settings.keywords.parse(text) if text else None
        if command is not None and command.keyword is Keyword.HELP:
            self.turn.say(self.others.help_text())
            self.ask_consent()
            return
        if command is not None and command.keyword is Keyword.PRIVACY:
            self.ask_consent()
            return
        if command is not None and command.keyword is Keyword.LANGUAGE:
            self.others.language_menu(command.argument)
            return
        if command is not None and command.keyword is Keyword.START:
            if command.argument:
                self.turn.save_state(start=command.argument)
            self.ask_consent()  # "start" after a refusal: the notice once more
            return
        if command is not None and command.keyword is Keyword.DELETE:
            self.others.erase()
            return
        if self.turn.awaiting is Awaiting.LANGUAGE and self.others.choose_language(text):
            self.ask_consent()
            return
        if self.turn.awaiting is not Awaiting.CONSENT:
            # a yes counts only as the answer to a notice the citizen was shown
            self.ask_consent()
            return
        answer = self.consent_answer(text)
        if answer is True:
            if self.turn.visitor:
                self.turn.admit()
            self.turn.tx.record_consent(self.turn.pid, self.turn.settings.consent_version, self.turn.now)
            wanted = self.turn.state.get("start")
            self.turn.save_state(awaiting=None, start=None, consent_version=self.turn.settings.consent_version)
            self.turn.say(self.turn.t.gettext("Thank you! You can stop at any time and continue later."))
            if wanted:
                self.others.open_process(str(wanted))
            else:
                self.others.resume_or_menu()
        elif answer is False:
            self.turn.save_state(awaiting=Awaiting.CONSENT)
            self.turn.say(
                self.turn.t.gettext(
                    "All right. Without your consent I store nothing. Until you agree, only 'help', "
                    "'privacy', 'language' and 'delete' work. Write 'start' whenever you change your mind."
                )
            )
        else:
            self.ask_consent(not_understood=True)

    def consent_answer(self, text: str) -> bool | None:
        pressed = self.turn.pressed()
        if isinstance(pressed, Payload) and pressed.context == CONSENT:
            return pressed.value == "y"
        if not text:
            return None
        words = self.turn.answer_words()
        folded = european_digits(text).casefold().strip(" .!")
        if folded in ("1", *map(str.casefold, words.yes)):
            return True
        if folded in ("2", *map(str.casefold, words.no)):
            return False
        return None
