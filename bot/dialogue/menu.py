"""The menu of open processes, help, opening a process, and resuming the open survey."""

from __future__ import annotations

from bot.dialogue.keywords import Command, Keyword, help_lines
from bot.dialogue.part import Part
from bot.dialogue.payloads import Payload
from bot.dialogue.turn import MENU
from surveys.model import IdeaCall, Survey
from surveys.runner import ask_again, start

__all__ = ["MenuPart"]


class MenuPart(Part):
    """The menu and its numbers, ``start``/``umfragen``, ``hilfe``, and what no other part took."""

    keywords = frozenset({Keyword.START, Keyword.SURVEYS, Keyword.HELP})
    contexts = frozenset({MENU})

    def keyword(self, command: Command) -> bool:
        if command.keyword is Keyword.START and command.argument:
            self.open_process(command.argument)
        elif command.keyword is Keyword.HELP:
            self.turn.say(self.help_text())
            self.resume_hint()
        else:
            self.menu()
        return True

    def route(self, text: str) -> bool:
        """The last part asked: a menu number or button, else "not understood" and the menu."""
        pressed = self.turn.pressed()
        if isinstance(pressed, Payload) and pressed.context == MENU:
            self.menu_choice(pressed.value)
        elif pressed is False:
            self.turn.say(self.turn.t.gettext("That button is no longer valid."))
            self.menu()
        elif text.isdigit():
            self.menu_choice(str(int(text)))
        else:
            self.turn.say(self.turn.t.gettext("I did not understand that."))
            self.menu()
        return True

    def help_text(self) -> str:
        """The keywords and what they do, from the one keyword table (``keywords.KEYWORD_HELP``)."""
        return "\n".join([self.turn.t.gettext("You can type these words at any time:"), *help_lines(self.turn.t)])

    def resume_hint(self) -> None:
        """After help or privacy in the middle of a survey: the open question once more."""
        process = self.turn.catalog.get(str(self.turn.state.get("process") or ""))
        if not isinstance(process, Survey):
            return
        if not process.is_open(self.turn.now):  # closed meanwhile: say so instead of asking what can't be answered
            self.turn.save_state(process=None)
            self.turn.say(
                self.turn.t.gettext(
                    "The survey '{title}' you were answering has ended meanwhile. Thank you for your interest!",
                    title=process.title.get(self.turn.language),
                )
            )
            return
        response = self.turn.tx.find_response(self.turn.pid, process.id)
        if response is not None and response.status == "active":
            self.turn.replies.extend(self.turn.view(process).replies(ask_again(process, self.turn.progress(response))))

    def resume_or_menu(self, *, welcome: bool = True) -> None:
        """The open survey's question (with "welcome back" when the citizen returns to it), else the menu."""
        process_id = self.turn.state.get("process")
        if process_id:
            self.open_process(str(process_id), welcome=welcome)
        else:
            self.menu()

    def menu(self) -> None:
        processes = self.turn.open_processes()
        self.others.keep_idea_draft()
        self.turn.save_state(awaiting=None, process=None, idea=None, idea_pick=None, browse=None)
        t = self.turn.t
        if not processes:
            self.turn.say(t.gettext("There is nothing open to take part in right now. Please look again later."))
            return
        options = tuple(self.turn.option(MENU, str(i), self.menu_label(p), i) for i, p in enumerate(processes, 1))
        self.turn.say(
            t.gettext("What would you like to take part in? Please answer with a number.")
            + "\n"
            + t.gettext("Type 'help' for help."),
            options=options,
        )

    def menu_label(self, process: Survey | IdeaCall) -> str:
        """The title, and for a survey the citizen began or finished, a word saying so."""
        title = process.title.get(self.turn.language)
        if not isinstance(process, Survey):
            return title
        response = self.turn.tx.find_response(self.turn.pid, process.id)
        if response is None:
            return title
        if response.status == "active":
            return self.turn.t.gettext("{title} (begun: continue)", title=title)
        return self.turn.t.gettext("{title} (done)", title=title)

    def menu_choice(self, value: str) -> None:
        processes = self.turn.open_processes()
        index = int(value) - 1 if value.isdigit() else -1
        if not 0 <= index < len(processes):
            self.turn.say(self.turn.t.gettext("Please choose one of the numbers in the list."))
            self.menu()
            return
        self.open_process(processes[index].id)

    def open_process(self, process_id: str, *, welcome: bool = True) -> None:
        process = self.turn.catalog.get(process_id.strip().lower())
        if process is None or not process.is_open(self.turn.now):
            self.turn.say(self.turn.t.gettext("This survey is not open (any more)."))
            self.menu()
            return
        if isinstance(process, IdeaCall):
            self.others.start_idea(process)
            return
        if not isinstance(process, Survey):
            return
        self.others.keep_idea_draft()  # a begun idea waits; what is typed now answers the survey only
        response = self.turn.tx.find_response(self.turn.pid, process.id)
        view = self.turn.view(process)
        if response is not None and response.status != "active":
            self.turn.say(self.turn.t.gettext("You have already taken part in this survey. Thank you!"))
            self.menu()
            return
        self.turn.save_state(process=process.id, awaiting=None)
        if response is None:
            response = self.turn.tx.start_response(self.turn.pid, process.id, self.turn.now, self.turn.inbound.channel)
            title = process.title.get(self.turn.language)
            if process.contact is not None:
                contact = process.contact.get(self.turn.language)
                title += "\n" + self.turn.t.gettext("Questions about this survey: {contact}", contact=contact)
            self.turn.say(title)
            self.others.apply(process, response, start(process))
            return
        if welcome:
            self.turn.say(self.turn.t.gettext("Welcome back! Let's continue where you stopped."))
        self.turn.replies.extend(view.replies(ask_again(process, self.turn.progress(response))))
