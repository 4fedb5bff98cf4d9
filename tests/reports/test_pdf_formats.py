"""文号, dates, heading numerals and file names as the documents print them."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.errors import ValidationError
from workbench.reports import format_cn_date, format_doc_number, safe_file_name
from workbench.reports.parts import cn_number


@pytest.mark.parametrize(
    ("prefix", "year", "seq", "expected"),
    [
        ("鲁网信整改", 2026, 12, "鲁网信整改〔2026〕12号"),
        ("  京网信复查 ", 2026, 1, "京网信复查〔2026〕1号"),
        ("X公网限字", 2025, 105, "X公网限字〔2025〕105号"),
    ],
)
def test_doc_number_uses_hexagonal_brackets_full_year_no_padding(prefix, year, seq, expected):
    assert format_doc_number(prefix, year, seq) == expected


@pytest.mark.parametrize(
    ("prefix", "year", "seq"),
    [("", 2026, 1), ("鲁网信", 26, 1), ("鲁网信", 2026, 0), ("鲁网信〔", 2026, 1),
     ("鲁网信", 2026, True), ("鲁网信", "2026", 1)],
)
def test_doc_number_rejects_bad_parts_in_chinese(prefix, year, seq):
    with pytest.raises(ValidationError, match="文号"):
        format_doc_number(prefix, year, seq)


def test_doc_number_has_no_di_and_no_square_brackets():
    text = format_doc_number("鲁网信整改", 2026, 7)
    assert "第" not in text and "[" not in text and "〔" in text and not text.endswith("07号")


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2026, 11, 29), "2026年11月29日"), (date(2026, 1, 5), "2026年1月5日"),
     (date(2030, 10, 1), "2030年10月1日")],
)
def test_cn_date_arabic_unpadded(day, expected):
    assert format_cn_date(day) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (31, "三十一"),
     (100, "一百"), (105, "一百零五"), (110, "一百一十"), (1001, "一千零一")],
)
def test_cn_number(n, expected):
    assert cn_number(n) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("鲁网信整改〔2026〕12号-某公司", "鲁网信整改〔2026〕12号-某公司"),
        ("../../etc/passwd", "etcpasswd"),
        ("..\\..\\Windows\\x", "Windowsx"),
        ('a:b*c?d"e<f>g|h', "abcdefgh"),
        ("...隐藏文件", "隐藏文件"),
        ("名称. . ", "名称"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("line\nbreak\ttab", "line break tab"),
        ("", "文书"),
        ("///", "文书"),
    ],
)
def test_safe_file_name(text, expected):
    assert safe_file_name(text) == expected


def test_safe_file_name_is_short_and_never_a_path():
    name = safe_file_name("某" * 300 + "/x")
    assert len(name) <= 80
    assert "/" not in name and "\\" not in name
