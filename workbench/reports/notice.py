"""The 整改通知书 (rectification notice) PDF, laid out after GB/T 9704-2012."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from workbench.errors import ValidationError
from workbench.reports.documents import RectificationNotice, format_cn_date
from workbench.reports.layout import make_styles
from workbench.reports.markup import Typesetter
from workbench.reports.parts import cn_number, red_header, render_document, signature
from workbench.reports.wording import Wording


def render_notice(notice: RectificationNotice, out: Path | BinaryIO) -> None:
    """Write one rectification notice as PDF (facts.md §6 layout, §7 contents).

    Contents: red authority mark, 文号, red rule, title, 主送, inspection facts, numbered
    问题 with evidence / 依据 / 整改要求, the deadline as an absolute date with the written-report
    duty, the penalty warning, contact, 署名 + 成文日期 with seal space, page numbers and the copy
    note on the last page. Wording comes from resources/notice_wording.yaml.

    Args:
        notice: the notice data; every string is printed literally (escaped).
        out: destination path (written atomically) or writable binary stream.

    Raises:
        ValidationError: no findings, empty authority/文号/recipient, or the deadline is before
            the 成文日期.
        FontError: no Chinese font, or characters that no installed font can draw (named).
        WorkbenchError: the wording file is missing or broken.
        OSError: the destination cannot be written.
    """
    _validate(notice)
    render_document(out, lambda ts, w: notice_story(notice, ts, w), "notice",
                    title=f"{notice.doc_number} {notice.recipient}", author=notice.authority)


def _validate(notice: RectificationNotice) -> None:
    for label, value in (("检查机关", notice.authority), ("文号", notice.doc_number),
                         ("被检查单位", notice.recipient)):
        if not value.strip():
            raise ValidationError(f"整改通知书的{label}不能为空。")
    if not notice.findings:
        raise ValidationError(f"整改通知书（{notice.doc_number}）没有列出任何问题。")
    if notice.deadline < notice.issued_on:
        raise ValidationError(f"整改通知书（{notice.doc_number}）的整改期限"
                              f"{format_cn_date(notice.deadline)}早于成文日期"
                              f"{format_cn_date(notice.issued_on)}。")


def notice_story(notice: RectificationNotice, ts: Typesetter, w: Wording) -> list[Flowable]:
    """The flowables of a notice, top to bottom (see render_notice)."""
    styles = make_styles(ts.fonts)
    title = notice.title.strip() or w.text("default_title")
    story = red_header(ts, styles, notice.authority, notice.doc_number, title)
    story.append(ts.para(w.text("salutation", recipient=notice.recipient), styles["salutation"]))
    story.append(ts.para(_intro(notice, w), styles["body"]))
    story.append(ts.para(w.text("findings_heading"), styles["heading"]))
    story.append(ts.para(w.text("findings_lead"), styles["body"]))
    story += _findings(notice, ts, w, styles["body"])
    story.append(ts.para(w.text("deadline_heading"), styles["heading"]))
    story.append(ts.para(_deadline(notice, w), styles["body"]))
    last = [ts.para(w.text("warning"), styles["body"])]
    contact = _joined(w, [w.text("contact", contact=notice.contact) if notice.contact else "",
                          w.text("phone", phone=notice.contact_phone) if notice.contact_phone
                          else ""])
    if contact:
        story += last
        last = [ts.para(w.text("contact_heading"), styles["heading"]),
                ts.para(contact, styles["body"])]
    story.append(signature(ts, styles, notice.authority, notice.issued_on, last,
                           w.text("copy_note")))
    return story


def _intro(notice: RectificationNotice, w: Wording) -> str:
    code = w.text("recipient_code", uscc=notice.recipient_uscc) if notice.recipient_uscc else ""
    if notice.inspected_on:
        intro = w.text("intro_dated", authority=notice.authority, code=code,
                       date=format_cn_date(notice.inspected_on))
    else:
        intro = w.text("intro_undated", authority=notice.authority, code=code)
    names = w.raw("list_separator").join(n for n in notice.inspectors if n.strip())
    details = [w.text("place", place=notice.place) if notice.place.strip() else "",
               w.text("inspectors", inspectors=names) if names else ""]
    return intro + _joined(w, details)


def _joined(w: Wording, clauses: list[str]) -> str:
    """Non-empty clauses joined by "；" and closed by "。"; '' when all are empty."""
    kept = [c for c in clauses if c]
    return w.raw("clause_separator").join(kept) + w.raw("sentence_end") if kept else ""


def _findings(notice: RectificationNotice, ts: Typesetter, w: Wording,
              body: ParagraphStyle) -> list[Flowable]:
    flowables: list[Flowable] = []
    for number, finding in enumerate(notice.findings, start=1):
        lines = [w.text("finding", number=cn_number(number), description=finding.description)]
        if finding.evidence.strip():
            lines.append(w.text("evidence", evidence=finding.evidence))
        if finding.legal_basis.strip():
            lines.append(w.text("legal_basis", legal_basis=finding.legal_basis))
        if finding.requirement.strip():
            lines.append(w.text("requirement", requirement=finding.requirement))
        flowables += [ts.para(line, body) for line in lines]
    return flowables


def _deadline(notice: RectificationNotice, w: Wording) -> str:
    deadline = format_cn_date(notice.deadline)
    if notice.term_text.strip():
        return w.text("deadline_with_term", term=notice.term_text.strip(), deadline=deadline)
    return w.text("deadline", deadline=deadline)
