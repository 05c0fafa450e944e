"""The menu of open processes, the language choice, help, and resuming."""

from __future__ import annotations

from bot.dialogue.keywords import help_lines
from bot.dialogue.payloads import Payload
from bot.dialogue.turn import LANGUAGE, MENU, Awaiting, Turn
from surveys.model import IdeaCall, Survey
from surveys.runner import ask_again, start

__all__ = ["MenuSteps"]


class MenuSteps(Turn):
    def help_text(self) -> str:
        """The keywords and what they do, from the one keyword table (``keywords.KEYWORD_HELP``)."""
        return "\n".join([self.t.gettext("You can type these words at any time:"), *help_lines(self.t)])

    def resume_hint(self) -> None:
        """After help or privacy in the middle of a survey: the open question once more."""
        process = self.catalog.get(str(self.state.get("process") or ""))
        if not isinstance(process, Survey):
            return
        if not process.is_open(self.now):  # closed meanwhile: say so instead of asking what can't be answered
            self.save_state(process=None)
            self.say(
                self.t.gettext(
                    "The survey '{title}' you were answering has ended meanwhile. Thank you for your interest!",
                    title=process.title.get(self.language),
                )
            )
            return
        response = self.tx.find_response(self.pid, process.id)
        if response is not None and response.status == "active":
            self.replies.extend(self.view(process).replies(ask_again(process, self.progress(response))))

    def resume_or_menu(self, *, welcome: bool = True) -> None:
        """The open survey's question (with "welcome back" when the citizen returns to it), else the menu."""
        process_id = self.state.get("process")
        if process_id:
            self.open_process(str(process_id), welcome=welcome)
        else:
            self.menu()

    def language_menu(self, argument: str) -> None:
        if argument and self.choose_language(argument):
            self.resume_or_menu(
                welcome=False
            ) if self.participant and self.participant.consent_at else self.ask_consent()
            return
        names = {"de": "Deutsch", "en": "English", "de-x-simple": "Leichte Sprache"}
        options = tuple(
            self.option(LANGUAGE, str(i), names.get(code, code), i) for i, code in enumerate(self.settings.languages, 1)
        )
        self.save_state(awaiting=Awaiting.LANGUAGE)
        self.say(self.t.gettext("Which language would you like?"), options=options)

    def choose_language(self, text: str) -> bool:
        pressed = self.pressed()
        code: str | None = None
        languages = self.settings.languages
        if isinstance(pressed, Payload) and pressed.context == LANGUAGE and pressed.value.isdigit():
            index = int(pressed.value) - 1
            code = languages[index] if 0 <= index < len(languages) else None
        elif text.strip().isdigit() and 0 < int(text.strip()) <= len(languages):
            code = languages[int(text.strip()) - 1]
        else:
            names = {"deutsch": "de", "german": "de", "english": "en", "englisch": "en"}
            wanted = text.strip().casefold()
            code = wanted if wanted in languages else names.get(wanted)
            code = code if code in languages else None
        if code is None:
            return False
        self.tx.update_participant(self.pid, now=self.now, language=code)
        self.set_participant(language=code)
        self.save_state(awaiting=None)
        self.say(self.t.gettext("I will now write in English."))
        return True

    def menu(self) -> None:
        processes = self.open_processes()
        self.keep_idea_draft()
        self.save_state(awaiting=None, process=None, idea=None, idea_pick=None, browse=None)
        t = self.t
        if not processes:
            self.say(t.gettext("There is nothing open to take part in right now. Please look again later."))
            return
        options = tuple(self.option(MENU, str(i), self.menu_label(p), i) for i, p in enumerate(processes, 1))
        self.say(
            t.gettext("What would you like to take part in? Please answer with a number.")
            + "\n"
            + t.gettext("Type 'help' for help."),
            options=options,
        )

    def menu_label(self, process: Survey | IdeaCall) -> str:
        """The title, and for a survey the citizen began or finished, a word saying so."""
        title = process.title.get(self.language)
        if not isinstance(process, Survey):
            return title
        response = self.tx.find_response(self.pid, process.id)
        if response is None:
            return title
        if response.status == "active":
            return self.t.gettext("{title} (begun: continue)", title=title)
        return self.t.gettext("{title} (done)", title=title)

    def menu_choice(self, value: str) -> None:
        processes = self.open_processes()
        index = int(value) - 1 if value.isdigit() else -1
        if not 0 <= index < len(processes):
            self.say(self.t.gettext("Please choose one of the numbers in the list."))
            self.menu()
            return
        self.open_process(processes[index].id)

    def open_process(self, process_id: str, *, welcome: bool = True) -> None:
        process = self.catalog.get(process_id.strip().lower())
        if process is None or not process.is_open(self.now):
            self.say(self.t.gettext("This survey is not open (any more)."))
            self.menu()
            return
        if isinstance(process, IdeaCall):
            self.start_idea(process)
            return
        if not isinstance(process, Survey):
            return
        self.keep_idea_draft()  # a begun idea waits; what is typed now answers the survey only
        response = self.tx.find_response(self.pid, process.id)
        view = self.view(process)
        if response is not None and response.status != "active":
            self.say(self.t.gettext("You have already taken part in this survey. Thank you!"))
            self.menu()
            return
        self.save_state(process=process.id, awaiting=None)
        if response is None:
            response = self.tx.start_response(self.pid, process.id, self.now)
            title = process.title.get(self.language)
            if process.contact is not None:
                contact = process.contact.get(self.language)
                title += "\n" + self.t.gettext("Questions about this survey: {contact}", contact=contact)
            self.say(title)
            self.apply(process, response, start(process))
            return
        if welcome:
            self.say(self.t.gettext("Welcome back! Let's continue where you stopped."))
        self.replies.extend(view.replies(ask_again(process, self.progress(response))))
