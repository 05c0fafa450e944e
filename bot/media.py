"""Photos citizens send: kept under ``storage.media_dir`` with names that reveal nothing.

A file's name is a keyed hash (HMAC with ``storage.secret``) of its sender and
its bytes: a replayed event stores no second copy, two citizens who send the
same picture get a file each — so erasing one never removes the other's — and
the name reveals neither the sender nor the picture. Files are removed with
the participant's data.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path
from typing import Any

from adapters.base import Media
from surveys.answers import PhotoRef

__all__ = ["MediaStore", "is_stored_photo", "photo_files"]

_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "image/heic": ".heic",
}


class MediaStore:
    def __init__(self, folder: Path, max_bytes: int, key: bytes) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._key = key

    def keep(self, media: Media, owner: str) -> PhotoRef | None:
        """Store an image within the size limit as ``owner``'s; None for anything else (the
        answer parser then says what is wrong, using the announced size)."""
        if media.data is None or len(media.data) > self.max_bytes or media.mime_type not in _EXTENSIONS:
            return None
        digest = hmac.new(self._key, owner.encode() + b"\0" + media.data, hashlib.sha256)
        name = digest.hexdigest()[:32] + _EXTENSIONS[media.mime_type]
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / name
        if not path.exists():
            tmp = path.with_suffix(".part")
            tmp.write_bytes(media.data)
            os.replace(tmp, path)
        return PhotoRef(path=name, mime_type=media.mime_type, size=len(media.data))

    def read(self, name: str) -> bytes | None:
        """A stored photo's bytes (for the citizen's data copy); None if it is not there."""
        candidate = self._file(name)
        return candidate.read_bytes() if candidate is not None and candidate.is_file() else None

    def remove(self, names: list[str]) -> None:
        for name in names:
            candidate = self._file(name)
            if candidate is not None:
                candidate.unlink(missing_ok=True)

    def _file(self, name: str) -> Path | None:
        """The stored file of that name, only ever inside the media folder."""
        candidate = (self.folder / Path(name).name).resolve()
        return candidate if candidate.parent == self.folder.resolve() else None


def is_stored_photo(value: Any) -> bool:
    """Whether ``value`` is a stored photo as answers and ideas hold it: ``{"path", "mime_type", "size"}``."""
    return isinstance(value, dict) and set(value) >= {"path", "mime_type", "size"} and isinstance(value["path"], str)


def photo_files(data: Any) -> list[str]:
    """The stored photo names anywhere in a participant's data (answers of photo questions, ideas),
    each once and sorted: a photo may stand in the answer and in the progress."""
    return sorted(set(_photo_names(data)))


def _photo_names(data: Any) -> list[str]:
    if is_stored_photo(data):
        return [data["path"]]
    if isinstance(data, dict):
        return [name for value in data.values() for name in _photo_names(value)]
    if isinstance(data, list):
        return [name for value in data for name in _photo_names(value)]
    return []
