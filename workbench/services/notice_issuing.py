"""Issuing numbered notices as PDF files so that a 文号 on a file never goes to anyone else.

Each number goes through three short steps (issue 9; table ``doc_number``, migration 0010):

1. **reserve** — in a committed transaction the organisation gets its number, status
   'reserved'. A number an interrupted earlier run reserved for the same organisation is taken
   up again ("reissued"); one whose organisation no longer needs a notice is made 'void' with
   the reason recorded. Numbers are counted over the ledger, so none is ever handed out twice.
2. **render** — the PDF is written to a temporary name beside its target, with no transaction
   open, so other windows and processes keep writing while a long batch renders.
3. **issue** — in one short transaction: the number must still be reserved and the findings
   unchanged; the file is renamed into place and the notice stored, the number marked 'issued'.

A kill at any point leaves either a reserved number (taken up or voided on the next run, never
reused) or an issued one; a PDF on disk always carries a number reserved for its organisation.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from workbench.atomic import fit_name_bytes, reserve_temp
from workbench.domain.notice_record import NoticeRecord
from workbench.domain.number_entry import RESERVED, NumberEntry
from workbench.domain.progress import Progress, check_cancel
from workbench.errors import FontError, ValidationError, WorkbenchError, os_reason
from workbench.reports import format_doc_number, free_pdf_path, render_notice, safe_file_name
from workbench.services import notices
from workbench.services.context import Context
from workbench.services.output_paths import check_output, check_output_folder
from workbench.storage import (
    campaign_repo,
    doc_number_repo,
    notice_repo,
    sponsor_repo,
)
from workbench.storage.connection import transaction

log = logging.getLogger(__name__)

KIND = "rectification"
VOID_NOT_NEEDED = "此前生成时被中断；该单位现已没有待下发通知书的问题，此文号作废，不再使用"
VOID_UNUSED = "生成被取消或出错，此文号未用于任何文件，作废以免编号出现空缺后被重复使用"
_ATTEMPTS = 3   # re-renders when the findings change between rendering and recording


def claim_numbers(ctx: Context, campaign_id: str, sponsor_ids: list[str],
                  sponsor_only: str | None = None) -> tuple[list[NumberEntry], set[str]]:
    """Step 1: the numbers for ``sponsor_ids``, reserved and committed before anything is drawn.

    Reserved numbers of the campaign (of ``sponsor_only`` alone when given) are reconciled
    first: taken up for their organisation when it still needs a notice, else made void.

    Returns:
        (entries in number order, the doc_numbers newly reserved by this call).

    Raises:
        ValidationError: a number is needed and the campaign has no 文号 prefix.
        NumbersExhausted: this laptop's blocks of numbers (文号段) hold fewer numbers than needed;
            nothing is reserved (the message says how many are left and what to do).
    """
    conn = ctx.conn
    campaign = campaign_repo.get(conn, campaign_id)
    chosen: dict[str, NumberEntry] = {}
    new: set[str] = set()
    with transaction(conn):
        for entry in doc_number_repo.reserved(conn, campaign_id, KIND, sponsor_only):
            if entry.sponsor_id not in chosen and notices.needs_new_notice(ctx, entry.sponsor_id):
                chosen[entry.sponsor_id] = entry
            else:
                doc_number_repo.void(conn, entry.doc_number, VOID_NOT_NEEDED, ctx.author)
                log.warning("void %s: %s", entry.doc_number, VOID_NOT_NEEDED)
        todo = [s for s in sponsor_ids if s not in chosen and notices.needs_new_notice(ctx, s)]
        if todo:
            notices.require_prefix(campaign)
            doc_number_repo.require_available(conn, campaign.doc_prefix, ctx.today().year, len(todo), campaign_id)
        for sponsor_id in todo:
            entry = doc_number_repo.reserve(conn, campaign_id, sponsor_id, KIND, campaign.doc_prefix,
                                            ctx.today().year, format_doc_number, ctx.author)
            chosen[sponsor_id] = entry
            new.add(entry.doc_number)
    return sorted(chosen.values(), key=lambda e: (e.year, e.seq)), new


def issue_reserved(ctx: Context, entry: NumberEntry, out: Path) -> NoticeRecord | None:
    """Steps 2 and 3 for one reserved number: render its notice, rename it to ``out``, record it.

    The notice lists the organisation's findings that no notice covers yet, with the deadlines
    they get on issue. ``out`` is replaced if it exists (callers choose a free name, or one the
    user confirmed, or the earlier file of this same number).

    Returns:
        the stored notice; None when the number was issued or voided meanwhile by another
        window, or voided here because the organisation no longer needs a notice.

    Raises:
        ValidationError, FontError: the notice cannot be drawn (message names 文号 and unit).
        WorkbenchError: the file cannot be written (disk full, no permission); the number stays
            reserved and no file carries it.
    """
    conn = ctx.conn
    for _attempt in range(_ATTEMPTS):
        fresh = notices.needs_new_notice(ctx, entry.sponsor_id)
        if not fresh:
            with transaction(conn):
                doc_number_repo.void(conn, entry.doc_number, VOID_NOT_NEEDED, ctx.author)
            return None
        term, changed = notices.plan_terms(ctx, fresh)
        record = notice_repo.new_record(entry.campaign_id, entry.sponsor_id, KIND, entry.prefix, entry.year,
                                        entry.seq, entry.doc_number, ctx.today(), fresh, **term)
        document = notices.notice_document(ctx, record)
        temp = reserve_temp(out)
        try:
            _render(document, temp)
            with transaction(conn):
                if doc_number_repo.get(conn, entry.doc_number).status != RESERVED:
                    return None
                if notices.needs_new_notice(ctx, entry.sponsor_id) != fresh or \
                        notices.plan_terms(ctx, fresh) != (term, changed):
                    continue   # findings changed while rendering: draw it again
                _place(temp, out)
                try:
                    notice_repo.insert(conn, record, ctx.author)
                    notices.store_terms(ctx, changed)
                except BaseException:
                    with suppress(OSError):   # not recorded: the file must not stay either
                        out.unlink()
                    raise
            return record
        finally:
            with suppress(OSError):
                temp.unlink(missing_ok=True)
    raise WorkbenchError(f"“{sponsor_repo.get(conn, entry.sponsor_id).name}”的问题在生成通知书期间不断变化，请稍后重试")


def _render(document, temp: Path) -> None:
    try:
        with open(temp, "wb") as fh:
            render_notice(document, fh)
    except (ValidationError, FontError) as exc:
        raise type(exc)(f"整改通知书（{document.doc_number}，{document.recipient}）：{exc}") from exc
    except OSError as exc:
        raise WorkbenchError(f"保存文件失败：{temp.parent}（{os_reason(exc)}）") from exc


def _place(temp: Path, out: Path) -> None:
    try:
        os.replace(temp, out)
    except PermissionError as exc:
        raise WorkbenchError(f"文件被其他程序占用，请关闭后重试：{out}") from exc
    except OSError as exc:
        raise WorkbenchError(f"保存文件失败：{out}（{os_reason(exc)}）") from exc


def give_back(ctx: Context, doc_numbers: list[str]) -> None:
    """Return numbers reserved by this run that never reached a file: released when they are the
    last of their sequence (no gap), else voided with the reason. Highest first."""
    entries = [doc_number_repo.get(ctx.conn, n) for n in doc_numbers]
    with transaction(ctx.conn):
        for entry in sorted(entries, key=lambda e: (e.year, e.seq), reverse=True):
            if not doc_number_repo.release(ctx.conn, entry.doc_number):
                doc_number_repo.void(ctx.conn, entry.doc_number, VOID_UNUSED, ctx.author)


def write_notice(ctx: Context, sponsor_id: str, out: Path, force: bool = False) -> notices.IssuedNotice:
    """Issue (or re-print) one sponsor's notice as PDF at ``out`` (see services.notices)."""
    out = check_output(ctx, out, force=force)
    sponsor = sponsor_repo.get(ctx.conn, sponsor_id)
    if not notices.needs_new_notice(ctx, sponsor_id):
        earlier = notice_repo.for_sponsor(ctx.conn, sponsor_id)
        if not earlier:
            raise ValidationError(f"“{sponsor.name}”没有待整改的问题，无需下发整改通知书")
        document = notices.notice_document(ctx, earlier[-1])
        render_notice(document, out)
        return notices.IssuedNotice(earlier[-1], document, True)
    entries, new = claim_numbers(ctx, sponsor.campaign_id, [sponsor_id], sponsor_only=sponsor_id)
    try:
        record = issue_reserved(ctx, entries[0], out) if entries else None
    except BaseException:
        _give_back_quietly(ctx, sorted(new))
        raise
    if record is None:
        raise WorkbenchError(f"“{sponsor.name}”的通知书刚被另一个窗口生成或编号，请刷新后重试")
    return notices.IssuedNotice(record, notices.notice_document(ctx, record), False)


def write_notices(
    ctx: Context, campaign_id: str, out_dir: Path, *, cancel: threading.Event | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> list[Path]:
    """One notice PDF per sponsor whose findings no notice covers yet, ``<文号>-<单位>.pdf``.

    Numbers are reserved (and an interrupted earlier batch reconciled) in one committed step,
    then each PDF is rendered without a transaction, renamed into place and recorded in its own
    short transaction. A name already in the folder gets " (2)"…, except the earlier file of a
    number taken up again, which is replaced. On cancel or an error, the notices already written
    stay issued; the numbers not yet used are given back (or voided where that would leave a gap).

    Sponsors whose open findings a notice already covers get that notice re-printed with its
    number, as the single-notice command does.

    Returns:
        the written paths, in sponsor-name order.

    Raises:
        Cancelled: ``cancel`` was set (between two notices).
        ValidationError, FontError: a notice cannot be drawn; WorkbenchError: the folder cannot
            be used or written (in Chinese, naming the file).
    """
    out_dir = check_output_folder(ctx, out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbenchError(f"无法创建或使用文件夹 {out_dir}：{os_reason(exc)}") from exc
    sponsors = notices.sponsors_needing_notice(ctx, campaign_id)
    entries, new = claim_numbers(ctx, campaign_id, [s.id for s in sponsors])
    by_sponsor = {e.sponsor_id: e for e in entries}
    written: list[Path] = []
    pending = [e.doc_number for e in entries if e.doc_number in new]
    _report(on_progress, 0, len(sponsors), "开始生成整改通知书")
    try:
        for done, sponsor in enumerate(sponsors, start=1):
            check_cancel(cancel)
            entry = by_sponsor.get(sponsor.id)
            if entry is None:   # every open finding already noticed: re-print the latest notice
                out = _reprint_latest(ctx, sponsor, out_dir, written)
            else:
                with suppress(ValueError):
                    pending.remove(entry.doc_number)
                out = _issue_into(ctx, entry, sponsor.name, out_dir, written, entry.doc_number in new)
            if out is not None:
                written.append(out)
                _report(on_progress, done, len(sponsors), f"已生成 {out.name}")
    except BaseException:
        _give_back_quietly(ctx, pending)
        raise
    return written


def _issue_into(ctx: Context, entry: NumberEntry, name: str, out_dir: Path, written: list[Path],
                fresh: bool) -> Path | None:
    stem = f"{entry.doc_number}-{name}"
    if fresh:
        out = free_pdf_path(out_dir, stem, written)
    else:   # taken up again: an earlier file of that name carries this same number — replace it
        out = out_dir / fit_name_bytes(safe_file_name(stem, fallback="整改通知书"), ".pdf")
    return out if issue_reserved(ctx, entry, out) is not None else None


def _reprint_latest(ctx: Context, sponsor, out_dir: Path, written: list[Path]) -> Path | None:
    earlier = notice_repo.for_sponsor(ctx.conn, sponsor.id)
    if not earlier:
        return None
    out = free_pdf_path(out_dir, f"{earlier[-1].doc_number}-{sponsor.name}", written)
    document = notices.notice_document(ctx, earlier[-1])
    try:
        render_notice(document, out)
    except (ValidationError, FontError) as exc:
        raise type(exc)(f"整改通知书（{document.doc_number}，{document.recipient}）：{exc}") from exc
    return out


def _give_back_quietly(ctx: Context, doc_numbers: list[str]) -> None:
    """give_back while another error is on its way up: a failure here (the disk that just filled
    up) is logged, not raised over it — the numbers then stay reserved and the next run
    reconciles them."""
    if not doc_numbers:
        return
    try:
        give_back(ctx, doc_numbers)
    except (sqlite3.Error, WorkbenchError) as err:
        log.warning("could not give back %s: %s", doc_numbers, err)


def _report(on_progress: Callable[[Progress], None] | None, done: int, total: int, message: str) -> None:
    if on_progress is not None:
        on_progress(Progress(done, total, message))
