"""The commands for paper, phone and posters: ``print``, ``poster``, ``link``, ``enter``, ``import``
and ``export --template``; behind the argument parsing of ``bot/staff/cli.py``."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.clock import Clock
from bot.config import Config
from bot.i18n import translator
from bot.staff.errors import CommandError
from bot.staff.links import Link, missing_web_link, process_links, write_qr_files
from surveys.model import IdeaCall, Process, Survey

__all__ = ["link", "poster", "print_questionnaire"]


def _load(config: Config, process_id: str) -> Survey | IdeaCall:
    from bot.staff.commands import process_by_id

    return process_by_id(config, process_id)


def _survey(config: Config, process_id: str, command: str) -> Survey:
    process = _load(config, process_id)
    if not isinstance(process, Survey):
        raise CommandError(f"{process_id!r} is an idea call: '{command}' works on surveys only")
    return process


def _language(process: Process, language: str | None) -> str:
    if language is None:
        return process.fallback_language
    if language not in process.languages:
        offered = ", ".join(process.languages)
        raise CommandError(f"{process.id!r} has no texts in {language!r}: use --language with one of {offered}")
    return language


def _pdf_output(output: str | None, default: str) -> Path:
    out = Path(output) if output else Path.cwd() / default
    if out.suffix.lower() != ".pdf":
        raise CommandError(f"{out} does not end in .pdf: print writes a PDF file, e.g. -o {out.stem}.pdf")
    if not out.parent.is_dir():
        raise CommandError(f"the folder {out.parent} does not exist: create it or choose another -o")
    return out


def _links(config: Config, process: Process, language: str) -> tuple[Link, ...]:
    links = process_links(config, process.id, translator(language))
    note = missing_web_link(config)
    if note:
        print(f"mitwirken: {note}", file=sys.stderr)
    return links


def print_questionnaire(
    config: Config, process_id: str, output: str | None, *, language: str | None, large: bool, clock: Clock
) -> int:
    """The survey as a printable questionnaire (tagged PDF)."""
    from bot.staff.questionnaire import write_questionnaire

    survey = _survey(config, process_id, "print")
    chosen = _language(survey, language)
    out = _pdf_output(output, f"{survey.id}-fragebogen.pdf")
    links = _links(config, survey, chosen)
    write_questionnaire(survey, chosen, links, out, privacy_url=config.bot.privacy_url, large=large)
    print(f"questionnaire ({chosen}{', large print' if large else ''}) written to {out}", file=sys.stderr)
    return 0


def poster(
    config: Config, process_id: str, output: str | None, *, size: str, language: str | None, clock: Clock
) -> int:
    """A poster with the title, the dates, the QR codes and how to take part without a smartphone."""
    from bot.staff.poster import write_poster

    process = _load(config, process_id)
    chosen = _language(process, language)
    out = _pdf_output(output, f"{process.id}-plakat.pdf")
    links = _links(config, process, chosen)
    if not links:
        raise CommandError(
            "a poster needs a link to print as QR code: set public_url under [channels.web] "
            "or username under [channels.telegram] in the config"
        )
    write_poster(process, chosen, links, out, size=size, zone=config.bot.zone)
    print(f"poster ({size.upper()}, {chosen}) written to {out}", file=sys.stderr)
    return 0


def link(config: Config, process_id: str, folder: str | None, *, clock: Clock) -> int:
    """Print the links of a process and write their QR codes as SVG and PNG files."""
    process = _load(config, process_id)
    links = _links(config, process, process.fallback_language)
    if not links:
        raise CommandError(
            f"{process_id!r} has no link yet: set public_url under [channels.web] "
            "or username under [channels.telegram] in the config"
        )
    for found in links:
        print(f"{found.channel:<9} {found.url}")
    target = Path(folder) if folder else Path.cwd()
    written = write_qr_files(links, target, process.id)
    print("QR codes written: " + ", ".join(str(p) for p in written), file=sys.stderr)
    return 0
