"""PDF documents (整改通知书, 送达回证, 整改复查意见书) rendered with reportlab from plain data."""

from workbench.reports.batch import free_pdf_path, render_notices, safe_file_name
from workbench.reports.documents import (
    DeliveryReceipt,
    NoticeFinding,
    RectificationNotice,
    ReinspectionOpinion,
    format_cn_date,
    format_doc_number,
)
from workbench.reports.fonts import (
    FontChoice,
    find_cjk_font,
    font_for,
    missing_glyphs,
    stand_in_notes,
)
from workbench.reports.notice import render_notice
from workbench.reports.receipt import render_receipt
from workbench.reports.reinspection import render_reinspection

__all__ = [
    "DeliveryReceipt",
    "FontChoice",
    "NoticeFinding",
    "RectificationNotice",
    "ReinspectionOpinion",
    "find_cjk_font",
    "font_for",
    "format_cn_date",
    "format_doc_number",
    "missing_glyphs",
    "render_notice",
    "render_notices",
    "render_receipt",
    "render_reinspection",
    "free_pdf_path",
    "safe_file_name",
    "stand_in_notes",
]
