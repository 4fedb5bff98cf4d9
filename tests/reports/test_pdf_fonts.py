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
