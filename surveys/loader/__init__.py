"""Reading and checking process files (format 1): text in, a checked process and its problems out.

Pure: the caller reads the file (``bot.process_files``) and passes its text.

The names below are loaded on first use, so that the question types
(``surveys.question_types``) can use the loader's checker and readers while
the loader uses the types to read a question.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from surveys.loader.durations import parse_duration
    from surveys.loader.orphans import IDEA_CATEGORY, orphan_problems
    from surveys.loader.process import parse_process

__all__ = ["IDEA_CATEGORY", "orphan_problems", "parse_duration", "parse_process"]

_HOMES = {
    "IDEA_CATEGORY": "surveys.loader.orphans",
    "orphan_problems": "surveys.loader.orphans",
    "parse_duration": "surveys.loader.durations",
    "parse_process": "surveys.loader.process",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'surveys.loader' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
