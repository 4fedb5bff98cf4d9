"""Fonts by role for every PDF document: choosing, registering, checking and naming stand-ins.

Public API (used by the notice, opinion and receipt renderers, and by other PDF reports):

* :func:`font_for` ``(role) -> FontChoice`` — the registered font of one role: ``title`` 小标宋,
  ``body`` 仿宋, ``heading1`` 黑体, ``heading2`` 楷体, ``page_number`` 宋体 (GB/T 9704-2012
  §7.3.1, §7.3.3, §7.5; gbt9704.md). ``FontChoice.stand_in`` is True when a free font stands in
  for the role's own face.
* :func:`stand_in_notes` ``() -> list[str]`` — one Chinese sentence per role a stand-in serves,
  for the GUI and the command line to show once per batch.
* :func:`configure` ``(files)`` — the font file chosen per role in 设置 (Settings.fonts).

Policy (decided here, relied on by the renderers):

* Order per role: the file chosen in 设置; ``$WORKBENCH_FONT`` (one file for every role, for
  tests and odd machines); the platform's own face (font_paths); the free stand-ins
  packaging/install-fonts.sh installs (fonts.md §1); any Chinese TrueType font.
* Fonts are registered as reportlab ``TTFont`` so they are embedded as subsets (``/FontFile2``)
  and text stays extractable. reportlab embeds TrueType outlines only, so a file is checked for
  ``glyf`` outlines by reportlab itself (a CFF .otf fails to load and is skipped). Its built-in
  CID fonts (STSong-Light) are never used: they are not embedded.
* A character the role's font lacks (e.g. ☑, or 𠮷 in a person's name) is drawn in the first
  other installed TrueType font that has it. If no installed font has it, rendering stops with
  :class:`~workbench.errors.FontError` naming the characters — a document never shows empty boxes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts as _ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from workbench.errors import FontError
from workbench.reports import font_paths
from workbench.reports.font_paths import ROLES

FONT_ENV = "WORKBENCH_FONT"
#: Old role names still accepted: ``heading`` is the level-1 heading.
_ALIASES = {"heading": "heading1"}
#: What each role should be set in (GB/T 9704-2012), for settings and stand-in notes.
ROLE_LABELS = {
    "title": "标题（小标宋）",
    "body": "正文（仿宋）",
    "heading1": "一级标题（黑体）",
    "heading2": "二级标题（楷体）",
    "page_number": "页码（宋体）",
}
PREFERRED = {
    "title": "方正小标宋简体",
    "body": "仿宋_GB2312",
    "heading1": "黑体",
    "heading2": "楷体_GB2312",
    "page_number": "宋体",
}
# A font is accepted as Chinese only if it has every one of these (document wording + 〔〕).
_CJK_PROBE = "中华人民共和国整改通知书年月日〔〕：，。（）"
#: What each role's font must draw (checked when it is chosen in 设置): the Chinese probe, plus
#: the role's own characters; page numbers need the 一字线 and digits only.
ROLE_PROBES = {
    "title": _CJK_PROBE + "责令限期正复查意见送达回证",
    "body": _CJK_PROBE + "责令限期复议诉讼联系电话0123456789",
    "heading1": _CJK_PROBE + "一二三四五六七八九十、",
    "heading2": _CJK_PROBE + "一二三四五六七八九十",
    "page_number": "—0123456789",
}
# Layout characters that never need a glyph: they become line breaks or spaces in the markup.
_NO_GLYPH_NEEDED = frozenset("\n\r\t")
_configured: dict[str, str] = {}


def _to_unicode_cmap(fontname: str, subset) -> str:
    """reportlab's ToUnicode CMap, with characters beyond U+FFFF (CJK extension B such as 𡈼
    in a name) written as UTF-16 surrogate pairs: reportlab 4–5 writes ``<%04X>``, which
    truncates them, so copied or searched text showed a wrong character."""
    text = _rl_make_cmap(fontname, subset)
    wide = [(i, v) for i, v in enumerate(subset) if v > 0xFFFF]
    for i, v in wide:
        utf16 = chr(v).encode("utf-16-be").hex().upper()
        text = text.replace(f"<{i:02X}> <{v:04X}>", f"<{i:02X}> <{utf16}>")
    return text


_rl_make_cmap = _ttfonts.makeToUnicodeCMap
_ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@dataclass(frozen=True)
class FontChoice:
    """A TrueType font registered with reportlab.

    Attributes:
        name: the reportlab font name to use in styles and ``<font name=…>`` markup.
        path: the .ttf/.ttc file.
        subfont_index: face index inside a .ttc collection (0 for .ttf).
        family: the font's own family name, e.g. ``WenQuanYi Micro Hei``.
        stand_in: True when this font stands in for the role's GB/T 9704 face.
    """

    name: str
    path: Path
    subfont_index: int = 0
    family: str = ""
    stand_in: bool = False

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


def configure(files: Mapping[str, str]) -> None:
    """Use the font files chosen per role in 设置 (``Settings.fonts``) from now on.

    Args:
        files: role → path of a .ttf/.ttc, optionally ``path#index`` for a face of a .ttc;
            roles missing or empty are found automatically. Unknown roles are ignored.
    """
    chosen = {_ALIASES.get(k, k): v.strip() for k, v in files.items() if isinstance(v, str)}
    new = {k: v for k, v in chosen.items() if k in ROLES and v}
    if new != _configured:
        _configured.clear()
        _configured.update(new)
        _find.cache_clear()


def font_for(role: str) -> FontChoice:
    """The embedded font for one role of a document (GB/T 9704-2012; see the module docstring).

    Args:
        role: ``title``, ``body``, ``heading1``, ``heading2`` or ``page_number``
            (``heading`` = ``heading1``).

    Returns:
        A registered :class:`FontChoice` that has all common document characters;
        ``stand_in`` tells whether it is the role's own face.

    Raises:
        FontError: the font chosen in 设置 or ``$WORKBENCH_FONT`` is unusable or not Chinese,
            or no Chinese TrueType font is installed at all.
        ValueError: unknown role.
    """
    role = _ALIASES.get(role, role)
    if role not in ROLES:
        raise ValueError(f"unknown font role {role!r}")
    return _find(role, _configured.get(role, ""), os.environ.get(FONT_ENV, ""))


def find_cjk_font(role: str = "body") -> FontChoice:
    """Same as :func:`font_for` (the older name)."""
    return font_for(role)


def stand_in_notes() -> list[str]:
    """One sentence per role served by a stand-in font, e.g. "正文（仿宋）：未找到仿宋_GB2312，以
    FandolFang 代替。" — to be shown once per batch by the GUI and the command line.

    Raises:
        FontError: as :func:`font_for`.
    """
    notes = []
    for role in ROLES:
        font = font_for(role)
        if font.stand_in:
            notes.append(f"{ROLE_LABELS[role]}：未找到{PREFERRED[role]}，以 "
                         f"{font.family or font.path.name} 代替。")
    return notes


def check_font_file(spec: str, role: str, what: str = "") -> FontChoice:
    """Check a font file chosen for ``role`` in 设置 and register it.

    Args:
        spec: path of a .ttf/.ttc, or ``path#n`` for the n-th face (from 0) of a .ttc.
        role: ``title``, ``body``, ``heading1``, ``heading2`` or ``page_number``.
        what: how messages name the file (default "设置中为<role>选择的字体文件 <path>"; the
            设置 dialog, showing the message under the field, passes "该文件").

    Returns:
        The registered font (``family`` names it for the user).

    Raises:
        FontError: in Chinese, naming the file: not found or not a file; not a font at all;
            an OpenType font with CFF (PostScript) outlines, which PDF embedding via reportlab
            cannot take; a face number beyond the collection; or the characters of
            ``ROLE_PROBES[role]`` it lacks.
        ValueError: unknown role.
    """
    role = _ALIASES.get(role, role)
    if role not in ROLES:
        raise ValueError(f"unknown font role {role!r}")
    raw, _, index_text = spec.strip().partition("#")
    path = Path(raw)
    what = what or f"设置中为{ROLE_LABELS[role]}选择的字体文件 {path}"
    if not path.is_file():
        raise FontError(f"找不到{what}（文件不存在或不是文件）。")
    if index_text and not index_text.isdigit():
        raise FontError(f"{what}后的“#{index_text}”应为字体集中的序号（从 0 起），如 #1。")
    index = int(index_text or 0)
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
    except OSError as exc:
        raise FontError(f"{what}无法读取：{exc.strerror or exc}。") from exc
    if head[:4] == b"OTTO":
        raise FontError(f"{what}是 PostScript（CFF）字形的 OpenType 字体，无法嵌入 PDF；请选择"
                        f" TrueType 字体（.ttf/.ttc）。")
    if head[:4] not in (b"\x00\x01\x00\x00", b"true", b"ttcf"):
        raise FontError(f"{what}不是 TrueType 字体文件（.ttf/.ttc），请重新选择。")
    if head[:4] == b"ttcf":
        count = int.from_bytes(head[8:12], "big")
        if index >= count:
            raise FontError(f"{what}中只有 {count} 个字体（#0–#{count - 1}），没有 #{index}。")
    elif index:
        raise FontError(f"{what}不是字体集（.ttc），不能指定 #{index}。")
    try:
        font = load_font(path, index)
    except FontError as exc:
        raise FontError(f"{what}无法使用：其字形不能嵌入 PDF（须为 TrueType 轮廓）。") from exc
    lacking = missing_glyphs(ROLE_PROBES[role], font)
    if lacking:
        kind = "页码所需的数字或一字线" if role == "page_number" else "中文字形"
        listed = "".join(sorted(lacking)[:12]) + (f"等 {len(lacking)} 个字" if len(lacking) > 12 else "")
        raise FontError(f"{what}（{font.family or path.name}）缺少{kind}：{listed}，"
                        f"请改用{PREFERRED[role]}或其他含这些字的 TrueType 字体。")
    return font


@lru_cache(maxsize=32)
def _find(role: str, chosen: str, override: str) -> FontChoice:
    if chosen:
        return check_font_file(chosen, role)
    if override:
        return _checked(Path(override), 0, f"环境变量 {FONT_ENV} 指定的字体 {override}")
    for candidate in font_paths.candidates(role):
        font = _try_load(candidate.path, candidate.index)
        if font is not None and not missing_glyphs(_CJK_PROBE, font):
            return replace(font, stand_in=not candidate.proper)
    raise FontError("未找到可嵌入 PDF 的中文字体。请安装仿宋/宋体（Windows 自带 simfang.ttf、"
                    "simsun.ttc），或在 Linux 上以 root 运行 packaging/install-fonts.sh 安装免费替代"
                    f"字体，或在“设置”中为各用途选择字体，或设置环境变量 "
                    f"{FONT_ENV}=<中文 .ttf/.ttc 字体文件路径>。")


def _checked(path: Path, index: int, what: str) -> FontChoice:
    try:
        font = load_font(path, index)
    except FontError as exc:
        raise FontError(f"{what}无法使用：{exc}") from exc
    lacking = missing_glyphs(_CJK_PROBE, font)
    if lacking:
        raise FontError(f"{what}不含中文字形（缺少：{'、'.join(sorted(lacking))}），"
                        f"请改用中文 TrueType 字体。")
    return font


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
    candidates = [(c.path, c.index) for c in font_paths.candidates("fallback")]
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
