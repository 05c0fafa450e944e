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
    from bot.staff.commands import load_process

    return load_process(config, process_id)


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


MAX_COPIES = 5000


def form_numbers(written: str | None) -> list[str]:
    """``1001-1200`` as the form numbers 1001 … 1200 (leading zeros kept: ``001-050``)."""
    if not written:
        return []
    first, dash, last = written.partition("-")
    if not (dash and first.strip().isdigit() and last.strip().isdigit()):
        raise CommandError(
            f"--numbers {written!r} is no range: write the first and last number, e.g. --numbers 1001-1200"
        )
    low, high = int(first), int(last)
    if low > high:
        raise CommandError(f"--numbers {written!r} counts backwards: write the smaller number first")
    if high - low + 1 > MAX_COPIES:
        raise CommandError(f"--numbers {written!r} makes {high - low + 1} copies; print at most {MAX_COPIES} at a time")
    width = len(first.strip())
    return [str(n).zfill(width) for n in range(low, high + 1)]


def print_questionnaire(
    config: Config,
    process_id: str,
    output: str | None,
    *,
    language: str | None,
    large: bool,
    numbers: str | None = None,
    clock: Clock,
) -> int:
    """The survey as a printable questionnaire (tagged PDF); ``numbers``: one copy per form number."""
    from bot.staff.questionnaire import write_questionnaire

    survey = _survey(config, process_id, "print")
    chosen = _language(survey, language)
    copies = form_numbers(numbers)
    out = _pdf_output(output, f"{survey.id}-fragebogen.pdf")
    links = _links(config, survey, chosen)
    write_questionnaire(survey, chosen, links, out, privacy_url=config.bot.privacy_url, large=large, numbers=copies)
    what = f"{len(copies)} numbered cop{'y' if len(copies) == 1 else 'ies'}, " if copies else ""
    print(f"questionnaire ({what}{chosen}{', large print' if large else ''}) written to {out}", file=sys.stderr)
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


def template(config: Config, process_id: str, output: str | None, *, language: str | None, clock: Clock) -> int:
    """``export ID --template``: the spreadsheet to type a batch of paper forms into."""
    from bot.staff.export import ExportStyle
    from bot.staff.paper_import import write_template

    survey = _survey(config, process_id, "export --template")
    if output == "-":
        raise CommandError("--template writes a file: give its name with -o, e.g. -o vorlage.xlsx")
    out = Path(output) if output else Path.cwd() / f"{survey.id}-vorlage.xlsx"
    if out.suffix.lower() != ".xlsx":
        raise CommandError(f"{out} does not end in .xlsx: the template is a spreadsheet, e.g. -o vorlage.xlsx")
    style = ExportStyle(language=language or config.bot.languages[0], zone=config.bot.zone)
    columns = write_template(survey, out, style)
    print(f"template with {columns} question column(s) written to {out}", file=sys.stderr)
    return 0


def import_batch(
    config: Config,
    process_id: str,
    file: str,
    *,
    channel: str,
    batch: str | None,
    skip_invalid: bool,
    actor: str,
    clock: Clock,
) -> int:
    """Check every form of a spreadsheet and store them, each form number once."""
    from bot.runtime.app import open_core
    from bot.staff.paper_import import answer_changes, answer_words, read_rows, same_answers
    from storage.records import PaperForm

    survey = _survey(config, process_id, "import")
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"{path} does not exist: give the path of the filled-in template (.xlsx or .csv)")
    language = config.bot.languages[0]
    now = clock()
    today = now.astimezone(config.bot.zone).date()
    read = read_rows(
        survey, path, today=today, words=answer_words(language), language=language, progress=sys.stderr.isatty()
    )
    invalid = [row for row in read.rows if not row.valid]
    problems = read.file_problems + [problem for row in invalid for problem in row.problems]
    for problem in problems:
        print(problem, file=sys.stderr)
    valid = [row for row in read.rows if row.valid]
    if read.file_problems or (invalid and not skip_invalid):
        print(
            f"{len(problems)} problem(s) in {path.name} ({len(invalid)} of {len(read.rows)} form(s)): nothing stored. "
            f"Fix them and import again, or add --skip-invalid to store the {len(valid)} valid form(s) only.",
            file=sys.stderr,
        )
        return 1
    core = open_core(config, clock=clock)
    stored = known = 0
    differing: list[str] = []
    try:
        with core.store.transaction() as tx:
            for row in valid:
                found = tx.find_form(survey.id, row.form_number)
                if found is not None:
                    known += 1
                    if not same_answers(tx.answers(found.id), row.result):
                        differing.append(row.form_number)
                    continue
                form = PaperForm(
                    row.form_number,
                    channel,
                    batch or path.stem,
                    actor,
                    "ended" if row.result.status == "ended" else "completed",
                    anonymous=survey.anonymous,
                )
                tx.store_form(survey.id, form, answer_changes(row.result), now)
                stored += 1
    finally:
        core.close()
    parts = [f"{stored} form(s) stored from {path.name} (channel {channel}, batch {batch or path.stem})"]
    if known:
        parts.append(f"{known} already stored, not stored again")
    if invalid:
        parts.append(f"{len(invalid)} invalid form(s) left out (listed above)")
    print("; ".join(parts), file=sys.stderr)
    if differing:
        print(
            "stored before with other answers: form(s) " + ", ".join(differing) + " — check them against the paper; "
            f"to correct one, type it again with 'mitwirken enter {survey.id} --channel {channel}' "
            "(it offers to replace it)",
            file=sys.stderr,
        )
    return 0


def enter(
    config: Config,
    process_id: str,
    *,
    channel: str,
    batch: str | None,
    check: bool,
    language: str | None,
    actor: str,
    clock: Clock,
) -> int:
    """Type in paper or phone forms one after another; ``check``: the second entry, compared."""
    from bot.runtime.app import open_core
    from bot.staff.paper_entry import EntrySession

    survey = _survey(config, process_id, "enter")
    if language is None:
        wanted = config.bot.languages[0]
        chosen = wanted if wanted in survey.languages else survey.fallback_language
    else:
        chosen = _language(survey, language)
    if batch is None and not check:
        batch = f"{channel}-{clock().astimezone(config.bot.zone).date().isoformat()}"
    core = open_core(config, clock=clock)
    try:
        session = EntrySession(
            survey,
            core.store,
            clock,
            chosen,
            channel,
            batch,
            actor,
            config.bot.zone,
            check=check,
        )
        result = session.run()
    finally:
        core.close()
    return 1 if check and result.differing else 0
