"""Plain text → safe reportlab Paragraph markup: escaping, line breaks and glyph fallback runs."""

from __future__ import annotations

import unicodedata
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from workbench.reports.fonts import FontChoice, find_fallback_font, unrenderable_error
from workbench.reports.layout import DocumentFonts


def clean_text(text: str) -> str:
    """Text as it may be printed: CR/LF → line breaks, tabs → spaces, invisible characters gone.

    Dropped: control characters (except line breaks), format characters (zero-width space,
    BOM, soft hyphen… pasted from web pages) and variation selectors — none of them draws
    anything, and fonts rarely map them, so they would only cause false "missing glyph" errors.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(c for c in text if c == "\n" or not _invisible(c))


def _invisible(char: str) -> bool:
    code = ord(char)
    return (unicodedata.category(char) in ("Cc", "Cf") or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF)


class Typesetter:
    """Builds the Paragraphs of one document and remembers characters no installed font has.

    Every string, wording or user data, goes through :meth:`markup`, which escapes ``& < >``
    (user text is data, never markup), turns line breaks into ``<br/>`` and wraps characters
    the style's font lacks in ``<font name=…>`` runs of a fallback font (fonts.py policy).
    Call :meth:`check` before building the PDF.
    """

    def __init__(self, fonts: DocumentFonts):
        self.fonts = fonts
        self.missing: set[str] = set()

    def markup(self, text: str, base: FontChoice) -> str:
        """Escaped markup for ``text`` set in ``base``, with fallback-font runs where needed."""
        parts: list[str] = []
        run: list[str] = []
        run_font: FontChoice | None = None
        for char in _keep_wide_spaces(clean_text(text), base):
            font = self._font_for(char, base)
            if font != run_font and run:
                parts.append(_run_markup("".join(run), run_font))
                run = []
            run_font = font
            run.append(char)
        if run:
            parts.append(_run_markup("".join(run), run_font))
        return "".join(parts)

    def para(self, text: str, style: ParagraphStyle) -> Paragraph:
        """A Paragraph of plain ``text`` in ``style`` (whose fontName is one of the document's)."""
        return Paragraph(self.markup(text, self.fonts.by_name(style.fontName)), style)

    def check(self) -> None:
        """Raise FontError naming every character that no installed font can draw."""
        if self.missing:
            raise unrenderable_error(self.missing, self.fonts.body)

    def _font_for(self, char: str, base: FontChoice) -> FontChoice | None:
        if char == "\n" or base.has_glyph(char):
            return None
        fallback = find_fallback_font(char)
        if fallback is None:
            self.missing.add(char)
        return fallback


def _keep_wide_spaces(text: str, base: FontChoice) -> str:
    """Full-width spaces (U+3000, e.g. the blanks of "年　　月　　日") as no-break spaces.

    reportlab collapses every Unicode space, U+3000 included, to one; U+00A0 it keeps. Each
    U+3000 becomes as many U+00A0 as fill one em in ``base``.
    """
    if "\u3000" not in text or not base.has_glyph("\xa0"):
        return text
    nbsp = stringWidth("\xa0", base.name, 1000) or 1000
    return text.replace("\u3000", "\xa0" * max(1, round(1000 / nbsp)))


def _run_markup(text: str, font: FontChoice | None) -> str:
    escaped = escape(text).replace("\n", "<br/>")
    return escaped if font is None else f'<font name="{font.name}">{escaped}</font>'
