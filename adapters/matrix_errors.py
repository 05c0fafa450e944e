"""What a failed Matrix send means for the outbox.

The homeserver answers with an ``errcode`` (``M_LIMIT_EXCEEDED``,
``M_FORBIDDEN``, …) and an HTTP status; the outbox only knows the four
``SendError`` kinds of ``adapters.base``. This is the one place that maps
the first onto the second.
"""

from __future__ import annotations

from adapters.base import PermanentSendError, RecipientGone, RetryLater, SendError, TransientSendError

__all__ = ["send_error"]

_DEFAULT_RETRY_SECONDS = 5.0
# Not the citizen's fault and not the message's: wait for the operator or the server.
_TRANSIENT_CODES = frozenset({"M_UNKNOWN_TOKEN", "M_MISSING_TOKEN", "M_UNKNOWN", "M_RESOURCE_LIMIT_EXCEEDED"})
_GONE_CODES = frozenset({"M_FORBIDDEN", "M_NOT_FOUND"})


def send_error(errcode: str | None, http_status: int | None, retry_after_ms: int | None) -> SendError:
    """The ``SendError`` for one failed ``PUT /rooms/…/send``."""
    description = f"{errcode or 'no errcode'} (HTTP {http_status or '?'})"
    if errcode == "M_LIMIT_EXCEEDED" or http_status == 429:
        seconds = retry_after_ms / 1000 if retry_after_ms else _DEFAULT_RETRY_SECONDS
        return RetryLater(seconds, description)
    if http_status is not None and http_status >= 500:
        return TransientSendError(description)
    if errcode in _TRANSIENT_CODES or http_status is None:
        return TransientSendError(description)
    if errcode in _GONE_CODES:
        return RecipientGone(description)
    return PermanentSendError(description)
