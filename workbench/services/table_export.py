"""Exporting what a screen's table shows (its filter and sort) to .xlsx, personal data masked."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path

from workbench.domain.personal_data import disclosure_line
from workbench.domain.progress import Progress
from workbench.services.context import Context


def export_table(ctx: Context, headers: Sequence[str], rows: Iterable[Sequence], out: Path, *,
                 screen: str, campaign_name: str = "", filter_note: str = "",
                 include_personal_data: bool = False, total: int | None = None,
                 cancel: threading.Event | None = None,
                 on_progress: Callable[[Progress], None] | None = None) -> Path:
    """Write a screen's table as shown to ``out`` with a 模板信息 sheet recording the screen, the
    filter and sort, who exported it when, and the personal-data choice.

    Args:
        screen: the screen and table, e.g. ``问题 › 问题台账``.
        filter_note: the filter and sort in words, e.g. ``状态：逾期；文字：济南；按整改期限升序``.
        include_personal_data: False masks contacts, phones, ID numbers, e-mail (domain.personal_data).

    Raises:
        Cancelled, WorkbenchError: as exporters.table_export.write_table_export.
    """
    from workbench import __version__

    info = [
        ("导出内容", f"{screen}（按界面当前筛选和排序）"), ("检查任务", campaign_name or "—"),
        ("筛选和排序", filter_note or "无"), ("导出时间", datetime.now().strftime("%Y-%m-%d %H:%M")),
        ("导出人", (ctx.settings.inspector or ctx.author.inspector or "").strip() or "未填写"),
        ("个人信息", disclosure_line(include_personal_data)), ("生成软件", f"检查工作台 {__version__}"),
    ]
    title = screen.split("›")[-1].strip() + (f"（{filter_note}）" if filter_note else "")
    from workbench.exporters.table_export import write_table_export  # on use: loads openpyxl

    return write_table_export(headers, rows, out, sheet=screen.split("›")[-1].strip(), title=title,
                              info=info, include_personal_data=include_personal_data, total=total,
                              cancel=cancel, on_progress=on_progress)
