"""Which published ideas look like the one a citizen is about to hand in.

The score is the mean of rapidfuzz's ``token_sort_ratio`` (the same words in
any order) and ``token_set_ratio`` (one text's words contained in the other's,
so a longer retelling of a short idea still matches), over texts folded to
lower case without punctuation and without the filler words of German and
English ideas ("mehr", "bitte", "sollte", …), which every idea shares.

``THRESHOLD`` = 75 comes from ``tests/test_ideas_similarity.py``: rewordings
of the same idea score 82–97 there, different ideas of one call at most 65 —
including "more trees in street X" against "more trees in park Y". The test
keeps a margin of 5 points on both sides of the threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from rapidfuzz import fuzz, utils

__all__ = ["MAX_SIMILAR", "THRESHOLD", "similar", "similarity"]

THRESHOLD = 75.0
MAX_SIMILAR = 3

_FILLERS = frozenset(
    """
    der die das den dem des ein eine einen einem einer eines und oder aber im in ins am an auf aus bei mit
    für fuer zu zum zur von vom es ist sind wird werden wir ich man mehr bitte sollte sollten soll könnte
    koennte können koennen wäre waere hier dort da auch noch so dass damit mal doch gibt gern gerne neue neuen
    the a an and or but of in on at to for with is are be we i more please should could would there here also
    """.split()  # noqa: SIM905 - a word list reads better as text
)

T = TypeVar("T")


def _folded(text: str) -> str:
    return " ".join(word for word in utils.default_process(text).split() if word not in _FILLERS)


def similarity(a: str, b: str) -> float:
    """0 (nothing in common) to 100 (the same idea, word for word)."""
    left, right = _folded(a), _folded(b)
    if not left or not right:
        return 0.0
    return (fuzz.token_sort_ratio(left, right) + fuzz.token_set_ratio(left, right)) / 2


def similar(text: str, candidates: Iterable[tuple[T, str]], *, limit: int = MAX_SIMILAR) -> Sequence[T]:
    """Up to ``limit`` candidates (item, its text) scoring at least ``THRESHOLD``, most similar first."""
    scored = [(similarity(text, other), index, item) for index, (item, other) in enumerate(candidates)]
    hits = sorted((s for s in scored if s[0] >= THRESHOLD), key=lambda s: (-s[0], s[1]))
    return [item for _, _, item in hits[:limit]]
