"""Make matrix-nio's key store survive a SIGKILL at any instant.

matrix-nio writes the bot's encryption state to SQLite in several separate
commits, and two of its sequences leave a window in which a killed process
loses keys for good:

* **Incoming room keys.** Decrypting an Olm to-device message advances the
  Olm ratchet (or, for a first message, uses up a one-time key) and saves
  that at once; the Megolm room key inside is saved in a later commit. A
  kill in between leaves a store that can no longer decrypt the replayed
  to-device message (its message key is spent) and does not hold the room
  key either: every message the citizen encrypted with it is unreadable.
  ``handle_to_device_event`` therefore runs in one database transaction —
  either all of its writes land, or none do and Synapse, which keeps a
  to-device message until a later sync acknowledges it, hands it over again.
  A message that cannot be opened at all is skipped with a warning instead
  of failing the whole sync (and every replay of it).
* **One-time key upload.** New one-time keys are generated in memory, sent to
  the homeserver, and saved only once the server answered. A kill while the
  answer is under way leaves public keys on the server whose private halves
  are gone: every citizen who claims one of them starts an Olm session the
  bot cannot open, and the next upload reuses the lost keys' ids with new
  keys, which the server refuses. ``share_keys`` therefore saves the account
  (with the keys still unpublished) before the upload is sent; after a
  restart the unpublished keys are uploaded again, identical, which the
  server accepts.

matrix-nio also ignores a one-time key count of zero in a sync;
``note_one_time_key_count`` takes it, so a bot whose keys were all claimed
uploads new ones.

No nio import here: the functions work on the ``Olm`` object matrix-nio
attaches to a logged-in client (``client.olm``). ``RoomKeyWaits`` decides how
long a message whose room key is missing is held before it is given up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

__all__ = ["RoomKeyWaits", "keep_keys", "make_key_writes_crash_safe", "note_one_time_key_count"]

log = logging.getLogger(__name__)

_MARK = "_mitwirken_crash_safe"


def make_key_writes_crash_safe(olm: Any) -> None:
    """Patch one ``nio.crypto.Olm`` instance so the two windows above are closed (idempotent)."""
    if getattr(olm, _MARK, False):
        return
    olm.handle_to_device_event = _in_one_transaction(olm, olm.handle_to_device_event)
    olm.share_keys = _saved_before_upload(olm, olm.share_keys)
    setattr(olm, _MARK, True)


def _in_one_transaction(olm: Any, handle: Callable[[Any], Any]) -> Callable[[Any], Any]:
    @wraps(handle)
    def handle_atomically(event: Any) -> Any:
        try:
            # nio's own writes become savepoints inside this transaction (peewee nests atomic blocks)
            with olm.store.database.atomic():
                return handle(event)
        except Exception as exc:
            # e.g. a pre-key message naming a one-time key the bot never had: nio lets
            # vodozemac's error escape, which would fail this sync and every replay of it
            log.warning(
                "matrix: an encrypted to-device message could not be opened (%s); skipped", exc.__class__.__name__
            )
            _ask_for_new_olm_session(olm, event)
            return None

    return handle_atomically


def _ask_for_new_olm_session(olm: Any, event: Any) -> None:
    """What nio does for its own decryption failures: open a fresh Olm session to that device."""
    sender, sender_key = getattr(event, "sender", None), getattr(event, "sender_key", None)
    if sender and sender_key:
        try:
            olm._mark_device_for_unwedging(sender, sender_key)
        except Exception:  # best effort: the message is given up either way
            log.debug("matrix: could not mark a device for a new Olm session", exc_info=True)


def _saved_before_upload(olm: Any, share: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    @wraps(share)
    def share_and_save() -> dict[str, Any]:
        content = share()
        olm.save_account()
        return content

    return share_and_save


class RoomKeyWaits:
    """How long messages may wait for their Megolm room key, counted per session.

    A room key usually arrives with, or just before, the first message it
    opens; a late one gets ``grace`` seconds from the moment the first message
    of its session was found unreadable. All messages of that session share
    that one deadline — a burst of ten waits once, not ten times — and once it
    passed, later messages of the session are given up at once. Time is passed
    in, so this holds no clock.
    """

    def __init__(self, grace: float, *, limit: int = 10_000) -> None:
        self._grace = grace
        self._limit = limit
        self._since: dict[str, float] = {}  # session id → when its key was first missed

    def missing(self, session_id: str, now: float) -> bool:
        """Note that ``session_id``'s key is missing; ``True`` the first time (ask for the key then)."""
        if session_id in self._since:
            return False
        if len(self._since) >= self._limit:
            del self._since[next(iter(self._since))]  # oldest first: dicts keep insertion order
        self._since[session_id] = now
        return True

    def expired(self, session_id: str, now: float) -> bool:
        """Whether messages of ``session_id`` have waited long enough to be given up."""
        since = self._since.get(session_id)
        return since is not None and now - since >= self._grace

    def arrived(self, session_id: str) -> None:
        """The key is here after all (late, or forwarded): nothing of this session waits any more."""
        self._since.pop(session_id, None)


def note_one_time_key_count(olm: Any, response: Any) -> None:
    """Take the server's one-time key count from a sync, zero included.

    matrix-nio skips a count of 0 (``if count:``), and so never uploads new
    keys once citizens have claimed them all — exactly when they are needed:
    a citizen's client that finds no key cannot open an Olm session, and the
    bot never gets the room key of what that citizen writes.
    """
    count = getattr(getattr(response, "device_key_count", None), "signed_curve25519", None)
    if count is not None:
        olm.uploaded_key_count = count


async def keep_keys(client: Any) -> None:
    """What ``sync_forever`` does between syncs: keep keys uploaded, known and claimed, to-device sent.

    Each condition is read right before its request: a concurrent ``room_send``
    queries and claims keys itself, and matrix-nio raises for a key query with
    nothing left to query.
    """
    if client.should_upload_keys:
        await client.keys_upload()
    if client.should_query_keys:
        await client.keys_query()
    if client.should_claim_keys:
        await client.keys_claim(client.get_users_for_key_claiming())
    await client.send_to_device_messages()
