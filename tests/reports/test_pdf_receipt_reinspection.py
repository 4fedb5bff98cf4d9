"""The delivery receipt (送达回证) and re-inspection opinion (复查意见书) PDFs."""

from __future__ import annotations

import re
from datetime import date

import pytest

from workbench.errors import ValidationError
from workbench.reports import (
    DeliveryReceipt,
    ReinspectionOpinion,
    render_receipt,
    render_reinspection,
)

NAME = "济南<b>&某某</b>科技有限公司"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _receipt(**changes) -> DeliveryReceipt:
    fields = dict(authority="某市互联网信息办公室", doc_title="整改通知书",
                  doc_number="鲁网信整改〔2026〕12号", recipient=NAME,
                  issued_on=date(2026, 11, 29))
    return DeliveryReceipt(**{**fields, **changes})


def _opinion(items: int = 3, **changes) -> ReinspectionOpinion:
    rows = tuple((f"第{i}项问题：后台弱口令", "已整改。口令已更换。" if i % 2 else "未整改。")
                 for i in range(1, items + 1))
    fields = dict(authority="某市互联网信息办公室", doc_number="鲁网信复查〔2026〕3号",
                  notice_number="鲁网信整改〔2026〕12号", recipient=NAME,
                  reinspected_on=date(2026, 12, 16), items=rows,
                  conclusion="部分问题尚未整改到位。", issued_on=date(2026, 12, 18))
    return ReinspectionOpinion(**{**fields, **changes})


def test_receipt_with_blanks_to_fill(tmp_path, pdf_text, page_count):
    out = tmp_path / "receipt.pdf"
    render_receipt(_receipt(), out)
    text = _flat(pdf_text(out))
    for expected in ("送达回证", "整改通知书鲁网信整改〔2026〕12号", NAME, "送达地点",
                     "受送达人签名或盖章",
                     "代收人及代收理由", "见证人", "送达人", "备注", "某市互联网信息办公室（印章）",
                     "2026年11月29日", "一式两份，一份送达，一份归档"):
        assert expected in text, expected
    assert text.count("年月日") >= 4  # date blanks in the signature rows
    for manner in ("□直接送达", "□留置送达", "□委托送达", "□邮寄送达（邮件号：", "□电子送达（已取得受送达人同意）",
                   "□公告送达"):
        assert manner in text, manner  # every legal manner (facts.md §10)
    assert page_count(out) == 1


def test_receipt_blank_date_spaces_survive(tmp_path, pdf_text):
    out = tmp_path / "receipt.pdf"
    render_receipt(_receipt(issued_on=None), out)
    layout = pdf_text(out, layout=True)
    assert re.search(r"年\s{2,}月\s{2,}日", layout), "hand-fill blanks collapsed"


def test_receipt_with_method_and_address(tmp_path, pdf_text):
    out = tmp_path / "receipt.pdf"
    render_receipt(_receipt(method="邮寄送达（EMS 1234567890）", address="济南市历下区某路1号"), out)
    text = _flat(pdf_text(out))
    assert "邮寄送达（EMS1234567890）" in text and "济南市历下区某路1号" in text
    assert "□直接" not in text


def test_receipt_requires_recipient(tmp_path):
    with pytest.raises(ValidationError, match="受送达人"):
        render_receipt(_receipt(recipient=""), tmp_path / "r.pdf")


def test_reinspection_text(tmp_path, pdf_text):
    out = tmp_path / "re.pdf"
    render_reinspection(_opinion(), out)
    text = _flat(pdf_text(out))
    for expected in ("某市互联网信息办公室", "鲁网信复查〔2026〕3号", "整改复查意见书",
                     f"{NAME}：", "根据我办《责令限期改正通知书》（鲁网信整改〔2026〕12号）的要求", "2026年12月16日",
                     "（三）", "第3项问题：后台弱口令。复查结果：已整改。口令已更换。", "复查结果：未整改。",
                     "复查结论", "部分问题尚未整改到位。", "特此告知。", "2026年12月18日",
                     "本意见书一式两份"):
        assert expected in text, expected
    assert "我单位" not in text


def test_long_opinion_paginates_with_numbers_and_signature_last(tmp_path, pdf_text, page_count):
    out = tmp_path / "re.pdf"
    render_reinspection(_opinion(items=40), out)
    pages = page_count(out)
    assert pages >= 3
    page_texts = pdf_text(out).split("\f")[:pages]
    assert "（四十）" in _flat(page_texts[-1]) or "（四十）" in _flat(page_texts[-2])
    assert "2026年12月18日" in _flat(page_texts[-1])
    assert all(f"—{n}—" in _flat(page_texts[n - 1]) for n in range(2, pages + 1))


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"items": 0}, "没有列出任何复查事项"), ({"issued_on": date(2026, 12, 1)}, "早于复查日期"),
     ({"notice_number": ""}, "整改通知文号")],
)
def test_invalid_opinion_is_refused(tmp_path, changes, message):
    with pytest.raises(ValidationError, match=message):
        render_reinspection(_opinion(**changes), tmp_path / "re.pdf")
