"""``mitwirken import-xlsform``: read an XLSForm with pyxform, write the survey file ``surveys.xlsform`` makes.

pyxform, the XLSForm reference implementation, reads and checks the
spreadsheet; it is imported here, inside the command, so that other commands
never load it. Its errors and the conversion's notes name the file, the sheet,
the row and the column.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from bot.staff.errors import CommandError
from surveys.loader.process import LANGUAGE_CODE
from surveys.xlsform import Conversion, Workbook, convert

__all__ = ["import_xlsform", "read_workbook"]

_PYXFORM_ROW = re.compile(r"^\[row : (\d+)\]\s*")
_READABLE = (".xlsx", ".xlsm", ".xls")


def import_xlsform(form: Path, output: str | None, *, language: str, force: bool) -> int:
    """Convert ``form``; write the survey file to ``output`` (default: beside the form, ``.toml``; ``-``: stdout)."""
    if not LANGUAGE_CODE.fullmatch(language):
        raise CommandError(f"--language {language!r} is not a language code — write e.g. --language de")
    target = None if output == "-" else Path(output) if output else form.with_suffix(".toml")
    if target is not None and target.exists() and not force:
        raise CommandError(f"{target} exists already — choose another file with -o, or add --force to replace it")
    workbook = read_workbook(form)
    conversion = convert(workbook, language=language, file=str(target or "survey.toml"))
    for note in conversion.notes:
        print(f"{form}: {note}", file=sys.stderr)
    if conversion.text is None:
        count = len(conversion.errors)
        raise CommandError(f"{form}: {count} problem(s) above, nothing written — fix them in the spreadsheet")
    if target is None:
        sys.stdout.write(conversion.text)
        return 0
    target.write_text(conversion.text, encoding="utf-8")
    _say_done(form, target, conversion)
    return 0


def _say_done(form: Path, target: Path, conversion: Conversion) -> None:
    warnings = sum(1 for n in conversion.notes if n.severity == "warning")
    print(
        f"Wrote {target}: survey '{conversion.survey_id}', {conversion.questions} question(s), "
        f"languages {', '.join(conversion.languages)}, {warnings} warning(s) above. "
        f"Read it through, then run: mitwirken check {target}"
    )


def read_workbook(form: Path) -> Workbook:
    """The form as pyxform reads it, with the rows of its sheets; a ``CommandError`` when it can't."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    if not form.is_file():
        raise CommandError(f"{form}: no such file — check the path and the file name")
    if form.suffix.lower() not in _READABLE:
        raise CommandError(f"{form}: not an XLSForm spreadsheet — save the form as .xlsx (Excel workbook)")
    try:
        data = get_xlsform(str(form))
    except PyXFormError:
        raise CommandError(
            f"{form}: can't be read as a spreadsheet — is it really an Excel workbook? Save it again as .xlsx"
        ) from None
    sheets = [str(name) for name in data.sheet_names or ()]
    if "survey" not in sheets:
        found = ", ".join(f"'{s}'" for s in sheets) or "none"
        raise CommandError(
            f"{form}: there is no sheet named 'survey' (sheets: {found}) — an XLSForm has its questions "
            "on a sheet 'survey', its answer lists on 'choices' and its title on 'settings'"
        )
    try:
        json_form: dict[str, Any] = workbook_to_json(
            workbook_dict=data,
            form_name=form.stem,
            fallback_form_name=data.fallback_form_name,
            default_language="default",
            warnings=[],  # pyxform's advice is for ODK Collect; the conversion says what matters here
        )
    except PyXFormError as error:
        raise CommandError(f"{form}: {_pyxform_message(str(error))}") from None
    return Workbook(
        form=json_form,
        survey_rows=tuple(data.survey or ()),
        choice_rows=tuple(data.choices or ()),
        settings=(data.settings or [{}])[0],
        name=form.stem,
    )


def _pyxform_message(message: str) -> str:
    """pyxform's ``[row : 5] …`` as ``survey row 5: …``, with the reference program named as the judge."""
    text = " ".join(message.split())
    match = _PYXFORM_ROW.match(text)
    if match:
        text = f"survey row {match.group(1)}: {text[match.end() :]}"
    return f"{text} — this is not valid XLSForm (pyxform, which ODK and KoboToolbox use, says so too); fix the sheet"
