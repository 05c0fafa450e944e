"""Results for staff at the terminal: per question a table with bars, figures, or the texts.

``render_results`` takes the dict of ``surveys.results`` (what
``mitwirken results --format json`` prints) and lays it out with rich. The
bars are block characters, so the chart survives ``no_color`` consoles, pipes
and screen readers (which read the count and percent columns beside it).
Texts from files and citizens go in as ``rich.text.Text``, never as markup:
``[/b]`` in an idea or ``[unter 6]`` in a label is shown as written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from babel.numbers import format_decimal, format_percent
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text as RichText

from adapters.base import clean_text
from bot.i18n import translator
from bot.staff.words import channel_name, staff_locale
from bot.staff.words import staff_words as _words
from surveys.disclosure import MERGED
from surveys.model import IdeaCall, Question, QuestionType, Survey
from surveys.question_types import KINDS, kind_of
from surveys.question_types.location import location_text
from surveys.results import CHANNEL, NO_ANSWER

__all__ = ["figure_text", "render_results"]

BAR_WIDTH = 24
LIST_LIMIT = 20
_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar(share: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar for ``share`` (0..1) in block characters, eighths at the end."""
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, rest = divmod(eighths, 8)
    return ("█" * full + (_EIGHTHS[rest] if rest else "")).ljust(width)


def option_label(question: Question | None, key: str, words: Mapping[str, str], language: str) -> str:
    """An answer's key as staff read it (an option's text, "Ja", …); the key itself once the question is gone."""
    if question is not None:
        return kind_of(question).count_label(question, key, language, words)
    return words[key] if key in ("yes", "no", "other") else key  # the question is gone from the file


def _counts_table(question: Question | None, summary: Mapping[str, Any], words: Mapping[str, str],
                  language: str) -> Table:  # fmt: skip
    table = Table(show_edge=False, pad_edge=False, box=None)
    table.add_column(words["answer"])
    table.add_column(words["count"], justify="right")
    table.add_column(words["share"], justify="right")
    table.add_column("", no_wrap=True)
    answered = summary.get("answered") or 0
    for key, count in summary["counts"].items():
        label = option_label(question, key, words, language)
        if not isinstance(count, int) or not isinstance(answered, int):  # hidden in public results: "< 5", "x"
            table.add_row(RichText(label), str(count), "–", "")
            continue
        share = count / answered if answered else 0.0
        table.add_row(
            RichText(label),
            format_decimal(count, locale=staff_locale(language)),
            format_percent(share, locale=staff_locale(language)),
            bar(share),
        )
    return table


def figure_text(value: object, language: str) -> str:
    """A figure as the output language writes it: ``6,67`` in German, at most two decimals."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_decimal(value, format="#,##0.##", locale=staff_locale(language))
    return "–" if value is None else str(value)


def _figures(summary: Mapping[str, Any], words: Mapping[str, str], language: str) -> RichText:
    parts = [f"{words[key]}: {figure_text(summary.get(key), language)}" for key in ("mean", "median", "min", "max")]
    return RichText("   ".join(parts))


def _answer_text(question: Question | None, answer: object, language: str) -> str:
    """A listed answer as people read it, in full: a date in the language's way (``24.12.2026``),
    a place as text."""
    if question is None:  # gone from the file: as stored
        return location_text(answer)
    return kind_of(question).reads_as(question, answer, translator(language), limit=None)


def _numbered(
    answers: Sequence[object], words: Mapping[str, str], question: Question | None = None, language: str = "de"
) -> RichText:
    lines = RichText()
    for number, answer in enumerate(answers[:LIST_LIMIT], start=1):
        lines.append(f"{number:>3}. {clean_text(_answer_text(question, answer, language))}\n")
    if len(answers) > LIST_LIMIT:
        lines.append("     " + words["more"].format(n=len(answers) - LIST_LIMIT) + "\n")
    lines.rstrip()
    return lines


def _question_body(question: Question | None, summary: Mapping[str, Any], words: Mapping[str, str],
                   language: str) -> list[RenderableType]:  # fmt: skip
    if not summary.get("answered"):
        return [RichText(words["none"], style="italic")]
    parts: list[RenderableType] = []
    for part in KINDS[QuestionType(summary["type"])].drawn:
        if part == "counts":
            parts.append(_counts_table(question, summary, words, language))
        elif part == "figures":
            parts.append(_figures(summary, words, language))
        elif part == "answers" and summary.get("answers"):
            parts.append(_numbered(summary["answers"], words, question, language))
        elif part == "other_answers" and summary.get("other_answers"):
            parts += [RichText(words["other_answers"] + ":", style="bold"), _numbered(summary["other_answers"], words)]
        elif part == "files":
            parts.append(RichText(words["files"].format(n=summary["files"])))
    if summary.get("withheld"):  # results --public: texts not approved with ``mitwirken texts``
        parts.append(RichText(words["report.withheld"].format(n=summary["withheld"]), style="italic"))
    return parts


def group_label(by: str, question: Question | None, key: str, labels: Mapping[str, str], language: str) -> str:
    """A group of a breakdown by ``by`` (a question, or the channel) as staff read it."""
    if key == NO_ANSWER:
        return labels["report.no_answer"]
    if key == MERGED:
        return labels["report.merged"]
    if by == CHANNEL:
        return channel_name(key, language)
    return option_label(question, key, labels, language)


def breakdown_title(by: str, question: Question | None, labels: Mapping[str, str], language: str) -> str:
    """What a breakdown is by: the question's text, or "Kanal"."""
    if question is not None:
        return question.text.get(language)
    return labels["channel"] if by == CHANNEL else by


def _breakdown(results: Mapping[str, Any], survey: Survey | None, labels: Mapping[str, str], language: str) -> Group:
    """``--by``: per question with counts, a table of the groups (rows) and its answers (columns)."""
    breakdown = results["breakdown"]
    by = breakdown["by"]
    by_question = survey.question(by) if survey else None
    groups = [g for g in breakdown["groups"] if g["responses"]["started"] != 0]
    title = breakdown_title(by, by_question, labels, language)
    blocks: list[RenderableType] = [RichText(labels["report.breakdown"].format(by=title), style="bold underline")]
    for index, summary in enumerate(results["questions"]):
        if summary["id"] == by or "counts" not in summary:
            continue
        question = survey.question(summary["id"]) if survey else None
        table = Table(show_edge=False, pad_edge=False, box=None)
        table.add_column(labels["report.group"])
        table.add_column("n", justify="right")
        for key in summary["counts"]:
            table.add_column(RichText(option_label(question, key, labels, language)), justify="right")
        for group in groups:
            row = group["questions"][index]
            cells = [figure_text(row["counts"].get(k, 0), language) for k in summary["counts"]]
            label = group_label(by, by_question, group["key"], labels, language)
            table.add_row(RichText(label), figure_text(row["answered"], language), *cells)
        text = question.text.get(language) if question else summary["id"]
        blocks += [RichText(text, style="bold"), table, RichText("")]
    return Group(*blocks)


def _question(index: int, survey: Survey | None, summary: Mapping[str, Any], words: Mapping[str, str],
              language: str) -> RenderableType:  # fmt: skip
    question = survey.question(summary["id"]) if survey else None
    text = question.text.get(language) if question else summary["id"]
    heading = RichText(f"{index}. {text}", style="bold")
    heading.append(f"  ({summary['id']}, {summary['type']}, {words['answered']}: {summary.get('answered', 0)})",
                   style="dim")  # fmt: skip
    return Group(heading, *_question_body(question, summary, words, language), RichText(""))


def _ideas(results: Mapping[str, Any], call: IdeaCall | None, words: Mapping[str, str], language: str) -> Group:
    """Every idea with its status, visibility and category as staff read them in ``language``: one
    block per idea, the facts on one line and the text below (a table folds every word in 80 columns)."""
    from bot.dialogue.moderation import status_label  # the dialogue package: only idea calls need it here

    t = translator(language)
    categories = {c.id: c.label.get(language) for c in call.categories} if call else {}
    blocks: list[RenderableType] = []
    for idea in results["ideas"]:
        category = idea.get("category")
        visibility = idea.get("visibility", "published")
        facts = (
            f"{words['status']}: {status_label(t, idea['status'])}",
            f"{words['visibility']}: {words.get(visibility, visibility)}",
            f"{words['category']}: {categories.get(category, category) if category else '–'}",
            f"{words['supporters']}: {idea['supporters']}",
        )
        head = RichText(str(idea["id"]), style="bold")
        head.append("  " + " · ".join(facts))
        blocks += [head, Padding(RichText(clean_text(idea["text"])), (0, 0, 1, 2))]  # citizens' text: never markup
    return Group(*blocks)


def render_results(results: dict[str, Any], survey: Survey | IdeaCall | None, language: str, console: Console) -> None:
    """Print ``results`` (from ``surveys.results``) readably; texts in ``language`` where the file has them."""
    words = _words(language)
    title = survey.title.get(language) if survey else results["id"]
    console.print(RichText(title, style="bold underline"))
    if results.get("kind") == "ideas":
        console.print(f"{words['ideas']}: {len(results['ideas'])}\n")
        console.print(_ideas(results, survey if isinstance(survey, IdeaCall) else None, words, language))
        return
    counts = results["responses"]
    console.print(f"{words['started']}: {counts['started']}   {words['completed']}: {counts['completed']}")
    if counts.get("unfinished_not_counted"):
        note = words.get("anonymous_unfinished", "")
        console.print(note.format(n=counts["unfinished_not_counted"]))
    console.print()
    for index, summary in enumerate(results["questions"], start=1):
        console.print(_question(index, survey if isinstance(survey, Survey) else None, summary, words, language))
    if "breakdown" in results:
        console.print(_breakdown(results, survey if isinstance(survey, Survey) else None, dict(words), language))
