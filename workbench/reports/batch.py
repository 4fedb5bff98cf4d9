"""Many notices at once: one PDF per notice in a folder, safe file names, progress and cancel."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from workbench.atomic import fit_name_bytes
from workbench.domain.progress import Progress, check_cancel
from workbench.errors import FontError, ValidationError, WorkbenchError, os_reason
from workbench.reports.documents import RectificationNotice
from workbench.reports.file_names import safe_file_name
from workbench.reports.notice import render_notice


def render_notices(notices: Iterable[RectificationNotice], out_dir: Path,
                   cancel: threading.Event | None = None,
                   on_progress: Callable[[Progress], None] | None = None) -> list[Path]:
    """Render each notice to ``out_dir/<文号>-<被检查单位>.pdf``.

    Names come from safe_file_name; a name already used in this batch or present in the folder
    gets " (2)", " (3)"… so nothing is overwritten. On cancel, the PDFs written by this call are
    removed again, so the folder is left as it was.

    Args:
        notices: the notices, in output order.
        out_dir: destination folder; created if missing.
        cancel: set it to stop between two notices.
        on_progress: called with Progress(done, total, message) after each notice and at start.

    Returns:
        The written paths, in input order.

    Raises:
        Cancelled: ``cancel`` was set.
        ValidationError, FontError: a notice cannot be rendered; the message starts with its
            文号 and recipient.
        WorkbenchError: the folder cannot be created or written.
        In every case no file from this call remains: the caller rolls back the numbers the
        batch would have used, so no printed number may exist without its record.
    """
    notices = list(notices)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbenchError(f"无法创建或使用文件夹 {out_dir}：{os_reason(exc)}") from exc
    written: list[Path] = []
    _report(on_progress, 0, len(notices), "开始生成整改通知书")
    try:
        for done, notice in enumerate(notices, start=1):
            check_cancel(cancel)
            path = free_pdf_path(out_dir, f"{notice.doc_number}-{notice.recipient}", written)
            _render_named(notice, path)
            written.append(path)
            _report(on_progress, done, len(notices), f"已生成 {path.name}")
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written


def _render_named(notice: RectificationNotice, path: Path) -> None:
    try:
        render_notice(notice, path)
    except (ValidationError, FontError) as exc:
        raise type(exc)(f"整改通知书（{notice.doc_number}，{notice.recipient}）：{exc}") from exc


def free_pdf_path(out_dir: Path, stem_text: str, taken: list[Path]) -> Path:
    """``out_dir/<safe stem>.pdf``, or `` (2)``, `` (3)``… when taken in this batch or on disk."""
    stem = safe_file_name(stem_text, fallback="整改通知书")
    candidate, n = out_dir / fit_name_bytes(stem, ".pdf"), 1
    while candidate in taken or candidate.exists():
        n += 1
        candidate = out_dir / fit_name_bytes(stem, f" ({n}).pdf")
    return candidate


def _report(on_progress: Callable[[Progress], None] | None, done: int, total: int,
            message: str) -> None:
    if on_progress is not None:
        on_progress(Progress(done, total, message))
