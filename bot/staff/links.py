"""The links to a process that paper and posters print: the web chat's ``/p/ID`` and Telegram's
deep link, each as a QR code (segno) too.

Where the links come from: ``[channels.web] public_url`` and ``[channels.telegram] username``
(``bot/config/model.py``). Without a public_url there is no web link; ``missing_web_link``
says so to staff, with the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.config import Config
from bot.i18n import Translator

__all__ = ["Link", "missing_web_link", "process_links", "qr_data_uri", "write_qr_files"]


@dataclass(frozen=True)
class Link:
    """One way to take part online: the channel, its printed name and the address."""

    channel: str  # "web" or "telegram"
    name: str
    url: str

    @property
    def short(self) -> str:
        """The address as printed: without ``https://``, which nobody needs to type."""
        return self.url.removeprefix("https://").removeprefix("http://")


def process_links(config: Config, process_id: str, t: Translator) -> tuple[Link, ...]:
    """The configured links that open ``process_id``, the web chat first."""
    found: list[Link] = []
    web = config.channels.web.process_url(process_id)
    if web:
        found.append(Link("web", t.gettext("In the browser"), web))
    telegram = config.channels.telegram.process_url(process_id)
    if telegram:
        found.append(Link("telegram", t.gettext("In Telegram"), telegram))
    return tuple(found)


def missing_web_link(config: Config) -> str | None:
    """What staff read when no web link can be printed (None when there is one)."""
    if config.channels.web.public_url:
        return None
    return (
        "no web link printed: set public_url under [channels.web] in the config "
        '(e.g. public_url = "https://mitwirken.example.org"), the address of the web chat'
    )


def _qr(url: str):  # type: ignore[no-untyped-def]
    import segno

    return segno.make(url, error="m")  # medium error correction: still reads when a poster gets dirty


def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG ``data:`` address, for a printed page."""
    return str(_qr(url).svg_data_uri(scale=4, border=4, dark="#000", light="#fff"))


def write_qr_files(links: tuple[Link, ...], folder: Path, process_id: str) -> list[Path]:
    """Each link's QR code as SVG (for print shops, scales without loss) and PNG, into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for link in links:
        code = _qr(link.url)
        for suffix, scale in (("svg", 10), ("png", 20)):
            path = folder / f"{process_id}-{link.channel}.{suffix}"
            code.save(str(path), scale=scale, border=4)
            written.append(path)
    return written
