"""PDF documents (整改通知书, 送达回证, 整改复查意见书) rendered with reportlab from plain data.

The names below load their module on first use (PEP 562), so importing one light part of the
package (documents, file names) does not load reportlab: the window opens without it and the
renderers load it in the worker that draws a PDF.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

#: exported name → the module of this package that defines it
_EXPORTS = {
    "DeliveryReceipt": "documents", "NoticeFinding": "documents", "RectificationNotice": "documents",
    "ReinspectionOpinion": "documents", "format_cn_date": "documents", "format_doc_number": "documents",
    "FontChoice": "fonts", "find_cjk_font": "fonts", "font_for": "fonts", "missing_glyphs": "fonts",
    "stand_in_notes": "fonts",
    "free_pdf_path": "batch", "render_notices": "batch", "safe_file_name": "file_names",
    "render_notice": "notice", "render_receipt": "receipt", "render_reinspection": "reinspection",
}

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
    "free_pdf_path",
    "missing_glyphs",
    "render_notice",
    "render_notices",
    "render_receipt",
    "render_reinspection",
    "safe_file_name",
    "stand_in_notes",
]


def __getattr__(name: str):
    """Load the module that defines ``name`` (see :data:`_EXPORTS`) and return the name."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from workbench.reports.batch import free_pdf_path, render_notices
    from workbench.reports.documents import (
        DeliveryReceipt,
        NoticeFinding,
        RectificationNotice,
        ReinspectionOpinion,
        format_cn_date,
        format_doc_number,
    )
    from workbench.reports.file_names import safe_file_name
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
