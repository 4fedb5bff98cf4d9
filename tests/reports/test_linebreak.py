"""The pure-Python Chinese line breaker (GB/T 15834-2011 §5.1; identifiers kept whole)."""

from __future__ import annotations

import pytest

from workbench.reports.linebreak import MAX_GAP, NO_END, NO_START, break_lines

CELL = 15.79
MEASURE = 28 * CELL


def _narrow(char: str, role: str) -> float:
    return 8.0


def _lines(text: str, indent: int = 0):
    return break_lines([(text, "body")], 28, CELL, _narrow, first_indent=indent * CELL)


def _right(line) -> float:
    last = line.glyphs[-1]
    return last.x + last.width


def test_plain_text_fills_28_cells_exactly():
    lines = _lines("中" * 70)
    assert [len(line.text) for line in lines] == [28, 28, 14]
    assert all(_right(line) == pytest.approx(MEASURE) for line in lines[:-1])
    assert [g.x for g in lines[0].glyphs[:3]] == pytest.approx([0, CELL, 2 * CELL])
    assert not lines[-1].full and lines[0].full


def test_indent_of_two_cells():
    lines = _lines("中" * 40, indent=2)
    assert len(lines[0].text) == 26 and lines[0].glyphs[0].x == pytest.approx(2 * CELL)


def test_comma_never_starts_a_line_squeeze_first():
    # 28 characters then a comma: squeezing the comma and another mark keeps it on the line
    text = "中" * 10 + "，" + "中" * 17 + "，" + "后文"
    first = _lines(text)[0]
    assert first.text.endswith("中，") and len(first.text) == 29
    assert _right(first) == pytest.approx(MEASURE)


def test_push_out_when_nothing_can_be_squeezed():
    text = "中" * 28 + "。后文"
    first, second = _lines(text)[:2]
    assert len(first.text) == 27 and second.text.startswith("中。")
    assert _right(first) == pytest.approx(MEASURE)  # spread, not ragged, no hanging mark


@pytest.mark.parametrize("mark", sorted("。，、；：？！）》”"))
def test_no_line_starts_with_a_closing_mark(mark):
    for n in range(20, 40):
        for line in _lines("中" * n + mark + "中" * 30):
            assert line.text[0] not in NO_START


@pytest.mark.parametrize("mark", sorted("（《“"))
def test_no_line_ends_with_an_opening_mark(mark):
    for n in range(20, 40):
        for line in _lines("中" * n + mark + "中" * 30):
            assert line.text[-1] not in NO_END


@pytest.mark.parametrize("identifier", ["鲁网信整改〔2026〕12号", "鲁ICP备2021527689号-12",
                                        "www.example.cn", "鲁公网安备 37010202000001号",
                                        "0531-12345678", "evidence-12.png"])
def test_identifiers_are_never_split(identifier):
    for n in range(0, 60):
        lines = _lines("中" * n + identifier + "中" * 30, indent=2)
        assert any(identifier in line.text for line in lines), (n, [line.text for line in lines])


def _gaps(line) -> list[float]:
    """Space between one character's cell and the next one's, pt."""
    return [b.x - (a.x + a.width) for a, b in zip(line.glyphs, line.glyphs[1:], strict=False)]


@pytest.mark.parametrize("identifier", ["鲁ICP备2021527689号-12", "鲁网信整改〔2026〕12号",
                                        "https://www.example.com.cn/a/b?c=1", "www.example-shop.com.cn",
                                        "鲁公网安备 37010202000001号"])
def test_an_identifier_that_does_not_fit_never_opens_wide_gaps(identifier):
    """The space an unsplit identifier leaves is shared by the lines before it (total fit):
    every gap stays within MAX_GAP; with two full lines before it, every full line still ends
    flush (the old greedy breaker opened gaps of up to 11 cells here)."""
    for n in range(0, 120):
        lines = _lines("中" * n + identifier + "中" * 30, indent=2)
        for line in lines[:-1]:
            assert max(_gaps(line)) <= MAX_GAP * CELL + 1e-6, (n, line.text)
            if n >= 54:
                assert _right(line) == pytest.approx(MEASURE), (n, line.text)


def test_url_is_broken_after_a_slash_rather_than_leaving_a_wide_gap():
    """A URL at the start of a paragraph cannot share its space with earlier lines: it is broken
    after a / of its path (no hyphen added); the domain stays whole."""
    url = "https://www.example.cn/admin/login.php"
    text = "经查，网站后台管理页面（" + url + "）对互联网开放，可被任意登录，应当立即关闭。"
    lines = _lines(text, indent=2)
    assert lines[0].text.endswith("www.example.cn/")
    assert "".join(line.text for line in lines) == text
    assert max(_gaps(lines[0])) <= MAX_GAP * CELL + 1e-6
    assert _right(lines[0]) == pytest.approx(MEASURE)


def test_a_line_stays_short_rather_than_spread_beyond_the_bound():
    """Nothing to share with and nothing to break: a line that MAX_GAP cannot fill keeps the
    grid pitch and ends short; one that it nearly fills (less than a cell left) is spread to it."""
    domain = "www." + "a" * 40 + ".com"  # 24 cells: fits a line, not after 经查
    lines = _lines("经查" + "中" * 6 + domain + "可见", indent=2)
    assert lines[0].text == "经查" + "中" * 6 and domain in lines[1].text
    assert max(_gaps(lines[0])) == pytest.approx(0)
    assert _right(lines[0]) == pytest.approx(10 * CELL)
    lines = _lines("经查" + "中" * 18 + "a" + "鲁ICP备2021527689号-12", indent=2)  # 5.5 cells, 20 gaps
    assert max(_gaps(lines[0])) == pytest.approx(MAX_GAP * CELL)
    assert MEASURE - CELL < _right(lines[0]) < MEASURE


def test_dash_and_ellipsis_stay_whole():
    for n in range(20, 30):
        lines = _lines("中" * n + "——" + "中" * 10 + "……" + "中" * 30)
        texts = [line.text for line in lines]
        assert any("——" in t for t in texts) and any("……" in t for t in texts)


def test_identifier_longer_than_a_line_is_cut_at_a_soft_point():
    url = "https://" + "a" * 30 + "/" + "b" * 40 + "/c"
    lines = _lines("见" + url + "。")
    assert all(_right(line) <= MEASURE + 0.01 for line in lines)
    assert "".join(line.text for line in lines) == "见" + url + "。"
    assert lines[0].text.endswith("/")


def test_no_space_at_a_line_edge():
    for n in range(20, 30):
        for line in _lines("中" * n + "abc def ghi jkl " * 6):
            assert line.text[0] != " " and line.text[-1] != " "
