"""The whole database schema: every table module imported, so one ``metadata`` holds them all.

Feature table modules (ideas, scheduling, …) import ``storage.tables`` first, so
the naming convention applies to them too, and are listed here. Migrations and
the schema test compare against this ``metadata``.
"""

from __future__ import annotations

from storage import idea_tables, schedule_tables, tables, text_reviews  # noqa: F401  (imported for their tables)

__all__ = ["metadata"]

metadata = tables.metadata
