"""``mitwirken report ID -o FILE.html|FILE.pdf`` and ``mitwirken texts ID [approve|hide N…]``.

A report reads the same results dict as ``mitwirken results --format json``
(``--public``: the one of ``results --public``) and lays it out; it computes no
number of its own. ``texts`` lists the free texts of a process, numbered, with
staff's decision on each, and records approve/hide by number: a public report
quotes approved texts only.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from adapters.base import clean_text
from bot.clock import Clock
from bot.config import Config
from bot.runtime.app import open_core
from bot.staff import idea_commands
from bot.staff.commands import load_process
from bot.staff.errors import CommandError
from bot.staff.report.content import Report, idea_report, survey_report
from bot.staff.results_data import grouping_for, public_results, review_texts_of, survey_data
from storage.records import ReviewState
from surveys.model import IdeaCall

__all__ = ["SUFFIXES", "parse_numbers", "report", "texts"]

SUFFIXES = (".html", ".htm", ".pdf")
_STATE_WORDS = {None: "new", "approved": "approved", "hidden": "hidden"}


def report(
    config: Config,
    process_id: str,
    output: str,
    *,
    language: str | None,
    public: bool,
    by: str | None,
    clock: Clock,
) -> int:
    """Write the report of ``process_id`` to ``output`` (HTML or PDF by its ending)."""
    out = Path(output)
    if out.suffix.lower() not in SUFFIXES:
        raise CommandError(f"-o {output}: a report is written as .html or .pdf, e.g. -o {process_id}.html")
    if not out.parent.is_dir():
        raise CommandError(f"-o {output}: the folder {out.parent} does not exist; create it or write elsewhere")
    process = load_process(config, process_id)
    language = language or config.bot.languages[0]
    if isinstance(process, IdeaCall) and by:
        raise CommandError(f"--by: {process_id!r} is an idea call; only survey reports can be broken down")
    grouping = None if isinstance(process, IdeaCall) else grouping_for(process, by)
    core = open_core(config, clock=clock)
    try:
        today = core.clock().astimezone(config.bot.zone).date()
        built: Report
        if isinstance(process, IdeaCall):
            results = idea_commands.idea_summary(core, process)
            results = public_results(core, results) if public else results
            built = idea_report(results, process, language, public=public, today=today)
        else:
            results = survey_data(core, process, grouping)
            results = public_results(core, results) if public else results
            built = survey_report(results, process, language, public=public, today=today)
    finally:
        core.close()
    from bot.staff.report.document import write_report

    partial = out.with_name(out.name + ".part" + out.suffix)
    try:
        write_report(built, partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    kind = "public report (small groups protected, approved texts only)" if public else "internal report"
    print(f"{kind} of {process_id} written to {out}", file=sys.stderr)
    return 0


def parse_numbers(words: list[str], count: int) -> list[int]:
    """``["1", "3-5", "7,9"]`` as [1, 3, 4, 5, 7, 9]: numbers from the listing of ``texts``."""
    numbers: dict[int, None] = {}
    for word in (part for w in words for part in w.split(",") if part.strip()):
        low, _, high = word.strip().partition("-")
        try:
            first, last = int(low), int(high or low)
        except ValueError:
            raise CommandError(f"{word!r} is no text number: give numbers from the list, e.g. 1 3 5-7") from None
        for number in range(first, last + 1):
            if not 1 <= number <= count:
                raise CommandError(f"there is no text {number}: 'mitwirken texts' lists 1 to {count}")
            numbers[number] = None
    if not numbers:
        raise CommandError("which texts? give their numbers from the list, e.g. approve 1 3 5-7")
    return list(numbers)


def texts(config: Config, process_id: str, action: str | None, numbers: list[str], *, clock: Clock) -> int:
    """List the free texts of a survey for review, or approve or hide some by number."""
    process = load_process(config, process_id)
    if isinstance(process, IdeaCall):
        raise CommandError(
            f"{process_id!r} is an idea call: its ideas are moderated with 'mitwirken moderate', not reviewed here"
        )
    core = open_core(config, clock=clock)
    try:
        found = review_texts_of(survey_data(core, process))
        if action is None:
            states = core.store.text_reviews(process.id, found) if found else []
            _print_listing(process_id, found, states)
            return 0
        if not found:
            raise CommandError(f"{process_id} has no free-text answers to {action}")
        chosen = parse_numbers(numbers, len(found))
        state: ReviewState = "approved" if action == "approve" else "hidden"
        actor = f"cli:{getpass.getuser()}"
        core.store.review_texts(process.id, [found[n - 1] for n in chosen], state, actor, core.clock())
    finally:
        core.close()
    listed = ", ".join(str(n) for n in chosen)
    where = "appear in the next public report" if state == "approved" else "stay out of public reports"
    print(f"{state} {len(chosen)} text(s): {listed}; they {where}")
    return 0


def _print_listing(process_id: str, found: list[tuple[str, str]], states: Sequence[str | None]) -> None:
    if not found:
        print(f"{process_id}: no free-text answers yet")
        return
    waiting = sum(1 for s in states if s is None)
    print(f"{process_id}: {len(found)} free text(s), {waiting} not reviewed yet")
    width = len(str(len(found)))
    for number, ((qid, text), state) in enumerate(zip(found, states, strict=True), start=1):
        lines = clean_text(text).splitlines() or [""]
        print(f"{number:>{width}}. [{_STATE_WORDS.get(state, state)}] {qid}: {lines[0]}")
        for line in lines[1:]:
            print(f"{'':>{width}}  {line}")
    print(
        f"approve with: mitwirken texts {process_id} approve 1 3 5-7 · hide with: mitwirken texts {process_id} hide 2"
    )
