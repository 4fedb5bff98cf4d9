"""Convert a CFF-outline OpenType font (.otf) to TrueType outlines (.ttf) so reportlab can embed it.

reportlab embeds TrueType (``glyf``) outlines only; the one free 仿宋 that covers GB2312,
FandolFang, ships as CFF. This is the method of fontTools' ``Snippets/otf2ttf.py`` (quadratic
curves by cu2qu, 1 font unit tolerance), checked on FandolFang in ../shared/domain/fonts.md §3:
advance widths identical, mean ink difference 0.7 %. Run by packaging/install-fonts.sh:

    python3 -m workbench.reports.font_convert SOURCE.otf TARGET.ttf

fontTools is needed only here (the project's ``fonts`` extra); nothing else imports this module.
"""

from __future__ import annotations

import sys
from pathlib import Path


def otf_to_ttf(source: Path, target: Path, max_err: float = 1.0) -> None:
    """Write ``target`` as a TrueType-outline copy of the CFF font ``source``.

    Args:
        source: a .otf file with ``CFF `` outlines (not CFF2).
        target: the .ttf to write (replaced atomically).
        max_err: the largest distance, in font units, between a cubic curve and its quadratic
            approximation.

    Raises:
        ValueError: ``source`` has no CFF outlines (already TrueType, or CFF2).
        OSError: a file cannot be read or written.
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(source))
    if "CFF " not in font:
        raise ValueError(f"{source} has no CFF outlines to convert")
    order, glyph_set = font.getGlyphOrder(), font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            font["hmtx"][name] = (font["hmtx"][name][0], glyph.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions"):
        setattr(maxp, attr, 0)
    maxp.maxComponentElements = max(len(getattr(g, "components", [])) for g in glyphs.values())
    maxp.compile(font)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    try:
        post.compile(font)
    except OverflowError:
        post.formatType = 3.0
    font.sfntVersion = "\0\1\0\0"
    partial = target.with_name(target.name + ".part")
    font.save(str(partial))
    partial.replace(target)


def main(argv: list[str]) -> int:
    """Command line: ``SOURCE.otf TARGET.ttf``; exit 0 on success, 2 on bad arguments."""
    if len(argv) != 2:
        print("用法：python3 -m workbench.reports.font_convert SOURCE.otf TARGET.ttf", file=sys.stderr)
        return 2
    otf_to_ttf(Path(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
