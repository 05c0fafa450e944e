"""Numbers, dates and coordinates as people type them in a chat.

German first: a comma is the decimal separator (``3,5``), and a dot before
exactly three digits groups thousands (``1.000``). The full rules are in
``parse_number``'s docstring and in the staff doc. Arabic-Indic digits
(``٣٫٥``, Persian ``۳``) and the Arabic comma (``51.5، 7.4``) count like their
European forms, since Arabic keyboards type them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "MAX_NUMBER_CHARS",
    "european_digits",
    "looks_like_a_date",
    "parse_coordinates",
    "parse_date",
    "parse_number",
]

MAX_NUMBER_CHARS = 30
_MINUS = "-−–"  # hyphen, minus sign, en dash: phones type all three
_GROUP_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f'’](?=\d{3}(?!\d))")
_SHAPE = re.compile(r"[0-9][0-9.,]*")
_EUROPEAN = str.maketrans(
    {chr(0x0660 + i): str(i) for i in range(10)}  # Arabic-Indic ٠١٢…
    | {chr(0x06F0 + i): str(i) for i in range(10)}  # Extended Arabic-Indic (Persian, Urdu) ۰۱۲…
    | {"\u066b": ",", "\u066c": "'", "\u060c": ","}  # Arabic decimal and thousands separators, Arabic comma
)


def european_digits(text: str) -> str:
    """``text`` with Arabic-Indic digits and separators in their European form (``٣٫٥`` → ``3,5``)."""
    return text.translate(_EUROPEAN)


def parse_number(text: str) -> Decimal | None:
    """A typed number, or None.

    - ``3,5`` and ``3.5`` are three and a half; ``-2`` and ``−2`` minus two.
    - With both ``.`` and ``,`` the later one is the decimal separator:
      ``1.234,5`` and ``1,234.5`` are the same.
    - A single dot before exactly three digits groups thousands (German):
      ``1.000`` is one thousand, ``12.500`` twelve thousand five hundred;
      ``0.125`` and ``1.5`` stay decimals. Several dots or several commas group thousands.
    - Spaces or apostrophes between groups of three digits are ignored: ``1 000``.
    """
    cleaned = _GROUP_SPACE.sub("", european_digits(text.strip()))
    if not cleaned or len(cleaned) > MAX_NUMBER_CHARS:
        return None
    negative = cleaned[0] in _MINUS
    body = cleaned[1:].lstrip() if cleaned[0] in _MINUS + "+" else cleaned
    if not _SHAPE.fullmatch(body):
        return None
    plain = _plain_digits(body)
    if plain is None:
        return None
    try:
        number = Decimal(plain)
    except InvalidOperation:
        return None
    return -number if negative else number


def _plain_digits(body: str) -> str | None:
    """``body`` with thousands separators removed and a ``.`` as decimal point, or None."""
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
        group = "." if decimal == "," else ","
        whole, _, fraction = body.rpartition(decimal)
        return _ungroup(whole, group, fraction)
    if commas == 1:
        return body.replace(",", ".") if not body.endswith(",") else None
    if dots == 1 and re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", body):
        return body.replace(".", "")
    if dots == 1:
        return body if not body.endswith(".") else None
    if dots or commas:
        return _ungroup(body, "." if dots else ",", "")
    return body


def _ungroup(whole: str, group: str, fraction: str) -> str | None:
    """``1.234.567`` → ``1234567``; None unless every group after the first has three digits."""
    parts = whole.split(group)
    if not (1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])):
        return None
    if not all(p.isdigit() for p in parts) or (fraction and not fraction.isdigit()):
        return None
    return "".join(parts) + (f".{fraction}" if fraction else "")


_GERMAN_DATE = re.compile(r"([0-9]{1,2})\.\s?([0-9]{1,2})\.\s?([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def looks_like_a_date(text: str) -> bool:
    """Whether ``text`` has the form of a date (``31.02.2026``), whether or not that day exists."""
    text = european_digits(text.strip()).removesuffix(".")
    return bool(_GERMAN_DATE.fullmatch(text) or _ISO_DATE.fullmatch(text))


def parse_date(text: str) -> dt.date | None:
    """``24.12.2026`` or ``2026-12-24`` (four-digit years only: ``24.12.26`` is too easy to misread)."""
    text = european_digits(text.strip()).removesuffix(".")  # a date typed at the end of a sentence: "24.12.2026."
    if match := _GERMAN_DATE.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_COORDINATE = re.compile(r"[+\-−]?[0-9]{1,3}(?:[.,][0-9]+)?")
_BETWEEN = re.compile(r"\s*[,;/]?\s*")


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``51.51, 7.46`` (also ``51,51 7,46`` or ``51.51;7.46``) → (latitude, longitude), or None.

    Only text that is nothing but two numbers counts; the numbers must be a
    valid latitude and longitude.
    """
    text = european_digits(text)
    numbers = list(_COORDINATE.finditer(text))
    if len(numbers) != 2:
        return None
    gaps = (text[: numbers[0].start()], text[numbers[0].end() : numbers[1].start()], text[numbers[1].end() :])
    if gaps[0].strip() or gaps[2].strip() or not _BETWEEN.fullmatch(gaps[1]) or not gaps[1]:
        return None
    lat, lon = (float(m.group().replace(",", ".").replace("−", "-")) for m in numbers)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon
