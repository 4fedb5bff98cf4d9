"""The rectification notice PDF: content, escaping, embedded fonts, pagination, rare glyphs."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from reportlab.pdfbase import pdfmetrics

from workbench.errors import FontError, ValidationError
from workbench.reports import NoticeFinding, find_cjk_font, render_notice
from workbench.reports.fonts import find_fallback_font


def _flat(text: str) -> str:
    """pdftotext output without line breaks and spaces (CJK lines wrap anywhere)."""
    return re.sub(r"\s+", "", text)


def test_notice_text(tmp_path, make_notice, pdf_text):
    out = tmp_path / "notice.pdf"
    render_notice(make_notice(), out)
    text = _flat(pdf_text(out))
    for expected in ("某市互联网信息办公室", "鲁网信整改〔2026〕12号", "整改通知书",
                     "济南<b>&某某</b>科技有限公司：", "91110108551385082Q",
                     "2026年11月20日", "检查人员：张三、李四", "（一）网站后台管理页面",
                     "（三）", "依据：《中华人民共和国网络安全法》", "整改要求：",
                     "证据：截图evidence-1.png", "整改期限为10个工作日",
                     "请于2026年12月15日前完成整改，并将书面整改报告报送我单位",
                     "逾期不整改", "联系人：王五；联系电话：0531-12345678。",
                     "2026年11月29日", "本通知书一式两份"):
        assert expected in text, expected
    assert "证据：截图evidence-2" not in text  # empty evidence prints no line
    assert "&amp;" not in text and "<b>&" in text


def test_notice_layout_order(tmp_path, make_notice, pdf_text):
    out = tmp_path / "notice.pdf"
    render_notice(make_notice(), out)
    text = _flat(pdf_text(out))
    order = ["某市互联网信息办公室", "鲁网信整改〔2026〕12号", "整改通知书", "济南<b>",
             "一、存在的问题", "二、整改期限", "三、联系方式", "某市互联网信息办公室2026年11月29日",
             "本通知书一式两份"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)


def test_optional_parts_are_left_out(tmp_path, make_notice, pdf_text):
    out = tmp_path / "notice.pdf"
    render_notice(make_notice(inspected_on=None, place="", inspectors=(), recipient_uscc="",
                              term_text="", contact="", contact_phone=""), out)
    text = _flat(pdf_text(out))
    assert "检查地点" not in text and "统一社会信用代码" not in text
    assert "三、联系方式" not in text and "整改期限为" not in text
    assert "某市互联网信息办公室依法对你单位开展了检查。" in text
    assert "请于2026年12月15日前完成整改" in text


def test_custom_title(tmp_path, make_notice, pdf_text):
    out = tmp_path / "notice.pdf"
    render_notice(make_notice(title="责令限期整改通知书"), out)
    assert "责令限期整改通知书" in _flat(pdf_text(out))


def test_font_is_embedded_and_nothing_else_is_used(tmp_path, make_notice, pdf_fonts):
    out = tmp_path / "notice.pdf"
    render_notice(make_notice(), out)
    rows = pdf_fonts(out)
    assert rows, "no fonts in the PDF"
    assert all(row["emb"] == "yes" and row["type"] == "TrueType" for row in rows), rows
    assert b"/FontFile2" in out.read_bytes()
    assert b"STSong" not in out.read_bytes()
    body = pdfmetrics.getFont(find_cjk_font().name).face.name.decode()  # PostScript name
    assert any(row["name"].endswith(body) for row in rows), (body, rows)


def test_many_findings_paginate(tmp_path, make_notice, pdf_text, page_count):
    out = tmp_path / "notice.pdf"
    render_notice(make_notice(findings=30), out)
    pages = page_count(out)
    assert pages >= 4
    text = _flat(pdf_text(out))
    assert "（三十）" in text and "第30项问题" in text
    for page in range(1, pages + 1):
        assert f"—{page}—" in text
    last_page = _flat(pdf_text(out).split("\f")[pages - 1])
    assert "2026年11月29日" in last_page and "本通知书一式两份" in last_page


def test_stream_output(make_notice):
    buffer = io.BytesIO()
    render_notice(make_notice(findings=1), buffer)
    assert buffer.getvalue().startswith(b"%PDF-")


def test_markup_in_every_field_is_printed_literally(tmp_path, make_notice, pdf_text):
    finding = NoticeFinding(description='<font size="40">大</font>', legal_basis="a & b <br/>",
                            requirement="<para>x</para>", evidence="http://x.cn/?a=1&b=<2>")
    out = tmp_path / "notice.pdf"
    render_notice(make_notice(findings=(finding,), authority="<i>机关</i>"), out)
    text = _flat(pdf_text(out))
    for literal in ('<fontsize="40">大</font>', "a&b<br/>", "<para>x</para>",
                    "http://x.cn/?a=1&b=<2>", "<i>机关</i>"):
        assert literal in text, literal


@pytest.mark.parametrize("char", ["𠮷", "①", "☑"])
def test_rare_characters_render_or_raise_naming_them(tmp_path, make_notice, pdf_text, char):
    out = tmp_path / "notice.pdf"
    notice = make_notice(recipient=f"{char}氏网络科技有限公司")
    drawable = find_cjk_font().has_glyph(char) or find_fallback_font(char) is not None
    if drawable:
        render_notice(notice, out)
        assert f"{char}氏网络科技有限公司" in _flat(pdf_text(out))
    else:
        with pytest.raises(FontError) as caught:
            render_notice(notice, out)
        assert char in str(caught.value) and f"U+{ord(char):04X}" in str(caught.value)
        assert not out.exists(), "a failed render must not leave a file"


def test_fallback_font_is_embedded_too(tmp_path, make_notice, pdf_fonts):
    body = find_cjk_font()
    char = next((c for c in "☑ẞ₿" if not body.has_glyph(c) and find_fallback_font(c)), None)
    if char is None:
        pytest.skip("no character here that needs a fallback font")
    out = tmp_path / "notice.pdf"
    render_notice(make_notice(place=f"{char}楼"), out)
    rows = pdf_fonts(out)
    assert len({row["name"].split("+")[-1] for row in rows}) >= 2
    assert all(row["emb"] == "yes" for row in rows)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"findings": ()}, "没有列出任何问题"),
        ({"deadline": date(2026, 11, 1)}, "早于成文日期"),
        ({"recipient": "  "}, "被检查单位"),
        ({"doc_number": ""}, "文号"),
    ],
)
def test_invalid_notice_is_refused_in_chinese(tmp_path, make_notice, changes, message):
    out = tmp_path / "notice.pdf"
    with pytest.raises(ValidationError, match=message):
        render_notice(make_notice(**changes), out)
    assert not out.exists()


def test_invisible_characters_from_web_pages_are_dropped(tmp_path, make_notice, pdf_text):
    out = tmp_path / "notice.pdf"
    render_notice(make_notice(recipient="\ufeff丙\u200b公司\ufe0f\x07", place="一楼\t二室"), out)
    text = pdf_text(out)
    assert "丙公司：" in _flat(text)
    assert not {"\ufeff", "\u200b", "\ufe0f", "\x07"} & set(text)
