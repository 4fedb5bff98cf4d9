"""The 整改复查意见书 (re-inspection opinion) PDF that follows a rectification notice."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from workbench.errors import ValidationError
from workbench.reports.documents import ReinspectionOpinion, format_cn_date
from workbench.reports.layout import LINE, TYPE_WIDTH, make_styles
from workbench.reports.markup import Typesetter
from workbench.reports.parts import red_header, render_document, signature
from workbench.reports.wording import Wording

NUMBER_WIDTH = 16 * mm
RESULT_WIDTH = 58 * mm


def render_reinspection(opinion: ReinspectionOpinion, out: Path | BinaryIO) -> None:
    """Write a re-inspection opinion as PDF (facts.md §7: it cites the notice's 文号).

    Same GB/T 9704-2012 frame as the notice (facts.md §6): red mark, 文号, rule, title, 主送;
    then the intro citing the notice's 文号 and the 复查 date, a table of 序号 / 问题 / 复查结果
    (header repeated on every page), the 复查结论, 署名 + 成文日期 with seal space, and the copy
    note on the last page.

    Args:
        opinion: the opinion data; every string is printed literally (escaped).
        out: destination path (written atomically) or writable binary stream.

    Raises:
        ValidationError: empty authority/文号/notice 文号/recipient, no items, or a 成文日期
            before the 复查 date.
        FontError: no Chinese font, or characters that no installed font can draw (named).
        OSError: the destination cannot be written.
    """
    _validate(opinion)
    render_document(out, lambda ts, w: reinspection_story(opinion, ts, w), "reinspection",
                    title=f"{opinion.doc_number} {opinion.recipient}", author=opinion.authority)


def _validate(opinion: ReinspectionOpinion) -> None:
    for label, value in (("检查机关", opinion.authority), ("文号", opinion.doc_number),
                         ("整改通知文号", opinion.notice_number),
                         ("被检查单位", opinion.recipient)):
        if not value.strip():
            raise ValidationError(f"复查意见书的{label}不能为空。")
    if not opinion.items:
        raise ValidationError(f"复查意见书（{opinion.doc_number}）没有列出任何复查事项。")
    if opinion.issued_on < opinion.reinspected_on:
        raise ValidationError(f"复查意见书（{opinion.doc_number}）的成文日期"
                              f"{format_cn_date(opinion.issued_on)}早于复查日期"
                              f"{format_cn_date(opinion.reinspected_on)}。")


def reinspection_story(opinion: ReinspectionOpinion, ts: Typesetter,
                       w: Wording) -> list[Flowable]:
    """The flowables of a re-inspection opinion, top to bottom."""
    styles = make_styles(ts.fonts)
    story = red_header(ts, styles, opinion.authority, opinion.doc_number, w.text("title"))
    story.append(ts.para(w.text("salutation", recipient=opinion.recipient), styles["salutation"]))
    story.append(ts.para(w.text("intro", notice_number=opinion.notice_number,
                                date=format_cn_date(opinion.reinspected_on)), styles["body"]))
    story.append(Spacer(0, LINE / 4))
    story.append(_items_table(opinion, ts, w, styles))
    story.append(Spacer(0, LINE / 4))
    last = [ts.para(w.text("conclusion", conclusion=opinion.conclusion), styles["body"])]
    story.append(signature(ts, styles, opinion.authority, opinion.issued_on, last,
                           w.text("copy_note")))
    return story


def _items_table(opinion: ReinspectionOpinion, ts: Typesetter, w: Wording,
                 styles: dict) -> Table:
    head = [ts.para(text, styles["cell_center"]) for text in w.raw("columns")]
    rows = [head]
    for number, (finding, result) in enumerate(opinion.items, start=1):
        rows.append([ts.para(str(number), styles["cell_center"]),
                     ts.para(finding, styles["cell"]), ts.para(result, styles["cell"])])
    widths = [NUMBER_WIDTH, TYPE_WIDTH - NUMBER_WIDTH - RESULT_WIDTH, RESULT_WIDTH]
    table = Table(rows, colWidths=widths, repeatRows=1, splitByRow=True)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.75, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table
