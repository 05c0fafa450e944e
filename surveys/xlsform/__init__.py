"""Importing XLSForm questionnaires (ODK, KoboToolbox): pyxform's reading of a form in, a survey file out.

Pure: ``bot.staff.xlsform_import`` reads the spreadsheet with pyxform and
writes the file. ``convert`` maps each question by its type's
``Kind.xlsform_types``, translates ``relevant`` and ``constraint`` into
conditions (``expressions``), turns names into valid ids (``names``), writes
the TOML (``toml_text``) and loads it again with the survey loader, so a text
it returns passes ``mitwirken check``. Everything changed, guessed or left out
is a ``Note`` naming the sheet, row and column.
"""

from __future__ import annotations

from surveys.xlsform.convert import Conversion, Workbook, convert
from surveys.xlsform.notes import Note

__all__ = ["Conversion", "Note", "Workbook", "convert"]
