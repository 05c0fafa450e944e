"""Small-group protection: what a public report and ``mitwirken results --public`` may show.

Pure. ``protect_results`` takes the dict of ``surveys.results`` (what
``results --format json`` prints) and returns the same shape with

- **primary suppression**: every count of 1 to ``min_group - 1`` respondents
  becomes ``"< 5"`` (the mark names ``min_group``);
- **secondary suppression**: where the cells of a line add up to a total that
  is shown (the options of a choice to ``answered``, a breakdown column to the
  whole survey's count), one hidden cell could be worked out by subtraction, so
  the smallest other cell of that line is hidden too, as ``"x"``; repeated
  until no line has a single hidden cell;
- **breakdown groups** of fewer than ``min_group`` responses merged into one
  group ``"_other"`` (with more groups added while it is still small); the
  groups' sizes and every cell of a breakdown protected like the rest, rows
  and columns alike;
- **texts** (free texts, "other" texts, places in words) only where
  ``text_shown(question_id, text)`` says staff approved them; points on the map
  and single dates are never listed (points are counted, dates by month);
- the smallest and largest answer to a number question (one person's each) left out.

Each protected question says what it hid in ``suppressed`` and how many texts it
withheld in ``withheld``; the top level gets ``public``. Zero is shown: no
person is behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from surveys.question_types import KINDS

__all__ = [
    "MERGED",
    "PRIMARY",
    "SECONDARY",
    "SECONDARY_MARK",
    "Line",
    "primary_mark",
    "protect_results",
    "suppress",
]

PRIMARY = "primary"
SECONDARY = "secondary"
SECONDARY_MARK = "x"  # as statistical offices mark a cell hidden for secrecy
MERGED = "_other"  # the key of the group that small breakdown groups are merged into
ADDITIVE = frozenset(t.value for t, kind in KINDS.items() if kind.one_count_each)  # counts add up to ``answered``
FIGURES = ("mean", "median", "min", "max")

K = TypeVar("K", bound=Hashable)
TextShown = Callable[[str, str], bool]


@dataclass(frozen=True)
class Line:
    """Cells that add up to a total (a row or a column): ``total_known`` when that total is shown."""

    cells: tuple[Hashable, ...]
    total_known: bool = True


def primary_mark(min_group: int) -> str:
    return f"< {min_group}"


def suppress(cells: Mapping[K, int], lines: Iterable[Line], min_group: int) -> dict[K, str]:
    """Which cells to hide, and why (``PRIMARY`` or ``SECONDARY``).

    A line whose total is shown must not have exactly one hidden cell; a line whose
    total is hidden must not show all its cells (they would add up to it). The cell
    hidden in addition is the line's smallest visible positive one (a zero only when
    there is none), so as little as possible is lost."""
    marks: dict[K, str] = {key: PRIMARY for key, value in cells.items() if 0 < value < min_group}
    lines = list(lines)
    changed = True
    while changed:
        changed = False
        for line in lines:
            inside: list[K] = [key for key in line.cells if key in cells]  # type: ignore[misc]
            hidden = sum(key in marks for key in inside)
            exposed = [key for key in inside if key not in marks]
            if not exposed:
                continue
            recoverable = hidden == 1 if line.total_known else hidden == 0 and any(cells[k] > 0 for k in inside)
            if not recoverable:
                continue
            pick = min(exposed, key=lambda key: (cells[key] == 0, cells[key]))
            marks[pick] = SECONDARY
            changed = True
    return marks


def protect_results(results: Mapping[str, Any], min_group: int, text_shown: TextShown) -> dict[str, Any]:
    """``results`` as the public may see them (see the module docstring); ideas: only published ones."""
    if results.get("kind") == "ideas":
        return _protect_ideas(results)
    protected: dict[str, Any] = dict(results)
    protected["responses"] = _protect_responses(results["responses"], min_group)
    protected["questions"] = [_protect_question(q, min_group, text_shown) for q in results["questions"]]
    if "breakdown" in results:
        protected["breakdown"] = _protect_breakdown(
            results["breakdown"], results["questions"], protected["responses"], min_group
        )
    protected["public"] = {"min_group": min_group, "primary": primary_mark(min_group), "secondary": SECONDARY_MARK}
    return protected


def _shown(value: int, mark: str | None, min_group: int) -> int | str:
    if mark == PRIMARY:
        return primary_mark(min_group)
    return SECONDARY_MARK if mark == SECONDARY else value


def _protect_responses(responses: Mapping[str, Any], min_group: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    marks = suppress({k: responses[k] for k in ("started", "completed")}, [], min_group)
    for key in ("started", "completed"):
        out[key] = _shown(responses[key], marks.get(key), min_group)
    if "unfinished_not_counted" in responses:
        value = responses["unfinished_not_counted"]
        out["unfinished_not_counted"] = _shown(value, PRIMARY if 0 < value < min_group else None, min_group)
    for part in ("weeks", "channels"):  # each adds up to the whole, started and completed alike
        if part not in responses:
            continue
        split = responses[part]
        shown_split: dict[str, dict[str, int | str]] = {w: {} for w in split}
        for key in ("started", "completed"):
            cells = {name: counts[key] for name, counts in split.items()}
            split_marks = suppress(cells, [Line(tuple(cells), key not in marks)], min_group)
            for name, value in cells.items():
                shown_split[name][key] = _shown(value, split_marks.get(name), min_group)
        out[part] = shown_split
    return out


def _protect_question(summary: Mapping[str, Any], min_group: int, text_shown: TextShown) -> dict[str, Any]:
    out: dict[str, Any] = dict(summary)
    suppressed: dict[str, Any] = {}
    answered = int(summary.get("answered") or 0)
    small = 0 < answered < min_group
    if small:
        out["answered"] = primary_mark(min_group)
        suppressed["answered"] = PRIMARY
    if "counts" in summary:
        counts: Mapping[str, int] = summary["counts"]
        if small:
            marks = {k: PRIMARY for k, v in counts.items() if v > 0}
        else:
            lines = [Line(tuple(counts))] if summary["type"] in ADDITIVE else []
            marks = suppress(counts, lines, min_group)
        out["counts"] = {k: _shown(v, marks.get(k), min_group) for k, v in counts.items()}
        if marks:
            suppressed["counts"] = marks
    for key, cell_of in (("histogram", "count"),):
        if key in summary:
            cells = {i: int(b[cell_of]) for i, b in enumerate(summary[key])}
            bin_marks = (
                {i: PRIMARY for i, v in cells.items() if v > 0}
                if small
                else suppress(cells, [Line(tuple(cells))], min_group)
            )
            out[key] = [
                b | {cell_of: _shown(b[cell_of], bin_marks.get(i), min_group)} for i, b in enumerate(summary[key])
            ]
            if bin_marks:
                suppressed[key] = {str(i): m for i, m in bin_marks.items()}
    if "months" in summary:
        months: Mapping[str, int] = summary["months"]
        month_marks = (
            {k: PRIMARY for k, v in months.items() if v > 0}
            if small
            else suppress(months, [Line(tuple(months))], min_group)
        )
        out["months"] = {k: _shown(v, month_marks.get(k), min_group) for k, v in months.items()}
        if month_marks:
            suppressed["months"] = month_marks
    if small:
        for key in FIGURES:
            if key in summary:
                out[key] = None
    elif summary.get("type") == "number":  # the smallest and largest number are one person's answer each
        out["min"] = out["max"] = None
    if summary.get("type") == "photo" and 0 < int(summary.get("files") or 0) < min_group:
        out["files"] = primary_mark(min_group)
    _protect_texts(out, summary, text_shown)
    if suppressed:
        out["suppressed"] = suppressed
    return out


def _protect_texts(out: dict[str, Any], summary: Mapping[str, Any], text_shown: TextShown) -> None:
    """Keep the approved texts (``withheld``: how many are not); points on the map (``points_withheld``)
    and single dates are never listed (a date question's months are its public figure)."""
    qid = str(summary["id"])
    withheld = points = 0
    for key in ("answers", "other_answers"):
        if key not in summary:
            continue
        kept: list[object] = []
        for answer in summary[key] if summary.get("type") != "date" else []:
            if isinstance(answer, Mapping) and "lat" in answer:
                points += 1
                continue
            text = str(answer["text"]) if isinstance(answer, Mapping) else answer if isinstance(answer, str) else None
            if text is not None and text_shown(qid, text):
                kept.append(answer)
            else:
                withheld += 1
        out[key] = kept
    if withheld:
        out["withheld"] = withheld
    if points:
        out["points_withheld"] = points


# --- breakdowns ---------------------------------------------------------------------------


def _protect_breakdown(
    breakdown: Mapping[str, Any], whole: Sequence[Mapping[str, Any]], responses: Mapping[str, Any], min_group: int
) -> dict[str, Any]:
    groups = _merged_groups(list(breakdown["groups"]), min_group)
    sizes = _protect_group_sizes(groups, responses, min_group)
    shown_groups = [
        {"key": g["key"], "responses": size} | ({"merged": g["merged"]} if "merged" in g else {}) | {"questions": []}
        for g, size in zip(groups, sizes, strict=True)
    ]
    for index, summary in enumerate(whole):
        rows = [g["questions"][index] for g in groups]
        for shown, row in zip(
            shown_groups, _protect_column_block(summary, rows, [g["key"] for g in groups], min_group), strict=True
        ):
            shown["questions"].append(row)
    return {"by": breakdown["by"], "groups": shown_groups}


def _protect_group_sizes(
    groups: Sequence[Mapping[str, Any]], whole: Mapping[str, Any], min_group: int
) -> list[dict[str, int | str]]:
    """Each group's started and completed: the completed of a group can be small where its started is not;
    each column adds up to the whole survey's number (known where that is shown)."""
    cells = {(i, key): int(g["responses"][key]) for i, g in enumerate(groups) for key in ("started", "completed")}
    lines = [
        Line(tuple((i, key) for i in range(len(groups))), isinstance(whole[key], int))
        for key in ("started", "completed")
    ]
    marks = suppress(cells, lines, min_group)
    return [{key: _shown(cells[(i, key)], marks.get((i, key)), min_group) for key in ("started", "completed")}
            for i in range(len(groups))]  # fmt: skip


def _merged_groups(groups: list[dict[str, Any]], min_group: int) -> list[dict[str, Any]]:
    """Groups of fewer than ``min_group`` responses merged into one, grown until it is large enough."""
    small = [g for g in groups if 0 < g["responses"]["started"] < min_group]
    if not small:
        return groups
    rest = [g for g in groups if g not in small]
    merged = list(small)
    while sum(g["responses"]["started"] for g in merged) < min_group and any(g["responses"]["started"] for g in rest):
        smallest = min((g for g in rest if g["responses"]["started"]), key=lambda g: g["responses"]["started"])
        rest.remove(smallest)
        merged.append(smallest)
    combined = {
        "key": MERGED,
        "merged": [g["key"] for g in merged],
        "responses": {k: sum(g["responses"][k] for g in merged) for k in ("started", "completed")},
        "questions": [_summed([g["questions"][i] for g in merged]) for i in range(len(groups[0]["questions"]))],
    }
    return [g for g in groups if g in rest] + [combined]


def _summed(summaries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One question's summaries of several groups as one: counts added, the mean weighted."""
    first = summaries[0]
    answered = sum(int(s["answered"]) for s in summaries)
    out: dict[str, Any] = {"id": first["id"], "type": first["type"], "answered": answered}
    if "counts" in first:
        keys = dict.fromkeys(k for s in summaries for k in s["counts"])
        out["counts"] = {k: sum(int(s["counts"].get(k, 0)) for s in summaries) for k in keys}
    if "mean" in first:
        weighted = [(s["mean"], int(s["answered"])) for s in summaries if s.get("mean") is not None]
        total = sum(n for _, n in weighted)
        out["mean"] = round(sum(m * n for m, n in weighted) / total, 2) if total else None
    return out


def _protect_column_block(
    whole: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], keys: Sequence[str], min_group: int
) -> list[dict[str, Any]]:
    """One question across the groups: each group's counts and ``answered``, protected together
    with the rows (a group's counts add up to its ``answered``) and the columns (adding up to the
    whole survey's numbers, hidden or shown there)."""
    whole_counts: Mapping[str, int] = whole.get("counts") or {}
    whole_marks = _whole_marks(whole, min_group)
    cells: dict[tuple[str, str], int] = {}
    for key, row in zip(keys, rows, strict=True):
        cells[(key, "#n")] = int(row["answered"])
        for option, value in (row.get("counts") or {}).items():
            cells[(key, option)] = int(value)
    lines: list[Line] = []
    if whole.get("type") in ADDITIVE:
        for key, row in zip(keys, rows, strict=True):
            lines.append(Line(((key, "#n"), *((key, o) for o in (row.get("counts") or {})))))
    for column in ("#n", *whole_counts):
        known = column not in whole_marks
        lines.append(Line(tuple((key, column) for key in keys), known))
    marks = suppress(cells, lines, min_group)
    out = []
    for key, row in zip(keys, rows, strict=True):
        answered_mark = marks.get((key, "#n"))
        shown: dict[str, Any] = {
            "id": row["id"],
            "type": row["type"],
            "answered": _shown(int(row["answered"]), answered_mark, min_group),
        }
        if "counts" in row:
            shown["counts"] = {o: _shown(int(v), marks.get((key, o)), min_group) for o, v in row["counts"].items()}
        if "mean" in row:
            shown["mean"] = row["mean"] if answered_mark is None and int(row["answered"]) >= min_group else None
        out.append(shown)
    return out


def _whole_marks(whole: Mapping[str, Any], min_group: int) -> set[str]:
    """The columns whose whole-survey number the public does not see (so no column total is known)."""
    answered = int(whole.get("answered") or 0)
    counts: Mapping[str, int] = whole.get("counts") or {}
    if 0 < answered < min_group:
        return {"#n", *counts}
    lines = [Line(tuple(counts))] if whole.get("type") in ADDITIVE else []
    return set(suppress(counts, lines, min_group))


def _protect_ideas(results: Mapping[str, Any]) -> dict[str, Any]:
    """Published ideas only: the others are counted by ``idea_report``, never quoted."""
    out = dict(results)
    out["ideas"] = [i for i in results["ideas"] if i.get("visibility", "published") == "published"]
    out["public"] = {"not_published": len(results["ideas"]) - len(out["ideas"])}
    return out
