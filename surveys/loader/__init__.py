"""Reading and checking process files (format 1): text in, a checked process and its problems out.

Pure: the caller reads the file (``bot.process_files``) and passes its text.
"""

from __future__ import annotations

from surveys.loader.durations import parse_duration
from surveys.loader.orphans import IDEA_CATEGORY, orphan_problems
from surveys.loader.process import parse_process

__all__ = ["IDEA_CATEGORY", "orphan_problems", "parse_duration", "parse_process"]
