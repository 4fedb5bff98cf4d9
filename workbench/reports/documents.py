"""The plain data behind each printed document, and the number and date formats they print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workbench.errors import ValidationError


@dataclass(frozen=True)
class NoticeFinding:
    """One numbered 问题 of a rectification notice (facts.md §7).

    Attributes:
        description: what was found, e.g. "网站后台存在弱口令".
        legal_basis: the duty and penalty articles, with the law's version where it matters.
        requirement: the 整改要求.
        evidence: URL, screenshot name, IP… ('' prints no evidence line).
    """

    description: str
    legal_basis: str
    requirement: str
    evidence: str = ""


@dataclass(frozen=True)
class RectificationNotice:
    """A 整改通知书 for one inspected organisation (facts.md §7).

    Attributes:
        authority: 检查机关, printed as the red 发文机关标志 and the 署名.
        doc_number: the formatted 文号, e.g. "鲁网信整改〔2026〕12号" (see format_doc_number).
        recipient: 被检查单位 name (主送).
        recipient_uscc: its 统一社会信用代码 ('' leaves it out).
        inspected_on: 检查日期, local calendar day, or None when not to be printed.
        inspectors: 检查人员 names.
        place: 检查地点 ('' leaves it out).
        findings: the numbered 问题, at least one.
        deadline: 整改期限, local calendar day, printed as an absolute date.
        term_text: the period as decided, e.g. "10个工作日" ('' prints the date only).
        contact: 联系人; contact_phone: 联系电话 ('' leaves each out).
        issued_on: 成文日期, local calendar day; not after the deadline.
        title: document title; '' prints the wording file's default "整改通知书".
    """

    authority: str
    doc_number: str
    recipient: str
    recipient_uscc: str
    inspected_on: date | None
    inspectors: tuple[str, ...]
    place: str
    findings: tuple[NoticeFinding, ...]
    deadline: date
    term_text: str
    contact: str
    contact_phone: str
    issued_on: date
    title: str = ""


@dataclass(frozen=True)
class DeliveryReceipt:
    """A 送达回证 for one served document (facts.md §7).

    Attributes:
        authority: the serving authority (printed above the title and at the seal).
        doc_title: 文书名称, e.g. "整改通知书".
        doc_number: its 文号.
        recipient: 受送达人.
        address: 送达地点 ('' leaves a blank to fill by hand).
        method: 送达方式 ('' prints 直接/留置/邮寄/电子 boxes to tick by hand).
        issued_on: date the receipt is made out, local calendar day.
    """

    authority: str
    doc_title: str
    doc_number: str
    recipient: str
    address: str = ""
    method: str = ""
    issued_on: date | None = None


@dataclass(frozen=True)
class ReinspectionOpinion:
    """A 整改复查意见书 following a notice (facts.md §7).

    Attributes:
        authority: 检查机关; doc_number: this document's 文号.
        notice_number: the 文号 of the notice it follows.
        recipient: 被检查单位 name.
        reinspected_on: 复查日期, local calendar day.
        items: (finding description, result text such as "已整改" plus notes) per finding.
        conclusion: the overall 复查结论.
        issued_on: 成文日期, local calendar day.
    """

    authority: str
    doc_number: str
    notice_number: str
    recipient: str
    reinspected_on: date
    items: tuple[tuple[str, str], ...]
    conclusion: str
    issued_on: date


def format_doc_number(prefix: str, year: int, seq: int) -> str:
    """The 发文字号 ``代字〔年份〕序号号``, e.g. ``format_doc_number("鲁网信整改", 2026, 12)``.

    GB/T 9704-2012 §7.2.4 (facts.md §6): 六角括号 〔〕, the full year, no 第, no leading zeros.

    Args:
        prefix: the 代字 (机关代字 + 类别), e.g. "鲁网信整改"; surrounding spaces are dropped.
        year: four-digit year.
        seq: serial number, 1 or more.

    Raises:
        ValidationError: empty prefix or one holding brackets/number sign, year not four
            digits, or serial below 1.
    """
    prefix = prefix.strip()
    if not prefix or any(c in prefix for c in "〔〕[]()（）【】"):
        raise ValidationError(f"文号代字“{prefix}”无效：不能为空，也不能含括号。")
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise ValidationError(f"文号年份“{year}”无效：应为四位年份，如 2026。")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValidationError(f"文号序号“{seq}”无效：应为从 1 开始的整数。")
    return f"{prefix}〔{year}〕{seq}号"


def format_cn_date(d: date) -> str:
    """``2026年11月29日``: Arabic numerals, full year, no zero padding (GB/T 9704-2012, facts.md §6)."""
    return f"{d.year}年{d.month}月{d.day}日"
