"""``mitwirken print``, ``poster`` and ``link``: the PDFs read back (pdftotext, pypdf), their QR codes
decoded (zxing-cpp), the tagged structure, large print, Arabic and Turkish, and the jump instructions."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot.i18n import translator
from bot.staff.questionnaire import questionnaire_html, questionnaire_items
from surveys.loader import parse_process
from surveys.model import Survey
from surveys.paper import Filter, Jump, filters, jumps
from tests.harness import Cli, make_config
from tests.transcript_surveys import PARK

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (Debian's poppler-utils) is needed to read the PDFs"
)

WEB = """
[channels.web]
public_url = "https://mitwirken.example.org"

[channels.telegram]
username = "MitwirkenTestBot"
"""

BRANCHED = """\
format = 1
id = "laerm"
title = "Lärm in der Nordstadt"
intro = "Vier Fragen zum Lärm in Ihrer Straße."
contact = "Umweltamt, Telefon 0231 50-12345"
languages = ["de"]

[[questions]]
id = "betroffen"
type = "yesno"
text = "Stört Sie Lärm in Ihrer Straße?"
end_if = "betroffen == false"
end_text = "Dann sind Sie schon fertig. Danke!"

[[questions]]
id = "quelle"
type = "choice"
text = "Woher kommt der Lärm vor allem?"
options = [
  { id = "verkehr", de = "Straßenverkehr" },
  { id = "bahn", de = "Bahn" },
  { id = "nachbarn", de = "Nachbarn" },
]

[[questions]]
id = "kfz"
type = "multi"
text = "Welche Fahrzeuge stören am meisten?"
show_if = "quelle == 'verkehr'"
max = 2
options = [
  { id = "lkw", de = "Lastwagen" },
  { id = "motorrad", de = "Motorräder" },
  { id = "bus", de = "Busse" },
]

[[questions]]
id = "staerke"
type = "scale"
text = "Wie stark stört Sie der Lärm?"
min_label = "kaum"
max_label = "sehr"

[[questions]]
id = "idee"
type = "text"
text = "Was würde helfen?"
required = false
"""

ARABIC = """\
format = 1
id = "madina"
title = { ar = "مدينة دورتموند", tr = "Dortmund şehri için anket" }
languages = ["ar", "tr"]

[[questions]]
id = "raz"
type = "yesno"
text = { ar = "هل تسكن في المدينة؟", tr = "Şehirde mi yaşıyorsunuz? Ğüşıöç" }
"""


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _in_order(text: str, parts: list[str]) -> None:
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} missing (or out of order) after position {at} in:\n{text}"
        at = found + len(part)


def _survey(body: str) -> Survey:
    process, problems = parse_process(body, file="x.toml", bot_languages=["de", "en"])
    assert isinstance(process, Survey), problems
    return process


def test_jumps_come_from_the_conditions() -> None:
    survey = _survey(BRANCHED)
    found = jumps(survey)
    assert found["betroffen"] == (Jump(("no",), None, ends=True),)
    assert found["quelle"] == (Jump(("bahn", "nachbarn"), "staerke"),)  # past the question on vehicles
    assert filters(survey) == {"kfz": Filter("quelle", ("verkehr",))}


def test_a_condition_on_two_answers_is_printed_in_words() -> None:
    items = {item.number: item for item in questionnaire_items(_survey(PARK), translator("de"))}
    assert items[2].filter == "Nur beantworten, wenn Sie bei Frage 1 „Selten“ oder „Nie“ angekreuzt haben."
    # end_if names two answers: no tick says it alone, so the condition is printed in words
    assert items[3].end == "Sie sind fertig, wenn gilt: Frage 3: „Nein“ und Frage 1: „Nie“."
    assert items[6].rule == "Bitte mindestens drei Zeichen."  # the constraint_message, said beforehand


def test_questionnaire_has_every_question_option_and_jump_in_order(tmp_path: Path, cli: Cli) -> None:
    config = make_config(tmp_path, {"laerm.toml": BRANCHED}, extra=WEB)
    out = tmp_path / "fragebogen.pdf"
    assert cli("print", "laerm", "-o", out, "--config", config) == 0
    text = _text(out)
    _in_order(
        text,
        [
            "Lärm in der Nordstadt",
            "Bogen-Nr.",
            "Vier Fragen zum Lärm in Ihrer Straße.",
            "Umweltamt, Telefon 0231 50-12345",
            "Bitte schreiben Sie Ihren Namen nicht auf den Bogen.",
            "mitwirken.example.org/p/laerm",
            "t.me/MitwirkenTestBot?start=laerm",
            "1. Stört Sie Lärm in Ihrer Straße?",
            "☐ Ja",
            "☐ Nein",
            "Wenn Sie „Nein“ angekreuzt haben, sind Sie fertig.",
            "2. Woher kommt der Lärm vor allem?",
            "Straßenverkehr",
            "Bahn",
            "Nachbarn",
            "Wenn Sie „Bahn“ oder „Nachbarn“ angekreuzt haben, weiter mit Frage 4.",
            "3. Welche Fahrzeuge stören am meisten?",
            "Nur beantworten, wenn Sie bei Frage 2 „Straßenverkehr“ angekreuzt haben.",
            "Mehrere möglich, höchstens 2.",
            "Lastwagen",
            "Motorräder",
            "Busse",
            "4. Wie stark stört Sie der Lärm?",
            "1 = kaum",
            "5 = sehr",
            "5. Was würde helfen?",
            "Danke fürs Mitmachen!",
        ],
    )


def test_qr_codes_decode_to_the_links(tmp_path: Path, cli: Cli) -> None:
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (a test dependency) decodes the QR codes")
    from PIL import Image

    config = make_config(tmp_path, {"laerm.toml": BRANCHED}, extra=WEB)
    out = tmp_path / "fragebogen.pdf"
    assert cli("print", "laerm", "-o", out, "--config", config) == 0
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")], check=True
    )
    page = next(tmp_path.glob("page*.png"))
    decoded = {result.text for result in zxingcpp.read_barcodes(Image.open(page))}
    assert decoded == {"https://mitwirken.example.org/p/laerm", "https://t.me/MitwirkenTestBot?start=laerm"}


def test_the_pdf_is_tagged_with_language_and_title(tmp_path: Path, cli: Cli) -> None:
    pypdf = pytest.importorskip("pypdf", reason="pypdf (a test dependency) reads the structure tree")
    config = make_config(tmp_path, {"laerm.toml": BRANCHED}, extra=WEB)
    out = tmp_path / "fragebogen.pdf"
    assert cli("print", "laerm", "-o", out, "--config", config) == 0
    reader = pypdf.PdfReader(out)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert reader.metadata is not None and reader.metadata.title == "Lärm in der Nordstadt"
    tags = [str(element["/S"]) for element in _elements(root["/StructTreeRoot"])]
    assert {"/H1", "/H2", "/L", "/LI", "/Figure", "/P"} <= set(tags)
    assert tags.count("/H2") == 5  # one heading per question, in reading order


def _elements(node: object) -> list[dict[str, object]]:
    """The structure elements of a tagged PDF under ``node``, in reading order."""
    node = node.get_object() if hasattr(node, "get_object") else node
    found: list[dict[str, object]] = []
    if isinstance(node, dict):
        if "/S" in node:
            found.append(node)
        found += _elements(node.get("/K"))
    elif isinstance(node, list):
        for child in node:
            found += _elements(child)
    return found


def _smallest_type(pdf: Path, tmp_path: Path) -> float:
    """The height of the smallest word box (a little more than its font size)."""
    html = tmp_path / "bbox.html"
    subprocess.run(["pdftotext", "-bbox", str(pdf), str(html)], check=True)
    import re

    heights = [
        float(y2) - float(y1)
        for y1, y2, word in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', html.read_text())
        if word.strip() not in ("", "☐")
    ]
    return min(heights)


def test_large_print_is_at_least_16_pt(tmp_path: Path, cli: Cli) -> None:
    config = make_config(tmp_path, {"laerm.toml": BRANCHED}, extra=WEB)
    normal, large = tmp_path / "normal.pdf", tmp_path / "gross.pdf"
    assert cli("print", "laerm", "-o", normal, "--config", config) == 0
    assert cli("print", "laerm", "-o", large, "--large", "--config", config) == 0
    assert _smallest_type(normal, tmp_path) < 14
    assert _smallest_type(large, tmp_path) >= 16 * 1.1  # DejaVu's box is 1.16 times the size


def test_arabic_and_turkish_print_with_their_script_and_direction(tmp_path: Path, cli: Cli) -> None:
    pypdf = pytest.importorskip("pypdf", reason="pypdf (a test dependency) reads the document language")
    config = make_config(tmp_path, {"madina.toml": ARABIC}, extra=WEB)
    arabic, turkish = tmp_path / "ar.pdf", tmp_path / "tr.pdf"
    assert cli("print", "madina", "-o", arabic, "--language", "ar", "--config", config) == 0
    assert cli("print", "madina", "-o", turkish, "--language", "tr", "--config", config) == 0
    assert "مدينة دورتموند" in _text(arabic)
    assert pypdf.PdfReader(arabic).trailer["/Root"]["/Lang"] == "ar"
    assert "هل تسكن في المدينة؟" in _text(arabic)  # each glyph maps back to its letter: no empty boxes
    # the program's own sentences come from the Arabic catalog: in the document's language and direction
    html = questionnaire_html(_survey(ARABIC), "ar", (), privacy_url="")
    assert '<html lang="ar" dir="rtl">' in html
    assert '<p class="note small">يُرجى وضع علامة عند إجابة واحدة.</p>' in html
    assert 'lang="de"' not in html
    assert "Şehirde mi yaşıyorsunuz? Ğüşıöç" in _text(turkish)


def test_a_language_the_survey_lacks_is_refused(tmp_path: Path, cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_config(tmp_path, {"laerm.toml": BRANCHED}, extra=WEB)
    assert cli("print", "laerm", "-o", tmp_path / "x.pdf", "--language", "tr", "--config", config) == 2
    assert "has no texts in 'tr': use --language with one of de" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_without_public_url_staff_read_the_fix(tmp_path: Path, cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_config(tmp_path, {"laerm.toml": BRANCHED})
    out = tmp_path / "fragebogen.pdf"
    assert cli("print", "laerm", "-o", out, "--config", config) == 0
    err = capsys.readouterr().err
    assert "no web link printed: set public_url under [channels.web] in the config" in err
    assert "/p/laerm" not in _text(out)


def test_poster_has_title_dates_codes_and_a_way_without_smartphone(tmp_path: Path, cli: Cli) -> None:
    body = BRANCHED.replace('languages = ["de"]', 'languages = ["de"]\ncloses = 2099-03-31T18:00:00+02:00')
    body += '\n[[events]]\ntitle = "Lärmspaziergang"\nstart = 2099-03-12T17:00:00+01:00\nplace = "Nordmarkt"\n'
    config = make_config(tmp_path, {"laerm.toml": body}, extra=WEB)
    for size in ("a4", "a3"):
        out = tmp_path / f"plakat-{size}.pdf"
        assert cli("poster", "laerm", "-o", out, "--size", size, "--config", config) == 0
        text = _text(out)
        _in_order(
            text,
            [
                "Machen Sie mit!",
                "Lärm in der Nordstadt",
                "Vier Fragen zum Lärm in Ihrer Straße.",
                "Bis 31. März 2099",
                "mitwirken.example.org/p/laerm",
                "Ohne Smartphone?",
                "Fragen Sie uns: Wir nehmen Ihre Antworten auch persönlich",
                "Umweltamt, Telefon 0231 50-12345",
                "Vor Ort: Lärmspaziergang, 12. März 2099, 17:00, Nordmarkt",
            ],
        )
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
        assert "Pages:           1" in info
        assert ("(A3)" if size == "a3" else "(A4)") in info


def test_link_prints_the_links_and_writes_the_codes(
    tmp_path: Path, cli: Cli, capsys: pytest.CaptureFixture[str]
) -> None:
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (a test dependency) decodes the QR codes")
    from PIL import Image

    config = make_config(tmp_path, {"laerm.toml": BRANCHED}, extra=WEB)
    assert cli("link", "laerm", "-o", tmp_path / "qr", "--config", config) == 0
    out = capsys.readouterr().out
    assert "https://mitwirken.example.org/p/laerm" in out
    assert "https://t.me/MitwirkenTestBot?start=laerm" in out
    assert sorted(p.name for p in (tmp_path / "qr").iterdir()) == [
        "laerm-telegram.png",
        "laerm-telegram.svg",
        "laerm-web.png",
        "laerm-web.svg",
    ]
    decoded = zxingcpp.read_barcodes(Image.open(tmp_path / "qr" / "laerm-web.png"))
    assert [r.text for r in decoded] == ["https://mitwirken.example.org/p/laerm"]
    assert (tmp_path / "qr" / "laerm-web.svg").read_text().startswith("<?xml")


def test_conditions_on_numbers_and_ticks_of_a_multi_are_worded() -> None:
    body = PARK + (
        '\n[[questions]]\nid = "jung"\ntype = "yesno"\ntext = "Gehen Sie zur Schule?"\nshow_if = "alter < 18"\n'
        '\n[[questions]]\nid = "weit"\ntype = "text"\ntext = "Wie weit?"\n'
        "show_if = \"selected(grund, 'weg') and not answered(alter)\"\n"
    )
    items = {item.text: item for item in questionnaire_items(_survey(body), translator("de"))}
    assert items["Gehen Sie zur Schule?"].filter == "Nur beantworten, wenn gilt: Frage 5: weniger als 18."
    assert items["Wie weit?"].filter == (
        "Nur beantworten, wenn gilt: Frage 2: „Zu weit weg“ angekreuzt und nicht (Frage 5 beantwortet)."
    )


def test_a_date_question_prints_its_range() -> None:
    body = PARK.replace('id = "termin"\ntype = "date"\n', 'id = "termin"\ntype = "date"\nmin = 2026-01-01\n')
    items = {item.text: item for item in questionnaire_items(_survey(body), translator("de"))}
    paper = items["Wann waren Sie zuletzt dort?"].paper
    assert paper is not None and paper.layout == "field"
    assert paper.note == "Bitte das Datum eintragen, zum Beispiel 24.12.2026. Nur Daten ab 01.01.2026."


def test_numbered_copies_carry_their_form_number(tmp_path: Path, cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    config = make_config(tmp_path, {"laerm.toml": BRANCHED}, extra=WEB)
    single, numbered = tmp_path / "eins.pdf", tmp_path / "brief.pdf"
    assert cli("print", "laerm", "-o", single, "--config", config) == 0
    assert cli("print", "laerm", "-o", numbered, "--numbers", "098-100", "--config", config) == 0
    assert "3 numbered copies" in capsys.readouterr().err
    pages = [int(line.split()[-1]) for line in _info(single) + _info(numbered) if line.startswith("Pages:")]
    assert pages[1] == 3 * pages[0], "each copy starts on a page of its own"
    _in_order(_text(numbered), ["Bogen-Nr. 098", "1. Stört Sie", "Bogen-Nr. 099", "1. Stört Sie", "Bogen-Nr. 100"])
    assert cli("print", "laerm", "-o", numbered, "--numbers", "100-98", "--config", config) == 2
    assert "counts backwards: write the smaller number first" in capsys.readouterr().err


def _info(pdf: Path) -> list[str]:
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
