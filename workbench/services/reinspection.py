"""Re-inspection opinions (整改复查意见书) following a rectification notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbench.domain import finding_status as fs
from workbench.domain.doc_number import normalize_doc_number
from workbench.domain.notice_record import NoticeRecord
from workbench.errors import NotFoundError, ValidationError
from workbench.reports.documents import ReinspectionOpinion, format_doc_number
from workbench.services import document_settings
from workbench.services.context import Context
from workbench.services.output_paths import check_output
from workbench.storage import campaign_repo, finding_repo, notice_repo, sponsor_repo
from workbench.storage.connection import transaction

_RESULTS = {fs.CLOSED: "已整改", fs.FAILED: "未整改到位", fs.WITHDRAWN: "已撤销"}
# The steps whose recorded reason explains a finding's result on the opinion.
_RESULT_ACTIONS = (fs.PASS_REINSPECTION, fs.FAIL_REINSPECTION, fs.WITHDRAW)


@dataclass(frozen=True)
class IssuedOpinion:
    """A re-inspection opinion: its record, the document, and whether it is a re-print."""

    record: NoticeRecord
    document: ReinspectionOpinion
    reprint: bool


def opinion_prefix(doc_prefix: str) -> str:
    """The 文号 prefix of re-inspection opinions: the notice prefix with 整改 replaced by 复查
    (``鲁网信整改`` → ``鲁网信复查``), or 复查 appended when it has no 整改."""
    return doc_prefix.replace("整改", "复查") if "整改" in doc_prefix else f"{doc_prefix}复查"


def issue_opinion(ctx: Context, notice_number: str, reinspected_on: date | None = None) -> IssuedOpinion:
    """The re-inspection opinion for the findings of a notice, numbered like notices.

    Each finding is reported as 已整改 (closed), 未整改到位 (failed re-inspection) or 已撤销; the
    reason recorded with the re-inspection is added. An opinion is re-printed with its number
    while none of the findings changed since it was issued.

    Raises:
        NotFoundError: no notice with that number.
        ValidationError: a finding of the notice has not been re-inspected yet, or the
            re-inspection day is in the future.
    """
    if reinspected_on and reinspected_on > ctx.today():
        raise ValidationError("复查日期晚于今天，请核对")
    notice = notice_repo.by_number(ctx.conn, normalize_doc_number(notice_number))
    items = [finding_repo.get(ctx.conn, fid) for fid in notice.finding_ids]
    waiting = [f for f in items if f.status not in _RESULTS]
    if waiting:
        raise ValidationError(f"通知书 {notice_number} 还有 {len(waiting)} 个问题尚未复查，无法出具复查意见书")
    with transaction(ctx.conn):
        earlier = notice_repo.latest_with_findings(ctx.conn, "reinspection", notice.finding_ids)
        if earlier and notice_repo.created_at(ctx.conn, earlier.id) >= notice_repo.last_change(ctx.conn, notice.finding_ids):
            return IssuedOpinion(earlier, _document(ctx, earlier, notice, items, reinspected_on), True)
        campaign = campaign_repo.get(ctx.conn, notice.campaign_id)
        prefix = opinion_prefix(campaign.doc_prefix)
        year = ctx.today().year
        seq = notice_repo.next_seq(ctx.conn, prefix, year, campaign.id)
        record = notice_repo.new_record(campaign.id, notice.sponsor_id, "reinspection", prefix, year, seq,
                                        format_doc_number(prefix, year, seq), ctx.today(), notice.finding_ids)
        notice_repo.insert(ctx.conn, record, ctx.author)
    return IssuedOpinion(record, _document(ctx, record, notice, items, reinspected_on), False)


def _document(ctx, record: NoticeRecord, notice: NoticeRecord, items, reinspected_on) -> ReinspectionOpinion:
    campaign = campaign_repo.get(ctx.conn, record.campaign_id)
    title = document_settings.notice_title(ctx, campaign.name) or "责令限期改正通知书"
    lines = []
    for f in items:
        reason = next((e.reason for e in reversed(finding_repo.history(ctx.conn, f.id))
                       if e.action in _RESULT_ACTIONS), "")
        reason = reason.strip().rstrip("。；;.")
        lines.append((f.description, _RESULTS[f.status] + (f"，{reason}" if reason else "")))
    failed = sum(1 for f in items if f.status == fs.FAILED)
    if failed:
        deadline = max(f.deadline for f in items if f.status == fs.FAILED)
        conclusion = f"经复查，你单位仍有{failed}项问题未整改到位，请于{deadline.year}年{deadline.month}月{deadline.day}日前（含当日）继续整改。"
    else:
        conclusion = "经复查，你单位已按要求完成整改。"  # the opening names the notice
    return ReinspectionOpinion(
        authority=campaign.authority or "（检查机关）", doc_number=record.doc_number,
        notice_number=notice.doc_number, recipient=sponsor_repo.get(ctx.conn, record.sponsor_id).name,
        reinspected_on=reinspected_on or record.issued_on, items=tuple(lines), conclusion=conclusion,
        issued_on=record.issued_on, self_reference=ctx.settings.self_reference.strip() or "我办",
        red=not ctx.settings.preprinted_letterhead, notice_title=title,
    )


def write_opinion(ctx: Context, notice_number: str, out: Path, reinspected_on: date | None = None,
                  force: bool = False) -> IssuedOpinion:
    """Issue (or re-print) the re-inspection opinion of a notice and render it as PDF at ``out``.

    Raises:
        as :func:`issue_opinion`; ValidationError: ``out`` is protected or exists and ``force``
            is False (services.output_paths.check_output) — checked before a number is taken.
    """
    from workbench.reports.reinspection import (
        render_reinspection,  # reportlab: where a PDF is drawn
    )

    check_output(ctx, out, force=force)
    document_settings.apply(ctx)
    issued = issue_opinion(ctx, notice_number, reinspected_on)
    render_reinspection(issued.document, out)
    return issued


def render_existing(ctx: Context, doc_number: str, out: Path) -> NoticeRecord:
    """Render an already issued re-inspection opinion again, with its number (a re-print).

    Raises:
        NotFoundError: no re-inspection opinion with that number.
    """
    document_settings.apply(ctx)
    record = notice_repo.by_number(ctx.conn, normalize_doc_number(doc_number))
    notice = notice_repo.latest_with_findings(ctx.conn, "rectification", record.finding_ids)
    if record.kind != "reinspection" or notice is None:
        raise NotFoundError(f"“{doc_number}”不是整改复查意见书")
    from workbench.reports.reinspection import render_reinspection

    items = [finding_repo.get(ctx.conn, fid) for fid in record.finding_ids]
    render_reinspection(_document(ctx, record, notice, items, None), out)
    return record
