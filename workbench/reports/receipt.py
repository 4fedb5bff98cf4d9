"""The 送达回证 (delivery receipt) PDF: a one-page form with blanks to fill and sign by hand."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from workbench.errors import ValidationError
from workbench.reports.documents import DeliveryReceipt, format_cn_date
from workbench.reports.layout import LINE, TYPE_WIDTH, make_styles
from workbench.reports.markup import Typesetter
from workbench.reports.parts import render_document
from workbench.reports.wording import Wording

LABEL_WIDTH = 50 * mm
SIGN_HEIGHT = 12 * mm  # room for a signature or seal in the hand-filled rows
_GRID = 0.75  # pt


def render_receipt(receipt: DeliveryReceipt, out: Path | BinaryIO) -> None:
    """Write a 送达回证 as PDF (fields from facts.md §7).

    Rows: 文书名称及文号, 受送达人, 送达地点, 送达方式, then signature rows for the 受送达人,
    代收人 (with reason), 见证人 (refusal or 留置) and 送达人, each with a date blank, and 备注;
    below: the authority with seal space, the date, and "一式两份" footnote. An empty address is
    left blank; an empty method prints a box to tick for each legal manner of service
    (直接, 留置, 委托, 邮寄 with the tracking number, 电子 with consent, 公告; facts.md §10).

    Args:
        receipt: the receipt data; every string is printed literally (escaped).
        out: destination path (written atomically) or writable binary stream.

    Raises:
        ValidationError: empty authority, document title or recipient.
        FontError: no Chinese font, or characters that no installed font can draw (named).
        OSError: the destination cannot be written.
    """
    for label, value in (("送达机关", receipt.authority), ("文书名称", receipt.doc_title),
                         ("受送达人", receipt.recipient)):
        if not value.strip():
            raise ValidationError(f"送达回证的{label}不能为空。")
    render_document(out, lambda ts, w: receipt_story(receipt, ts, w), "receipt",
                    title=f"送达回证 {receipt.doc_number}", author=receipt.authority, page_numbers=False)


def receipt_story(receipt: DeliveryReceipt, ts: Typesetter, w: Wording) -> list[Flowable]:
    """The flowables of a receipt: authority, title, the form table, seal line and footnote."""
    styles = make_styles(ts.fonts)
    heading = ParagraphStyle("receipt_authority", parent=styles["title"], fontSize=18,
                             leading=27)
    story: list[Flowable] = [ts.para(receipt.authority, heading),
                             ts.para(w.text("title"), styles["title"]), Spacer(0, LINE / 2)]
    story.append(_form(receipt, ts, w, styles))
    story.append(Spacer(0, LINE / 2))
    date_text = format_cn_date(receipt.issued_on) if receipt.issued_on else w.text("date_blank")
    story.append(ts.para(w.text("seal", authority=receipt.authority), styles["right"]))
    story.append(ts.para(date_text, styles["right"]))
    story.append(Spacer(0, LINE / 2))
    story.append(ts.para(w.text("footnote"), styles["cell"]))
    return story


def _form(receipt: DeliveryReceipt, ts: Typesetter, w: Wording,
          styles: dict[str, ParagraphStyle]) -> Table:
    labels = w.raw("labels")
    cell, label_style = styles["cell"], styles["cell_center"]
    document = w.text("doc_value", title=receipt.doc_title, number=receipt.doc_number)
    if not receipt.doc_number.strip():
        document = receipt.doc_title
    details = w.raw("method_details")
    boxes = [f"□{m}{w.raw('method_suffix')}{details.get(m, '')}" for m in w.raw("method_options")]
    # one manner a line, short ones two to a line, so no box or blank is split
    lines: list[str] = []
    for box in boxes:
        if lines and len(lines[-1]) + len(box) <= 19 and "　" not in lines[-1]:
            lines[-1] += "　" + box
        else:
            lines.append(box)
    method = receipt.method.strip() or "\n".join(lines)
    filled = [("document", document), ("recipient", receipt.recipient),
              ("address", receipt.address), ("method", method)]
    rows = [[ts.para(labels[key], label_style), ts.para(value, cell)] for key, value in filled]
    for key in ("recipient_sign", "proxy", "witness", "server"):
        rows.append([ts.para(labels[key], label_style),
                     [Spacer(0, SIGN_HEIGHT - LINE), ts.para(w.text("date_blank"),
                                                              styles["cell_right"])]])
    rows.append([ts.para(labels["remarks"], label_style), Spacer(0, SIGN_HEIGHT / 2)])
    table = Table(rows, colWidths=[LABEL_WIDTH, TYPE_WIDTH - LABEL_WIDTH])
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), _GRID, "black"),
        ("VALIGN", (0, 0), (0, -1), "MIDDLE"),
        ("VALIGN", (1, 0), (1, 3), "MIDDLE"),
        ("VALIGN", (1, 4), (1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        # the typed rows get room to add or correct by hand
        ("TOPPADDING", (0, 0), (-1, 3), 6), ("BOTTOMPADDING", (0, 0), (-1, 3), 6),
    ]))
    return table
