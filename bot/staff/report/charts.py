"""The charts of a report, drawn with matplotlib (Agg) as inline SVG.

Readable for colour-blind readers and in black-and-white print: the Okabe–Ito
palette, a hatching pattern per series, and every bar labelled with its number,
so no reading depends on a colour. A hidden number ("< 5", "x") gets no bar,
only its label. The SVG's ids are made unique per chart, so several can share
one HTML page; text stays text (DejaVu Sans, from fonts-dejavu-core).
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bot.staff.report.content import Chart  # noqa: E402

__all__ = ["PALETTE", "chart_image", "chart_svg"]

# Okabe & Ito (2008): told apart with every common colour-vision deficiency
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "--", "++")
WIDTH = 7.0  # inches: the text width of an A4 page with margins

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "mitwirken",  # the same report gives the same file
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "hatch.linewidth": 0.8,
        "hatch.color": "#ffffff",
    }
)


def chart_svg(chart: Chart, number: int, label: str) -> str:
    """The chart as an ``<svg>`` element to put into HTML, its ids prefixed with ``c{number}-``,
    an image named ``label`` to assistive technology (the table after it has the numbers)."""
    return _inline(_svg_document(chart), f"c{number}-", label)


def chart_image(chart: Chart, label: str) -> str:
    """The chart as an ``<img>`` of an SVG data URI with ``label`` as its ``alt``: what the PDF
    takes, since WeasyPrint tags an image with its alternative text (PDF/UA) but not inline SVG."""
    encoded = base64.b64encode(_svg_document(chart).encode("utf-8")).decode("ascii")
    return f'<img src="data:image/svg+xml;base64,{encoded}" alt="{html.escape(label, quote=True)}">'


def _svg_document(chart: Chart) -> str:
    figure = _draw(chart)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    return buffer.getvalue()


def _draw(chart: Chart) -> Figure:
    if chart.kind == "points":
        return _points(chart)
    if chart.kind == "bars":
        return _bars(chart)
    if chart.kind == "columns":
        return _columns(chart)
    return _grouped(chart)


def _bars(chart: Chart) -> Figure:
    """Horizontal bars, one per category, top to bottom in the table's order."""
    series = chart.series[0]
    rows = len(chart.categories)
    figure, axes = plt.subplots(figsize=(WIDTH, 0.8 + 0.38 * rows))
    positions = list(range(rows))[::-1]
    values = [v or 0.0 for v in series.values]
    axes.barh(positions, values, color=PALETTE[0], height=0.65)
    axes.set_yticks(positions, labels=list(chart.categories))
    _label_bars(axes, positions, values, series.labels, horizontal=True)
    axes.set_xlabel(chart.axis)
    axes.set_xlim(0, max(values + [1.0]) * 1.25)
    return figure


def _columns(chart: Chart) -> Figure:
    """Upright columns side by side: a histogram's bins, months."""
    series = chart.series[0]
    figure, axes = plt.subplots(figsize=(WIDTH, 3.0))
    positions = list(range(len(chart.categories)))
    values = [v or 0.0 for v in series.values]
    axes.bar(positions, values, color=PALETTE[0], width=0.9 if len(positions) > 1 else 0.5)
    axes.set_xticks(positions, labels=list(chart.categories), rotation=30 if len(positions) > 5 else 0, ha="right"
                    if len(positions) > 5 else "center")  # fmt: skip
    _label_bars(axes, positions, values, series.labels, horizontal=False)
    axes.set_ylabel(chart.axis)
    axes.set_ylim(0, max(values + [1.0]) * 1.2)
    return figure


def _grouped(chart: Chart) -> Figure:
    """Horizontal bars grouped by category, one colour and hatching per series, with a legend."""
    groups = len(chart.categories)
    count = max(1, len(chart.series))
    height = min(0.8 / count, 0.3)
    figure, axes = plt.subplots(figsize=(WIDTH, 1.0 + groups * (count * height + 0.35)))
    top = max(values for s in chart.series for values in [v or 0.0 for v in s.values] or [0.0])
    for index, series in enumerate(chart.series):
        positions = [(groups - 1 - g) + (count - 1 - index - (count - 1) / 2) * height for g in range(groups)]
        values = [v or 0.0 for v in series.values]
        axes.barh(
            positions,
            values,
            height=height * 0.92,
            color=PALETTE[index % len(PALETTE)],
            hatch=HATCHES[index % len(HATCHES)],
            edgecolor="#000000",
            linewidth=0.4,
            label=series.name,
        )
        _label_bars(axes, positions, values, series.labels, horizontal=True, size=7)
    axes.set_yticks(list(range(groups))[::-1], labels=list(chart.categories))
    axes.set_xlabel(chart.axis)
    axes.set_xlim(0, max(top, 1.0) * 1.3)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.3 / max(groups, 1)), ncol=min(count, 4),
                frameon=False)  # fmt: skip
    return figure


def _points(chart: Chart) -> Figure:
    """The points of a location question, longitude across, latitude up."""
    figure, axes = plt.subplots(figsize=(WIDTH * 0.7, WIDTH * 0.55))
    lats = [p[0] for p in chart.points]
    lons = [p[1] for p in chart.points]
    axes.scatter(lons, lats, s=18, color=PALETTE[0], marker="o", edgecolors="#000000", linewidths=0.4)
    axes.set_xlabel("°E")
    axes.set_ylabel("°N")
    axes.set_aspect(1.6, adjustable="datalim")  # about right for Germany's latitude
    axes.grid(True, linewidth=0.3)
    return figure


def _label_bars(axes: Axes, positions: Sequence[float], values: Sequence[float], labels: Sequence[str], *,
                horizontal: bool, size: float = 8) -> None:  # fmt: skip
    for position, value, label in zip(positions, values, labels, strict=True):
        if horizontal:
            axes.annotate(label, (value, position), xytext=(3, 0), textcoords="offset points", va="center",
                          fontsize=size)  # fmt: skip
        else:
            axes.annotate(label, (position, value), xytext=(0, 2), textcoords="offset points", ha="center",
                          va="bottom", fontsize=size)  # fmt: skip


_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r"url\(#([^)]+)\)|(xlink:)?href=\"#([^\"]+)\"")


def _inline(svg: str, prefix: str, label: str) -> str:
    """The ``<svg>`` element alone (no XML declaration or doctype), ids prefixed, one image
    named ``label`` (its parts are not read one by one)."""
    start = svg.index("<svg")
    body = svg[start:]
    body = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', body)
    body = _REF.sub(
        lambda m: f"url(#{prefix}{m.group(1)})" if m.group(1) else f'{m.group(2) or ""}href="#{prefix}{m.group(3)}"',
        body,
    )
    return body.replace("<svg ", f'<svg role="img" aria-label="{html.escape(label, quote=True)}" focusable="false" ', 1)
