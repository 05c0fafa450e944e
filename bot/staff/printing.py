"""Printed matter (questionnaires, posters): HTML from jinja2 templates, made a tagged PDF by WeasyPrint.

The PDF is PDF/UA-1 (``pdf_variant="pdf/ua-1"``): tagged structure in reading order,
the document's ``/Lang`` and title, so a screen reader reads it as it is printed.
The templates are in ``bot/staff/templates``; every value in them is escaped.
Fonts come from Debian (fonts-dejavu-core for Latin scripts including Turkish,
fonts-noto-core for Arabic). WeasyPrint and jinja2 are imported only here, and only
when something is printed, so that ``mitwirken --help`` stays quick.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapters.render import direction

__all__ = ["PageStyle", "render_html", "write_pdf"]

TEMPLATES = Path(__file__).parent / "templates"
LARGE_PRINT_PT = 16  # the smallest type on a large-print page


@dataclass(frozen=True)
class PageStyle:
    """Paper size and type sizes; ``large``: large print, nothing under 16 pt."""

    page_size: str = "A4"
    large: bool = False
    poster: bool = False
    codes: int = 1  # QR codes side by side (a poster's are as big as fits)

    def values(self) -> dict[str, Any]:
        if self.poster:
            scale = 1.41 if self.page_size.upper() == "A3" else 1.0  # A3 is A4 enlarged by √2
            return {
                "page_size": self.page_size,
                "margin": f"{round(15 * scale)}mm",
                "base": round(16 * scale),
                "small": round(14 * scale),
                "qr_size": f"{round((100 if self.codes == 1 else 70) * scale)}mm",
            }
        base = 18 if self.large else 11
        return {
            "page_size": self.page_size,
            "margin": "18mm",
            "base": base,
            "small": LARGE_PRINT_PT if self.large else 9.5,
            "qr_size": "40mm" if self.large else "30mm",
        }


def render_html(template: str, style: PageStyle, **values: Any) -> str:
    """The template filled in; every value is escaped (autoescape)."""
    import jinja2
    import markupsafe

    from bot.i18n import catalog_language

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    language = str(values.get("lang", "de"))
    rtl = direction(language) == "rtl"
    sides = {
        "dir": "rtl" if rtl else "ltr",
        "start_side": "right" if rtl else "left",
        "end_side": "left" if rtl else "right",
    }
    # The program's own sentences come from a catalog that may be in another language than the
    # survey's texts (German on an Arabic form, until there is an Arabic catalog): ``ui`` marks
    # them with their language and direction, so they are laid out and read aloud as what they are.
    own = catalog_language(language)
    ui = markupsafe.Markup(f' lang="{own}" dir="{direction(own)}"') if own != language.split("-", 1)[0] else ""
    return environment.get_template(template).render(**style.values(), **sides, ui=ui, **values)


def write_pdf(html: str, out: Path, *, base_url: Path = TEMPLATES) -> None:
    """``html`` as a tagged PDF (PDF/UA-1) at ``out``, which appears only once complete; relative
    addresses in it are read from ``base_url`` (the templates of printed matter by default)."""
    import weasyprint

    partial = out.with_name(out.name + ".part")
    try:
        weasyprint.HTML(string=html, base_url=str(base_url)).write_pdf(partial, pdf_variant="pdf/ua-1")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
