"""What a part of the dialogue is, and the few calls one part may make into another.

A part (consent, menu, language, survey answering, own data, ideas, staff,
following, events) is an object made for one turn. It receives the turn — the
transaction, the inbound message, the participant's state and the reply list —
explicitly as ``self.turn``, and says what it handles:

* ``keywords``: the keywords it answers once the citizen has agreed (``keyword``);
* ``contexts``: the payload contexts of the buttons it draws;
* ``awaiting``: the ``Awaiting`` states it sets and answers;
* ``intercept``: a look at every message before the keywords (a pending "really delete?",
  staff commands); ``route``: a look at a message no keyword took.

The router in ``conversation.py`` asks the registered parts in their order. A
part reaches another only through ``others``, whose every call is listed in
``Handoffs`` below — so a reader sees in one place what crosses between parts.
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from bot.dialogue.keywords import Command, Keyword
from bot.dialogue.turn import Awaiting, Turn
from storage.records import ResponseRecord
from surveys.model import IdeaCall, Survey
from surveys.runner import StepResult

__all__ = ["Handoffs", "Part"]


class Handoffs(Protocol):
    """The calls one part makes into another; each is provided by exactly one registered part."""

    def menu(self) -> None: ...  # the menu of open processes (MenuPart)
    def open_process(self, process_id: str, *, welcome: bool = True) -> None: ...  # MenuPart
    def resume_hint(self) -> None: ...  # the open survey's question again (MenuPart)
    def resume_or_menu(self, *, welcome: bool = True) -> None: ...  # MenuPart
    def help_text(self) -> str: ...  # MenuPart
    def ask_consent(self, *, not_understood: bool = False) -> None: ...  # ConsentPart
    def consent_answer(self, text: str) -> bool | None: ...  # yes, no or neither (ConsentPart)
    def language_menu(self, argument: str) -> None: ...  # LanguagePart
    def choose_language(self, text: str) -> bool: ...  # LanguagePart
    def erase(self) -> None: ...  # delete everything of the participant (OwnDataPart)
    def apply(self, survey: Survey, response: ResponseRecord, result: StepResult) -> None: ...  # SurveyPart
    def start_idea(self, call: IdeaCall) -> None: ...  # IdeasPart
    def keep_idea_draft(self) -> None: ...  # IdeasPart


class Part:
    """A part of the dialogue for one turn; see the module's docstring for what it declares."""

    keywords: ClassVar[frozenset[Keyword]] = frozenset()
    contexts: ClassVar[frozenset[str]] = frozenset()
    awaiting: ClassVar[frozenset[Awaiting]] = frozenset()

    def __init__(self, turn: Turn, others: Handoffs) -> None:
        self.turn = turn
        self.others = others

    def intercept(self, text: str) -> bool:
        """Handle the message before any keyword is looked at; True when handled."""
        return False

    def keyword(self, command: Command) -> bool:
        """Answer one of ``keywords``; False when it does not apply now (another part may take it)."""
        return False

    def route(self, text: str) -> bool:
        """Handle a message no keyword took; True when handled."""
        return False
