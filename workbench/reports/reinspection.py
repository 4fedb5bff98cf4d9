"""The 整改复查意见书 (re-inspection opinion) PDF in the GB/T 9704-2012 信函格式 (letter.py)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from workbench.errors import ValidationError
from workbench.reports.documents import ReinspectionOpinion, format_cn_date
from workbench.reports.letter import Block, Letter, PlacedLine, render_letter
from workbench.reports.parts import cn_number
from workbench.reports.wording import Wording, wording


def render_reinspection(opinion: ReinspectionOpinion, out: Path | BinaryIO) -> list[list[PlacedLine]]:
    """Write a re-inspection opinion as PDF (facts.md §7: it cites the notice's 文号).

    Same 信函格式 as the notice: red 标志, 文号, double rules, title, 主送; the opening citing
    the notice's 文号 and the 复查 date; per finding a paragraph with its number (楷体) and the
    复查结果; the 复查结论 under a 黑体 heading; 署名 + 成文日期 with room for the seal; the
    copy note at the foot of the last page.

    Args:
        opinion: the opinion data; every string is printed literally.
        out: destination path (written atomically) or writable binary stream.

    Returns:
        The placed lines per page (letter.render_letter).

    Raises:
        ValidationError: empty authority/文号/notice 文号/recipient, no items, or a 成文日期
            before the 复查 date.
        FontError: no Chinese font, or characters that no installed font can draw (named).
        OSError: the destination cannot be written.
    """
    _validate(opinion)
    w = wording("reinspection")
    letter = Letter(authority=opinion.authority, doc_number=opinion.doc_number,
                    title=w.text("title"), blocks=opinion_blocks(opinion, w),
                    sign_name=opinion.authority, sign_date=opinion.issued_on,
                    note=w.text("copy_note"), red=opinion.red,
                    pdf_title=f"{opinion.doc_number} {opinion.recipient}",
                    pdf_author=opinion.authority)
    return render_letter(letter, out)


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


def opinion_blocks(opinion: ReinspectionOpinion, w: Wording) -> list[Block]:
    """The body paragraphs of an opinion, top to bottom."""
    me = opinion.self_reference.strip() or "我办"
    blocks = [Block([(w.text("salutation", recipient=opinion.recipient), "body")],
                    first_indent=0, align="left"),
              Block([(w.text("intro", me=me, notice_number=opinion.notice_number,
                             notice_title=opinion.notice_title.strip() or "整改通知书",
                             date=format_cn_date(opinion.reinspected_on)), "body")])]
    for number, (finding, result) in enumerate(opinion.items, start=1):
        text = finding.strip().rstrip("。；;.") + "。" + w.text("result", result=result.strip())
        if not text.endswith(("。", "！", "？")):
            text += "。"
        blocks.append(Block([(w.text("item", number=cn_number(number)), "heading2"),
                             (text, "body")]))
    blocks.append(Block([(w.text("conclusion_heading"), "heading1")], keep_with_next=True))
    blocks.append(Block([(w.text("conclusion", conclusion=opinion.conclusion), "body")]))
    blocks.append(Block([(w.text("closing"), "body")]))
    return blocks
