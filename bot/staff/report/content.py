"""What a report says: its sections, tables and charts, built from the results dict alone.

``survey_report`` and ``idea_report`` take what ``surveys.results`` computed (for a
public report: after ``surveys.disclosure.protect_results``) and lay it out as
plain data — no numbers of their own. Every figure in a table is a ``Cell`` that
knows its place in the results JSON (``key``, e.g. ``questions/besuch/counts/oft``)
and its value there, so the HTML can carry both and a test can check them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from bot.dialogue.moderation import status_label
from bot.i18n import translator
from bot.staff.results_view import breakdown_title, figure_text, group_label, option_label
from bot.staff.words import staff_locale, staff_words
from storage.idea_records import IDEA_STATUSES
from surveys.model import IdeaCall, Question, Survey
from surveys.question_types.date import shown_date
from surveys.question_types.location import location_text

__all__ = ["Block", "Cell", "Chart", "DataTable", "Report", "Section", "Series", "idea_report", "survey_report"]

TEXT_LIMIT = 1000  # free texts listed per question; the export has them all
POINT_LIMIT = 50  # coordinates listed beside the plot
TOP_IDEAS = 10
ChartKind = Literal["bars", "columns", "grouped", "points"]


@dataclass(frozen=True)
class Cell:
    text: str
    key: str | None = None  # where this figure is in the results JSON, "/"-separated
    value: object = None  # its value there
    numeric: bool = False


@dataclass(frozen=True)
class DataTable:
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # None: hidden ("< 5", "x"): no bar, only its label
    labels: tuple[str, ...]  # written beside each bar: the count and the share


@dataclass(frozen=True)
class Chart:
    kind: ChartKind
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    axis: str = ""
    points: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class Block:
    anchor: str
    heading: str
    meta: str = ""
    meta_figure: Cell | None = None  # written after ``meta``: how many answered
    chart: Chart | None = None
    tables: tuple[DataTable, ...] = ()  # the chart's numbers first: its text alternative
    texts_title: str = ""
    texts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    anchor: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Report:
    language: str
    title: str
    marking: str
    public: bool
    facts: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    footnotes: tuple[str, ...] = field(default=())


class _Words:
    """The staff words of one language, numbers and dates in its way."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = staff_locale(language)
        self.w = staff_words(language)

    def __getitem__(self, key: str) -> str:
        return str(self.w[key])

    def figure(self, value: object) -> str:
        return figure_text(value, self.language)

    def coordinate(self, degrees: float) -> str:
        return format_decimal(degrees, format="0.00000", locale=self.locale)  # about a metre

    def share(self, count: object, total: object) -> str:
        if not _countable(count) or not _countable(total) or not total:
            return "–"
        return format_percent(count / total, format="#,##0.0 %", locale=self.locale)  # type: ignore[operator]

    def day(self, day: dt.date) -> str:
        return format_date(day, format="medium", locale=self.locale)


def _countable(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value: object, key: str, say: _Words) -> Cell:
    return Cell(say.figure(value), key, value, numeric=True)


# --- surveys -------------------------------------------------------------------------------


def survey_report(results: Mapping[str, Any], survey: Survey, language: str, *, public: bool, today: dt.date) -> Report:
    """The report of a survey's ``results`` (protected ones when ``public``)."""
    say = _Words(language)
    responses = results["responses"]
    sections = [Section("participation", say["report.participation"], tuple(_participation(responses, say)))]
    blocks = [
        _question_block(index, survey.question(summary["id"]), summary, say, public)
        for index, summary in enumerate(results["questions"], start=1)
    ]
    sections.append(Section("questions", say["report.questions"], tuple(blocks)))
    if "breakdown" in results:
        sections.append(_breakdown_section(results, survey, say))
    return Report(
        language=language,
        title=survey.title.get(language),
        marking=say["report.public" if public else "report.intern"],
        public=public,
        facts=_facts(survey, responses, say, today),
        sections=tuple(sections),
        footnotes=_footnotes(results, survey, say, public),
    )


def _facts(survey: Survey | IdeaCall, responses: Mapping[str, Any] | None, say: _Words,
           today: dt.date) -> tuple[tuple[str, str], ...]:  # fmt: skip
    opens = say.day(survey.opens.date()) if survey.opens else None
    closes = say.day(survey.closes.date()) if survey.closes else None
    if opens and closes:
        period = f"{opens} – {closes}"
    elif opens or closes:
        period = say["report.since" if opens else "report.until"].format(day=opens or closes)
    else:
        period = say["report.open_end"]
    facts = [(say["report.period"], period), (say["report.created"], say.day(today))]
    if responses is not None:
        facts += [(say["started"], say.figure(responses["started"])),
                  (say["completed"], say.figure(responses["completed"]))]  # fmt: skip
    return tuple(facts)


def _participation(responses: Mapping[str, Any], say: _Words) -> list[Block]:
    rows = [
        (Cell(say["started"]), _cell(responses["started"], "responses/started", say)),
        (Cell(say["completed"]), _cell(responses["completed"], "responses/completed", say)),
    ]
    if "unfinished_not_counted" in responses:  # anonymous: begun ones count once finished
        value = responses["unfinished_not_counted"]
        rows.append((Cell(say["report.unfinished"]), _cell(value, "responses/unfinished_not_counted", say)))
    counts = DataTable(say["report.participation"], (say["report.responses"], say["count"]), tuple(rows))
    blocks = [Block("participation-counts", say["report.responses"], tables=(counts,))]
    weeks: Mapping[str, Mapping[str, Any]] = responses.get("weeks") or {}
    if weeks:
        labels = tuple(say.day(dt.date.fromisoformat(w)) for w in weeks)
        table = DataTable(
            say["report.over_time"],
            (say["report.week_of"], say["started"], say["completed"]),
            tuple(
                (
                    Cell(label),
                    _cell(counts_of["started"], f"responses/weeks/{week}/started", say),
                    _cell(counts_of["completed"], f"responses/weeks/{week}/completed", say),
                )
                for label, (week, counts_of) in zip(labels, weeks.items(), strict=True)
            ),
        )
        series = tuple(
            Series(
                say[key],
                tuple(_plotted(c[key]) for c in weeks.values()),
                tuple(say.figure(c[key]) for c in weeks.values()),
            )
            for key in ("started", "completed")
        )
        chart = Chart("grouped", say["report.over_time"], labels, series, axis=say["count"])
        blocks.append(Block("participation-weeks", say["report.over_time"], chart=chart, tables=(table,)))
    channels: Mapping[str, Mapping[str, Any]] = responses.get("channels") or {}
    if channels:
        blocks.append(_by_channel(channels, say))
    return blocks


def _by_channel(channels: Mapping[str, Mapping[str, Any]], say: _Words) -> Block:
    title = say["report.by_channel"]
    names = tuple(channels)
    table = DataTable(
        title,
        (say["report.channel"], say["started"], say["completed"]),
        tuple(
            (
                Cell(name),
                _cell(counts["started"], f"responses/channels/{name}/started", say),
                _cell(counts["completed"], f"responses/channels/{name}/completed", say),
            )
            for name, counts in channels.items()
        ),
    )
    series = tuple(
        Series(say[key], tuple(_plotted(c[key]) for c in channels.values()),
               tuple(say.figure(c[key]) for c in channels.values()))
        for key in ("started", "completed")
    )  # fmt: skip
    chart = Chart("grouped", title, names, series, axis=say["count"])
    return Block("participation-channels", title, chart=chart, tables=(table,))


def _plotted(value: object) -> float | None:
    return float(value) if _countable(value) else None  # type: ignore[arg-type]


def _option_label(question: Question | None, key: str, say: _Words) -> str:
    return option_label(question, key, say.w, say.language)


def _question_block(index: int, question: Question | None, summary: Mapping[str, Any], say: _Words,
                    public: bool) -> Block:  # fmt: skip
    qid = summary["id"]
    text = question.text.get(say.language) if question else qid
    heading = f"{index}. {text}"
    meta = say["report.answered_by"]
    answered = _cell(summary.get("answered", 0), f"questions/{qid}/answered", say)
    base = f"questions/{qid}"
    chart: Chart | None = None
    table: DataTable | None = None
    texts: tuple[str, ...] = ()
    texts_title = ""
    notes: list[str] = []
    kind = summary["type"]
    if "counts" in summary:
        chart, table = _counts(question, summary, base, heading, say)
    elif "histogram" in summary and summary["histogram"]:
        chart, table = _histogram(summary, base, heading, say)
    elif kind == "date" and summary.get("months"):
        chart, table = _months(summary, base, heading, say)
    if not summary.get("answered"):
        chart = None  # bars of nothing: the table of zeros says it
    tables = [table] if table is not None else []
    if {"mean", "median"} <= set(summary) and summary.get("answered"):
        figures = ((*(_cell(summary.get(k), f"{base}/{k}", say) for k in ("mean", "median", "min", "max")),),)
        tables.append(DataTable(heading, tuple(say[k] for k in ("mean", "median", "min", "max")), figures))
    if kind == "location":
        chart, points, texts, more = _places(summary, heading, say)
        tables += [points] if points else []
        texts_title = say["report.places"]
        notes += more
    elif kind == "date" and not public and summary.get("answers"):
        texts = tuple(shown_date(a, say.locale) for a in summary["answers"][:TEXT_LIMIT])
        texts_title = say["report.answers"]
    elif kind == "date" and public and summary.get("answered"):
        notes.append(say["report.not_listed"])
    elif "answers" in summary:
        texts = tuple(str(a) for a in summary["answers"][:TEXT_LIMIT])
        texts_title = say["report.answers"]
    if summary.get("other_answers"):
        texts = tuple(str(a) for a in summary["other_answers"][:TEXT_LIMIT])
        texts_title = say["other_answers"]
    listed = len(summary.get("answers") or summary.get("other_answers") or [])
    if listed > TEXT_LIMIT and kind != "location":
        notes.append(say["report.more_texts"].format(n=listed - TEXT_LIMIT))
    if kind == "photo":
        notes.append(f"{say['report.photos']}: {say.figure(summary.get('files', 0))}")
    if summary.get("withheld"):
        notes.append(say["report.withheld"].format(n=summary["withheld"]))
    if summary.get("points_withheld"):
        notes.append(say["report.points_public"].format(n=summary["points_withheld"]))
    if not summary.get("answered"):
        notes.append(say["none"])
    return Block(f"q-{qid}", heading, meta, answered, chart, tuple(tables), texts_title, texts, tuple(notes))


def _counts(question: Question | None, summary: Mapping[str, Any], base: str, title: str,
            say: _Words) -> tuple[Chart, DataTable]:  # fmt: skip
    answered = summary.get("answered")
    counts: Mapping[str, Any] = summary["counts"]
    labels = tuple(_option_label(question, key, say) for key in counts)
    rows = tuple(
        (Cell(label), _cell(count, f"{base}/counts/{key}", say), Cell(say.share(count, answered), numeric=True))
        for label, (key, count) in zip(labels, counts.items(), strict=True)
    )
    table = DataTable(title, (say["answer"], say["count"], say["share"]), rows)
    series = Series(
        say["count"],
        tuple(_plotted(c) for c in counts.values()),
        tuple(_bar_label(c, answered, say) for c in counts.values()),
    )
    return Chart("bars", title, labels, (series,), axis=say["count"]), table


def _bar_label(count: object, total: object, say: _Words) -> str:
    share = say.share(count, total)
    return say.figure(count) if share == "–" else f"{say.figure(count)} ({share})"


def _histogram(summary: Mapping[str, Any], base: str, title: str, say: _Words) -> tuple[Chart, DataTable]:
    bins: Sequence[Mapping[str, Any]] = summary["histogram"]
    labels = tuple(f"{say.figure(b['from'])} – {say.figure(b['to'])}" for b in bins)
    rows = tuple(
        (Cell(label), _cell(b["count"], f"{base}/histogram/{i}/count", say))
        for i, (label, b) in enumerate(zip(labels, bins, strict=True))
    )
    table = DataTable(title, (say["report.range"], say["count"]), rows)
    series = Series(
        say["count"], tuple(_plotted(b["count"]) for b in bins), tuple(say.figure(b["count"]) for b in bins)
    )
    return Chart("columns", title, labels, (series,), axis=say["count"]), table


def _months(summary: Mapping[str, Any], base: str, title: str, say: _Words) -> tuple[Chart, DataTable]:
    months: Mapping[str, Any] = summary["months"]
    labels = tuple(format_date(dt.date.fromisoformat(m + "-01"), "MMM yyyy", locale=say.locale) for m in months)
    rows = tuple(
        (Cell(label), _cell(count, f"{base}/months/{month}", say))
        for label, (month, count) in zip(labels, months.items(), strict=True)
    )
    table = DataTable(title, (say["report.month"], say["count"]), rows)
    series = Series(
        say["count"], tuple(_plotted(c) for c in months.values()), tuple(say.figure(c) for c in months.values())
    )
    return Chart("columns", title, labels, (series,), axis=say["count"]), table


def _places(summary: Mapping[str, Any], title: str,
            say: _Words) -> tuple[Chart | None, DataTable | None, tuple[str, ...], list[str]]:  # fmt: skip
    """A plot of the points with their coordinates, and the places in words (a public summary
    has no points: ``protect_results`` counts them among ``withheld``)."""
    answers = summary.get("answers") or []
    points = [(float(a["lat"]), float(a["lon"])) for a in answers if isinstance(a, Mapping) and "lat" in a]
    places = tuple(location_text(a) for a in answers if not (isinstance(a, Mapping) and "lat" in a))
    notes: list[str] = []
    if not points:
        return None, None, places[:TEXT_LIMIT], notes
    chart = Chart("points", title, (), (), points=tuple(points))
    rows = tuple(
        (Cell(say.coordinate(lat), numeric=True), Cell(say.coordinate(lon), numeric=True))
        for lat, lon in points[:POINT_LIMIT]
    )
    if len(points) > POINT_LIMIT:
        notes.append(say["more"].format(n=len(points) - POINT_LIMIT))
    table = DataTable(say["report.points"], (say["report.latitude"], say["report.longitude"]), rows)
    return chart, table, places[:TEXT_LIMIT], notes


def _breakdown_section(results: Mapping[str, Any], survey: Survey, say: _Words) -> Section:
    breakdown = results["breakdown"]
    by = breakdown["by"]
    by_question = survey.question(by)
    by_title = breakdown_title(by, by_question, say.w, say.language)
    groups = [g for g in breakdown["groups"] if g["responses"]["started"] != 0]  # an empty group says nothing
    labels = tuple(group_label(by, by_question, g["key"], say.w, say.language) for g in groups)
    blocks = [_group_sizes(groups, labels, say)]
    for index, summary in enumerate(results["questions"]):
        if summary["id"] == by or "counts" not in summary and "mean" not in summary:
            continue
        question = survey.question(summary["id"])
        title = question.text.get(say.language) if question else summary["id"]
        rows_of = [g["questions"][index] for g in groups]
        blocks.append(_breakdown_block(question, summary, rows_of, groups, labels, title, say))
    return Section("breakdown", say["report.breakdown"].format(by=by_title), tuple(blocks))


def _group_sizes(groups: Sequence[Mapping[str, Any]], labels: tuple[str, ...], say: _Words) -> Block:
    rows = tuple(
        (
            Cell(label),
            _cell(g["responses"]["started"], f"breakdown/{g['key']}/responses/started", say),
            _cell(g["responses"]["completed"], f"breakdown/{g['key']}/responses/completed", say),
        )
        for label, g in zip(labels, groups, strict=True)
    )
    table = DataTable(say["report.participation"], (say["report.group"], say["started"], say["completed"]), rows)
    return Block("breakdown-groups", say["report.participation"], tables=(table,))


def _breakdown_block(question: Question | None, whole: Mapping[str, Any], rows_of: Sequence[Mapping[str, Any]],
                     groups: Sequence[Mapping[str, Any]], labels: tuple[str, ...], title: str,
                     say: _Words) -> Block:  # fmt: skip
    qid = whole["id"]
    if "counts" not in whole:  # a number: the mean of each group
        rows = tuple(
            (
                Cell(label),
                _cell(row["answered"], f"breakdown/{g['key']}/questions/{qid}/answered", say),
                _cell(row.get("mean"), f"breakdown/{g['key']}/questions/{qid}/mean", say),
            )
            for label, g, row in zip(labels, groups, rows_of, strict=True)
        )
        table = DataTable(title, (say["report.group"], "n", say["mean"]), rows)
        return Block(f"by-{qid}", title, tables=(table,))
    keys = tuple(whole["counts"])
    options = tuple(_option_label(question, key, say) for key in keys)
    table_rows = []
    for label, g, row in zip(labels, groups, rows_of, strict=True):
        cells = [Cell(label), _cell(row["answered"], f"breakdown/{g['key']}/questions/{qid}/answered", say)]
        for key in keys:
            count = row["counts"].get(key, 0)
            cells.append(_cell(count, f"breakdown/{g['key']}/questions/{qid}/counts/{key}", say))
            cells.append(Cell(say.share(count, row["answered"]), numeric=True))
        table_rows.append(tuple(cells))
    head = (say["report.group"], "n", *(h for option in options for h in (option, "%")))
    series = tuple(
        Series(
            label,
            tuple(_plotted(row["counts"].get(key, 0)) for key in keys),
            tuple(_bar_label(row["counts"].get(key, 0), row["answered"], say) for key in keys),
        )
        for label, row in zip(labels, rows_of, strict=True)
    )
    chart = Chart("grouped", title, options, series, axis=say["count"])
    return Block(f"by-{qid}", title, chart=chart, tables=(DataTable(title, head, tuple(table_rows)),))


def _footnotes(results: Mapping[str, Any], survey: Survey, say: _Words, public: bool) -> tuple[str, ...]:
    notes = [say["report.method"]]
    if not public:
        return (*notes, say["report.note_staff"])
    protection = results.get("public") or {}
    n = protection.get("min_group", 5)
    notes.append(say["report.note_primary"].format(mark=protection.get("primary", f"< {n}"), n=n))
    notes.append(say["report.note_secondary"].format(mark=protection.get("secondary", "x"), n=n))
    for group in (results.get("breakdown") or {}).get("groups", []):
        if group.get("merged"):
            by = results["breakdown"]["by"]
            names = ", ".join(group_label(by, survey.question(by), k, say.w, say.language) for k in group["merged"])
            notes.append(say["report.note_merged"].format(n=n, groups=names))
    return tuple(notes)


# --- idea calls ----------------------------------------------------------------------------


def idea_report(results: Mapping[str, Any], call: IdeaCall, language: str, *, public: bool,
                today: dt.date) -> Report:  # fmt: skip
    """The report of an idea call: by status and category, the most supported, their news.

    Ideas that are not published are counted but never quoted, in either report."""
    say = _Words(language)
    t = translator(language)
    ideas: Sequence[Mapping[str, Any]] = results["ideas"]
    published = [i for i in ideas if i.get("visibility", "published") == "published"]
    total = len(ideas) + int((results.get("public") or {}).get("not_published", 0))
    facts = (
        *_facts(call, None, say, today),
        (say["report.ideas_total"], say.figure(total)),
        (say["report.ideas_published"], say.figure(len(published))),
        (say["report.ideas_moderated"], say.figure(total - len(published))),
    )
    by_status = {s: sum(1 for i in published if i["status"] == s) for s in IDEA_STATUSES}
    labelled = {status_label(t, s): c for s, c in by_status.items()}
    status_block = _idea_counts("ideas-status", say["report.by_status"], say["status"], labelled, say)
    categories = {c.id: c.label.get(language) for c in call.categories}
    by_category: dict[str, int] = dict.fromkeys(categories.values(), 0)
    for idea in published:
        name = categories.get(idea.get("category") or "", idea.get("category") or say["report.no_category"])
        by_category[name] = by_category.get(name, 0) + 1
    blocks = [
        status_block,
        _idea_counts("ideas-category", say["report.by_category"], say["category"], by_category, say),
    ]
    top = sorted(published, key=lambda i: -int(i["supporters"]))[:TOP_IDEAS]
    top_rows = tuple(
        (
            Cell(str(rank), numeric=True),
            Cell(str(idea["text"])),
            Cell(categories.get(idea.get("category") or "", idea.get("category") or "–")),
            Cell(status_label(t, idea["status"])),
            _cell(idea["supporters"], f"ideas/{idea['id']}/supporters", say),
        )
        for rank, idea in enumerate(top, start=1)
    )
    head = (say["report.rank"], say["idea"], say["category"], say["status"], say["supporters"])
    blocks.append(Block("ideas-top", say["report.top"], tables=(DataTable(say["report.top"], head, top_rows),)))
    news = [i for i in published if i.get("status_news")]
    news_rows = tuple(
        (Cell(str(i["text"])), Cell(status_label(t, i["status"])),
         _cell(i["status_news"], f"ideas/{i['id']}/status_news", say))
        for i in news
    )  # fmt: skip
    news_table = DataTable(say["report.news"], (say["idea"], say["status"], say["report.news_sent"]), news_rows)
    blocks.append(
        Block("ideas-news", say["report.news"], tables=(news_table,), notes=() if news else (say["report.none"],))
    )
    return Report(
        language=language,
        title=call.title.get(language),
        marking=say["report.public" if public else "report.intern"],
        public=public,
        facts=facts,
        sections=(Section("ideas", say["ideas"], tuple(blocks)),),
        footnotes=(say["report.ideas_moderated"],) + (() if public else (say["report.note_staff"],)),
    )


def _idea_counts(anchor: str, title: str, head: str, counts: Mapping[str, int], say: _Words) -> Block:
    total = sum(counts.values())
    rows = tuple(
        (Cell(label), Cell(say.figure(c), None, c, numeric=True), Cell(say.share(c, total), numeric=True))
        for label, c in counts.items()
    )
    table = DataTable(title, (head, say["count"], say["share"]), rows)
    series = Series(say["count"], tuple(float(c) for c in counts.values()),
                    tuple(_bar_label(c, total, say) for c in counts.values()))  # fmt: skip
    chart = Chart("bars", title, tuple(counts), (series,), axis=say["count"])
    return Block(anchor, title, chart=chart, tables=(table,))
