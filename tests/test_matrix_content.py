"""The pure Matrix helpers: event contents both ways, error mapping, the credentials file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from adapters.base import Option, PermanentSendError, RecipientGone, RetryLater, TransientSendError
from adapters.matrix_content import parse_content, parse_geo_uri, poll_content, text_content
from adapters.matrix_errors import send_error
from adapters.matrix_session import MatrixStoreError, StoredLogin, check_store, load_login, save_login


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("geo:51.5136,7.4653", (51.5136, 7.4653)),
        ("geo:51.5,7.4;u=35", (51.5, 7.4)),
        ("geo:-33.9,18.4,12", (-33.9, 18.4)),
        ("geo:95,7", None),
        ("https://maps.example/51,7", None),
    ],
)
def test_geo_uri(uri: str, expected: tuple[float, float] | None) -> None:
    assert parse_geo_uri(uri) == expected


def test_text_reply_fallback_and_edits() -> None:
    reply = {
        "msgtype": "m.text",
        "body": "> <@a:x> Frage?\n\nJa",
        "m.relates_to": {"m.in_reply_to": {"event_id": "$q"}},
    }
    assert parse_content("m.room.message", reply).text == "Ja"  # type: ignore[union-attr]
    edit = {"msgtype": "m.text", "body": "* neu", "m.relates_to": {"rel_type": "m.replace", "event_id": "$e"}}
    assert parse_content("m.room.message", edit) is None
    assert parse_content("m.room.message", {"msgtype": "m.notice", "body": "another bot"}) is None


def test_images_plain_and_encrypted() -> None:
    plain = parse_content(
        "m.room.message",
        {"msgtype": "m.image", "body": "a.png", "url": "mxc://s/1", "info": {"size": 12, "mimetype": "image/png"}},
    )
    assert plain is not None and plain.media is not None
    assert (plain.media.url, plain.media.size, plain.media.encryption) == ("mxc://s/1", 12, None)
    file = {"url": "mxc://s/2", "key": {"k": "x"}, "iv": "i", "hashes": {"sha256": "h"}, "v": "v2"}
    encrypted = parse_content("m.room.message", {"msgtype": "m.image", "body": "b.jpg", "file": file})
    assert encrypted is not None and encrypted.media is not None
    assert (encrypted.media.url, encrypted.media.size, encrypted.media.encryption) == ("mxc://s/2", None, file)


def test_poll_round_trip_unstable_and_stable() -> None:
    options = (Option("p.a", "Ja", 1), Option("p.b", "Nein", 2))
    start = poll_content("Mehr Bäume?", options, "Mehr Bäume?\n\n1 – Ja\n2 – Nein")
    poll = start["org.matrix.msc3381.poll.start"]
    assert [a["id"] for a in poll["answers"]] == ["p.a", "p.b"] and poll["max_selections"] == 1
    unstable = {
        "m.relates_to": {"rel_type": "m.reference", "event_id": "$p"},
        "org.matrix.msc3381.poll.response": {"answers": ["p.b"]},
    }
    stable = {"m.relates_to": {"rel_type": "m.reference", "event_id": "$p"}, "m.selections": ["p.a"]}
    assert parse_content("org.matrix.msc3381.poll.response", unstable).choice == "p.b"  # type: ignore[union-attr]
    assert parse_content("m.poll.response", stable).reply_to == "$p"  # type: ignore[union-attr]
    withdrawn = {"m.relates_to": {"event_id": "$p"}, "org.matrix.msc3381.poll.response": {"answers": []}}
    assert parse_content("org.matrix.msc3381.poll.response", withdrawn) is None


def test_text_is_never_html() -> None:
    assert text_content("<b>x</b>") == {"msgtype": "m.text", "body": "<b>x</b>"}


def test_send_errors() -> None:
    limited = send_error("M_LIMIT_EXCEEDED", 429, 1500)
    assert isinstance(limited, RetryLater) and limited.seconds == 1.5
    assert isinstance(send_error(None, 502, None), TransientSendError)
    assert isinstance(send_error("M_FORBIDDEN", 403, None), RecipientGone)
    assert isinstance(send_error("M_TOO_LARGE", 413, None), PermanentSendError)


def test_credentials_file(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert load_login(store, "@bot:x") is None
    login = StoredLogin("@bot:x", "DEV", "secret-token")
    save_login(store, login)
    assert stat.S_IMODE((store / "credentials.json").stat().st_mode) == 0o600
    assert load_login(store, "@bot:x") == login
    with pytest.raises(MatrixStoreError, match="another Matrix account"):
        load_login(store, "@other:x")
    with pytest.raises(MatrixStoreError, match="missing"):
        check_store(store, login)
    (store / "credentials.json").unlink()
    (store / "@bot:x_DEV.db").write_bytes(b"")
    with pytest.raises(MatrixStoreError, match="no credentials.json"):
        load_login(store, "@bot:x")
