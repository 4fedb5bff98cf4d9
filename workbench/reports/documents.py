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
        legal_basis: the provisions breached, with the law's version, e.g.
            "《中华人民共和国网络安全法》（2025修正）第二十三条".
        requirement: the 整改要求 (what must be done).
        evidence: URL, screenshot name, IP… ('' prints no evidence sentence).
        site: the site concerned, e.g. "某某网（www.example.cn）" ('' leaves it out).
        filing_no: its ICP 备案号 ('' leaves it out).
        filed: what the filing records where it differs, e.g. "备案接入服务商为某云" ('').
    """

    description: str
    legal_basis: str
    requirement: str
    evidence: str = ""
    site: str = ""
    filing_no: str = ""
    filed: str = ""


@dataclass(frozen=True)
class Appeal:
    """The 复议/诉讼 clause of an order (facts.md §10), from the settings.

    Attributes:
        review_body: 行政复议机关, e.g. "某市人民政府".
        court: the court for 行政诉讼, e.g. "某市某区人民法院".
        review_days: days to apply for review (行政复议法: 60).
        litigation_months: months to sue (行政诉讼法 第四十六条: 6).
    """

    review_body: str
    court: str
    review_days: int = 60
    litigation_months: int = 6


@dataclass(frozen=True)
class RectificationNotice:
    """A 责令限期改正通知书 / 整改通知书 for one inspected organisation (facts.md §7, §10).

    Attributes:
        authority: 检查机关, printed as the red 发文机关标志 and the 署名.
        doc_number: the formatted 文号, e.g. "鲁网信整改〔2026〕12号" (see format_doc_number).
        recipient: 被检查单位 name (主送).
        recipient_uscc: its 统一社会信用代码 ('' leaves it out).
        inspected_on: 检查日期, local calendar day, or None when not to be printed;
            inspected_until: the last day when the inspection took several (None for one day).
        inspectors: 检查人员 names.
        place: 检查地点 ('' leaves it out).
        findings: the numbered 问题, at least one.
        deadline: the last day (inclusive) to correct; None only when the term runs from
            receipt and 送达 is not recorded yet.
        term_text: the period as decided, e.g. "10个工作日" (domain.deadline.term_text).
        contact: 联系人; contact_phone: 联系电话 — both required (printing stops without them).
        issued_on: 成文日期, local calendar day; not after the deadline.
        title: document title; '' prints the wording file's default 责令限期改正通知书.
        from_receipt: the term runs from receipt (自收到本通知书之日起…) rather than being a
            date fixed at issue.
        self_reference: how the authority names itself (我办, 我局…; never 我单位).
        basis: the legal basis of the inspection, e.g. "《中华人民共和国网络安全法》第六十四条"
            ('' leaves it out).
        appeal: the 复议/诉讼 clause (None leaves it out, for advisory 整改通知书).
        extends: the 文号 of the notice this one extends ('' for an original notice).
        cc: 抄送 (版记, '' for none).
        red: print the red 标志 and rules (False for pre-printed 红头纸).
        kind: the campaign's kind (``security_inspection``, ``icp_review``): the opening says
            what was done (开展了网络安全检查 / 网站备案信息核查; notice_wording.yaml ``activity``).
    """

    authority: str
    doc_number: str
    recipient: str
    recipient_uscc: str
    inspected_on: date | None
    inspectors: tuple[str, ...]
    place: str
    findings: tuple[NoticeFinding, ...]
    deadline: date | None
    term_text: str
    contact: str
    contact_phone: str
    issued_on: date
    title: str = ""
    inspected_until: date | None = None
    from_receipt: bool = False
    self_reference: str = "我办"
    basis: str = ""
    appeal: Appeal | None = None
    extends: str = ""
    cc: str = ""
    red: bool = True
    kind: str = "security_inspection"


@dataclass(frozen=True)
class DeliveryReceipt:
    """A 送达回证 for one served document (facts.md §7).

    Attributes:
        authority: the serving authority (printed above the title and at the seal).
        doc_title: 文书名称, e.g. "整改通知书".
        doc_number: its 文号.
        recipient: 受送达人.
        address: 送达地点 ('' leaves a blank to fill by hand).
        method: 送达方式 as recorded, e.g. "邮寄送达（邮件号：1234567890）" ('' prints a box for
            each legal manner to tick by hand).
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
        notice_number: the 文号 of the notice it follows; notice_title: that notice's title
            (责令限期改正通知书 / 整改通知书), named in the opening.
        recipient: 被检查单位 name.
        reinspected_on: 复查日期, local calendar day.
        items: (finding description, result text such as "已整改" plus notes) per finding.
        conclusion: the overall 复查结论.
        issued_on: 成文日期, local calendar day.
        self_reference: how the authority names itself (我办, 我局…).
        red: print the red 标志 and rules (False for pre-printed 红头纸).
    """

    authority: str
    doc_number: str
    notice_number: str
    recipient: str
    reinspected_on: date
    items: tuple[tuple[str, str], ...]
    conclusion: str
    issued_on: date
    self_reference: str = "我办"
    red: bool = True
    notice_title: str = "责令限期改正通知书"


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
