"""Data requests made to staff: one participant's data handed out, or erased, by pseudonym.

Citizens get and erase their own data in the chat (``meinedaten``,
``löschen``). A citizen who can no longer reach the chat — a lost phone, a
deleted account — asks the city instead, by letter or in person, naming the
pseudonym from their data file or an export (``P-…``). These are the staff's
commands for that:

* ``mitwirken participant P-7KQ2XM show`` writes the same file the citizen
  would get (``mitwirken-daten-P-7KQ2XM.json``, with photos a ``.zip`` of the
  JSON and the pictures; or ``-o FILE``);
* ``mitwirken participant P-7KQ2XM erase`` says what would be erased;
  with ``--yes`` it erases it, as ``löschen`` would, photos included.

The log names the pseudonym and the staff member's login, never a platform id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.dialogue.own_data import data_copy
from bot.erasure import erase_participant
from bot.media import photo_files
from bot.runtime.app import Core

__all__ = ["DataRequestError", "Erasure", "erase", "hand_out"]

log = logging.getLogger(__name__)


class DataRequestError(LookupError):
    """No participant has that pseudonym (perhaps erased already)."""


@dataclass(frozen=True)
class Erasure:
    """What erasing a participant removes (or removed)."""

    pseudonym: str
    responses: int
    ideas: int
    photos: int
    done: bool

    def summary(self) -> str:
        what = f"{self.responses} response(s), {self.ideas} idea(s), {self.photos} photo(s), contacts and consents"
        if self.done:
            return f"{self.pseudonym} erased: {what}."
        return f"{self.pseudonym} has {what}. Nothing was erased; run again with --yes to erase it."


def hand_out(core: Core, pseudonym: str, output: Path | None, *, actor: str) -> Path:
    """Write everything stored about the participant (JSON, or a zip with the photos); returns the file."""
    with core.store.transaction() as tx:
        participant = tx.find_by_pseudonym(pseudonym)
        if participant is None:
            raise DataRequestError(_unknown(pseudonym))
        data = tx.participant_data(participant.id)
    language = participant.language or core.config.bot.languages[0]
    copy = data_copy(data, core.catalog, language, core.engine.media.read)
    target = output or Path.cwd() / f"mitwirken-daten-{pseudonym}{Path(copy.filename).suffix}"
    target.write_bytes(copy.data)
    log.info("data request: %s handed out the data of %s", actor, pseudonym)
    return target


def erase(core: Core, pseudonym: str, *, confirmed: bool, actor: str) -> Erasure:
    """Erase the participant when ``confirmed``; either way, say what that removes."""
    with core.store.transaction() as tx:
        participant = tx.find_by_pseudonym(pseudonym)
        if participant is None:
            raise DataRequestError(_unknown(pseudonym))
        data = tx.participant_data(participant.id)
        files = photo_files(data)
        erasure = Erasure(pseudonym, _count(data, "responses"), _count(data, "ideas"), len(files), confirmed)
        if confirmed:
            erase_participant(tx, participant.id, data)
    if confirmed:
        core.engine.media.remove(files)
        log.info("data request: %s erased %s", actor, pseudonym)
    return erasure


def _count(data: dict[str, Any], key: str) -> int:
    found = data.get(key)
    return len(found) if isinstance(found, list) else 0


def _unknown(pseudonym: str) -> str:
    return f"no participant has the pseudonym {pseudonym!r} (check the spelling; an erased participant is gone)"
