"""``mitwirken report``, ``results --public`` and ``texts`` on a generated dataset (conditions,
skips, anonymous and multi answers, a small district): every figure of a report is the one of
``results --format json`` (``--public``: of ``results --public``), public and staff reports differ
as they must, free texts appear in public only once approved, the PDF is tagged."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from bot.staff.results_view import figure_text
from tests.harness import Cli, Clock, make_config, make_core
from tests.report_dataset import ANONYMOUS_SURVEY, SURVEY, fill
from tests.storage_fixtures import store_url  # noqa: F401  (a pytest fixture)

RESPONSES = 240


def filled_config(tmp_path: Path, clock: Clock, database_url: str | None = None) -> Path:
    path = make_config(tmp_path, {"bericht.toml": SURVEY, "anonym.toml": ANONYMOUS_SURVEY}, database_url=database_url)
    core = make_core(path, clock)
    try:
        fill(core, "bericht-test", RESPONSES)
        fill(core, "bericht-anonym", RESPONSES, seed=61, anonymous=True)
    finally:
        core.close()
    return path


@pytest.fixture
def config(tmp_path: Path, clock: Clock) -> Path:
    return filled_config(tmp_path, clock)


@pytest.fixture
def any_backend_config(tmp_path: Path, clock: Clock, store_url: str) -> Path:  # noqa: F811
    """The dataset on SQLite, and on PostgreSQL when MITWIRKEN_TEST_DATABASE_URL is set."""
    return filled_config(tmp_path, clock, store_url)


class Figures(HTMLParser):
    """The cells of a report that carry a figure: (data-key, data-value, the text shown)."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, Any, str]] = []
        self._open: tuple[str, Any] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("td", "span") and "data-key" in found:
            self._open = (str(found["data-key"]), json.loads(str(found["data-value"])))
            self._text = ""

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "span") and self._open:
            self.cells.append((*self._open, self._text.strip()))
            self._open = None


def figures(html: str) -> list[tuple[str, Any, str]]:
    parser = Figures()
    parser.feed(html)
    return parser.cells


def at(results: Any, key: str) -> Any:
    """The value at a report cell's key in the results JSON (lists are entered by id or key)."""
    node = results
    for part in key.split("/"):
        if isinstance(node, dict) and part not in node and "groups" in node:
            node = node["groups"]
        if isinstance(node, list):
            by = "key" if node and "key" in node[0] else "id" if node and "id" in node[0] else None
            node = next(item for item in node if str(item[by]) == part) if by else node[int(part)]
        else:
            node = node[part]
    return node


def expected_keys(results: dict[str, Any]) -> set[str]:
    """Every figure the results JSON has that a report must show."""
    keys = {f"responses/{k}" for k in ("started", "completed", "unfinished_not_counted") if k in results["responses"]}
    for week in results["responses"].get("weeks", {}):
        keys |= {f"responses/weeks/{week}/started", f"responses/weeks/{week}/completed"}
    for q in results["questions"]:
        base = f"questions/{q['id']}"
        keys.add(f"{base}/answered")
        keys |= {f"{base}/counts/{k}" for k in q.get("counts", {})}
        keys |= {f"{base}/histogram/{i}/count" for i in range(len(q.get("histogram", [])))}
        keys |= {f"{base}/months/{m}" for m in q.get("months", {})}
        if q["type"] in ("number", "scale") and q["answered"]:
            keys |= {f"{base}/{k}" for k in ("mean", "median", "min", "max")}
    breakdown: dict[str, Any] = results.get("breakdown") or {"groups": []}
    for group in breakdown["groups"]:
        if group["responses"]["started"] == 0:
            continue
        base = f"breakdown/{group['key']}"
        keys |= {f"{base}/responses/started", f"{base}/responses/completed"}
        for q in group["questions"]:
            if q["id"] == breakdown["by"] or ("counts" not in q and "mean" not in q):
                continue
            keys.add(f"{base}/questions/{q['id']}/answered")
            keys |= {f"{base}/questions/{q['id']}/counts/{k}" for k in q.get("counts", {})}
            if "mean" in q and "counts" not in q:
                keys.add(f"{base}/questions/{q['id']}/mean")
    return keys


def json_of(cli: Cli, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    assert cli(*args, "--format", "json") == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def report_of(cli: Cli, tmp_path: Path, config: Path, *args: str, name: str = "bericht.html") -> str:
    out = tmp_path / name
    assert cli("--config", str(config), "report", *args, "-o", str(out)) == 0
    return out.read_text(encoding="utf-8")


def assert_same_figures(html: str, results: dict[str, Any]) -> None:
    cells = figures(html)
    for key, value, text in cells:
        assert at(results, key) == value, key
        assert text == figure_text(value, "de"), key
    missing = expected_keys(results) - {key for key, _, _ in cells}
    assert not missing


@pytest.mark.parametrize("survey", ["bericht-test", "bericht-anonym"])
def test_every_figure_of_the_report_is_the_one_of_results_json(
    cli: Cli, any_backend_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], survey: str
) -> None:
    config = any_backend_config
    results = json_of(cli, capsys, "--config", str(config), "results", survey)
    assert results["responses"]["started"] > 0 and results["questions"][2]["type"] == "multi"
    if survey == "bericht-anonym":
        assert results["responses"]["unfinished_not_counted"] > 0  # still going: not counted, not shown
    html = report_of(cli, tmp_path, config, survey)
    assert_same_figures(html, results)
    assert len(figures(html)) > 50


def test_every_figure_of_a_breakdown_is_the_one_of_results_json(
    cli: Cli, config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = json_of(cli, capsys, "--config", str(config), "results", "bericht-test", "--by", "bezirk")
    groups = {g["key"]: g for g in results["breakdown"]["groups"]}
    assert sum(g["responses"]["started"] for g in groups.values()) == results["responses"]["started"]
    besuch = results["questions"][1]
    for option, count in besuch["counts"].items():  # the groups add up to the whole
        assert sum(g["questions"][1]["counts"][option] for g in groups.values()) == count
    html = report_of(cli, tmp_path, config, "bericht-test", "--by", "bezirk")
    assert_same_figures(html, results)
    assert 'id="breakdown"' in html and "Aufschlüsselung nach: In welchem Bezirk wohnen Sie?" in html


def test_the_public_report_is_results_public_and_hides_small_groups(
    cli: Cli, config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = json_of(cli, capsys, "--config", str(config), "results", "bericht-test", "--by", "bezirk")
    public = json_of(cli, capsys, "--config", str(config), "results", "bericht-test", "--by", "bezirk", "--public")
    assert public["public"] == {"min_group": 5, "primary": "< 5", "secondary": "x"}
    hidden = [
        (g["key"], k)
        for g in public["breakdown"]["groups"]
        for q in g["questions"]
        if q["id"] == "besuch"
        for k, v in q["counts"].items()
        if v == "< 5"
    ]
    assert hidden  # Hafen is small: some of its cells are
    html = report_of(cli, tmp_path, config, "bericht-test", "--by", "bezirk", "--public")
    assert_same_figures(html, public)
    counts = [(key, v) for key, v, _ in figures(html) if not re.search(r"/(mean|median|min|max)$", key)]
    shown = {v for _, v in counts if isinstance(v, int) and v != 0}
    assert min(shown) >= 5  # no count of 1 to 4 anywhere in the public report
    alter = public["questions"][5]
    assert alter["type"] == "number" and alter["min"] is None and alter["max"] is None and alter["mean"]
    assert "Öffentlicher Bericht" in html and "Intern" not in html
    assert "&lt; 5" in html and "weniger als 5 Personen" in html
    staff_html = report_of(cli, tmp_path, config, "bericht-test", "--by", "bezirk", name="intern.html")
    assert "Intern – nicht zur Veröffentlichung" in staff_html and "&lt; 5" not in staff_html
    assert_same_figures(staff_html, staff)


def test_min_group_comes_from_the_config(
    cli: Cli, tmp_path: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_config(tmp_path, {"bericht.toml": SURVEY}, extra="[reports]\nmin_group = 50\n")
    core = make_core(path, clock)
    try:
        fill(core, "bericht-test", 120)
    finally:
        core.close()
    public = json_of(cli, capsys, "--config", str(path), "results", "bericht-test", "--public")
    assert public["public"]["min_group"] == 50
    bezirk = public["questions"][0]["counts"]
    assert all(v == "< 50" or v == "x" or v >= 50 for v in bezirk.values()) and "< 50" in bezirk.values()
    table = capsys.readouterr().out
    assert cli("--config", str(path), "results", "bericht-test", "--public") == 0
    table = capsys.readouterr().out
    assert "< 50" in table


def test_a_bad_min_group_is_named_with_file_place_and_fix(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_config(tmp_path, {"bericht.toml": SURVEY}, extra="[reports]\nmin_group = 1\n")
    assert cli("--config", str(path), "results", "bericht-test") == 2
    error = capsys.readouterr().err
    assert "config.toml" in error and "reports.min_group" in error and "at least 2" in error


def test_free_texts_appear_in_public_only_once_approved(
    cli: Cli, config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ("--config", str(config))
    capsys.readouterr()
    assert cli(*base, "texts", "bericht-test") == 0
    listing = capsys.readouterr().out
    lines = [line for line in listing.splitlines() if re.match(r"\s*\d+\. \[", line)]
    assert lines and all("[new]" in line for line in lines)
    numbered = {int(line.split(".")[0]): line for line in lines}
    wish = next(n for n, line in numbered.items() if "wunsch: Mehr Schatten" in line)
    other = next(n for n, line in numbered.items() if "besuch: nur am Wochenende" in line)
    place = next(n for n, line in numbered.items() if "ort: am Teich" in line)
    public = json_of(cli, capsys, *base, "results", "bericht-test", "--public")
    assert public["questions"][6]["answers"] == [] and public["questions"][6]["withheld"] > 0
    html = report_of(cli, tmp_path, config, "bericht-test", "--public")
    assert "Mehr Schatten" not in html and "nur am Wochenende" not in html and "noch nicht freigegeben" in html

    assert cli(*base, "texts", "bericht-test", "approve", str(wish), f"{other},{place}") == 0
    assert "approved 3 text(s)" in capsys.readouterr().out
    public = json_of(cli, capsys, *base, "results", "bericht-test", "--public")
    wunsch = public["questions"][6]
    assert set(wunsch["answers"]) == {"Mehr Schatten"} and wunsch["withheld"] > 0
    assert set(public["questions"][1]["other_answers"]) == {"nur am Wochenende"}
    assert {a["text"] for a in public["questions"][8]["answers"]} == {"am Teich"}
    html = report_of(cli, tmp_path, config, "bericht-test", "--public")
    assert "Mehr Schatten" in html and "nur am Wochenende" in html and "Eine Rutsche" not in html

    assert cli(*base, "texts", "bericht-test", "hide", str(wish)) == 0
    capsys.readouterr()
    assert cli(*base, "texts", "bericht-test") == 0
    listing = capsys.readouterr().out
    assert f"{wish}. [hidden] wunsch: Mehr Schatten" in listing and f"{other}. [approved]" in listing
    assert "Mehr Schatten" not in report_of(cli, tmp_path, config, "bericht-test", "--public")
    staff = report_of(cli, tmp_path, config, "bericht-test", name="intern.html")
    assert "Mehr Schatten" in staff and "Eine Rutsche" in staff  # the staff report shows every text


def test_texts_refuses_numbers_not_listed(cli: Cli, config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("--config", str(config), "texts", "bericht-test", "approve", "100000") == 2
    assert "there is no text 100000" in capsys.readouterr().err
    assert cli("--config", str(config), "texts", "bericht-test", "approve", "eins") == 2
    assert "'eins' is no text number" in capsys.readouterr().err


def test_by_channel_works_and_an_unfit_question_says_what_to_do(
    cli: Cli, config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "r.html")
    assert cli("--config", str(config), "report", "bericht-test", "--by", "channel", "-o", out) == 0
    assert "Kanal" in Path(out).read_text(encoding="utf-8"), "the breakdown by channel is named as staff read it"
    Path(out).unlink()
    assert cli("--config", str(config), "report", "bericht-test", "--by", "note", "-o", out) == 2
    error = capsys.readouterr().err
    assert "no choice or yes/no question 'note'" in error and "bezirk, besuch, sicher" in error
    assert cli("--config", str(config), "report", "bericht-test", "-o", str(tmp_path / "r.docx")) == 2
    assert "as .html or .pdf" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_the_html_is_self_contained_and_escapes_citizens_texts(
    cli: Cli, tmp_path: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_config(tmp_path, {"bericht.toml": SURVEY})
    core = make_core(path, clock)
    try:
        fill(core, "bericht-test", 30)
        with core.store.transaction() as tx:
            participant = tx.create_participant("test", "evil", "evil", "de", clock())
            response = tx.start_response(participant.id, "bericht-test", clock())
            tx.save_answer(response.id, "wunsch", "text", '<script>alert("x")</script>', None, clock())
    finally:
        core.close()
    html = report_of(cli, tmp_path, path, "bericht-test")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert not re.search(r'<(script|link|img|iframe)\b|src="http|href="http|@import|url\(http', html)
    assert html.count("<svg ") >= 8 and 'role="img"' in html and '<html lang="de">' in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # several charts' SVG ids on one page


def test_an_english_report(cli: Cli, config: Path, tmp_path: Path) -> None:
    html = report_of(cli, tmp_path, config, "bericht-test", "--language", "en")
    assert '<html lang="en">' in html and "Playgrounds in the neighbourhood" in html
    assert "Internal – not for publication" in html and "Which district do you live in?" in html


IDEAS = """\
format = 1
id = "ideen-bericht"
kind = "ideas"
title = { de = "Ideen für den Park", en = "Ideas for the park" }
languages = ["de", "en"]
categories = [
  { id = "gruen", de = "Grün", en = "Green" },
  { id = "spiel", de = "Spielen", en = "Play" },
]
"""


def test_an_idea_call_report_counts_moderated_ideas_without_quoting_them(
    cli: Cli, tmp_path: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_config(tmp_path, {"ideen.toml": IDEAS})
    core = make_core(path, clock)
    try:
        refs = []
        with core.store.transaction() as tx:
            for n, (text, category, visibility) in enumerate(
                [("Mehr Bäume pflanzen", "gruen", "published"), ("Eine Seilbahn", "spiel", "published"),
                 ("Beleidigender Text", None, "hidden"), ("Noch nicht geprüft", "gruen", "pending")]
            ):  # fmt: skip
                author = tx.create_participant("test", f"author-{n}", f"a{n}", "de", clock())
                idea = tx.create_idea(
                    {"process_id": "ideen-bericht", "participant_id": author.id, "pseudonym": author.pseudonym,
                     "text": text, "category": category, "visibility": visibility},
                    clock(),
                )  # fmt: skip
                refs.append(idea.ref)
            for n in range(3):
                fan = tx.create_participant("test", f"fan-{n}", f"f{n}", "de", clock())
                tx.add_support(tx.get_idea(refs[0]).id, fan.id, clock())  # type: ignore[union-attr]
    finally:
        core.close()
    assert cli("--config", str(path), "moderate", refs[0], "status", "accepted") == 0
    results = json_of(cli, capsys, "--config", str(path), "results", "ideen-bericht")
    first = next(i for i in results["ideas"] if i["id"] == refs[0])
    assert first["status_news"] == 1 and first["supporters"] == 3
    for public in (False, True):
        html = report_of(cli, tmp_path, path, "ideen-bericht", *(["--public"] if public else []))
        assert "Mehr Bäume pflanzen" in html and "Eine Seilbahn" in html
        assert "Beleidigender Text" not in html and "Noch nicht geprüft" not in html
        assert "Meistunterstützte Ideen" in html and "Was aus den Ideen wurde" in html
        for key, value, _ in figures(html):
            source = results if not public else json_of(cli, capsys, "--config", str(path), "results",
                                                        "ideen-bericht", "--public")  # fmt: skip
            assert at(source, key) == value
        texts = re.sub(r"<[^>]+>", " ", html)
        assert re.search(r"Ideen insgesamt\s+4", texts) and re.search(r"veröffentlicht\s+2", texts)


@pytest.mark.slow
def test_the_pdf_has_a_text_layer_lang_and_structure_tags(cli: Cli, config: Path, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "bericht.pdf"
    assert cli("--config", str(config), "report", "bericht-test", "--public", "-o", str(out)) == 0
    assert out.read_bytes()[:5] == b"%PDF-"
    reader = pypdf.PdfReader(str(out))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    figures_alt = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                figures_alt.append(node.get("/Alt"))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                walk(kid)

    walk(root["/StructTreeRoot"])
    assert len(figures_alt) >= 8 and all(str(alt).startswith("Diagramm: ") for alt in figures_alt)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Spielplätze im Quartier" in text and "Öffentlicher Bericht" in text
    if Path("/usr/bin/pdftotext").exists():
        layer = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert "In welchem Bezirk wohnen Sie?" in layer and "Anzahl" in layer


def test_channels_plug_in_as_participation_and_as_a_breakdown() -> None:
    """Once responses carry their channel (``ResponseData.channel``), the report shows participation by
    channel and ``channel_grouping`` breaks the results down by it — same figures, same protection."""
    import datetime as dt

    from bot.staff.report.content import survey_report
    from bot.staff.report.document import render_html
    from surveys.disclosure import protect_results
    from surveys.loader import parse_process
    from surveys.model import Survey
    from surveys.results import ResponseData, channel_grouping, survey_results

    survey, problems = parse_process(SURVEY, file="bericht.toml", bot_languages=["de", "en"])
    assert isinstance(survey, Survey) and not [p for p in problems if p.severity == "error"]
    channels = ["telegram"] * 30 + ["matrix"] * 12 + ["paper"] * 3
    data = [
        ResponseData("completed", {"bezirk": "nord", "besuch": "oft" if n % 3 else "nie", "note": 1 + n % 5},
                     started_on=dt.date(2026, 11, 2), channel=channel)
        for n, channel in enumerate(channels)
    ]  # fmt: skip
    results = survey_results(survey, data, channel_grouping())
    assert results["responses"]["channels"] == {
        "matrix": {"started": 12, "completed": 12},
        "paper": {"started": 3, "completed": 3},
        "telegram": {"started": 30, "completed": 30},
    }
    assert [g["key"] for g in results["breakdown"]["groups"]] == ["telegram", "matrix", "paper"]
    for public, shown in ((False, results), (True, protect_results(results, 5, lambda q, t: False))):
        report = survey_report(shown, survey, "de", public=public, today=dt.date(2026, 12, 1))
        html = render_html(report)
        assert "Beteiligung nach Kanal" in html
        assert_same_figures(html, shown)
    protected = protect_results(results, 5, lambda q, t: False)
    assert protected["responses"]["channels"]["paper"]["started"] == "< 5"
    assert protected["responses"]["channels"]["matrix"]["started"] == "x"  # else 45 - 30 - 12 = 3
    assert [g["key"] for g in protected["breakdown"]["groups"]] == ["telegram", "_other"]


def test_the_period_reads_well_with_either_end_missing() -> None:
    import datetime as dt
    from types import SimpleNamespace

    from bot.staff.report.content import _facts, _Words

    say, today = _Words("de"), dt.date(2026, 12, 1)
    start, end = dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC), dt.datetime(2099, 12, 31, 20, tzinfo=dt.UTC)

    def period(opens: dt.datetime | None, closes: dt.datetime | None) -> str:
        return dict(_facts(SimpleNamespace(opens=opens, closes=closes), None, say, today))["Zeitraum"]  # type: ignore[arg-type]

    assert period(start, end) == "02.11.2026 – 31.12.2099"
    assert period(None, end) == "bis 31.12.2099"
    assert period(start, None) == "ab 02.11.2026"
    assert period(None, None) == "offen"
