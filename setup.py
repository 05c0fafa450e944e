"""Build step of the package: compile the message catalogs into the wheel.

Everything else about the package is in pyproject.toml. The ``.po`` files are
the source; a wheel carries the compiled ``.mo`` files beside them, so an
installed program speaks every language without Babel's tools (a source
checkout compiles them in memory when no ``.mo`` is there, see bot/i18n.py).
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    """``build_py`` that also writes ``messages.mo`` next to every ``messages.po`` it copied."""

    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(Path(self.build_lib, "bot", "locale").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog)


setup(cmdclass={"build_py": BuildWithCatalogs})
