"""Choosing, registering and checking the embedded Chinese fonts every PDF document uses.

Policy (decided here, relied on by the renderers):

* Fonts come from the system (GB/T 9704-2012 faces where installed: 仿宋 body, 宋体/小标宋 title,
  黑体 headings; facts.md §6), or from ``$WORKBENCH_FONT=<path to .ttf/.ttc>`` which then replaces
  every role. On a bare Linux box the tested fallback is fonts-wqy-microhei.
* Fonts are registered as reportlab ``TTFont`` so they are embedded as subsets (``/FontFile2``) and
  text stays extractable. reportlab's built-in CID fonts (STSong-Light) are never used: they are
  not embedded and print differently on every viewer.
* A character the role's font lacks (e.g. ☑, or 𠮷 in a person's name) is drawn in the first
  other installed TrueType font that has it. If no installed font has it, rendering stops with
  :class:`~workbench.errors.FontError` naming the characters — a document never shows empty boxes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from workbench.errors import FontError
from workbench.reports import font_paths

FONT_ENV = "WORKBENCH_FONT"
ROLES = ("body", "title", "heading")
# A font is accepted as Chinese only if it has every one of these (document wording + 〔〕).
_CJK_PROBE = "中华人民共和国整改通知书年月日〔〕：，。（）"
# Layout characters that never need a glyph: they become line breaks or spaces in the markup.
_NO_GLYPH_NEEDED = frozenset("\n\r\t")


@dataclass(frozen=True)
class FontChoice:
    """A TrueType font registered with reportlab.

    Attributes:
        name: the reportlab font name to use in styles and ``<font name=…>`` markup.
        path: the .ttf/.ttc file.
        subfont_index: face index inside a .ttc collection (0 for .ttf).
        family: the font's own family name, e.g. ``WenQuanYi Micro Hei``.
    """

    name: str
    path: Path
    subfont_index: int = 0
    family: str = ""

    def has_glyph(self, char: str) -> bool:
        """Whether the font maps ``char`` (one code point) to a glyph."""
        return ord(char) in _char_map(self.name)


def _char_map(name: str) -> dict[int, int]:
    return pdfmetrics.getFont(name).face.charToGlyph


@lru_cache(maxsize=64)
def load_font(path: Path, subfont_index: int = 0) -> FontChoice:
    """Register one TrueType file with reportlab (once per file and index).

    Args:
        path: a .ttf or .ttc file.
        subfont_index: face index inside a .ttc collection.

    Returns:
        The registered :class:`FontChoice`.

    Raises:
        FontError: the file is missing, unreadable, or not embeddable TrueType (e.g. CFF .otf).
    """
    digest = hashlib.sha1(f"{path}|{subfont_index}".encode()).hexdigest()[:8]
    name = f"WB-{''.join(c for c in path.stem if c.isalnum())}-{subfont_index}-{digest}"
    try:
        font = TTFont(name, str(path), subfontIndex=subfont_index)
    except (TTFError, OSError, ValueError, IndexError) as exc:
        raise FontError(f"字体文件 {path} 无法使用（须为 TrueType 字体 .ttf/.ttc）：{exc}") from exc
    pdfmetrics.registerFont(font)
    family = font.face.familyName.decode("utf-8", "replace") if font.face.familyName else ""
    return FontChoice(name=name, path=path, subfont_index=subfont_index, family=family)


def find_cjk_font(role: str = "body") -> FontChoice:
    """The embedded Chinese font for one role of a document (facts.md §6).

    Args:
        role: ``body`` (仿宋 preferred), ``title`` (小标宋/宋体 preferred, for titles and the
            authority mark) or ``heading`` (黑体 preferred). Roles without a suitable font of their
            own use the body font.

    Returns:
        A registered :class:`FontChoice` that has all common document characters.

    Raises:
        FontError: ``$WORKBENCH_FONT`` names an unusable or non-Chinese font, or no Chinese
            TrueType font is installed.
        ValueError: unknown role.
    """
    if role not in ROLES:
        raise ValueError(f"unknown font role {role!r}")
    return _find(role, os.environ.get(FONT_ENV, ""))


@lru_cache(maxsize=16)
def _find(role: str, override: str) -> FontChoice:
    if override:
        chosen = load_font(Path(override))
        lacking = missing_glyphs(_CJK_PROBE, chosen)
        if lacking:
            raise FontError(f"环境变量 {FONT_ENV} 指定的字体 {override} 不含中文字形"
                            f"（缺少：{'、'.join(sorted(lacking))}），请改用中文 TrueType 字体。")
        return chosen
    for path, index in font_paths.candidates(role):
        chosen = _try_load(path, index)
        if chosen is not None and not missing_glyphs(_CJK_PROBE, chosen):
            return chosen
    if role != "body":
        return _find("body", override)
    raise FontError("未找到可嵌入 PDF 的中文字体。请安装仿宋/宋体（Windows 自带 simfang.ttf、"
                    "simsun.ttc）或 fonts-wqy-microhei，或设置环境变量 "
                    f"{FONT_ENV}=<中文 .ttf/.ttc 字体文件路径>。")


def _try_load(path: Path, index: int) -> FontChoice | None:
    try:
        return load_font(path, index)
    except FontError:
        return None


def missing_glyphs(text: str, font: FontChoice) -> set[str]:
    """The characters of ``text`` that ``font`` has no glyph for.

    Args:
        text: any text; line breaks and tabs are ignored (they never need a glyph).
        font: a registered font.

    Returns:
        The set of lacking characters, e.g. ``{"𠮷"}``; empty when the font covers the text.
    """
    char_map = _char_map(font.name)
    return {c for c in set(text) if ord(c) not in char_map and c not in _NO_GLYPH_NEEDED}


@lru_cache(maxsize=1024)
def find_fallback_font(char: str) -> FontChoice | None:
    """The first installed TrueType font other than the role fonts that has ``char``.

    Looks in the platform's symbol/extension fonts (SimSun-ExtB, Segoe UI Symbol, Arial Unicode…)
    and, where fontconfig exists, in every font it lists for that code point.

    Args:
        char: one code point.

    Returns:
        A registered font with the glyph, or None when no installed font has it.
    """
    candidates = list(font_paths.candidates("fallback"))
    candidates += font_paths.fc_list(f":charset={ord(char):x}")
    for path, index in candidates:
        chosen = _try_load(path, index)
        if chosen is not None and chosen.has_glyph(char):
            return chosen
    return None


def unrenderable_error(chars: set[str], font: FontChoice) -> FontError:
    """The error raised when no installed font has some characters of a document.

    Args:
        chars: the characters without any glyph.
        font: the document's body font (named in the message).

    Returns:
        A :class:`FontError` listing the characters and their code points, with what to do.
    """
    listed = "、".join(f"“{c}”(U+{ord(c):04X})" for c in sorted(chars))
    return FontError(f"文书中的字符 {listed} 在字体 {font.family or font.path.name} 及已安装的"
                     f"其他字体中都没有字形，无法打印。请安装包含这些字符的字体（如 Windows 的"
                     f" SimSun-ExtB），或设置环境变量 {FONT_ENV} 指向这样的字体，或修改相应文字。")
