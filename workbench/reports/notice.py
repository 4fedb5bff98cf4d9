"""The 责令限期改正通知书 / 整改通知书 PDF in the GB/T 9704-2012 信函格式 (letter.py)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from workbench.errors import MissingSettingsError, ValidationError
from workbench.reports.documents import NoticeFinding, RectificationNotice, format_cn_date
from workbench.reports.letter import Block, Letter, PlacedLine, render_letter
from workbench.reports.parts import cn_number
from workbench.reports.wording import Wording, wording


def render_notice(notice: RectificationNotice, out: Path | BinaryIO) -> list[list[PlacedLine]]:
    """Write one rectification notice as PDF.

    Contents (facts.md §7, §10; wording in resources/notice_wording.yaml): red 标志, 文号 and
    double rules; title; 主送; the opening (date, place, inspectors, legal basis); one level-2
    heading per 问题 (site and 备案号) followed by what was found, what the filing records, the
    evidence, the provisions breached and what must be done; the deadline — a date "前（含当日）"
    fixed at issue, or "自收到本通知书之日起…" when it runs from receipt; the warning; the
    复议/诉讼 clause; contact; 特此通知; 署名 and 成文日期 with room for the seal; the copy note
    and 抄送 at the foot of the last page.

    Args:
        notice: the notice data; every string is printed literally.
        out: destination path (written atomically) or writable binary stream.

    Returns:
        The placed lines per page (letter.render_letter).

    Raises:
        MissingSettingsError: 联系人 or 联系电话 is empty, or a body of the 复议/诉讼 clause.
        ValidationError: no findings, empty authority/文号/recipient, no deadline for a fixed
            term, or a deadline before the 成文日期.
        FontError: no Chinese font, or characters that no installed font can draw (named).
        WorkbenchError: the wording file is missing or broken.
        OSError: the destination cannot be written.
    """
    _validate(notice)
    w = wording("notice")
    title = notice.title.strip() or w.text("default_title")
    letter = Letter(authority=notice.authority, doc_number=notice.doc_number, title=title,
                    blocks=notice_blocks(notice, w), sign_name=notice.authority,
                    sign_date=notice.issued_on, note=_note(notice, w), red=notice.red,
                    pdf_title=f"{notice.doc_number} {notice.recipient}", pdf_author=notice.authority)
    return render_letter(letter, out)


def _validate(notice: RectificationNotice) -> None:
    for label, value in (("检查机关", notice.authority), ("文号", notice.doc_number),
                         ("被检查单位", notice.recipient)):
        if not value.strip():
            raise ValidationError(f"整改通知书的{label}不能为空。")
    if not notice.findings:
        raise ValidationError(f"整改通知书（{notice.doc_number}）没有列出任何问题。")
    fields = {"contact": ("联系人", notice.contact), "contact_phone": ("联系电话", notice.contact_phone)}
    if notice.appeal is not None:
        fields["review_body"] = ("行政复议机关", notice.appeal.review_body)
        fields["court"] = ("行政诉讼的人民法院", notice.appeal.court)
    missing = {name: label for name, (label, value) in fields.items() if not value.strip()}
    if missing:
        raise MissingSettingsError(f"整改通知书（{notice.doc_number}）须印明{'、'.join(missing.values())}，"
                                   f"请在“工具 → 设置”中填写后再打印。", tuple(missing))
    if notice.deadline is None:
        if not notice.from_receipt or not notice.term_text.strip():
            raise ValidationError(f"整改通知书（{notice.doc_number}）没有整改期限。")
    elif notice.deadline < notice.issued_on:
        raise ValidationError(f"整改通知书（{notice.doc_number}）的整改期限"
                              f"{format_cn_date(notice.deadline)}早于成文日期"
                              f"{format_cn_date(notice.issued_on)}。")


def notice_blocks(notice: RectificationNotice, w: Wording) -> list[Block]:
    """The body paragraphs of a notice, top to bottom (see render_notice)."""
    me = notice.self_reference.strip() or "我办"
    blocks = [Block([(w.text("salutation", recipient=notice.recipient), "body")], first_indent=0,
                    align="left"),
              Block([(_intro(notice, w, me), "body")]),
              Block([(w.text("findings_heading"), "heading1")], keep_with_next=True)]
    for number, finding in enumerate(notice.findings, start=1):
        blocks += _finding(number, finding, w)
    blocks.append(Block([(w.text("order_heading"), "heading1")], keep_with_next=True))
    blocks.append(Block([(_deadline(notice, w, me), "body")]))
    if notice.extends.strip():
        blocks.append(Block([(w.text("extends", number=notice.extends.strip()), "body")]))
    blocks.append(Block([(w.text("warning", me=me), "body")]))
    if notice.appeal is not None:
        a = notice.appeal
        blocks.append(Block([(w.text("appeal", review_days=str(a.review_days),
                                     review_body=a.review_body, court=a.court,
                                     litigation_months=str(a.litigation_months)), "body")]))
    blocks.append(Block([(w.text("contact", contact=notice.contact.strip(),
                                 phone=notice.contact_phone.strip()), "body")]))
    blocks.append(Block([(w.text("closing"), "body")]))
    return blocks


def _intro(notice: RectificationNotice, w: Wording, me: str) -> str:
    names = w.raw("list_separator").join(n.strip() for n in notice.inspectors if n.strip())
    return w.text(
        "intro", me=me,
        who=w.text("intro_who", inspectors=names) if names else "",
        when=_when(notice, w),
        where=w.text("intro_where", place=notice.place.strip()) if notice.place.strip() else "",
        basis=w.text("intro_basis", basis=notice.basis.strip()) if notice.basis.strip() else "",
        code=w.text("recipient_code", uscc=notice.recipient_uscc) if notice.recipient_uscc else "",
        activity=w.raw("activity").get(notice.kind) or w.raw("activity")["security_inspection"])


def _when(notice: RectificationNotice, w: Wording) -> str:
    if notice.inspected_on is None:
        return ""
    if notice.inspected_until and notice.inspected_until != notice.inspected_on:
        return w.text("intro_when_range", start=format_cn_date(notice.inspected_on),
                      end=format_cn_date(notice.inspected_until))
    return w.text("intro_when", date=format_cn_date(notice.inspected_on))


def _sentence(text: str) -> str:
    """User text as the middle of a sentence: surrounding space and a final 。；. dropped."""
    return text.strip().rstrip("。；;.，,")


def _finding(number: int, finding: NoticeFinding, w: Wording) -> list[Block]:
    """A level-2 heading (楷体) naming the site and 备案号, then the finding as one paragraph;
    without a site the number runs in at the paragraph's start (GB/T 9704-2012 §7.3.3)."""
    subject = w.text("finding_site", site=finding.site.strip()) if finding.site.strip() else ""
    if finding.filing_no.strip():
        subject += w.text("finding_filing", filing_no=finding.filing_no.strip())
    parts = [w.text("finding_found", description=_without_repeated_site(finding))]
    if finding.filed.strip():
        parts.append(w.text("finding_filed", filed=_sentence(finding.filed)))
    if finding.evidence.strip():
        parts.append(w.text("finding_evidence", evidence=_sentence(finding.evidence)))
    if finding.legal_basis.strip():
        parts.append(w.text("finding_breach", legal_basis=_sentence(finding.legal_basis)))
    if finding.requirement.strip():
        parts.append(w.text("finding_requirement", requirement=_sentence(finding.requirement)))
    text = "".join(parts)
    if not subject:
        return [Block([(w.text("finding_number", number=cn_number(number)), "heading2"),
                       (text, "body")])]
    heading = Block([(w.text("finding_heading", number=cn_number(number), subject=subject),
                      "heading2")], keep_with_next=True)
    return [heading, Block([(text, "body")])]


def _without_repeated_site(finding: NoticeFinding) -> str:
    """The finding's description as a sentence, its leading "网站“某某”（备案号）" said as 该网站
    when the heading above already names that site and 备案号 (a review's finding starts so)."""
    text = _sentence(finding.description)
    filing_no = finding.filing_no.strip()
    if filing_no and text.startswith("网站“"):
        head, found, rest = text.partition(f"”（{filing_no}）")
        if found and "”" not in head[3:] and rest:
            return "该网站" + rest
    return text


def _deadline(notice: RectificationNotice, w: Wording, me: str) -> str:
    term = notice.term_text.strip()
    if notice.from_receipt and term:
        if notice.deadline is None:
            return w.text("deadline_receipt", term=term, me=me)
        return w.text("deadline_receipt_dated", term=term, deadline=format_cn_date(notice.deadline),
                      me=me)
    assert notice.deadline is not None  # _validate
    return w.text("deadline_fixed", deadline=format_cn_date(notice.deadline), me=me)


def _note(notice: RectificationNotice, w: Wording) -> str:
    lines = [w.text("cc", cc=_sentence(notice.cc))] if notice.cc.strip() else []
    return "\n".join([*lines, w.text("copy_note")])
