"""``mitwirken poster``: a poster (A4 or A3, tagged PDF) for the tram stop and the library.

The title, one sentence (the intro's first), the dates, a big QR code for each link
with the short address under it, and how to take part without a smartphone: the
process's contact (a phone number, as staff write it there) and its in-person events.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from babel.dates import format_date, format_time

from bot.i18n import translator
from bot.staff.links import Link
from bot.staff.printing import PageStyle, render_html, write_pdf
from bot.staff.questionnaire import printed_links
from surveys.model import Process

__all__ = ["poster_html", "write_poster"]


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip(), re.S)
    return (match.group(1) if match else text).strip()


def _dates(process: Process, language: str, zone: dt.tzinfo) -> str:
    t = translator(language)

    def day(moment: dt.datetime) -> str:
        return format_date(moment.astimezone(zone).date(), format="long", locale=t.locale)

    if process.opens and process.closes:
        return t.gettext("From {opens} to {closes}", opens=day(process.opens), closes=day(process.closes))
    if process.closes:
        return t.gettext("Until {closes}", closes=day(process.closes))
    if process.opens:
        return t.gettext("From {opens}", opens=day(process.opens))
    return ""


def _without_smartphone(process: Process, language: str, zone: dt.tzinfo) -> list[str]:
    t = translator(language)
    lines: list[str] = []
    if process.contact is not None:
        lines.append(t.gettext("Ask us: we also take your answers in person or by phone."))
        lines.append(process.contact.get(language))
    for event in process.events:
        local = event.start.astimezone(zone)
        day = format_date(local.date(), format="long", locale=t.locale)
        when = f"{day}, {format_time(local, 'short', locale=t.locale)}"
        lines.append(
            t.gettext(
                "In person: {title}, {when}, {place}",
                title=event.title.get(language),
                when=when,
                place=event.place.get(language),
            )
        )
    return lines


def poster_html(process: Process, language: str, links: tuple[Link, ...], *, size: str, zone: dt.tzinfo) -> str:
    t = translator(language)
    words = {
        "call": t.gettext("Have your say!"),
        "scan": t.gettext("Scan the code with your phone's camera, or type the address:"),
        "qr_alt": t.gettext("QR code for"),
        "without": t.gettext("Without a smartphone?"),
    }
    return render_html(
        "poster.html",
        PageStyle(page_size=size.upper(), poster=True, codes=len(links)),
        lang=language,
        title=process.title.get(language),
        sentence=_first_sentence(process.intro.get(language)) if process.intro else "",
        dates=_dates(process, language, zone),
        links=printed_links(links),
        without=_without_smartphone(process, language, zone),
        words=words,
    )


def write_poster(
    process: Process, language: str, links: tuple[Link, ...], out: Path, *, size: str, zone: dt.tzinfo
) -> None:
    write_pdf(poster_html(process, language, links, size=size, zone=zone), out)
