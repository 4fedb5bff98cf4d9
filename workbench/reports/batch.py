"""Many notices at once: one PDF per notice in a folder, safe file names, progress and cancel."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from workbench.atomic import fit_name_bytes
from workbench.domain.progress import Progress, check_cancel
from workbench.errors import FontError, ValidationError, WorkbenchError, os_reason
from workbench.reports.documents import RectificationNotice
from workbench.reports.notice import render_notice

MAX_NAME_CHARS = 80  # well under Windows' 255-character file-name and 260-character path limits
# A stem's byte budget: room under MAX_NAME_BYTES for what callers append (" (12)", "_汇总表.xlsx").
MAX_STEM_BYTES = 200
_FORBIDDEN = re.compile(r'[/\\:*?"<>|]')  # not allowed in Windows file names; / also on POSIX
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}


def safe_file_name(text: str, fallback: str = "文书") -> str:
    """A file-name stem built from user text, safe on Windows, macOS and Linux.

    Drops path separators and ``: * ? " < > |``, control characters, leading dots and spaces and
    trailing dots and spaces (Windows strips those); avoids reserved device names (CON, NUL…);
    keeps Chinese and 〔〕; cuts to 80 characters and 200 bytes of UTF-8 (so names of 4-byte
    characters stay under the 255-byte file-name limit with room for suffixes).

    Args:
        text: any user text, e.g. "鲁网信整改〔2026〕12号-某公司".
        fallback: the stem used when nothing is left.

    Returns:
        A non-empty stem without extension, e.g. "鲁网信整改〔2026〕12号-某公司".
    """
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"\s+", " ", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))
    text = _FORBIDDEN.sub("", text).strip(" .")
    text = fit_name_bytes(text[:MAX_NAME_CHARS], max_bytes=MAX_STEM_BYTES).rstrip(" .")
    if not text:
        return fallback
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = f"_{text}"
    return text


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
