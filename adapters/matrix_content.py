"""Matrix event contents, both ways, as plain dictionaries (no matrix-nio here).

Reading: ``parse_content`` turns the ``type`` and ``content`` of a (decrypted)
room event into a ``Parsed`` value the adapter maps onto ``Inbound``.
Writing: ``text_content``, ``poll_content`` and ``file_content`` build what
the bot sends. Keeping these pure makes the wire format testable without a
homeserver.

Polls follow MSC3381. The bot sends the unstable ``org.matrix.msc3381`` form
that Element and most clients render today, with the numbered list as the
extensible-events text fallback, and reads answers in the unstable and the
stable (``m.poll.response``) form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from adapters.base import Option

__all__ = [
    "POLL_RESPONSE_TYPES",
    "POLL_START_TYPE",
    "MediaRef",
    "Parsed",
    "file_content",
    "parse_content",
    "parse_geo_uri",
    "poll_content",
    "text_content",
]

POLL_START_TYPE = "org.matrix.msc3381.poll.start"
_UNSTABLE_RESPONSE = "org.matrix.msc3381.poll.response"
_STABLE_RESPONSE = "m.poll.response"
POLL_RESPONSE_TYPES = frozenset({_UNSTABLE_RESPONSE, _STABLE_RESPONSE})
_TEXT_KEY = "org.matrix.msc1767.text"


@dataclass(frozen=True)
class MediaRef:
    """Where a citizen's file lives and how to read it, before it is fetched.

    ``encryption`` is the ``file`` object of an encrypted attachment (key,
    iv, hashes); ``None`` for a file sent in plain text.
    """

    kind: str  # "image" or "file"
    url: str  # mxc://…
    mime_type: str
    size: int | None
    filename: str | None
    encryption: dict[str, Any] | None = None


@dataclass(frozen=True)
class Parsed:
    """What a room event means to the engine; exactly one field is set."""

    text: str | None = None
    location: tuple[float, float] | None = None
    choice: str | None = None
    reply_to: str | None = None  # the poll a choice answers
    media: MediaRef | None = None


# -- reading --------------------------------------------------------------

_GEO = re.compile(r"^geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)(?:,-?\d+(?:\.\d+)?)?(?:;.*)?$", re.IGNORECASE)


def parse_geo_uri(uri: str) -> tuple[float, float] | None:
    """``geo:51.51,7.46;u=35`` → ``(51.51, 7.46)``; ``None`` if malformed or out of range."""
    match = _GEO.match(uri.strip())
    if not match:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _strip_reply_fallback(body: str) -> str:
    # Clients quote the message replied to as "> …" lines before the answer.
    lines = body.split("\n")
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def _is_edit(content: dict[str, Any]) -> bool:
    relates = content.get("m.relates_to")
    return isinstance(relates, dict) and relates.get("rel_type") == "m.replace"


def _media_ref(content: dict[str, Any], kind: str) -> MediaRef | None:
    info: dict[str, Any] = content["info"] if isinstance(content.get("info"), dict) else {}
    encrypted: dict[str, Any] | None = content["file"] if isinstance(content.get("file"), dict) else None
    url = (encrypted or content).get("url")
    if not isinstance(url, str) or not url.startswith("mxc://"):
        return None
    size = info.get("size")
    return MediaRef(
        kind=kind,
        url=url,
        mime_type=str(info.get("mimetype") or ("image/jpeg" if kind == "image" else "application/octet-stream")),
        size=size if isinstance(size, int) and size >= 0 else None,
        filename=str(content.get("filename") or content.get("body") or "") or None,
        encryption=encrypted,
    )


def _parse_message(content: dict[str, Any]) -> Parsed | None:
    msgtype = content.get("msgtype")
    body = content.get("body")
    if msgtype in ("m.text", "m.emote") and isinstance(body, str):
        relates = content.get("m.relates_to")
        if isinstance(relates, dict) and "m.in_reply_to" in relates:
            body = _strip_reply_fallback(body)
        return Parsed(text=body)
    if msgtype == "m.location":
        uri = content.get("geo_uri")
        if not isinstance(uri, str):
            uri = (content.get("org.matrix.msc3488.location") or {}).get("uri", "")
        location = parse_geo_uri(uri) if isinstance(uri, str) else None
        return Parsed(location=location) if location else None
    if msgtype in ("m.image", "m.file"):
        media = _media_ref(content, "image" if msgtype == "m.image" else "file")
        return Parsed(media=media) if media else None
    return None  # m.notice (other bots), audio, video, …: not an answer


def _parse_poll_response(content: dict[str, Any]) -> Parsed | None:
    relates = content.get("m.relates_to")
    poll_id = relates.get("event_id") if isinstance(relates, dict) else None
    unstable = content.get(_UNSTABLE_RESPONSE)
    answers = unstable.get("answers") if isinstance(unstable, dict) else content.get("m.selections")
    if not isinstance(answers, list) or not answers or not isinstance(answers[0], str):
        return None  # an empty selection withdraws a vote: nothing to answer
    return Parsed(choice=answers[0], reply_to=poll_id if isinstance(poll_id, str) else None)


def parse_content(event_type: str, content: dict[str, Any]) -> Parsed | None:
    """The meaning of one room event, or ``None`` if it is not something a citizen answers with."""
    if not isinstance(content, dict) or _is_edit(content):
        return None
    if event_type == "m.room.message":
        return _parse_message(content)
    if event_type in POLL_RESPONSE_TYPES:
        return _parse_poll_response(content)
    return None


# -- writing --------------------------------------------------------------


def text_content(body: str) -> dict[str, Any]:
    """A plain ``m.text`` message.

    Everything the bot says is ``m.text``: clients notify for it, while some
    hide or mute ``m.notice``. No ``formatted_body``: the text is plain, so no
    HTML can ever be injected through an answer or a survey title.
    """
    return {"msgtype": "m.text", "body": body}


def poll_content(question: str, options: tuple[Option, ...], fallback: str) -> dict[str, Any]:
    """An MSC3381 poll whose answer ids are the engine's option payloads.

    Labels keep their numbers so a citizen may type the number as well;
    ``fallback`` (the numbered list) is what clients without polls show.
    """
    answers = [{"id": o.payload, _TEXT_KEY: f"{o.number} – {o.label}"} for o in options]
    return {
        POLL_START_TYPE: {
            "kind": "org.matrix.msc3381.poll.disclosed",
            "max_selections": 1,
            "question": {_TEXT_KEY: question},
            "answers": answers,
        },
        _TEXT_KEY: fallback,
        "body": fallback,
    }


def file_content(
    filename: str, mime_type: str, size: int, *, url: str | None = None, encryption: dict[str, Any] | None = None
) -> dict[str, Any]:
    """An ``m.file`` message: ``url`` for a plain upload, ``encryption`` (with its url) for an encrypted one."""
    content: dict[str, Any] = {
        "msgtype": "m.file",
        "body": filename,
        "filename": filename,
        "info": {"mimetype": mime_type, "size": size},
    }
    if encryption is not None:
        content["file"] = encryption
    else:
        content["url"] = url
    return content
