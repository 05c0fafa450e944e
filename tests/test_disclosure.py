"""Small-group protection (surveys/disclosure.py): primary and secondary suppression, breakdown
groups, texts only once approved — on hand-made results whose every hidden cell is known."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.disclosure import MERGED, PRIMARY, SECONDARY, Line, protect_results, suppress


def never(qid: str, text: str) -> bool:
    return False


def results(*questions: dict[str, Any], started: int = 40, completed: int = 38, **extra: Any) -> dict[str, Any]:
    return {"id": "s", "kind": "survey", "responses": {"started": started, "completed": completed},
            "questions": list(questions), **extra}  # fmt: skip


def choice(qid: str, counts: dict[str, int], qtype: str = "choice") -> dict[str, Any]:
    answered = sum(counts.values()) if qtype != "multi" else max(counts.values())
    return {"id": qid, "type": qtype, "answered": answered, "counts": counts}


def test_a_count_below_min_group_is_shown_as_less_than_and_a_second_one_hides_it_from_the_total() -> None:
    protected = protect_results(results(choice("q", {"a": 20, "b": 3, "c": 9, "d": 8})), 5, never)
    q = protected["questions"][0]
    # b alone hidden: 40 - 20 - 9 - 8 = 3. So the smallest other one (d, 8) goes too.
    assert q["counts"] == {"a": 20, "b": "< 5", "c": 9, "d": "x"}
    assert q["suppressed"]["counts"] == {"b": PRIMARY, "d": SECONDARY}
    assert q["answered"] == 40
    assert protected["public"] == {"min_group": 5, "primary": "< 5", "secondary": "x"}


def test_two_small_cells_protect_each_other_and_zero_is_shown() -> None:
    q = protect_results(results(choice("q", {"a": 30, "b": 2, "c": 4, "d": 0})), 5, never)["questions"][0]
    assert q["counts"] == {"a": 30, "b": "< 5", "c": "< 5", "d": 0}
    assert q["suppressed"]["counts"] == {"b": PRIMARY, "c": PRIMARY}


def test_min_group_is_the_threshold_and_names_the_mark() -> None:
    q = protect_results(results(choice("q", {"a": 30, "b": 9, "c": 10})), 10, never)["questions"][0]
    assert q["counts"] == {"a": 30, "b": "< 10", "c": "x"}
    q = protect_results(results(choice("q", {"a": 30, "b": 5, "c": 10})), 5, never)["questions"][0]
    assert q["counts"] == {"a": 30, "b": 5, "c": 10} and "suppressed" not in q


def test_multi_counts_do_not_add_up_so_no_second_cell_is_hidden() -> None:
    q = protect_results(results(choice("q", {"a": 20, "b": 3, "c": 9}, "multi")), 5, never)["questions"][0]
    assert q["counts"] == {"a": 20, "b": "< 5", "c": 9}


def test_a_question_answered_by_fewer_than_min_group_hides_all_its_numbers() -> None:
    number = {"id": "alter", "type": "number", "answered": 3, "mean": 41.0, "median": 40.0, "min": 30, "max": 53,
              "histogram": [{"from": 25, "to": 50, "count": 2}, {"from": 50, "to": 75, "count": 1}]}  # fmt: skip
    scale = {"id": "note", "type": "scale", "answered": 4, "counts": {"1": 0, "2": 4}, "mean": 2.0, "median": 2.0,
             "min": 2, "max": 2}  # fmt: skip
    protected = protect_results(results(number, scale), 5, never)
    alter, note = protected["questions"]
    assert alter["answered"] == "< 5" and alter["mean"] is None and alter["min"] is None and alter["max"] is None
    assert [b["count"] for b in alter["histogram"]] == ["< 5", "< 5"]
    assert note["answered"] == "< 5" and note["counts"] == {"1": 0, "2": "< 5"} and note["median"] is None


def test_histogram_bins_and_months_are_protected_against_their_total() -> None:
    number = {"id": "alter", "type": "number", "answered": 30, "mean": 41.0, "median": 40.0, "min": 18, "max": 80,
              "histogram": [{"from": 0, "to": 25, "count": 2}, {"from": 25, "to": 50, "count": 20},
                            {"from": 50, "to": 75, "count": 6}, {"from": 75, "to": 100, "count": 2}]}  # fmt: skip
    date = {"id": "tag", "type": "date", "answered": 12, "answers": ["2026-05-01"] * 12,
            "months": {"2026-05": 9, "2026-06": 3}}  # fmt: skip
    alter, tag = protect_results(results(number, date), 5, never)["questions"]
    assert [b["count"] for b in alter["histogram"]] == ["< 5", 20, 6, "< 5"]  # two hidden: neither follows
    assert tag["months"] == {"2026-05": "x", "2026-06": "< 5"}
    assert tag["answers"] == [] and "withheld" not in tag  # single dates are never listed, nor to be approved


def test_small_response_counts_and_weeks() -> None:
    weeks = {"2026-11-02": {"started": 30, "completed": 28}, "2026-11-09": {"started": 2, "completed": 1}}
    protected = protect_results(results(started=32, completed=29, weeks=weeks) | {
        "responses": {"started": 32, "completed": 29, "weeks": weeks}}, 5, never)  # fmt: skip
    assert protected["responses"]["weeks"] == {
        "2026-11-02": {"started": "x", "completed": "x"},
        "2026-11-09": {"started": "< 5", "completed": "< 5"},
    }
    tiny = protect_results(results(started=3, completed=2), 5, never)
    assert tiny["responses"]["started"] == "< 5" and tiny["responses"]["completed"] == "< 5"


def test_texts_appear_only_once_approved_and_points_never() -> None:
    text = {
        "id": "wunsch",
        "type": "text",
        "answered": 3,
        "answers": ["Mehr Bänke", "Frau Meier, Hauptstr. 3", "Licht"],
    }
    place = {"id": "ort", "type": "location", "answered": 3,
             "answers": [{"lat": 51.5, "lon": 7.4}, {"text": "am Teich"}, {"text": "bei mir zu Hause"}]}  # fmt: skip
    other = {"id": "besuch", "type": "choice", "answered": 10, "counts": {"a": 5, "other": 5},
             "other_answers": ["sonntags", "nur mit Oma Erna"]}  # fmt: skip
    approved = {("wunsch", "Mehr Bänke"), ("wunsch", "Licht"), ("ort", "am Teich"), ("besuch", "sonntags")}
    wunsch, ort, besuch = protect_results(results(text, place, other), 5, lambda q, t: (q, t) in approved)["questions"]
    assert wunsch["answers"] == ["Mehr Bänke", "Licht"] and wunsch["withheld"] == 1
    assert ort["answers"] == [{"text": "am Teich"}] and ort["withheld"] == 1 and ort["points_withheld"] == 1
    assert besuch["other_answers"] == ["sonntags"] and besuch["withheld"] == 1


def _breakdown(groups: dict[str, dict[str, int]]) -> dict[str, Any]:
    """A choice question ``q`` broken down by groups of the given counts."""
    whole = {k: sum(g.get(k, 0) for g in groups.values()) for k in next(iter(groups.values()))}
    group_list = [
        {"key": key, "responses": {"started": sum(c.values()), "completed": sum(c.values())},
         "questions": [{"id": "q", "type": "choice", "answered": sum(c.values()), "counts": c}]}
        for key, c in groups.items()
    ]  # fmt: skip
    return results(choice("q", whole), started=sum(whole.values()), completed=sum(whole.values()),
                   breakdown={"by": "bezirk", "groups": group_list})  # fmt: skip


def _recoverable(cells: dict[tuple[str, str], int | str], whole: dict[str, int | str],
                 sizes: dict[str, int | str]) -> list[tuple[str, str]]:  # fmt: skip
    """Hidden cells that a line with one unknown gives away (rows add up to the group's size,
    columns to the whole survey's count)."""
    found = []
    rows = {g for g, _ in cells}
    columns = {k for _, k in cells}
    for g in rows:
        hidden = [(g, k) for k in columns if not isinstance(cells[(g, k)], int)]
        if len(hidden) == 1 and isinstance(sizes[g], int):
            found += hidden
    for k in columns:
        hidden = [(g, k) for g in rows if not isinstance(cells[(g, k)], int)]
        if len(hidden) == 1 and isinstance(whole[k], int):
            found += hidden
        if not hidden and not isinstance(whole[k], int) and any(cells[(g, k)] for g in rows):
            found.append(("*", k))  # the column gives the hidden whole-survey count away
    return found


def _cells_of(protected: dict[str, Any]) -> tuple[dict[tuple[str, str], Any], dict[str, Any], dict[str, Any]]:
    groups = protected["breakdown"]["groups"]
    cells = {(g["key"], k): v for g in groups for k, v in g["questions"][0]["counts"].items()}
    sizes = {g["key"]: g["questions"][0]["answered"] for g in groups}
    return cells, protected["questions"][0]["counts"], sizes


def test_a_breakdown_hides_small_cells_so_that_neither_rows_nor_columns_give_them_away() -> None:
    protected = protect_results(
        _breakdown({"nord": {"ja": 20, "nein": 3}, "sued": {"ja": 15, "nein": 12}, "west": {"ja": 9, "nein": 8}}),
        5,
        never,
    )
    cells, whole, sizes = _cells_of(protected)
    assert cells[("nord", "nein")] == "< 5"
    assert _recoverable(cells, whole, sizes) == []
    hidden = [key for key, value in cells.items() if not isinstance(value, int)]
    assert len(hidden) >= 4  # a rectangle at least: one more in the row, and a row below that pair


def test_small_groups_are_merged_into_other_until_large_enough() -> None:
    data = _breakdown({"nord": {"ja": 20, "nein": 10}, "sued": {"ja": 12, "nein": 8}, "hafen": {"ja": 2, "nein": 1},
                       "insel": {"ja": 1, "nein": 0}})  # fmt: skip
    groups = protect_results(data, 5, never)["breakdown"]["groups"]
    assert [g["key"] for g in groups] == ["nord", MERGED]
    merged = groups[-1]
    # 3 + 1 = 4 is still too small: the smallest large group (sued, 20) joins them
    assert merged["merged"] == ["hafen", "insel", "sued"] and merged["responses"]["started"] == 24
    assert merged["questions"][0]["counts"] == {"ja": 15, "nein": 9}


def test_a_column_whose_whole_count_is_hidden_is_not_shown_in_full() -> None:
    # the whole survey's "nein" (3+2 = 5, fine) and "vielleicht" (4: hidden) ...
    data = _breakdown({"nord": {"ja": 20, "nein": 3, "vielleicht": 4}, "sued": {"ja": 15, "nein": 2, "vielleicht": 0},
                       "west": {"ja": 30, "nein": 9, "vielleicht": 0}})  # fmt: skip
    protected = protect_results(data, 5, never)
    cells, whole, sizes = _cells_of(protected)
    assert whole["vielleicht"] == "< 5"
    assert _recoverable(cells, whole, sizes) == []


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), min_size=3, max_size=3), min_size=2, max_size=5), st.integers(2, 10))
def test_no_hidden_cell_can_be_worked_out_from_one_line(table: list[list[int]], min_group: int) -> None:
    groups = {f"g{i}": {f"o{j}": v for j, v in enumerate(row)} for i, row in enumerate(table)}
    if not all(sum(c.values()) for c in groups.values()):
        return
    protected = protect_results(_breakdown(groups), min_group, never)
    cells, whole, sizes = _cells_of(protected)
    assert _recoverable(cells, whole, sizes) == []
    shown = [v for v in itertools.chain(cells.values(), whole.values()) if isinstance(v, int)]
    assert all(v == 0 or v >= min_group for v in shown)
    for group in protected["breakdown"]["groups"]:
        started = group["responses"]["started"]
        assert started == 0 or started >= min_group or started == "x"


def test_suppress_on_its_own() -> None:
    cells = {"a": 1, "b": 7, "c": 6, "d": 0}
    assert suppress(cells, [Line(("a", "b", "c", "d"))], 5) == {"a": PRIMARY, "c": SECONDARY}
    assert suppress(cells, [], 5) == {"a": PRIMARY}
    assert suppress({"a": 7, "b": 6}, [Line(("a", "b"), total_known=False)], 5) == {"b": SECONDARY}


def test_ideas_in_public_are_the_published_ones() -> None:
    ideas = {"id": "i", "kind": "ideas", "ideas": [
        {"id": "I-1", "status": "accepted", "visibility": "published", "text": "Bäume", "supporters": 3},
        {"id": "I-2", "status": "received", "visibility": "hidden", "text": "Beleidigung", "supporters": 0},
    ]}  # fmt: skip
    protected = protect_results(ideas, 5, never)
    assert [i["id"] for i in protected["ideas"]] == ["I-1"] and protected["public"] == {"not_published": 1}


def test_a_groups_completed_count_is_protected_too() -> None:
    data = _breakdown({"nord": {"ja": 20, "nein": 10}, "sued": {"ja": 12, "nein": 8}, "west": {"ja": 5, "nein": 4}})
    data["breakdown"]["groups"][2]["responses"]["completed"] = 3  # 9 started in West, only 3 finished
    data["breakdown"]["groups"][1]["responses"]["completed"] = 15
    data["responses"]["completed"] = 30 + 15 + 3
    sizes = [g["responses"] for g in protect_results(data, 5, never)["breakdown"]["groups"]]
    assert sizes == [{"started": 30, "completed": 30}, {"started": 20, "completed": "x"},
                     {"started": 9, "completed": "< 5"}]  # fmt: skip
