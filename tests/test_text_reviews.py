"""The review of free texts in the store, on SQLite and PostgreSQL: a decision per process, question
and text, replaced by a later one, kept under a keyed hash (never the text itself)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from storage.store import SqlStore
from storage.text_reviews import text_review_table
from tests.storage_fixtures import store  # noqa: F401  (a pytest fixture)

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def test_decisions_are_kept_per_process_question_and_text(store: SqlStore) -> None:  # noqa: F811
    texts = [("wunsch", "Mehr Bänke"), ("wunsch", "Frau Meier, Hauptstr. 3"), ("ort", "Mehr Bänke")]
    assert store.text_reviews("park", texts) == [None, None, None]
    store.review_texts("park", [texts[0], texts[0], texts[2]], "approved", "cli:anna", NOW)
    store.review_texts("park", [texts[1]], "hidden", "cli:anna", NOW)
    assert store.text_reviews("park", texts) == ["approved", "hidden", "approved"]
    assert store.text_reviews("other-process", texts) == [None, None, None]
    store.review_texts("park", [texts[0]], "hidden", "cli:ben", NOW + dt.timedelta(hours=1))
    assert store.text_reviews("park", texts) == ["hidden", "hidden", "approved"]
    with store._engine.connect() as conn:
        rows = conn.execute(sa.select(text_review_table)).all()
    assert len(rows) == 3
    assert not any("Meier" in str(value) or "Bänke" in str(value) for row in rows for value in row)
