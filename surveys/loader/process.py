"""Reading one process file: the common keys, then a survey's or an idea call's own.

``parse_process`` is pure: it gets the text of a file and returns the process
(only when the file has no errors) together with every problem found.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping, Sequence
from typing import Any

from surveys.loader.context import Check
from surveys.loader.durations import parse_duration
from surveys.loader.events import read_events
from surveys.loader.questions import read_questions
from surveys.loader.source_map import Path, SourceMap
from surveys.loader.texts import read_labelled, read_text, report_untranslated
from surveys.model import IdeaCall, Survey
from surveys.problems import Problem

__all__ = ["COMMON_KEYS", "IDEA_KEYS", "SURVEY_KEYS", "parse_process"]

FORMAT = 1
PROCESS_ID = re.compile(r"[a-z0-9][a-z0-9-]{2,63}")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,8})*")
MAX_TITLE = 200
COMMON_KEYS = (
    "format",
    "id",
    "kind",
    "title",
    "intro",
    "outro",
    "languages",
    "opens",
    "closes",
    "topics",
    "districts",
    "contact",
    "events",
)
SURVEY_KEYS = ("anonymous", "reminders", "questions")
IDEA_KEYS = ("categories", "ask_location", "ask_photo", "moderation", "max_length", "support")
_SYNTAX_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def parse_process(
    source_text: str, *, file: str, bot_languages: Sequence[str]
) -> tuple[Survey | IdeaCall | None, list[Problem]]:
    """The process in ``source_text`` and all problems found; the process is None when any is an error."""
    try:
        data = tomllib.loads(source_text)
    except tomllib.TOMLDecodeError as error:
        return None, [_syntax_problem(file, str(error), source_text)]
    check = Check(file, SourceMap(source_text))
    process = _read(check, data, bot_languages)
    # In file order, so staff can work through them from the top; those without a line last.
    problems = sorted(check.problems, key=lambda p: (p.line is None, p.line or 0))
    return (None if check.error_count else process), problems


def _syntax_problem(file: str, message: str, source_text: str) -> Problem:
    match = _SYNTAX_POSITION.search(message)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        message = message[: match.start()]
    else:  # "(at end of document)"
        line, column = source_text.count("\n") + 1, None
        message = message.replace(" (at end of document)", " at the end of the file")
    text = message[:1].lower() + message[1:]
    return Problem(file, "", f"TOML syntax error: {text}", "check quotes, commas and brackets here", line, column)


def _read(check: Check, data: Mapping[str, Any], bot_languages: Sequence[str]) -> Survey | IdeaCall | None:
    _read_format(check, data)
    process_id = _read_id(check, data)
    kind = _read_kind(check, data)
    check.languages = _read_languages(check, data, bot_languages)
    _unknown_keys(check, data, kind)
    common = _read_common(check, data)
    if kind is None and "questions" not in data:
        return None  # neither kind can be assumed; its own keys are checked once 'kind' is right
    if kind == "ideas":
        ideas = _read_ideas(check, data)
        report_untranslated(check)
        return None if check.error_count else IdeaCall(id=process_id or "", **common, **ideas)
    survey = _read_survey(check, data)
    report_untranslated(check)
    return None if check.error_count else Survey(id=process_id or "", **common, **survey)


def _read_kind(check: Check, data: Mapping[str, Any]) -> str | None:
    """Either "survey" or "ideas"; None when the kind is wrong (then only common keys are checked)."""
    kinds = ("survey", "ideas")
    if data.get("kind", "survey") in kinds:
        return str(data.get("kind", "survey"))
    check.one_of(data, "kind", (), kinds, "survey")
    return None


def _read_format(check: Check, data: Mapping[str, Any]) -> None:
    if not check.require(data, "format", (), f"add format = {FORMAT} at the top"):
        return
    if data["format"] != FORMAT or isinstance(data["format"], bool):
        check.error(("format",), f"format {data['format']!r} is not known", f"this program reads format = {FORMAT}")


def _read_id(check: Check, data: Mapping[str, Any]) -> str | None:
    if not check.require(data, "id", (), 'add e.g. id = "radverkehr-innenstadt"'):
        return None
    value = data["id"]
    if not isinstance(value, str) or not PROCESS_ID.fullmatch(value):
        check.error(
            ("id",),
            f"id {value!r} must be 3 to 64 of a-z, 0-9 and -, starting with a letter or digit",
            'e.g. id = "radverkehr-innenstadt"; no capitals, spaces, umlauts or _',
        )
        return None
    return value


def _read_languages(check: Check, data: Mapping[str, Any], bot_languages: Sequence[str]) -> tuple[str, ...]:
    value = data.get("languages")
    if value is None:
        if not bot_languages:
            check.error((), "no languages: neither the file nor the bot names any", 'add languages = ["de", "en"]')
        return tuple(bot_languages)
    ok = isinstance(value, list) and value and all(isinstance(v, str) and LANGUAGE_CODE.fullmatch(v) for v in value)
    if not ok:
        check.error(
            ("languages",),
            '\'languages\' must be a list of language codes, like ["de", "en"]',
            "codes are lowercase, e.g. de, en, tr, de-x-simple",
        )
        check.languages_reliable = False
        return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else tuple(bot_languages)
    if len(set(value)) < len(value):
        check.error(("languages",), "'languages' names a language twice")
    return tuple(dict.fromkeys(value))


def _unknown_keys(check: Check, data: Mapping[str, Any], kind: str | None) -> None:
    if kind is None:
        check.unknown_keys(data, {*COMMON_KEYS, *SURVEY_KEYS, *IDEA_KEYS}, ())
        return
    own, foreign = (SURVEY_KEYS, IDEA_KEYS) if kind == "survey" else (IDEA_KEYS, SURVEY_KEYS)
    where = 'idea calls (kind = "ideas")' if kind == "survey" else "surveys"
    this = "a survey" if kind == "survey" else "an idea call"
    elsewhere = {key: (f"{this} takes no '{key}'", f"'{key}' is only for {where}") for key in foreign}
    if kind == "ideas":
        elsewhere["questions"] = ("an idea call has no questions", 'for questions, make it a survey: kind = "survey"')
    check.unknown_keys(data, {*COMMON_KEYS, *own}, (), elsewhere=elsewhere)


def _read_common(check: Check, data: Mapping[str, Any]) -> dict[str, Any]:
    check.require(data, "title", (), 'add e.g. title = { de = "…", en = "…" }')
    opens, closes = check.moment(data, "opens", ()), check.moment(data, "closes", ())
    if opens is not None and closes is not None and opens >= closes:
        check.error(("closes",), f"'closes' ({closes.isoformat()}) is not after 'opens' ({opens.isoformat()})")
    return {
        "title": read_text(check, data, "title", (), max_chars=MAX_TITLE),
        "intro": read_text(check, data, "intro", ()),
        "outro": read_text(check, data, "outro", ()),
        "contact": read_text(check, data, "contact", ()),
        "events": read_events(check, data),
        "languages": check.languages,
        "opens": opens,
        "closes": closes,
        "topics": check.strings(data, "topics", ()),
        "districts": check.strings(data, "districts", ()),
        "source": check.file,
    }


def _read_survey(check: Check, data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "anonymous": check.boolean(data, "anonymous", (), False),
        "reminders": _read_reminders(check, data),
        "questions": read_questions(check, data),
    }


def _read_reminders(check: Check, data: Mapping[str, Any]) -> tuple[dt.timedelta, ...]:
    value = data.get("reminders", [])
    at: Path = ("reminders",)
    if not isinstance(value, list):
        check.error(at, '\'reminders\' must be a list of durations, like ["2d", "12h"]')
        return ()
    reminders = []
    for index, entry in enumerate(value):
        duration = parse_duration(entry) if isinstance(entry, str) else None
        if duration is None:
            check.error((*at, index), f"{entry!r} is no duration", 'write e.g. "2d", "12h", "30m" or "1d12h"')
        else:
            reminders.append(duration)
    if len(set(reminders)) < len(reminders):
        check.warning(at, "'reminders' names the same duration twice")
    return tuple(sorted(set(reminders)))


def _read_ideas(check: Check, data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "categories": read_labelled(check, data, "categories", (), noun="category"),
        "ask_location": check.one_of(data, "ask_location", (), ("no", "optional", "required"), "no"),
        "ask_photo": check.one_of(data, "ask_photo", (), ("no", "optional"), "no"),
        "moderation": check.one_of(data, "moderation", (), ("before", "after"), "before"),
        "max_length": check.whole(data, "max_length", (), 1000, low=10, high=4000) or 1000,
        "support": check.boolean(data, "support", (), True),
    }
