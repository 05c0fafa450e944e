"""A report as one self-contained HTML file (jinja2, autoescaped), and as a tagged PDF from it.

The HTML has its stylesheet inline and its charts as inline SVG: no external
asset, so the file can be mailed, archived and opened offline. The PDF is the
same HTML printed by WeasyPrint as PDF/UA-1 (tagged, with ``/Lang`` from the
page's ``lang``), the charts there as SVG images with their alternative text,
so the two never differ in what they say.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from bot.staff.report.content import Report
from bot.staff.words import staff_words

__all__ = ["render_html", "write_pdf", "write_report"]

_WORDS = {
    "de": {"contents": "Inhalt", "chart": "Diagramm: {title}. Die Zahlen stehen in der Tabelle darunter.",
           "chart_caption": "Abbildung: {title}", "table": "{title}"},
    "en": {"contents": "Contents", "chart": "Chart: {title}. The numbers are in the table below it.",
           "chart_caption": "Figure: {title}", "table": "{title}"},
}  # fmt: skip


def _environment() -> jinja2.Environment:
    templates = resources.files("bot.staff.report") / "templates"
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: (templates / name).read_text(encoding="utf-8")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
    )


def render_html(report: Report, progress: Callable[[], None] | None = None, *, for_pdf: bool = False) -> str:
    """The whole report as HTML; ``progress`` is called once per chart drawn. ``for_pdf``: the charts
    as images with alternative text (tagged so in the PDF) instead of inline SVG."""
    from bot.staff.report.charts import chart_image, chart_svg

    language = "de" if report.language.split("-")[0] == "de" else "en"
    words = _WORDS[language]
    svgs: dict[str, Markup] = {}
    number = 0
    for section in report.sections:
        for block in section.blocks:
            if block.chart is not None:
                number += 1
                label = words["chart"].format(title=block.chart.title)
                drawn = chart_image(block.chart, label) if for_pdf else chart_svg(block.chart, number, label)
                svgs[block.anchor] = Markup(drawn)  # noqa: S704 (matplotlib's SVG, the label escaped)
                if progress:
                    progress()
    environment = _environment()
    css = (resources.files("bot.staff.report") / "templates" / "report.css").read_text(encoding="utf-8")
    return str(
        environment.get_template("report.html.j2").render(
            report=report,
            svgs=svgs,
            css=Markup(css),  # noqa: S704 (our own stylesheet)
            contents=words["contents"],
            chart_caption=words["chart_caption"],
            table_caption=words["table"],
            notes_heading=staff_words(report.language)["report.footnotes"],
        )
    )


def write_pdf(html: str, out: Path) -> None:
    """``html`` printed to ``out`` as a tagged PDF/UA-1 (its fonts embedded), as printed matter is."""
    import logging

    from bot.staff import printing

    # it warns of each SVG style property it does not draw (matplotlib's hatching): nothing staff can act on
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    printing.write_pdf(html, out, base_url=out.parent)


def write_report(report: Report, out: Path, progress: Callable[[], None] | None = None) -> None:
    """``report`` into ``out``: PDF for ``.pdf``, else HTML."""
    if out.suffix.lower() == ".pdf":
        write_pdf(render_html(report, progress, for_pdf=True), out)
    else:
        out.write_text(render_html(report, progress), encoding="utf-8")
