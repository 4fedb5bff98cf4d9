"""The rectification notice PDF: content, escaping, embedded fonts, pagination, rare glyphs."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from reportlab.pdfbase import pdfmetrics

from workbench.errors import FontError, MissingSettingsError, ValidationError
from workbench.reports import NoticeFinding, find_cjk_font, render_notice
from workbench.reports.documents import Appeal
from workbench.reports.fonts import find_fallback_font


def _flat(text: str) -> str:
    """pdftotext output without line breaks and spaces (CJK lines wrap anywhere)."""
    return re.sub(r"\s+", "", text)


def test_notice_text(tmp_path, make_notice, pdf_text):
    out = tmp_path / "notice.pdf"
    render_notice(make_notice(), out)
    text = _flat(pdf_text(out))
    for expected in ("某市互联网信息办公室", "鲁网信整改〔2026〕12号", "责令限期改正通知书",
                     "济南<b>&某某</b>科技有限公司：", "91110108551385082Q",
                     "于2026年11月20日", "检查人员张三、李四", "在济南市历下区某路1号",
                     "（一）经查，网站后台管理页面", "（三）",
                     "不符合《中华人民共和国网络安全法》", "整改要求：",
                     "证据：截图evidence-1.png",
                     "请你单位于2026年12月15日前（含当日）按上述要求完成整改，并将书面整改报告报送我办",
                     "逾期不改正", "联系人：王五；联系电话：0531-12345678。", "特此通知。",
                     "2026年11月29日", "本通知书一式两份"):
        assert expected in text, expected
    assert "证据：截图evidence-2" not in text  # empty evidence prints no sentence
    assert "&amp;" not in text and "<b>&" in text
    assert "我单位" not in text


def test_notice_layout_order(tmp_path, make_notice, pdf_text):
    out = tmp_path / "notice.pdf"
    render_notice(make_notice(appeal=Appeal("某市人民政府", "某区人民法院")), out)
    text = _flat(pdf_text(out))
    order = ["某市互联网信息办公室", "鲁网信整改〔2026〕12号", "责令限期改正通知书", "济南<b>",
             "一、存在的问题", "二、整改期限和要求", "逾期不改正", "如不服本通知，可在收到本通知书之日起60日内向"
             "某市人民政府申请行政复议，或者在6个月内向某区人民法院提起行政诉讼。", "联系人：", "特此通知。",
             "某市互联网信息办公室2026年11月29日", "本通知书一式两份"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)


def test_optional_parts_are_left_out(tmp_path, make_notice, pdf_text):
    out = tmp_path / "notice.pdf"
    render_notice(make_notice(inspected_on=None, place="", inspectors=(), recipient_uscc="",
                              term_text=""), out)
    text = _flat(pdf_text(out))
    assert "检查地点" not in text and "统一社会信用代码" not in text and "检查人员" not in text
    assert "我办对你单位开展了网络安全检查。" in text
    assert "如不服" not in text  # no 复议/诉讼 clause without its bodies (advisory letter)
    assert "请你单位于2026年12月15日前（含当日）" in text


@pytest.mark.parametrize("changes, fields", [
    (dict(contact=""), ("contact",)),
    (dict(contact_phone=" "), ("contact_phone",)),
    (dict(appeal=Appeal("", "某区人民法院")), ("review_body",)),
])
def test_printing_stops_without_contact_or_appeal_bodies(tmp_path, make_notice, changes, fields):
    out = tmp_path / "notice.pdf"
    with pytest.raises(MissingSettingsError) as info:
        render_notice(make_notice(**changes), out)
    assert info.value.fields == fields
    assert not out.exists()


def test_deadline_running_from_receipt(tmp_path, make_notice, pdf_text):
    """facts.md §10: a term from receipt says so, and prints a date only once 送达 is recorded."""
    out = tmp_path / "notice.pdf"
    render_notice(make_notice(from_receipt=True, deadline=None, term_text="15个工作日"), out)
    text = _flat(pdf_text(out))
    assert "请你单位自收到本通知书之日起15个工作日内按上述要求完成整改" in text
    assert "前（含当日）" not in text
    render_notice(make_notice(from_receipt=True, deadline=date(2026, 12, 22), term_text="15个工作日"), out)
    assert "自收到本通知书之日起15个工作日内（即2026年12月22日前，含当日）" in _flat(pdf_text(out))
    with pytest.raises(ValidationError, match="没有整改期限"):
        render_notice(make_notice(deadline=None), out)


def test_extension_cites_the_first_notice_and_self_reference(tmp_path, make_notice, pdf_text):
    out = tmp_path / "notice.pdf"
    render_notice(make_notice(extends="鲁网信整改〔2026〕3号", self_reference="我局",
                              title="整改通知书"), out)
    text = _flat(pdf_text(out))
    assert "本通知书系对鲁网信整改〔2026〕3号所定整改期限的延长" in text
    assert "报送我局" in text and "我办" not in text
    assert "整改通知书" in text and "责令" not in text


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
    assert "—1—" not in text  # no number on the first page of a letter (GB/T 9704 §10.1)
    for page in range(2, pages + 1):
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
