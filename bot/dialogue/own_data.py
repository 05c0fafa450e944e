"""The citizen's own data: everything stored about them as a file, and erasure.

The copy (GDPR Art. 15) is one JSON file in the citizen's words; with photos it is a zip
holding that JSON file and the pictures (``fotos/…``), which the JSON names where they belong.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Mapping
from typing import Any

from adapters.base import Attachment, clean_text
from bot.dialogue.keywords import Command, Keyword
from bot.dialogue.part import Part
from bot.dialogue.payloads import Payload
from bot.dialogue.questions import answer_text
from bot.dialogue.turn import ERASE, Awaiting
from bot.erasure import erase_participant
from bot.i18n import N_, Translator, translator
from bot.media import is_stored_photo, photo_files
from bot.process_files import Catalog
from surveys.model import IdeaCall, Survey

__all__ = ["OwnDataPart", "data_copy", "data_file", "readable_data"]

DATA_FILE = "mitwirken-meine-daten.json"
DATA_ARCHIVE = "mitwirken-meine-daten.zip"
PHOTO_FOLDER = "fotos"
_MESSAGE_STATUS = {
    "sent": N_("sent"),
    "pending": N_("waiting to be sent"),
    "failed": N_("could not be sent"),
}
_STATUS = {
    "active": N_("begun, not finished"),
    "completed": N_("finished"),
    "ended": N_("finished (ended early by an answer)"),
}


def data_file(data: Mapping[str, Any], catalog: Catalog, language: str) -> bytes:
    """Everything stored about a participant as the JSON file they get (``meinedaten``, a data request)."""
    readable = _with_photo_files(readable_data(data, catalog, language))
    text = json.dumps(readable, ensure_ascii=False, indent=2, default=str)
    return clean_text(text).encode()


def data_copy(
    data: Mapping[str, Any], catalog: Catalog, language: str, read_photo: Callable[[str], bytes | None]
) -> Attachment:
    """The citizen's copy as one file: the JSON, or with photos a zip of the JSON and the pictures."""
    body = data_file(data, catalog, language)
    photos = {name: read_photo(name) for name in photo_files(data)}
    if not photos:
        return Attachment(DATA_FILE, "application/json", body)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATA_FILE, body)
        for name, picture in photos.items():
            if picture is not None:  # a file removed by hand: the JSON still names it
                archive.writestr(f"{PHOTO_FOLDER}/{name}", picture)
    return Attachment(DATA_ARCHIVE, "application/zip", buffer.getvalue())


def readable_data(data: Mapping[str, Any], catalog: Catalog, language: str) -> dict[str, Any]:
    """The stored data as a citizen can read it: surveys and calls by their title, each answer beside
    its question's text in words, the state of the conversation said plainly. Nothing is left out:
    the stored values stay beside the words (``value``); only the runner's bookkeeping of a begun
    survey (the question asked, the way back) becomes the question's text."""
    t = translator(language)
    copy = dict(data)
    participant = dict(data["participant"])
    participant["conversation"] = _conversation(participant.pop("state", None) or {}, catalog, t)
    copy["participant"] = participant
    copy["responses"] = [_response(response, catalog, t) for response in data.get("responses", [])]
    copy["ideas"] = [_idea(idea, catalog, t) for idea in data.get("ideas", [])]
    copy["messages_from_the_bot"] = [_message(message, t) for message in data.get("messages_from_the_bot", [])]
    return copy


def _message(message: Mapping[str, Any], t: Translator) -> dict[str, Any]:
    status = str(message.get("status"))
    readable = {
        **message,
        "status_in_words": t.gettext(_MESSAGE_STATUS[status]) if status in _MESSAGE_STATUS else status,
    }
    if message.get("text") is None:
        readable["text"] = t.gettext("(the text is no longer kept)")
    return readable


def _with_photo_files(value: Any) -> Any:
    """A stored photo (``{"path", …}``) also says where the copy holds it (``fotos/…``)."""
    if isinstance(value, Mapping):
        named = {k: _with_photo_files(v) for k, v in value.items()}
        if is_stored_photo(value):
            named["file_in_this_copy"] = f"{PHOTO_FOLDER}/{value['path']}"
        return named
    if isinstance(value, list):
        return [_with_photo_files(v) for v in value]
    return value


def _title(catalog: Catalog, process_id: str, t: Translator) -> str:
    process = catalog.get(process_id)
    return process.title.get(t.language) if process is not None else process_id


def _conversation(state: Mapping[str, Any], catalog: Catalog, t: Translator) -> dict[str, Any]:
    """What the bot remembers of the conversation, in words."""
    said: dict[str, Any] = {}
    if state.get("process"):
        said["open_survey"] = _title(catalog, str(state["process"]), t)
    draft = state.get("idea") or state.get("idea_kept")
    if isinstance(draft, Mapping) and draft.get("text"):
        said["idea_not_handed_in_yet"] = {"call": _title(catalog, str(draft.get("call", "")), t), "text": draft["text"]}
    if state.get("stopped"):
        said["invitations_and_reminders"] = t.gettext("stopped ('stop')")
    return said


def _response(response: Mapping[str, Any], catalog: Catalog, t: Translator) -> dict[str, Any]:
    survey = catalog.get(str(response.get("process_id")))
    progress = response.get("progress") or {}
    readable = {k: v for k, v in response.items() if k != "progress"}
    readable["title"] = _title(catalog, str(response.get("process_id")), t)
    status = str(response.get("status"))
    readable["status_in_words"] = t.gettext(_STATUS[status]) if status in _STATUS else status
    if isinstance(survey, Survey) and status == "active" and progress.get("current"):
        question = survey.question(str(progress["current"]))
        readable["current_question"] = question.text.get(t.language) if question else progress["current"]
    readable["answers"] = [_answer(answer, survey, t) for answer in response.get("answers", [])]
    return readable


def _answer(answer: Mapping[str, Any], survey: Survey | IdeaCall | None, t: Translator) -> dict[str, Any]:
    question = survey.question(str(answer.get("question_id"))) if isinstance(survey, Survey) else None
    if question is None:  # the file changed or went away: the stored value says it all
        return dict(answer)
    return {
        "question": question.text.get(t.language),
        "answer": answer_text(t, question, answer.get("value"), limit=None),
        **answer,
    }


def _idea(idea: Mapping[str, Any], catalog: Catalog, t: Translator) -> dict[str, Any]:
    call = catalog.get(str(idea.get("process_id")))
    readable = {"call": _title(catalog, str(idea.get("process_id")), t), **idea}
    if isinstance(call, IdeaCall) and idea.get("category"):
        label = next((c.label.get(t.language) for c in call.categories if c.id == idea["category"]), None)
        readable["category_in_words"] = label or idea["category"]
    return readable


class OwnDataPart(Part):
    """``meinedaten`` (everything stored, as a file) and ``löschen`` with its "really?"."""

    keywords = frozenset({Keyword.MYDATA, Keyword.DELETE})
    contexts = frozenset({ERASE})
    awaiting = frozenset({Awaiting.ERASE})

    def intercept(self, text: str) -> bool:
        """The answer to "really delete everything?" comes before any keyword."""
        if self.turn.awaiting is not Awaiting.ERASE:
            return False
        self.erase_answer(text)
        return True

    def keyword(self, command: Command) -> bool:
        if command.keyword is Keyword.MYDATA:
            self.my_data()
        else:
            self.ask_erase()
        return True

    def ask_erase(self) -> None:
        turn = self.turn
        turn.save_state(awaiting=Awaiting.ERASE)
        t = turn.t
        turn.say(
            t.gettext(
                "Do you really want to delete everything stored about you, including your answers? "
                "This cannot be undone. Please answer 1 for yes or 2 for no."
            ),
            options=(
                turn.option(ERASE, "y", t.gettext("Yes, delete everything"), 1),
                turn.option(ERASE, "n", t.gettext("No, keep it"), 2),
            ),
        )

    def my_data(self) -> None:
        turn = self.turn
        copy = data_copy(turn.tx.participant_data(turn.pid), turn.catalog, turn.language, turn.read_photo)
        if copy.filename == DATA_ARCHIVE:
            said = turn.t.gettext("Here is everything stored about you: a zip file with a JSON file and your photos.")
        else:
            said = turn.t.gettext("Here is everything stored about you, as a JSON file.")
        turn.say(said, attachment=copy)

    def erase_answer(self, text: str) -> None:
        pressed = self.turn.pressed()
        yes = (isinstance(pressed, Payload) and pressed.context == ERASE and pressed.value == "y") or (
            self.others.consent_answer(text) is True
        )
        if yes:
            self.erase()
            return
        self.turn.save_state(awaiting=None)
        self.turn.say(self.turn.t.gettext("Nothing was deleted."))
        self.others.resume_hint()

    def erase(self) -> None:
        t = self.turn.t
        if self.turn.visitor:
            self.turn.tx.forget_visitor(self.turn.inbound.channel, self.turn.inbound.sender)
        else:
            self.turn.removed_files = erase_participant(self.turn.tx, self.turn.pid)
        self.turn.erased = True
        self.turn.say(
            t.gettext(
                "Everything stored about you has been deleted. If you write again, I will ask for your consent anew."
            )
        )
