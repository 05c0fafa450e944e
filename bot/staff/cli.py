"""The ``mitwirken`` command line: run, chat, check, results, report, texts, export, import, print, poster,
link, enter, import-xlsform, db upgrade, ….

Errors are one clear sentence on stderr and a non-zero exit; ``--debug``
shows the traceback too.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.clock import Clock, system_clock
from bot.staff.errors import CommandError

if TYPE_CHECKING:
    from bot.config import Config

__all__ = ["main"]

log = logging.getLogger("mitwirken")


class UserError(Exception):
    """A problem the person at the terminal can fix; its message is the whole story."""


CONFIG_HELP = "config file (default: $MITWIRKEN_CONFIG, ./config.toml, ./config.example.toml)"
DEBUG_HELP = "show tracebacks and debug logging"


def _common_options(*, top: bool) -> argparse.ArgumentParser:
    """``--config`` and ``--debug``, which stand before the command or after it.

    The top-level copy sets the defaults; each command's copy leaves an option
    unset when it is not given there, so that one given before the command stays."""
    common = argparse.ArgumentParser(add_help=False)
    unset: dict[str, object] = {} if top else {"default": argparse.SUPPRESS}
    common.add_argument("--config", metavar="FILE", help=CONFIG_HELP, **unset)  # type: ignore[arg-type]
    common.add_argument("--debug", action="store_true", help=DEBUG_HELP, **unset)  # type: ignore[arg-type]
    return common


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="mitwirken",
        description="Participation by chat: surveys and idea calls in the messengers citizens use.",
        parents=[_common_options(top=True)],
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = _common_options(top=False)

    def command(
        group: argparse._SubParsersAction[argparse.ArgumentParser], name: str, **kwargs: str
    ) -> argparse.ArgumentParser:
        return group.add_parser(name, parents=[common], **kwargs)  # type: ignore[arg-type]

    command(commands, "run", help="run every enabled channel and the outbox until SIGINT/SIGTERM")
    chat = command(commands, "chat", help="take part at the terminal (one answer per line when piped)")
    chat.add_argument("--as", dest="name", metavar="NAME", default=None, help="participant name (default: login name)")
    chat.add_argument("--language", default=None, help="the language to start in, e.g. de or en")
    check = command(commands, "check", help="validate the config and the survey/idea files")
    check.add_argument("paths", nargs="*", metavar="PATH", help="only these files or folders")
    results = command(commands, "results", help="results of one process")
    results.add_argument("process_id", metavar="ID")
    results.add_argument("--format", choices=("table", "json"), default="table")
    results.add_argument("--language", default=None, help="language of the question texts (default: the bot's first)")
    results.add_argument(
        "--public", action="store_true", help="protect small groups ([reports] min_group) and show approved texts only"
    )
    results.add_argument(
        "--by",
        metavar="QUESTION|channel",
        default=None,
        help="break down by a choice or yes/no question, or by channel",
    )
    report = command(commands, "report", help="a report with charts for the council or the public (HTML or PDF)")
    report.add_argument("process_id", metavar="ID")
    report.add_argument("-o", "--output", metavar="FILE", required=True, help="bericht.html or bericht.pdf")
    report.add_argument("--language", default=None, help="the report's language (default: the bot's first)")
    report.add_argument(
        "--public", action="store_true", help="for the public: small groups protected, approved free texts only"
    )
    report.add_argument(
        "--by", metavar="QUESTION|channel", default=None, help="add a breakdown by a choice or yes/no question"
    )
    texts = command(commands, "texts", help="review free-text answers before a public report quotes them")
    texts.add_argument("process_id", metavar="ID")
    texts.add_argument("action", nargs="?", choices=("approve", "hide"), help="without it: list the texts, numbered")
    texts.add_argument("numbers", nargs="*", metavar="N", help="the texts' numbers from the list, e.g. 1 3 5-7")
    ideas = command(commands, "ideas", help="the ideas of an idea call, for staff")
    ideas.add_argument("process_id", metavar="ID")
    ideas.add_argument(
        "--status",
        type=_status,
        metavar="STATUS",
        help="received, under_review, accepted, implementing or declined (or the German word, e.g. angenommen)",
    )
    ideas.add_argument("--visibility", choices=("pending", "published", "rejected", "hidden", "reported"))
    ideas.add_argument("--category", default=None)
    ideas.add_argument("--order", choices=("newest", "support"), default="newest")
    moderate = command(commands, "moderate", help="approve, reject, hide an idea or set its status")
    moderate.add_argument("ref", metavar="IDEA_REF", help="e.g. I-7KQ2")
    moderate.add_argument("action", choices=("approve", "reject", "hide", "status"))
    moderate.add_argument(
        "args", nargs="*", metavar="ARG", help="status: the new status, then an optional reason; reject: the reason"
    )
    moderate.add_argument("--reason", default=None, help="why (required to reject or decline)")
    person = command(commands, "participant", help="a data request: hand out or erase one participant's data")
    person.add_argument("pseudonym", metavar="PSEUDONYM", help="as in the citizen's data file or an export")
    person.add_argument("action", choices=("show", "erase"))
    person.add_argument("-o", "--output", metavar="FILE", default=None, help="show: where to write the JSON file")
    person.add_argument("--yes", action="store_true", help="erase: really erase (without it: say what would go)")
    export = command(commands, "export", help="one row per response (or idea), pseudonyms only")
    export.add_argument("process_id", metavar="ID")
    export.add_argument(
        "--format",
        choices=("csv", "xlsx", "json"),
        default=None,
        help="default: from the file name's ending (.csv, .xlsx, .json), else csv",
    )
    export.add_argument("-o", "--output", metavar="FILE", default=None, help="the file to write; - for stdout")
    export.add_argument("--language", default=None, help="language of labels and words (default: the bot's first)")
    export.add_argument(
        "--template", action="store_true", help="a spreadsheet to type paper forms into (for 'mitwirken import')"
    )
    export.add_argument(
        "--delimiter",
        choices=(",", ";"),
        default=",",
        help="CSV: ';' for German Excel (decimal numbers then with a comma)",
    )
    xlsform = command(commands, "import-xlsform", help="convert an XLSForm questionnaire (ODK, Kobo) to a survey file")
    xlsform.add_argument("form", metavar="FORM.xlsx", help="the XLSForm spreadsheet")
    xlsform.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default=None,
        help="the survey file to write (default: FORM.toml; - for stdout)",
    )
    xlsform.add_argument(
        "--language", default="de", help="the language of texts in columns without ::language (default: de)"
    )
    xlsform.add_argument("--force", action="store_true", help="replace the output file if it exists")
    printed = command(commands, "print", help="a survey as a printable questionnaire (tagged PDF, with QR code)")
    printed.add_argument("process_id", metavar="ID")
    printed.add_argument("-o", "--output", metavar="FILE.pdf", default=None, help="default: ID-fragebogen.pdf")
    printed.add_argument("--language", default=None, help="one of the survey's languages (default: its first)")
    printed.add_argument("--large", action="store_true", help="large print (at least 16 pt)")
    printed.add_argument(
        "--numbers", metavar="FIRST-LAST", default=None, help="one copy per form number, printed on it, e.g. 1001-1200"
    )
    poster = command(commands, "poster", help="a poster with QR code(s), the short link and the dates")
    poster.add_argument("process_id", metavar="ID")
    poster.add_argument("-o", "--output", metavar="FILE.pdf", default=None, help="default: ID-plakat.pdf")
    poster.add_argument("--size", choices=("a4", "a3"), default="a4")
    poster.add_argument("--language", default=None, help="one of the process's languages (default: its first)")
    link = command(commands, "link", help="print the links of a process and write their QR codes (SVG, PNG)")
    link.add_argument("process_id", metavar="ID")
    link.add_argument("-o", "--output", metavar="FOLDER", default=None, help="where the QR files go (default: here)")
    enter = command(commands, "enter", help="type in paper or phone answers, one form after another")
    enter.add_argument("process_id", metavar="ID")
    enter.add_argument("--channel", choices=("paper", "phone"), required=True)
    enter.add_argument("--batch", default=None, metavar="NAME", help="the batch's name (default: channel and date)")
    enter.add_argument("--check", action="store_true", help="second entry: compare with what is stored, store nothing")
    enter.add_argument("--language", default=None, help="the language the forms are in (default: the bot's first)")
    batch = command(commands, "import", help="store a batch of paper or phone forms from the template (.xlsx/.csv)")
    batch.add_argument("process_id", metavar="ID")
    batch.add_argument("file", metavar="FILE", help="the filled-in template, .xlsx or .csv")
    batch.add_argument("--channel", choices=("paper", "phone"), default="paper", help="default: paper")
    batch.add_argument("--batch", default=None, metavar="NAME", help="the batch's name (default: the file's name)")
    batch.add_argument("--skip-invalid", action="store_true", help="store the valid forms, report the others")
    announce = command(commands, "announce", help="invite the subscribers of an open process now")
    announce.add_argument("process_id", metavar="ID")
    announce.add_argument("--dry-run", action="store_true", help="only print how many would be invited")
    command(commands, "jobs", help="list the scheduled jobs (reminders, invitations, digest, retention)")
    command(commands, "outbox", help="list the messages waiting to be sent, per channel, and when they go out")
    db = command(commands, "db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    command(db_sub, "upgrade", help="apply pending database migrations")
    return top


def _status(word: str) -> str:
    """An idea status as staff type it, in any bot language."""
    from bot.dialogue.moderation import status_from_word

    status = status_from_word(word)
    if status is None:
        raise argparse.ArgumentTypeError(
            f"unknown status {word!r}: use received, under_review, accepted, implementing or declined "
            "(eingegangen, in_prüfung, angenommen, in_umsetzung, abgelehnt)"
        )
    return status


def main(argv: Sequence[str] | None = None, *, clock: Clock = system_clock) -> int:
    """Run one ``mitwirken`` command; every time it reads comes from ``clock``."""
    args = parser().parse_args(argv)  # --help ends here: nothing heavy is imported before this line
    from bot.config import ConfigError

    level = logging.DEBUG if args.debug else logging.INFO if args.command == "run" else logging.WARNING
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not args.debug:
        # "will assume …", "Added job …", "Running job …" (every minute) say nothing to staff,
        # and at the terminal channel they would run through the conversation
        for chatty in ("alembic", "apscheduler"):
            logging.getLogger(chatty).setLevel(logging.WARNING)
    try:
        return dispatch(args, clock)
    except KeyboardInterrupt:
        return 130
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except (UserError, CommandError) as exc:
        print(f"mitwirken: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # the promise: one sentence, never a traceback unless asked
        if args.debug:
            raise
        print(f"mitwirken: {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return 1


def dispatch(args: argparse.Namespace, clock: Clock) -> int:
    from bot.config import find_config_path, load_config
    from bot.staff import commands

    if args.command == "import-xlsform":  # needs no config: the file it writes names its own languages
        from bot.staff.xlsform_import import import_xlsform

        return import_xlsform(Path(args.form), args.output, language=args.language, force=args.force)
    path = find_config_path(args.config, os.environ, Path.cwd())
    if args.command == "check":
        return commands.check(path, [Path(p) for p in args.paths])
    config = load_config(path, os.environ)
    if args.command in ("run", "chat"):
        import asyncio  # only the commands that run a loop pay for importing it

        if args.command == "run":
            return asyncio.run(commands.run(config, stdin_is_tty=sys.stdin.isatty(), clock=clock))
        name = args.name or getpass.getuser()
        return asyncio.run(commands.chat(config, name, language=args.language, clock=clock))
    if args.command == "results":
        return commands.results(
            config, args.process_id, args.format, args.language, clock=clock, public=args.public, by=args.by
        )
    if args.command == "export" and args.template:
        from bot.staff import paper_commands

        return paper_commands.template(config, args.process_id, args.output, language=args.language, clock=clock)
    if args.command in ("report", "texts"):
        from bot.staff.report import commands as report_commands  # matplotlib and jinja2 only when asked

        if args.command == "texts":
            return report_commands.texts(config, args.process_id, args.action, args.numbers, clock=clock)
        return report_commands.report(
            config,
            args.process_id,
            args.output,
            language=args.language,
            public=args.public,
            by=args.by,
            clock=clock,
        )
    if args.command == "export":
        return commands.export(
            config,
            args.process_id,
            args.format,
            args.output,
            language=args.language,
            delimiter=args.delimiter,
            clock=clock,
        )
    if args.command == "ideas":
        return commands.ideas(
            config,
            args.process_id,
            status=args.status,
            visibility=args.visibility,
            category=args.category,
            order=args.order,
            clock=clock,
        )
    if args.command == "moderate":
        return commands.moderate(
            config, args.ref, args.action, args.args, reason=args.reason, actor=f"cli:{getpass.getuser()}", clock=clock
        )
    if args.command == "participant":
        return commands.participant(
            config,
            args.pseudonym,
            args.action,
            output=args.output,
            confirmed=args.yes,
            actor=f"cli:{getpass.getuser()}",
            clock=clock,
        )
    if args.command in ("print", "poster", "link", "import", "enter"):
        return _paper(args, config, clock)
    if args.command in ("announce", "jobs", "outbox"):
        from bot.staff import schedule_commands  # the runtime's scheduler and sweeps: only here

        if args.command == "announce":
            return schedule_commands.announce(config, args.process_id, dry_run=args.dry_run, clock=clock)
        if args.command == "jobs":
            return schedule_commands.jobs(config, clock=clock)
        return schedule_commands.outbox(config, clock=clock)
    if args.command == "db":
        return commands.db_upgrade(config, clock=clock)
    raise UserError(f"unknown command {args.command!r}")


def _paper(args: argparse.Namespace, config: Config, clock: Clock) -> int:
    from bot.staff import paper_commands

    if args.command == "print":
        return paper_commands.print_questionnaire(
            config,
            args.process_id,
            args.output,
            language=args.language,
            large=args.large,
            numbers=args.numbers,
            clock=clock,
        )
    if args.command == "poster":
        return paper_commands.poster(
            config, args.process_id, args.output, size=args.size, language=args.language, clock=clock
        )
    if args.command == "import":
        return paper_commands.import_batch(
            config,
            args.process_id,
            args.file,
            channel=args.channel,
            batch=args.batch,
            skip_invalid=args.skip_invalid,
            actor=f"cli:{getpass.getuser()}",
            clock=clock,
        )
    if args.command == "enter":
        return paper_commands.enter(
            config,
            args.process_id,
            channel=args.channel,
            batch=args.batch,
            check=args.check,
            language=args.language,
            actor=f"cli:{getpass.getuser()}",
            clock=clock,
        )
    return paper_commands.link(config, args.process_id, args.output, clock=clock)


if __name__ == "__main__":
    raise SystemExit(main())
