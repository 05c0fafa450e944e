"""``mitwirken enter``: staff type in paper and phone answers at the terminal, one form after another.

Each form is driven by the survey runner (``surveys.runner``) exactly as a chat is:
the same questions in the same words, the same validation, conditions and early
ends, ``überspringen`` for an empty answer, ``zurück`` for the previous question,
``abbrechen`` to drop the form being typed. A finished form is stored at once (one
transaction per form) with its form number, channel, batch and the staff member, and
nothing about the respondent.

``--check`` is the second entry of double entry: the forms are typed again and
compared with what is stored, nothing is stored, and the forms whose answers
differ are listed with the questions where they do.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, TextIO

from adapters.render import render_plain
from bot.clock import Clock
from bot.dialogue.keywords import Keyword, KeywordTable
from bot.dialogue.payloads import PayloadSigner
from bot.dialogue.questions import QuestionView, answer_text
from bot.dialogue.turn import answer_words_of
from bot.i18n import translator
from bot.staff.words import staff_locale
from storage.contract import Store
from storage.records import PaperForm
from surveys.answers import Given
from surveys.model import Survey
from surveys.paper import apply_changes, for_paper
from surveys.runner import Action, Finished, Progress, Say, Statement, start, step

__all__ = ["EntrySession", "Stored"]

Answers = dict[str, tuple[str, object, str | None]]

_WORDS = {
    "de": {
        "welcome": "Erfassung von „{title}“ ({channel}, Stapel {batch}). Zu jedem Bogen erst die Bogen-Nr., dann "
        "die Antworten wie auf dem Bogen. Leere Antwort: „überspringen“; vorige Frage: „zurück“; Bogen "
        "verwerfen: „abbrechen“. Leere Bogen-Nr. beendet.",
        "check": "Zweite Erfassung (Kontrolle) von „{title}“: nichts wird gespeichert, abweichende Bögen werden "
        "aufgelistet. Leere Bogen-Nr. beendet.",
        "form_number": "Bogen-Nr.:",
        "exists": "Bogen {form} ist schon erfasst (Stapel {batch}). Neu erfassen und ersetzen? (ja/nein)",
        "kept": "Bogen {form} bleibt, wie er ist.",
        "not_stored": "Bogen {form} ist noch nicht erfasst: erst ohne --check erfassen.",
        "stored": "Bogen {form} gespeichert.",
        "replaced": "Bogen {form} ersetzt.",
        "dropped": "Bogen {form} verworfen, nichts gespeichert.",
        "same": "Bogen {form}: stimmt mit der ersten Erfassung überein.",
        "differs": "Bogen {form} weicht ab:",
        "difference": "  Frage {n} ({qid}): erste Erfassung {first}, zweite {second}",
        "missing": "(leer)",
        "summary": "{n} Bogen/Bögen gespeichert.",
        "check_summary": "{n} Bogen/Bögen geprüft, {d} weichen ab{forms}.",
        "unchecked": "Im Stapel {batch} noch nicht kontrolliert: {forms}",
    },
    "en": {
        "welcome": "Typing in '{title}' ({channel}, batch {batch}). For each form its number first, then the "
        "answers as on the form. An empty answer: 'skip'; the previous question: 'back'; drop the form: "
        "'cancel'. An empty form number ends.",
        "check": "Second entry (check) of '{title}': nothing is stored, forms that differ are listed. "
        "An empty form number ends.",
        "form_number": "Form no.:",
        "exists": "Form {form} is stored already (batch {batch}). Type it again and replace it? (yes/no)",
        "kept": "Form {form} stays as it is.",
        "not_stored": "Form {form} is not stored yet: type it in without --check first.",
        "stored": "Form {form} stored.",
        "replaced": "Form {form} replaced.",
        "dropped": "Form {form} dropped, nothing stored.",
        "same": "Form {form}: the same as the first entry.",
        "differs": "Form {form} differs:",
        "difference": "  question {n} ({qid}): first entry {first}, second {second}",
        "missing": "(empty)",
        "summary": "{n} form(s) stored.",
        "check_summary": "{n} form(s) checked, {d} differ{forms}.",
        "unchecked": "Not checked yet in batch {batch}: {forms}",
    },
}  # fmt: skip


@dataclass
class Stored:
    """What the session did, for the summary and the tests."""

    stored: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    differing: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class EntrySession:
    """One staff member typing in forms of one survey."""

    survey: Survey
    store: Store
    clock: Clock
    language: str
    channel: str
    batch: str | None  # --check without --batch: forms of any batch
    actor: str
    zone: dt.tzinfo
    check: bool = False
    read: TextIO = field(default_factory=lambda: sys.stdin)
    write: Callable[[str], None] = print
    result: Stored = field(default_factory=Stored)

    def __post_init__(self) -> None:
        self.survey = for_paper(self.survey)  # a photo can't come on paper: it may be skipped
        self.t = translator(self.language)
        self.texts = _WORDS["de" if staff_locale(self.language) == "de" else "en"]
        self.keywords = KeywordTable([self.language])
        self.view = QuestionView(self.survey, "staff", self.t, PayloadSigner(b"enter"))
        self.echo = not self.read.isatty()  # a piped batch shows what was typed, like a transcript

    def say(self, key: str, **params: object) -> None:
        self.write(self.texts[key].format(**params))

    def line(self, prompt: str = "> ") -> str | None:
        if self.read.isatty():
            self.write_inline(prompt)
        typed = self.read.readline()
        if not typed:
            return None
        typed = typed.rstrip("\r\n")
        if self.echo:
            self.write(f"{prompt}{typed}")
        return typed

    def write_inline(self, text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    def run(self) -> Stored:
        title = self.survey.title.get(self.language)
        if self.check:
            self.say("check", title=title)
        else:
            self.say("welcome", title=title, channel=self.channel, batch=self.batch)
        while True:
            typed = self.line(self.texts["form_number"] + " ")
            if typed is None or not typed.strip():
                break
            self.form(typed.strip())
        self.summary()
        return self.result

    def form(self, number: str) -> None:
        with self.store.transaction() as tx:
            found = tx.find_form(self.survey.id, number)
            first = {a.question_id: (a.value, a.other_text) for a in tx.answers(found.id)} if found else None
        if self.check and found is None:
            self.say("not_stored", form=number)
            return
        if not self.check and found is not None:
            self.say("exists", form=number, batch=found.batch or "–")
            if not self.yes(self.line()):
                self.say("kept", form=number)
                return
        entered = self.answers()
        if entered is None:
            self.say("dropped", form=number)
            return
        answers, status = entered
        if self.check:
            self.compare(number, first or {}, answers)
            return
        outcome: Literal["completed", "ended"] = "ended" if status == "ended" else "completed"
        form = PaperForm(number, self.channel, self.batch, self.actor, outcome, anonymous=self.survey.anonymous)
        with self.store.transaction() as tx:
            if found is not None:
                tx.delete_response(found.id)
            changes = [(qid, qtype, value, other) for qid, (qtype, value, other) in answers.items()]
            tx.store_form(self.survey.id, form, changes, self.clock())
        self.result.stored.append(number)
        self.say("replaced" if found is not None else "stored", form=number)

    def yes(self, typed: str | None) -> bool:
        words = answer_words_of(self.t)
        return typed is not None and typed.strip().casefold() in {w.casefold() for w in (*words.yes, "yes", "ja")}

    def answers(self) -> tuple[Answers, str] | None:
        """One form through the runner; None when it was dropped (``abbrechen`` or the end of input)."""
        today = self.clock().astimezone(self.zone).date()
        words = answer_words_of(self.t)
        result = start(self.survey)
        answers: Answers = {}
        apply_changes(answers, result.changes)
        progress: Progress = result.progress
        self.show(result.say, intro=True)
        while progress.status == "active":
            typed = self.line()
            if typed is None:
                return None
            command = self.keywords.parse(typed)
            keyword = command.keyword if command is not None else None
            if keyword is Keyword.CANCEL:
                return None
            if keyword is Keyword.BACK:
                action = Action("back")
            elif keyword is Keyword.SKIP:
                action = Action("skip")
            else:
                action = Action("answer", Given(text=typed or None))
            result = step(self.survey, progress, action, today=today, words=words)
            apply_changes(answers, result.changes)
            progress = result.progress
            self.show(result.say)
        return answers, progress.status

    def show(self, say: tuple[Say, ...], *, intro: bool = False) -> None:
        """The runner's words as the terminal chat shows them; the intro and closing words are the
        respondent's, not staff's, so they are left out."""
        shown = tuple(
            item
            for item in say
            if not isinstance(item, Finished)
            and not (intro and self.survey.intro is not None and isinstance(item, Statement) and item is say[0])
        )
        for reply in self.view.replies(shown):
            self.write(render_plain(reply))

    def compare(self, number: str, first: Mapping[str, tuple[object, str | None]], second: Answers) -> None:
        self.result.checked.append(number)
        numbers = {q.id: n for n, q in enumerate((q for q in self.survey.questions if q.answerable), start=1)}
        lines: list[str] = []
        for question in self.survey.questions:
            if not question.answerable:
                continue
            before = first.get(question.id)
            after = second.get(question.id)
            now = (after[1], after[2]) if after is not None else None
            if before == now:
                continue
            lines.append(
                self.texts["difference"].format(
                    n=numbers[question.id],
                    qid=question.id,
                    first=self.shown(question.id, before),
                    second=self.shown(question.id, now),
                )
            )
        if lines:
            self.result.differing[number] = lines
            self.say("differs", form=number)
            for line in lines:
                self.write(line)
        else:
            self.say("same", form=number)

    def shown(self, question_id: str, answer: tuple[object, str | None] | None) -> str:
        question = self.survey.question(question_id)
        if answer is None or question is None or answer[0] is None:
            return self.texts["missing"]
        text = answer_text(self.t, question, answer[0], limit=None)
        return f"„{text}“" + (f" ({answer[1]})" if answer[1] else "")

    def summary(self) -> None:
        if not self.check:
            self.say("summary", n=len(self.result.stored))
            return
        differing = self.result.differing
        forms = (": " + ", ".join(differing)) if differing else ""
        self.say("check_summary", n=len(self.result.checked), d=len(differing), forms=forms)
        if self.batch:
            with self.store.transaction() as tx:
                in_batch = tx.forms_in_batch(self.survey.id, self.batch)
            unchecked = [form for form in in_batch if form not in self.result.checked]
            if unchecked:
                self.say("unchecked", batch=self.batch, forms=", ".join(unchecked))
