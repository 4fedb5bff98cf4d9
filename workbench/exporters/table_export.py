"""Any on-screen table written as a workbook: the rows as shown (filter and sort), headers as shown."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from openpyxl import Workbook

from workbench.domain.personal_data import PERSONAL_HEADERS, mask_text, mask_value
from workbench.domain.progress import Progress, check_cancel
from workbench.exporters.cells import write_table, write_workbook
from workbench.exporters.sheet_extras import write_info_sheet

_REPORT_EVERY = 1000


def masked_rows(headers: Sequence[str], rows: Iterable[Sequence], include_personal_data: bool) -> Iterator[tuple]:
    """``rows`` with personal data masked (domain.personal_data) unless ``include_personal_data``:
    columns whose header names personal data (联系人, 联系电话…) by their kind, every other text
    cell for phone numbers, ID numbers and e-mail addresses inside it."""
    if include_personal_data:
        yield from (tuple(r) for r in rows)
        return
    kinds = [PERSONAL_HEADERS.get(h.strip()) for h in headers]
    for row in rows:
        yield tuple(mask_value(kinds[i], v) if i < len(kinds) and kinds[i]
                    else (mask_text(v) if isinstance(v, str) else v) for i, v in enumerate(row))


def write_table_export(headers: Sequence[str], rows: Iterable[Sequence], out: Path, *, sheet: str,
                       title: str, info: Sequence[tuple[str, str]],
                       include_personal_data: bool = False, total: int | None = None,
                       cancel: threading.Event | None = None,
                       on_progress: Callable[[Progress], None] | None = None) -> Path:
    """Write one table (as the user sees it) and a 模板信息 sheet to ``out``, streamed.

    Args:
        headers: the visible column headers, in screen order.
        rows: the visible rows, in screen order; cell values as shown (text, numbers, dates).
        out: target .xlsx, replaced atomically.
        sheet: the sheet name (≤ 31 characters; longer names are cut).
        title: row-1 title, e.g. ``问题台账（筛选：逾期）``.
        info: 模板信息 lines (what, when, who, the filter, the personal-data choice).
        include_personal_data: False masks personal data (:func:`masked_rows`).
        total: row count if known (progress).

    Raises:
        Cancelled: ``cancel`` was set. WorkbenchError: the file cannot be written.
    """
    def counted() -> Iterator[tuple]:
        for index, row in enumerate(masked_rows(headers, rows, include_personal_data), 1):
            if index % _REPORT_EVERY == 0:
                check_cancel(cancel)
                if on_progress is not None:
                    on_progress(Progress(index, total or 0, "正在写入表格"))
            yield row

    def fill(wb: Workbook) -> None:
        write_table(wb.create_sheet(_sheet_name(sheet)), list(headers), counted(), title=title)
        write_info_sheet(wb, info)
        check_cancel(cancel)

    return write_workbook(out, fill)


def _sheet_name(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip() or "表格"
    return cleaned[:31]
