"""The program as a Python package: a wheel built from the tracked files, installed outside the checkout, runs.

No compiled catalog is in a fresh clone (``*.mo`` is ignored), so this proves
the build compiles them into the wheel; and a checkout without them (an
editable install without the Makefile) speaks from the ``.po`` sources.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

from bot.i18n import UI_LANGUAGES, catalog_folder, load_messages

ROOT = Path(__file__).resolve().parents[1]


def tracked_copy(target: Path) -> Path:
    """The files git tracks, as a fresh clone has them (no .mo, no .venv)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout
    for name in files.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes((ROOT / name).read_bytes())
    return target


def test_a_catalog_without_its_compiled_file_is_compiled_from_the_source(tmp_path: Path) -> None:
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_bytes((ROOT / "bot/locale/de/LC_MESSAGES/messages.po").read_bytes())
    catalog = load_messages("de", tmp_path)
    assert catalog.gettext("Yes") == "Ja"
    assert not (folder / "messages.mo").exists(), "compiled in memory: nothing written into the package"
    with pytest.raises(FileNotFoundError, match="no message catalog for 'xx'"):
        load_messages("xx", tmp_path)


@pytest.mark.slow
def test_a_wheel_from_a_fresh_clone_installs_and_speaks_every_language(tmp_path: Path) -> None:
    source = tracked_copy(tmp_path / "clone")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("mitwirken-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    compiled = {f"bot/locale/{catalog_folder(code)}/LC_MESSAGES/messages.mo" for code in UI_LANGUAGES}
    assert compiled <= set(names), "every language's catalog is compiled into the wheel (Easy German: de@simple)"
    assert any(n.startswith("storage/migrations/versions/") for n in names), "migrations travel with the package"
    assert {"bot/staff/report/templates/report.html.j2", "bot/staff/report/templates/report.css"} <= set(names)

    # A fresh venv holding only the wheel; its dependencies come from this venv's site-packages
    # through a path entry (no .pth processing there, so the editable checkout stays out of sight).
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(venv / "bin" / "python"),
            "install",
            "--quiet",
            "--no-deps",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    site = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")

    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "surveys").mkdir(parents=True)
    (elsewhere / "surveys" / "kurz.toml").write_text(
        textwrap.dedent("""\
        format = 1
        id = "kurz"
        title = { de = "Kurze Umfrage", en = "Short survey" }
        languages = ["de", "en"]

        [[questions]]
        id = "eins"
        type = "text"
        text = { de = "Was wünschen Sie sich?", en = "What do you wish for?" }
        """),
        encoding="utf-8",
    )
    (elsewhere / "config.toml").write_text(
        textwrap.dedent(f"""\
        [bot]
        name = "Mitwirken"
        languages = ["de", "en", "de-x-simple", "tr", "ar", "uk", "pl"]
        surveys = ["surveys"]
        privacy_url = "https://example.org/datenschutz"

        [storage]
        url = "sqlite:///{elsewhere / "mitwirken.db"}"
        secret = "package-test-secret-0123456789"
        """),
        encoding="utf-8",
    )
    located = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import bot; print(bot.__file__)"],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert located.startswith(site), f"the installed package runs, not the checkout: {located}"
    spoken = (
        ("de", "Sind Sie einverstanden?"),
        ("en", "Do you agree?"),
        ("de-x-simple", "Schreiben Sie 1 für Ja."),
        ("tr", "Kabul ediyor musunuz?"),
        ("ar", "هل توافق؟"),
        ("uk", "Ви згодні?"),
        ("pl", "Czy wyrażają Państwo zgodę?"),
    )
    for language, sentence in spoken:
        ran = subprocess.run(
            [
                str(venv / "bin" / "mitwirken"),
                "chat",
                "--as",
                f"kim-{language}",
                "--language",
                language,
                "--config",
                "config.toml",
            ],
            input="hallo\n",
            cwd=elsewhere,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert ran.returncode == 0, ran.stderr
        assert sentence in ran.stdout, ran.stdout
