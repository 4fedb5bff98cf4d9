"""Font discovery, the WORKBENCH_FONT override and glyph coverage."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.errors import FontError
from workbench.reports import find_cjk_font, font_paths, missing_glyphs
from workbench.reports.fonts import FONT_ENV, find_fallback_font, load_font

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_found_font_is_truetype_with_chinese():
    font = find_cjk_font()
    assert font.path.suffix.lower() in (".ttf", ".ttc")
    assert not missing_glyphs("整改通知书〔2026〕年月日", font)
    assert font.family


def test_missing_glyphs_names_what_the_font_lacks():
    font = find_cjk_font()
    lacking = missing_glyphs("正常文字\n𠮷", font)
    assert "\n" not in lacking
    assert "正" not in lacking
    assert lacking == ({"𠮷"} if not font.has_glyph("𠮷") else set())


def test_env_override_is_used(fresh_fonts):
    if not WQY.is_file():
        pytest.skip("fonts-wqy-microhei not installed")
    fresh_fonts.setenv(FONT_ENV, str(WQY))
    assert find_cjk_font("body").path == WQY
    assert find_cjk_font("heading").path == WQY


def test_env_override_without_chinese_is_refused(fresh_fonts):
    if not DEJAVU.is_file():
        pytest.skip("DejaVu Sans not installed")
    fresh_fonts.setenv(FONT_ENV, str(DEJAVU))
    with pytest.raises(FontError, match="不含中文字形"):
        find_cjk_font()


def test_env_override_missing_file(fresh_fonts, tmp_path):
    fresh_fonts.setenv(FONT_ENV, str(tmp_path / "无此字体.ttf"))
    with pytest.raises(FontError, match="无此字体"):
        find_cjk_font()


def test_not_a_font_file_is_refused(tmp_path):
    bogus = tmp_path / "fake.ttf"
    bogus.write_bytes(b"not a font at all" * 10)
    with pytest.raises(FontError, match="TrueType"):
        load_font(bogus)


def test_no_font_installed_raises_with_instructions(fresh_fonts):
    fresh_fonts.delenv(FONT_ENV, raising=False)
    fresh_fonts.setattr(font_paths, "candidates", lambda role: iter(()))
    with pytest.raises(FontError, match=FONT_ENV):
        find_cjk_font()


def test_unknown_role_is_a_programming_error():
    with pytest.raises(ValueError):
        find_cjk_font("italic")


def test_fallback_font_really_has_the_glyph(fresh_fonts):
    for char in "☑ẞ①":
        fallback = find_fallback_font(char)
        if fallback is not None:
            assert fallback.has_glyph(char)
    assert find_fallback_font("\U0010fffd") is None  # private use plane: no font has it


def test_windows_fonts_folder_is_searched_in_preference_order(fresh_fonts, tmp_path):
    if not WQY.is_file():
        pytest.skip("fonts-wqy-microhei not installed")
    fonts_dir = tmp_path / "Windows" / "Fonts"
    fonts_dir.mkdir(parents=True)
    (fonts_dir / "simhei.ttf").symlink_to(WQY)
    (fonts_dir / "simfang.ttf").symlink_to(WQY)
    fresh_fonts.delenv(FONT_ENV, raising=False)
    fresh_fonts.setenv("WINDIR", str(tmp_path / "Windows"))
    fresh_fonts.setattr(font_paths, "_platform", lambda: "win32")
    assert find_cjk_font("body").path.name == "simfang.ttf"  # 仿宋 before 黑体 for the body
    assert find_cjk_font("heading").path.name == "simhei.ttf"
    assert find_cjk_font("title").path.name == "simhei.ttf"  # no 小标宋/宋体 here: 黑体 next


def test_macos_fonts_are_searched(fresh_fonts, tmp_path):
    if not WQY.is_file():
        pytest.skip("fonts-wqy-microhei not installed")
    (tmp_path / "Songti.ttc").symlink_to(WQY)
    fresh_fonts.delenv(FONT_ENV, raising=False)
    fresh_fonts.setattr(font_paths, "_platform", lambda: "darwin")
    fresh_fonts.setattr(font_paths, "_MACOS_DIRS", (str(tmp_path),))
    assert find_cjk_font("title").path == tmp_path / "Songti.ttc"


def test_every_role_has_a_truetype_font_and_stand_ins_are_named(fresh_fonts):
    """font_for(role) for the five GB/T 9704 roles; each font has glyf outlines (reportlab
    embeds nothing else), and every stand-in is named once in stand_in_notes()."""
    from fontTools.ttLib import TTFont

    from workbench.reports.fonts import ROLES, font_for, stand_in_notes

    fresh_fonts.delenv(FONT_ENV, raising=False)
    notes = stand_in_notes()
    for role in ROLES:
        font = font_for(role)
        outlines = TTFont(str(font.path), fontNumber=font.subfont_index, lazy=True)
        assert "glyf" in outlines and "CFF " not in outlines, font.path
        assert not missing_glyphs("责令限期改正通知书〔2026〕。，、；：？！“”（）《》—…·", font)
        assert sum(font.family in n for n in notes) >= int(font.stand_in)
    assert len(notes) == sum(font_for(r).stand_in for r in ROLES)
    assert font_for("heading") == font_for("heading1")


def test_free_stand_ins_are_installed_by_the_project(fresh_fonts):
    """packaging/install-fonts.sh (run by .ci/run) installs a different free face per role:
    Noto Serif SC Bold, FandolFang (converted to TrueType), WenQuanYi Micro Hei, AR PL UKai/UMing."""
    from workbench.reports.fonts import font_for

    fresh_fonts.delenv(FONT_ENV, raising=False)
    if not any((d / "FandolFang-Regular.ttf").is_file() for d in font_paths.font_dirs()):
        pytest.skip("packaging/install-fonts.sh has not been run on this machine")
    families = {role: font_for(role).family for role in
                ("title", "body", "heading1", "heading2", "page_number")}
    assert families["title"].startswith(("Noto Serif SC", "FandolSong"))  # FandolSong: no npm
    assert families["body"].startswith("FandolFang")
    assert families["heading1"] == "WenQuanYi Micro Hei"
    assert families["heading2"] == "AR PL UKai CN"
    assert families["page_number"] == "AR PL UMing CN"


def test_font_chosen_in_settings_wins_and_a_bad_one_is_refused(fresh_fonts, tmp_path):
    from workbench.reports.fonts import configure, font_for, stand_in_notes

    if not WQY.is_file():
        pytest.skip("fonts-wqy-microhei not installed")
    fresh_fonts.delenv(FONT_ENV, raising=False)
    try:
        configure({"body": f"{WQY}#0"})
        assert font_for("body").path == WQY and not font_for("body").stand_in
        assert not any(n.startswith("正文") for n in stand_in_notes())
        configure({"title": str(tmp_path / "没有.ttf")})
        with pytest.raises(FontError, match="设置中为标题（小标宋）选择的字体"):
            font_for("title")
    finally:
        configure({})


def test_font_file_check_per_role(tmp_path):
    """fonts.check_font_file (设置 › 选择…): a face number beyond a .ttc and a Latin font for a
    Chinese role are refused in Chinese; page numbers need only the 一字线 and digits."""
    from workbench.reports.fonts import check_font_file

    if not WQY.is_file():
        pytest.skip("fonts-wqy-microhei not installed")
    assert check_font_file(f"{WQY}#1", "heading1").subfont_index == 1
    with pytest.raises(FontError, match="只有 2 个字体.*没有 #5"):
        check_font_file(f"{WQY}#5", "heading1")
    with pytest.raises(FontError, match="序号"):
        check_font_file(f"{WQY}#一", "heading1")
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if latin.is_file():
        with pytest.raises(FontError, match="缺少中文字形"):
            check_font_file(str(latin), "body")
        assert check_font_file(str(latin), "page_number").family.startswith("DejaVu")
