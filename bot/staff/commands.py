"""What each ``mitwirken`` command does, behind the argument parsing of ``bot/staff/cli.py``.

Staff feel the start-up of every command: what only some commands need (the engine and the
dialogue, the channels, the scheduler) is imported by those commands, not here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from adapters.base import clean_text
from bot.clock import Clock
from bot.config import Config, ConfigError, load_config
from bot.process_files import load_catalog
from bot.staff.errors import CommandError
from bot.staff.export import ExportStyle, export_responses, format_for
from bot.staff.results_view import render_results
from storage.store import SqlStore, open_store
from surveys.loader import orphan_problems
from surveys.model import IdeaCall, Survey
from surveys.problems import Problem, did_you_mean
from surveys.question_types import OPTION_TYPES

__all__ = ["CommandError", "chat", "check", "db_upgrade", "export", "load_process", "participant", "results", "run"]

if TYPE_CHECKING:
    from bot.runtime.app import Core


def open_core(config: Config, *, upgrade: bool = True, clock: Clock) -> Core:
    """The engine with its store and process files, for the commands that need more than the store."""
    from bot.runtime.app import open_core as opened

    return opened(config, upgrade=upgrade, clock=clock)


def upgraded_store(config: Config) -> SqlStore:
    """Just the database (migrations applied), for the commands that only read it."""
    from bot.config import resolve_secret

    store = open_store(config.storage.url, resolve_secret(config))
    try:
        store.upgrade()
    except BaseException:
        store.close()
        raise
    return store


async def run(config: Config, *, stdin_is_tty: bool, clock: Clock) -> int:
    from bot.runtime.app import serve
    from bot.runtime.channels import build_adapters

    core = open_core(config, clock=clock)
    try:
        adapters, lines = build_adapters(core, stdin_is_tty=stdin_is_tty)
        for line in lines:
            print(line, file=sys.stderr)
        print(
            f"serving {len(core.catalog.processes)} process(es): " + ", ".join(p.id for p in core.catalog.processes),
            file=sys.stderr,
        )
        if not adapters:
            raise CommandError(
                "no channel is on: set a Telegram token or Matrix credentials in the config, "
                "or use 'mitwirken chat' to take part at the terminal"
            )
        return await serve(core, adapters)
    finally:
        core.close()


async def chat(config: Config, name: str, *, language: str | None, clock: Clock) -> int:
    from bot.runtime.app import chat as chat_loop

    core = open_core(config, clock=clock)
    try:
        if sys.stdin.isatty():  # the bot speaks second: say so, instead of an empty screen
            print(
                f"Taking part as '{name}'. Write a message, e.g. 'hallo', and press Enter; Ctrl+D ends.\n"
                "To send a photo, write @ and the path of the picture, e.g. @bilder/spielplatz.jpg.",
                file=sys.stderr,
            )
        return await chat_loop(core, name, language=language)
    finally:
        core.close()


def check(config_path: Path, paths: list[Path]) -> int:
    """Validate the config and the process files; print every problem; 0 when all is good."""
    problems: list[Problem] = []
    config: Config | None = None
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        problems.extend(exc.problems)
    languages = config.bot.languages if config else ("de", "en")
    targets = paths or ([Path(p) for p in config.bot.surveys] if config else [])
    catalog = load_catalog(targets, bot_languages=languages)
    problems.extend(catalog.problems)
    if config is not None:
        problems.extend(_orphans(config, catalog.processes))
        problems.extend(_unfollowable(config, catalog.processes))
    for problem in problems:
        print(problem)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        print(f"{len(errors)} problem(s) found in the config and process files.", file=sys.stderr)
        return 1
    print(f"All good: config {config_path} and {len(catalog.processes)} process file(s).")
    return 0


def _unfollowable(config: Config, processes: tuple[Survey | IdeaCall, ...]) -> list[Problem]:
    """Topics and districts of a process that no participant can follow: nobody would be invited."""
    found: list[Problem] = []
    for process in processes:
        for key, offered in (("topics", config.bot.topics), ("districts", config.bot.districts)):
            for index, value in enumerate(getattr(process, key), start=1):
                if value not in offered:
                    hint = did_you_mean(value, offered) or f"add it to bot.{key} in the config, or remove it here"
                    found.append(
                        Problem(
                            process.source,
                            f"{key}[{index}]",
                            f"'{value}' is not in bot.{key}, so nobody can follow it or be invited by it",
                            hint,
                            severity="warning",
                        )
                    )
    return found


def _orphans(config: Config, processes: tuple[Survey | IdeaCall, ...]) -> list[Problem]:
    """Changes that would orphan stored answers, when the database exists already."""
    url = config.storage.url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return []
    from bot.config import resolve_secret

    store = open_store(url, resolve_secret(config))
    try:
        with_answers = set(store.process_ids_with_answers())
        found: list[Problem] = []
        for process in processes:
            if process.id in with_answers:
                answered = store.answered_questions(process.id, OPTION_TYPES)
                found.extend(orphan_problems(process, answered, file=process.source))
        return found
    except Exception as exc:  # an unmigrated or unreachable database: say so, don't fail the check
        return [
            Problem(
                url.split("@")[-1],
                "storage.url",
                f"could not check stored answers: {type(exc).__name__}",
                severity="warning",
            )
        ]
    finally:
        store.close()


def load_process(config: Config, process_id: str) -> Survey | IdeaCall:
    catalog = load_catalog([Path(p) for p in config.bot.surveys], bot_languages=config.bot.languages)
    process = catalog.get(process_id)
    if not isinstance(process, Survey | IdeaCall):
        known = ", ".join(p.id for p in catalog.processes) or "none"
        raise CommandError(f"no process file with id {process_id!r} (known: {known})")
    return process


def _idea_call(config: Config, process_id: str) -> IdeaCall:
    process = load_process(config, process_id)
    if not isinstance(process, IdeaCall):
        raise CommandError(f"{process_id!r} is a survey, not an idea call")
    return process


def results(
    config: Config,
    process_id: str,
    fmt: str,
    language: str | None,
    *,
    clock: Clock,
    public: bool = False,
    by: str | None = None,
) -> int:
    """The results as a table or JSON; ``public``: with small-group protection, approved texts only;
    ``by``: with a breakdown by a choice or yes/no question, or by channel."""
    from bot.staff.results_data import Reading, grouping_for, public_results, survey_data

    survey = load_process(config, process_id)
    language = language or config.bot.languages[0]
    if isinstance(survey, IdeaCall) and by:
        raise CommandError(f"--by: {process_id!r} is an idea call; only survey results can be broken down")
    if isinstance(survey, IdeaCall):
        from bot.staff import idea_commands

        core = open_core(config, clock=clock)
        try:
            if not public:
                idea_commands.results(core, survey, fmt, language, Console())
                return 0
            summary = public_results(core, idea_commands.idea_summary(core, survey))
        finally:
            core.close()
    else:
        grouping = grouping_for(survey, by)
        store = upgraded_store(config)
        try:
            reading = Reading(config, store)
            summary = survey_data(reading, survey, grouping)
            if public:
                summary = public_results(reading, summary)
        finally:
            store.close()
    if fmt == "json":
        print(clean_text(json.dumps(summary, ensure_ascii=False, indent=2)))
    else:
        render_results(summary, survey, language, Console())
    return 0


def export(
    config: Config,
    process_id: str,
    fmt: str | None,
    output: str | None,
    *,
    language: str | None,
    delimiter: str,
    clock: Clock,
) -> int:
    """One row per response (or idea) into ``output`` (``-``: stdout); the format from ``--format`` or
    the file's ending; labels, words and local times in ``language`` (default: the bot's first)."""
    survey = load_process(config, process_id)
    try:
        chosen = format_for(fmt, output)
    except ValueError as error:
        raise CommandError(str(error)) from None
    out = None if output == "-" else Path(output) if output else Path.cwd() / f"{survey.id}.{chosen}"
    style = ExportStyle(language=language or config.bot.languages[0], zone=config.bot.zone, delimiter=delimiter)
    where = "stdout" if out is None else str(out)
    core = open_core(config, clock=clock)
    try:
        if isinstance(survey, IdeaCall):
            from bot.staff import idea_commands

            written = idea_commands.export_ideas(core, survey, chosen, out, style)
            print(f"{written} idea(s) written to {where}", file=sys.stderr)
            return 0
        total = core.store.count_responses(survey.id)
        written = export_responses(
            survey,
            core.store.responses(survey.id),
            chosen,
            out,
            total=total,
            progress=sys.stderr.isatty() or total > 1000,
            style=style,
        )
    finally:
        core.close()
    print(f"{written} response(s) written to {where}", file=sys.stderr)
    return 0


def db_upgrade(config: Config, *, clock: Clock) -> int:
    core = open_core(config, upgrade=False, clock=clock)
    try:
        core.store.upgrade()
    finally:
        core.close()
    print("database is up to date", file=sys.stderr)
    return 0


def ideas(
    config: Config,
    process_id: str,
    *,
    status: str | None,
    visibility: str | None,
    category: str | None,
    order: str,
    clock: Clock,
) -> int:
    from bot.staff import idea_commands

    call = _idea_call(config, process_id)
    core = open_core(config, clock=clock)
    try:
        idea_commands.list_ideas(
            core, call, status=status, visibility=visibility, category=category, order=order, console=Console()
        )
    finally:
        core.close()
    return 0


def moderate(
    config: Config, ref: str, action: str, args: list[str], *, reason: str | None, actor: str, clock: Clock
) -> int:
    """``approve`` / ``hide`` / ``reject REASON…`` / ``status NEW [REASON…]`` (or the reason via --reason)."""
    from bot.dialogue.moderation import status_from_word
    from bot.staff import idea_commands

    status = (status_from_word(args[0]) or args[0]) if action == "status" and args else None
    words = args[1:] if action == "status" else args
    reason = reason or " ".join(words) or None
    core = open_core(config, clock=clock)
    try:
        print(idea_commands.moderate(core, ref, action, actor=actor, status=status, reason=reason, now=core.clock()))
    except LookupError as error:
        raise CommandError(str(error.args[0])) from None
    except idea_commands.ModerationError as error:
        raise CommandError(idea_commands.moderation_error_text(error, "en")) from None
    finally:
        core.close()
    return 0


def participant(
    config: Config, pseudonym: str, action: str, *, output: str | None, confirmed: bool, actor: str, clock: Clock
) -> int:
    """``show``: the participant's data as a JSON file; ``erase``: what would go, or (``--yes``) erase it."""
    from bot.staff import data_requests

    pseudonym = pseudonym.strip().upper()  # "p-7kq2mx" as read out on the phone is P-7KQ2MX
    core = open_core(config, clock=clock)
    try:
        if action == "show":
            written = data_requests.hand_out(core, pseudonym, Path(output) if output else None, actor=actor)
            print(f"the data of {pseudonym} written to {written}", file=sys.stderr)
        else:
            print(data_requests.erase(core, pseudonym, confirmed=confirmed, actor=actor).summary())
    except data_requests.DataRequestError as error:
        raise CommandError(str(error.args[0])) from None
    finally:
        core.close()
    return 0
