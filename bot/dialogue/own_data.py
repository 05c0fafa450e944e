"""The citizen's own data: everything stored about them as a file, and erasure."""

from __future__ import annotations

import json
from typing import Any

from adapters.base import Attachment
from bot.dialogue.turn import ERASE, Turn
from bot.media import photo_files
from bot.payloads import Payload

__all__ = ["OwnDataSteps", "data_file"]


def data_file(data: dict[str, Any]) -> bytes:
    """Everything stored about a participant as the JSON file they get (``meinedaten``, a data request)."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()


class OwnDataSteps(Turn):
    def my_data(self) -> None:
        body = data_file(self.tx.participant_data(self.pid))
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
        self.removed_files = photo_files(self.tx.participant_data(self.pid))
        self.tx.erase_participant(self.pid)
        self.erased = True
        self.say(
            t.gettext(
                "Everything stored about you has been deleted. If you write again, I will ask for your consent anew."
            )
        )
