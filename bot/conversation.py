"""The conversation: what the bot answers to one message, inside one transaction.

First contact and consent, the menu, every keyword, running a survey with the
pure runner, the citizen's own data and erasure. A :class:`Conversation` lives
for one inbound event; all it reads and writes goes through the transaction
it is given, and it returns the replies to enqueue.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, replace
from typing import Any

from adapters.base import Attachment, Inbound, Option, Reply
from bot.i18n import Translator, translator, ui_language
from bot.keywords import Command, Keyword, KeywordTable
from bot.payloads import Payload, PayloadSigner
from bot.process_files import Catalog
from bot.questions import QuestionView, refusal_text
from storage.contract import Transaction
from storage.records import ParticipantRecord, ResponseRecord
from surveys.answers import AnswerWords, Given, PhotoRef, Rejected
from surveys.model import IdeaCall, Survey
from surveys.runner import Action, Progress, Refused, StepResult, ask_again, start, step
from surveys.text_input import clip_inbound, normalize_text

__all__ = ["Conversation", "DialogueSettings"]

CONSENT, MENU, LANGUAGE, ERASE = "c", "m", "l", "x"


@dataclass(frozen=True)
class DialogueSettings:
    """What the conversation needs to know about this installation."""

    bot_name: str
    languages: tuple[str, ...]
    privacy_url: str
    consent_version: str
    timezone: dt.tzinfo
    keywords: KeywordTable
    signer: PayloadSigner
    staff: frozenset[str] = field(default_factory=frozenset)


@dataclass
class Conversation:
    tx: Transaction
    inbound: Inbound
    now: dt.datetime
    catalog: Catalog
    settings: DialogueSettings
    photo: PhotoRef | None = None
    replies: list[Reply] = field(default_factory=list)
    participant: ParticipantRecord | None = None
    erased: bool = False
    removed_files: list[str] = field(default_factory=list)

    # --- entry -------------------------------------------------------------------

    def run(self) -> list[Reply]:
        if not self.inbound.private:
            self.say(self.t_default().gettext("I only talk in private chats. Please write to me directly."))
            return self.replies
        text = normalize_text(clip_inbound(self.inbound.text)) if self.inbound.text else ""
        participant = self.tx.find_participant(self.inbound.channel, self.inbound.sender)
        if participant is None:
            self.first_contact(text)
            return self.replies
        self.participant = participant
        self.tx.set_address(participant.id, self.inbound.channel, self.inbound.address)
        if participant.consent_at is None:
            self.before_consent(text)
        else:
            self.consented(text)
        return self.replies

    # --- helpers -----------------------------------------------------------------

    @property
    def pid(self) -> str:
        assert self.participant is not None
        return self.participant.id

    @property
    def state(self) -> dict[str, Any]:
        assert self.participant is not None
        return dict(self.participant.state)

    @property
    def language(self) -> str:
        if self.participant is not None and self.participant.language:
            return self.participant.language
        return self.settings.languages[0]

    @property
    def t(self) -> Translator:
        return translator(self.language)

    def t_default(self) -> Translator:
        reported = ui_language(self.inbound.language, self.settings.languages)
        return translator(reported or self.settings.languages[0])

    def say(self, text: str, **kw: Any) -> None:
        self.replies.append(Reply(text, **kw))

    def save_state(self, **changes: Any) -> None:
        state = {**self.state, **changes}
        state = {k: v for k, v in state.items() if v is not None}
        self.tx.update_participant(self.pid, now=self.now, state=state)
        assert self.participant is not None
        self.participant = _with(self.participant, state=state)

    def option(self, context: str, value: str, label: str, number: int) -> Option:
        return Option(self.settings.signer.sign(self.pid, context, value), label, number)

    def pressed(self) -> Payload | None | bool:
        """The verified payload of a pressed button; False when forged or foreign; None without a button."""
        if self.inbound.choice is None:
            return None
        payload = self.settings.signer.verify(self.pid, self.inbound.choice)
        return payload if payload is not None else False

    def open_processes(self) -> list[Survey | IdeaCall]:
        # idea calls join the menu with the ideas feature; until then only surveys are offered
        return [p for p in self.catalog.processes if isinstance(p, Survey) and p.is_open(self.now)]

    # --- before consent ----------------------------------------------------------

    def first_contact(self, text: str) -> None:
        language = ui_language(self.inbound.language, self.settings.languages) or self.settings.languages[0]
        self.participant = self.tx.create_participant(
            self.inbound.channel, self.inbound.sender, self.inbound.address, language, self.now
        )
        command = self.settings.keywords.parse(text) if text else None
        wanted = command.argument if command and command.keyword is Keyword.START and command.argument else None
        self.save_state(awaiting="consent", start=wanted)
        t = self.t
        self.say(
            t.gettext("Hello! This is {name}.", name=self.settings.bot_name)
            + "\n\n"
            + t.gettext(
                "Here you can take part in surveys and calls for ideas of the city, in this chat, at any time."
            )
        )
        self.ask_consent()

    def privacy_text(self) -> str:
        return self.t.gettext(
            "Privacy: your answers are stored for the city's participation processes under a random "
            "pseudonym, never with your name or your messenger account in the results. You can get "
            "your data at any time with 'mydata' and delete it with 'delete'. Details: {url}",
            url=self.settings.privacy_url,
        )

    def ask_consent(self) -> None:
        t = self.t
        self.say(
            self.privacy_text() + "\n\n" + t.gettext("Do you agree? Please answer 1 for yes or 2 for no."),
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
        if command is not None and command.keyword is Keyword.START and command.argument:
            self.save_state(start=command.argument)
        if command is not None and command.keyword is Keyword.DELETE:
            self.erase()
            return
        if self.state.get("awaiting") == "language" and self.choose_language(text):
            self.ask_consent()
            return
        answer = self.consent_answer(text)
        if answer is True:
            self.tx.record_consent(self.pid, self.settings.consent_version, self.now)
            wanted = self.state.get("start")
            self.save_state(awaiting=None, start=None)
            self.say(self.t.gettext("Thank you! You can stop at any time and continue later."))
            if wanted:
                self.open_process(str(wanted))
            else:
                self.menu()
        elif answer is False:
            self.save_state(awaiting="consent")
            self.say(
                self.t.gettext(
                    "All right. Without your consent I store nothing and can only show 'help' and "
                    "'privacy'. Write 'start' whenever you change your mind."
                )
            )
        else:
            self.ask_consent()

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

    def answer_words(self) -> AnswerWords:
        t = self.t
        return AnswerWords(
            yes=t.words("yes|y|ok|agree"),
            no=t.words("no|n"),
            today=t.words("today"),
            tomorrow=t.words("tomorrow"),
            other=t.words("other|something else"),
        )

    # --- after consent -----------------------------------------------------------

    def consented(self, text: str) -> None:
        awaiting = self.state.get("awaiting")
        command = self.settings.keywords.parse(text) if text else None
        if awaiting == "erase":
            self.erase_answer(text)
            return
        if command is not None:
            self.keyword(command)
            return
        if awaiting == "language" and self.choose_language(text):
            self.resume_or_menu()
            return
        if self.state.get("process"):
            self.survey_input(text)
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
            self.save_state(awaiting="erase")
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
            self.save_state(stopped=True)
            self.say(self.t.gettext("Done: you will get no more invitations or reminders from me."))
        elif k in (Keyword.BACK, Keyword.SKIP, Keyword.CANCEL) and self.state.get("process"):
            self.survey_command(k)
        elif k in (Keyword.IDEA, Keyword.IDEAS):
            self.say(self.t.gettext("There is no open call for ideas at the moment."))
            self.menu()
        else:
            self.say(self.t.gettext("There is no survey running that this would apply to."))
            self.menu()

    def help_text(self) -> str:
        t = self.t
        return "\n".join(
            [
                t.gettext("You can type these words at any time:"),
                t.gettext("menu – the open surveys"),
                t.gettext("back – change your previous answer"),
                t.gettext("skip – leave out a question that is optional"),
                t.gettext("cancel – pause the survey; 'menu' continues it later"),
                t.gettext("language – choose another language"),
                t.gettext("privacy – how your data is handled"),
                t.gettext("mydata – get everything stored about you"),
                t.gettext("delete – delete everything stored about you"),
                t.gettext("stop – no more invitations or reminders"),
            ]
        )

    def resume_hint(self) -> None:
        """After help or privacy in the middle of a survey: the open question once more."""
        process = self.catalog.get(str(self.state.get("process") or ""))
        if not isinstance(process, Survey):
            return
        response = self.tx.find_response(self.pid, process.id)
        if response is not None and response.status == "active":
            self.replies.extend(self.view(process).replies(ask_again(process, self.progress(response))))

    def resume_or_menu(self) -> None:
        process_id = self.state.get("process")
        if process_id:
            self.open_process(str(process_id))
        else:
            self.menu()

    # --- language ----------------------------------------------------------------

    def language_menu(self, argument: str) -> None:
        if argument and self.choose_language(argument):
            self.resume_or_menu() if self.participant and self.participant.consent_at else self.ask_consent()
            return
        names = {"de": "Deutsch", "en": "English", "de-x-simple": "Leichte Sprache"}
        options = tuple(
            self.option(LANGUAGE, str(i), names.get(code, code), i)
            for i, code in enumerate(self.settings.languages, 1)
        )
        self.save_state(awaiting="language")
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
        assert self.participant is not None
        self.participant = _with(self.participant, language=code)
        self.save_state(awaiting=None)
        self.say(self.t.gettext("I will now write in English."))
        return True

    # --- menu --------------------------------------------------------------------

    def menu(self) -> None:
        processes = self.open_processes()
        self.save_state(awaiting=None, process=None)
        t = self.t
        if not processes:
            self.say(t.gettext("There is nothing open to take part in right now. Please look again later."))
            return
        options = tuple(
            self.option(MENU, str(i), p.title.get(self.language), i) for i, p in enumerate(processes, 1)
        )
        self.say(
            t.gettext("What would you like to take part in? Please answer with a number.")
            + "\n"
            + t.gettext("Type 'help' for help."),
            options=options,
        )

    def menu_choice(self, value: str) -> None:
        processes = self.open_processes()
        index = int(value) - 1 if value.isdigit() else -1
        if not 0 <= index < len(processes):
            self.say(self.t.gettext("Please choose one of the numbers in the list."))
            self.menu()
            return
        self.open_process(processes[index].id)

    def open_process(self, process_id: str) -> None:
        process = self.catalog.get(process_id.strip().lower())
        if process is None or not process.is_open(self.now):
            self.say(self.t.gettext("This survey is not open (any more)."))
            self.menu()
            return
        if not isinstance(process, Survey):
            self.say(self.t.gettext("There is no open call for ideas at the moment."))
            self.menu()
            return
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
            self.say(title)
            self.apply(process, response, start(process))
            return
        self.say(self.t.gettext("Welcome back! Let's continue where you stopped."))
        self.replies.extend(view.replies(ask_again(process, Progress.from_json(response.progress))))

    def view(self, survey: Survey) -> QuestionView:
        return QuestionView(survey, self.pid, self.t, self.settings.signer)

    # --- running a survey --------------------------------------------------------

    def current(self) -> tuple[Survey, ResponseRecord] | None:
        process_id = str(self.state.get("process"))
        process = self.catalog.get(process_id)
        if not isinstance(process, Survey) or not process.is_open(self.now):
            self.say(self.t.gettext("This survey has ended. Thank you for your interest!"))
            self.menu()
            return None
        response = self.tx.find_response(self.pid, process.id)
        if response is None or response.status != "active":
            self.menu()
            return None
        return process, response

    def survey_command(self, keyword: Keyword) -> None:
        found = self.current()
        if found is None:
            return
        survey, response = found
        if keyword is Keyword.CANCEL:
            self.save_state(process=None)
            self.say(
                self.t.gettext(
                    "The survey is paused; your answers so far are kept. Type 'menu' to continue later."
                )
            )
            return
        action = Action("back" if keyword is Keyword.BACK else "skip")
        self.apply(survey, response, step(survey, self.progress(response), action, **self.step_args()))

    def survey_input(self, text: str) -> None:
        found = self.current()
        if found is None:
            return
        survey, response = found
        progress = self.progress(response)
        action = self.action_for(survey, progress, text)
        if isinstance(action, Rejected):
            view = self.view(survey)
            self.say(refusal_text(self.t, action))
            self.replies.extend(view.replies(ask_again(survey, progress)))
            return
        first = len(self.replies)
        result = step(survey, progress, action, **self.step_args())
        self.apply(survey, response, result)
        if self.inbound.choice is not None and self.inbound.reply_to is not None:
            self.show_choice(survey, progress, action, result, first)

    def show_choice(self, survey: Survey, before: Progress, action: Action, result: StepResult, first: int) -> None:
        """On channels with editable buttons, the question message shows what was pressed.

        A toggle of a multi question redraws its buttons in place; an accepted
        answer turns the question into "question → answer", so the chat reads
        like a record of the conversation."""
        question = survey.question(before.current or "")
        if question is None or not result.say or isinstance(result.say[0], Refused):
            return
        edit_of = self.inbound.reply_to
        if action.kind == "toggle":
            self.replies[first] = replace(self.replies[first], edit_of=edit_of)
            return
        view = self.view(survey)
        options = view.options(question)
        if action.kind == "done":
            chosen = set(before.toggled)
            ids = view.option_ids(question)
            label = ", ".join(o.label for o, oid in zip(options, ids) if oid in chosen)
        else:
            label = next((o.label for o in options if o.payload == self.inbound.choice), "")
        text = f"{view.text(question.text)}\n\n→ {label}"
        self.replies.insert(first, Reply(text, edit_of=edit_of))

    def action_for(self, survey: Survey, progress: Progress, text: str) -> Action | Rejected:
        pressed = self.pressed()
        question = survey.question(progress.current or "")
        if pressed is not None and question is not None:
            view = self.view(survey)
            if pressed is False or pressed.context != view.context(question):
                return Rejected("stale_button")
            resolved = view.resolve(question, pressed.value)
            if resolved is None:
                return Rejected("stale_button")
            kind, option_id = resolved
            if kind == "toggle":
                return Action("toggle", option_id=option_id)
            if kind == "done":
                return Action("done")
            return Action("answer", Given(option_id=option_id))
        media = self.inbound.media
        given = Given(
            text=text or None,
            location=self.inbound.location,
            photo=self.photo,
            photo_size=media.size if media is not None and self.photo is None else None,
        )
        return Action("answer", given)

    def step_args(self) -> dict[str, Any]:
        return {"today": self.now.astimezone(self.settings.timezone).date(), "words": self.answer_words()}

    def progress(self, response: ResponseRecord) -> Progress:
        return Progress.from_json(response.progress)

    def apply(self, survey: Survey, response: ResponseRecord, result: StepResult) -> None:
        for change in result.changes:
            if change.delete:
                self.tx.delete_answer(response.id, change.question_id)
            else:
                self.tx.save_answer(
                    response.id, change.question_id, change.question_type, change.value, change.other_text, self.now
                )
        self.tx.save_progress(response.id, result.progress.to_json(), self.now)
        if result.progress.status != "active":
            self.tx.finish_response(response.id, result.progress.status, self.now, detach=survey.anonymous)
            self.save_state(process=None)
        self.replies.extend(self.view(survey).replies(result.say))

    # --- own data and erasure -----------------------------------------------------

    def my_data(self) -> None:
        data = self.tx.participant_data(self.pid)
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
        self.say(
            self.t.gettext("Here is everything stored about you, as a JSON file."),
            attachment=Attachment("mitwirken-meine-daten.json", "application/json", body),
        )

    def erase_answer(self, text: str) -> None:
        pressed = self.pressed()
        yes = (isinstance(pressed, Payload) and pressed.context == ERASE and pressed.value == "y") or (
            self.consent_answer(text) is True
        )
        if yes:
            self.erase()
            return
        self.save_state(awaiting=None)
        self.say(self.t.gettext("Nothing was deleted."))
        self.resume_hint()

    def erase(self) -> None:
        t = self.t
        self.removed_files = _photo_files(self.tx.participant_data(self.pid))
        self.tx.erase_participant(self.pid)
        self.erased = True
        self.say(
            t.gettext(
                "Everything stored about you has been deleted. If you write again, I will ask for your consent anew."
            )
        )


def _with(participant: ParticipantRecord, **changes: Any) -> ParticipantRecord:
    return replace(participant, **changes)


def _photo_files(data: Any) -> list[str]:
    """The stored photo names anywhere in a participant's data (answers of photo questions)."""
    if isinstance(data, dict):
        if set(data) >= {"path", "mime_type", "size"} and isinstance(data["path"], str):
            return [data["path"]]
        return [name for value in data.values() for name in _photo_files(value)]
    if isinstance(data, list):
        return [name for value in data for name in _photo_files(value)]
    return []
