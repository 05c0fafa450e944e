"""Reading texts and labelled lists (options, categories) in the file's languages.

A text is a plain string (in the file's first language) or a table of language
code to string. Every text must exist in the first language, the fallback;
other languages are optional, and a participant whose language is missing sees
the fallback (Easy German, ``de-x-simple``, first falls back to ``de``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from surveys.loader.context import Check, describe
from surveys.loader.source_map import Path, place_of
from surveys.model import Choice, Text, language_chain
from surveys.problems import did_you_mean
from surveys.text_input import match_keys

__all__ = ["LABELLED_ID", "read_labelled", "read_text", "report_untranslated"]

LABELLED_ID = re.compile(r"[a-z0-9_-]{1,40}")
_TEXT_EXAMPLE = 'write it as "…" or as { de = "…", en = "…" }'


def read_text(
    check: Check, table: Mapping[str, Any], key: str, at: Path, *, max_chars: int | None = None
) -> Text | None:
    """The text under ``key``, or None when it is absent or wrong (then a problem is reported)."""
    value = table.get(key)
    if value is None:
        return None
    here = (*at, key)
    if isinstance(value, str):
        values = {check.languages[0]: value} if check.languages else {}
    elif isinstance(value, dict):
        values = _language_table(check, value, here, f"'{key}'")
    else:
        check.error(here, f"'{key}' must be a text, not {describe(value)}", _TEXT_EXAMPLE)
        return None
    return _finish(check, values, here, f"'{key}'", max_chars)


def _language_table(check: Check, table: Mapping[str, Any], at: Path, what: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for code, text in table.items():
        if code not in check.languages:
            if check.languages_reliable:
                _unknown_language(check, (*at, code), code)
        elif not isinstance(text, str):
            check.error((*at, code), f"the {code} text of {what} must be a text in quotes, not {describe(text)}")
        else:
            values[code] = text
    return values


def _unknown_language(check: Check, at: Path, code: str) -> None:
    offered = ", ".join(check.languages)
    check.error(
        at,
        f"'{code}' is not one of this file's languages ({offered})",
        did_you_mean(code, check.languages) or "add it to 'languages' or remove this text",
    )


def _finish(check: Check, values: dict[str, str], at: Path, what: str, max_chars: int | None) -> Text | None:
    fallback = check.languages[0] if check.languages else None
    cleaned = {code: text.strip() for code, text in values.items()}
    for code, text in cleaned.items():
        if not text:
            check.error((*at, code), f"the {code} text of {what} is empty")
        elif max_chars is not None and len(text) > max_chars:
            check.error((*at, code), f"the {code} text of {what} has {len(text)} characters; at most {max_chars} fit")
    if fallback is None:
        return None
    if fallback not in cleaned:
        check.error(at, f"{what} is missing in '{fallback}', the file's first language", "every text needs it")
        return None
    for code in check.languages[1:]:
        if code not in cleaned:
            check.untranslated.setdefault(code, []).append(at)
    return Text(values=cleaned, fallback=fallback)


_SHOWN_PLACES = 8


def report_untranslated(check: Check) -> None:
    """One warning per offered language that some texts lack: which texts, and what its readers see instead."""
    if not check.languages or not check.languages_reliable:
        return
    fallback = check.languages[0]
    for code in check.languages[1:]:
        places = sorted(check.untranslated.get(code, []), key=lambda at: check.source.locate(at)[0] or 0)
        if not places:
            continue
        instead = next(c for c in language_chain(code, fallback)[1:] if c in check.languages or c == fallback)
        names = [place_of(at) or "(the file)" for at in places[:_SHOWN_PLACES]]
        more = f" and {len(places) - _SHOWN_PLACES} more" if len(places) > _SHOWN_PLACES else ""
        check.warning(
            places[0],
            f"{len(places)} text(s) have no '{code}' version, so readers of '{code}' see the '{instead}' text:"
            f" {', '.join(names)}{more}",
            f"add {code} = \"…\" to each, or remove '{code}' from 'languages'",
        )


# --- options and categories ----------------------------------------------------------


def read_labelled(check: Check, table: Mapping[str, Any], key: str, at: Path, *, noun: str) -> tuple[Choice, ...]:
    """A list of ``{ id = "…", de = "…", en = "…" }`` (``noun`` is "option" or "category")."""
    value = table.get(key)
    if value is None:
        return ()
    here = (*at, key)
    example = f'{key} = [{{ id = "a", {check.languages[0] if check.languages else "de"} = "…" }}, …]'
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        check.error(here, f"'{key}' must be a list of tables", f"write e.g. {example}")
        return ()
    items = [_labelled_item(check, item, (*here, i), noun) for i, item in enumerate(value)]
    chosen = tuple(item for item in items if item is not None)
    _no_duplicate_ids(check, value, here, noun)
    _no_duplicate_labels(check, chosen, here, noun)
    return chosen


def _labelled_item(check: Check, item: Mapping[str, Any], at: Path, noun: str) -> Choice | None:
    item_id = item.get("id")
    if item_id is None:
        check.error(at, f"this {noun} has no 'id'", f'add e.g. id = "{noun}1"')
    elif not isinstance(item_id, str) or not LABELLED_ID.fullmatch(item_id):
        check.error((*at, "id"), f"{noun} id {item_id!r} must be 1 to 40 of a-z, 0-9, _ and -")
        item_id = None
    what = f"the label of {noun} '{item_id or '?'}'"
    labels = _language_table(check, {k: v for k, v in item.items() if k != "id"}, at, what)
    label = _finish(check, labels, at, what, None)
    if item_id is None or label is None:
        return None
    if label.get(label.fallback).isdigit():
        check.warning(
            at,
            f"the label of {noun} '{item_id}' is a plain number",
            "a typed number picks an option by its position, so this label can't be typed",
        )
    return Choice(id=item_id, label=label)


def _no_duplicate_ids(check: Check, items: list[dict[str, Any]], at: Path, noun: str) -> None:
    first: dict[str, int] = {}
    for i, item in enumerate(items):
        item_id = item.get("id")
        if not isinstance(item_id, str):
            continue
        if item_id in first:
            both = f"{place_of((*at, first[item_id]))} and {place_of((*at, i))}"
            check.error((*at, i, "id"), f"{noun} id '{item_id}' is used twice: {both}")
        else:
            first[item_id] = i


def _no_duplicate_labels(check: Check, items: tuple[Choice, ...], at: Path, noun: str) -> None:
    """Two options with the same label (ignoring case and accents) can't be told apart when typed."""
    for code in check.languages:
        seen: dict[frozenset[str], str] = {}
        for item in items:
            if code not in item.label.values:
                continue
            keys = match_keys(item.label.values[code])
            twin = next((other for other_keys, other in seen.items() if keys & other_keys), None)
            if twin is not None and twin != item.id:  # a repeated id is reported on its own
                label = item.label.values[code]
                message = f"{noun}s '{twin}' and '{item.id}' have the same {code} label '{label}'"
                check.error(at, message, "typed answers could not tell them apart")
            seen[keys] = item.id
