"""Issuing documents to sponsors: rectification notices, delivery receipts, re-inspection opinions."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from workbench.domain import finding_status as fs
from workbench.domain.deadline import compute_deadline
from workbench.domain.deadline import term_text as deadline_term_text
from workbench.domain.doc_number import normalize_doc_number
from workbench.domain.notice_record import NoticeRecord
from workbench.domain.progress import Progress
from workbench.domain.sponsor import Sponsor
from workbench.errors import NotFoundError, ValidationError
from workbench.reports.documents import (
    DeliveryReceipt,
    NoticeFinding,
    RectificationNotice,
    format_doc_number,
)
from workbench.services import document_settings
from workbench.services.context import Context
from workbench.services.output_paths import check_output
from workbench.storage import (
    campaign_repo,
    doc_number_repo,
    document_query,
    finding_repo,
    notice_repo,
    sponsor_repo,
)
from workbench.storage.connection import transaction

_NOTICE_STATUSES = (fs.PENDING, fs.RECTIFYING, fs.FAILED)


@dataclass(frozen=True)
class SponsorNoticeState:
    """A sponsor on the documents screen: open findings, latest notice number ('' if none), and
    whether a new notice (new number) would be issued for findings no notice covers yet."""

    sponsor: Sponsor
    open_findings: int
    latest_notice: str
    needs_new_notice: bool


@dataclass(frozen=True)
class IssuedNotice:
    """A rectification notice ready to print: its record and the document to render."""

    record: NoticeRecord
    document: RectificationNotice
    reprint: bool


def issue_notice(ctx: Context, sponsor_id: str) -> IssuedNotice:
    """The rectification notice (整改通知书) for a sponsor's open findings.

    Open findings not yet covered by a notice get a new notice with the next document number for
    the campaign's prefix and this year (``鲁网信整改〔2026〕12号``; numbers are never reused and
    leave no gaps, GB/T 9704-2012 §7.2.4). The terms of its 待整改 findings now run from the issue
    day (签发), so the absolute deadline printed is never in the past, and that deadline is stored
    with the notice (or, when terms run from receipt, the term alone). When every open finding is already
    covered, the latest notice is returned again with its number (a re-print).

    Raises:
        ValidationError: the campaign has no document-number prefix, or the sponsor has no findings.
    """
    sponsor = sponsor_repo.get(ctx.conn, sponsor_id)
    campaign = campaign_repo.get(ctx.conn, sponsor.campaign_id)
    with transaction(ctx.conn):
        fresh = notice_repo.unnoticed_findings(ctx.conn, sponsor_id, _NOTICE_STATUSES)
        if fresh:
            require_prefix(campaign)
            left = doc_number_repo.reserved(ctx.conn, campaign.id, "rectification", sponsor_id)
            if left:   # a number an interrupted run reserved for this organisation: use it
                prefix, year, seq, number = left[0].prefix, left[0].year, left[0].seq, left[0].doc_number
            else:
                prefix, year = campaign.doc_prefix, ctx.today().year
                seq = notice_repo.next_seq(ctx.conn, prefix, year, campaign.id)
                number = format_doc_number(prefix, year, seq)
            term = _start_terms_on_issue(ctx, fresh)
            record = notice_repo.new_record(
                campaign.id, sponsor_id, "rectification", prefix, year, seq, number, ctx.today(), fresh, **term,
            )
            notice_repo.insert(ctx.conn, record, ctx.author)
            reprint = False
        else:
            earlier = notice_repo.for_sponsor(ctx.conn, sponsor_id)
            if not earlier:
                raise ValidationError(f"“{sponsor.name}”没有待整改的问题，无需下发整改通知书")
            record, reprint = earlier[-1], True
    return IssuedNotice(record, notice_document(ctx, record), reprint)


def require_prefix(campaign) -> None:
    """Raise ValidationError (with how to set it) when the campaign has no 文号 prefix."""
    if not campaign.doc_prefix:
        raise ValidationError(
            f"检查任务“{campaign.name}”未设置文号前缀（如“鲁网信整改”），无法编号；请在窗口的“文件 → 编辑检查任务”中设置，"
            f"或运行 workbench campaign set \"{campaign.name}\" --prefix 前缀 --db 数据库"
        )


def plan_terms(ctx: Context, finding_ids) -> tuple[dict, list]:
    """The term a new notice issued today prints, and the findings as it leaves them — computed,
    not stored (services.notice_issuing renders before it records; issue 10: a re-print never
    changes the term).

    Fixed at issue (the default): each 待整改 finding's term restarts today, and the notice
    prints the latest of their deadlines, "前（含当日）". From receipt
    (``Settings.deadline_from_receipt``): the notice prints "自收到本通知书之日起N…" and gets
    its date when 送达 is recorded.

    Returns:
        ({deadline, term_text, from_receipt} for notice_repo.new_record, the changed findings).
    """
    items = [finding_repo.get(ctx.conn, fid) for fid in finding_ids]
    terms = {(f.term_days, f.term_unit) for f in items}
    # one term for every finding, else the longest (the notice prints a single period)
    days, unit = max(terms, key=lambda t: compute_deadline(ctx.today(), t[0], t[1], ctx.calendar).date)
    term_text = deadline_term_text(days, unit)
    if ctx.settings.deadline_from_receipt:
        return {"deadline": None, "term_text": term_text, "from_receipt": True}, []
    deadlines, changed = [], []
    for finding in items:
        if finding.status == fs.PENDING:
            deadline = compute_deadline(ctx.today(), finding.term_days, finding.term_unit, ctx.calendar)
            finding = replace(finding, start_on=ctx.today(), deadline=deadline.date)
            changed.append(finding)
        deadlines.append(finding.deadline)
    return {"deadline": max(deadlines), "term_text": term_text, "from_receipt": False}, changed


def store_terms(ctx: Context, changed) -> None:
    """Store the findings plan_terms changed (call in the transaction that stores the notice)."""
    for finding in changed:
        finding_repo.update(ctx.conn, finding, ctx.author)


def _start_terms_on_issue(ctx: Context, finding_ids) -> dict:
    """plan_terms, stored at once; returns the term for notice_repo.new_record."""
    term, changed = plan_terms(ctx, finding_ids)
    store_terms(ctx, changed)
    return term


def notice_document(ctx: Context, record: NoticeRecord) -> RectificationNotice:
    """The printable notice of ``record`` (stored, or built for rendering before it is stored)."""
    sponsor = sponsor_repo.get(ctx.conn, record.sponsor_id)
    campaign = campaign_repo.get(ctx.conn, record.campaign_id)
    items = [finding_repo.get(ctx.conn, fid) for fid in record.finding_ids]
    # the term as stored at issue (a re-print never changes it); notices older than that store
    # the findings' latest deadline (migration 0007)
    deadline, term_text = record.deadline, record.term_text
    if deadline is None and not record.from_receipt:
        deadline = max(f.deadline for f in items)
    extends = notice_repo.get(ctx.conn, record.extends_id).doc_number if record.extends_id else ""
    about = notice_repo.finding_context(ctx.conn, record.finding_ids)
    days = sorted({date.fromisoformat(a["day"][:10]) for a in about.values() if a.get("day")})
    named = [n for a in about.values() for n in a.get("inspectors", "").replace("，", "、").split("、")]
    inspectors = tuple(dict.fromkeys(n.strip() for n in named if n.strip())) or (
        (ctx.settings.inspector,) if ctx.settings.inspector else ())
    title = document_settings.notice_title(ctx, campaign.name)
    s = ctx.settings
    return RectificationNotice(
        title=title,
        self_reference=s.self_reference.strip() or "我办",
        basis=s.inspection_basis,
        appeal=document_settings.appeal(ctx, title),
        red=not s.preprinted_letterhead,
        kind=campaign.kind,
        authority=campaign.authority or "（检查机关）",
        doc_number=record.doc_number,
        recipient=sponsor.name,
        recipient_uscc=sponsor.uscc,
        inspected_on=min(days) if days else None,
        inspected_until=max(days) if len(days) > 1 else None,
        inspectors=inspectors,
        place="、".join(dict.fromkeys(a["place"] for a in about.values() if a.get("place"))),
        findings=tuple(NoticeFinding(f.description, f.legal_basis, f.requirement,
                                     site=_site_label(about.get(f.id, {})),
                                     filing_no=about.get(f.id, {}).get("filing_no", ""))
                       for f in items),
        deadline=deadline,
        term_text=term_text,
        from_receipt=record.from_receipt,
        extends=extends,
        contact=ctx.settings.contact,
        contact_phone=ctx.settings.contact_phone,
        issued_on=record.issued_on,
    )


def issue_extension(ctx: Context, doc_number: str, new_deadline: date, reason: str) -> IssuedNotice:
    """Extend the term of a notice: a new notice with its own 文号 that cites the first (issue 10).

    The first notice keeps its number, date and printed deadline; its findings still open
    (待整改 or 整改中) get ``new_deadline`` (延期, with ``reason`` in their history), and the new
    notice prints that date "前（含当日）" and the sentence citing the first notice's 文号.

    Raises:
        NotFoundError: no rectification notice with that number.
        ValidationError: no open finding to extend, an empty reason, a deadline in the past or
            not after the current one.
    """
    from workbench.services import findings

    first = notice_repo.by_number(ctx.conn, normalize_doc_number(doc_number))
    if first.kind != "rectification":
        raise NotFoundError(f"“{doc_number}”不是整改通知书")
    campaign = campaign_repo.get(ctx.conn, first.campaign_id)
    require_settings(ctx, first.campaign_id)
    with transaction(ctx.conn):
        extended = []
        for finding_id in first.finding_ids:
            if finding_repo.get(ctx.conn, finding_id).status in (fs.PENDING, fs.RECTIFYING):
                findings.apply_action(ctx, finding_id, fs.EXTEND, reason=reason, new_deadline=new_deadline)
                extended.append(finding_id)
        if not extended:
            raise ValidationError(f"通知书 {first.doc_number} 没有尚在整改期内的问题，无法延期")
        year = ctx.today().year
        seq = notice_repo.next_seq(ctx.conn, first.prefix, year, campaign.id)
        record = notice_repo.new_record(
            campaign.id, first.sponsor_id, "rectification", first.prefix, year, seq,
            format_doc_number(first.prefix, year, seq), ctx.today(), extended,
            deadline=new_deadline, term_text="", from_receipt=False, extends_id=first.id)
        notice_repo.insert(ctx.conn, record, ctx.author)
    return IssuedNotice(record, notice_document(ctx, record), False)


def _site_label(about: dict) -> str:
    """"某某官网（example.cn）" from a finding's site name and home page ('' without a site)."""
    name, home = about.get("site", ""), about.get("homepage", "")
    host = home.split("://", 1)[-1].split("/", 1)[0] if home else ""
    if name and host:
        return f"{name}（{host}）"
    return name or host


def write_notice(ctx: Context, sponsor_id: str, out: Path, force: bool = False) -> IssuedNotice:
    """Issue (or re-print) a sponsor's notice and render it as PDF at ``out``.

    The number is reserved in a committed step, the PDF rendered without holding the database,
    then renamed into place and the number marked issued (services.notice_issuing).

    Raises:
        ValidationError: ``out`` is protected or exists and ``force`` is False; no findings; no
            prefix. WorkbenchError: the PDF cannot be written (the number is given back).
    """
    from workbench.services import notice_issuing

    document_settings.apply(ctx)
    require_settings(ctx, sponsor_repo.get(ctx.conn, sponsor_id).campaign_id)
    return notice_issuing.write_notice(ctx, sponsor_id, out, force=force)


def require_settings(ctx: Context, campaign_id: str | None) -> None:
    """Stop before any number is taken when the notice could not be printed (MissingSettingsError)."""
    require_settings_named(ctx, campaign_repo.get(ctx.conn, campaign_id).name if campaign_id else "")


def require_settings_named(ctx: Context, campaign_name: str) -> None:
    """:func:`require_settings` for the campaign named ``campaign_name`` (settings only, no SQL:
    the window checks with the name it read on its reader thread).

    Raises:
        MissingSettingsError: naming the settings a notice of that campaign would print empty.
    """
    document_settings.require(ctx, document_settings.notice_title(ctx, campaign_name))


def sponsors_needing_notice(ctx: Context, campaign_id: str):
    """Sponsors of a campaign with findings that still await rectification, by name."""
    return sponsor_repo.with_findings(ctx.conn, campaign_id, _NOTICE_STATUSES)


def needs_new_notice(ctx: Context, sponsor_id: str) -> list[str]:
    """Ids of the sponsor's findings that await rectification and no notice covers yet."""
    return notice_repo.unnoticed_findings(ctx.conn, sponsor_id, _NOTICE_STATUSES)


def write_notices(
    ctx: Context, campaign_id: str, out_dir: Path, *, cancel: threading.Event | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> list[Path]:
    """One notice PDF per sponsor with open findings, ``<文号>-<单位>.pdf`` in ``out_dir``; see
    services.notice_issuing.write_notices (numbers reserved first, each PDF renamed into place
    then recorded in its own short transaction, an interrupted earlier run reconciled)."""
    from workbench.services import notice_issuing

    document_settings.apply(ctx)
    require_settings(ctx, campaign_id)
    return notice_issuing.write_notices(ctx, campaign_id, out_dir, cancel=cancel, on_progress=on_progress)


def number_ledger(ctx: Context, campaign_id: str):
    """Every 文号 taken in a campaign with its status (reserved / issued / void + reason)."""
    return doc_number_repo.in_campaign(ctx.conn, campaign_id)


def write_receipt(ctx: Context, doc_number: str, out: Path, force: bool = False) -> NoticeRecord:
    """Render the delivery receipt (送达回证) for an issued notice.

    Raises:
        NotFoundError: no document with that number.
        ValidationError: ``out`` is protected or exists and ``force`` is False (check_output).
    """
    from workbench.reports.receipt import render_receipt  # reportlab: only where a PDF is drawn

    document_settings.apply(ctx)
    record = notice_repo.by_number(ctx.conn, normalize_doc_number(doc_number))
    check_output(ctx, out, force=force)
    sponsor = sponsor_repo.get(ctx.conn, record.sponsor_id)
    campaign = campaign_repo.get(ctx.conn, record.campaign_id)
    render_receipt(
        DeliveryReceipt(
            authority=campaign.authority or "（检查机关）",
            doc_title=document_settings.notice_title(ctx, campaign.name) or "整改通知书",
            doc_number=record.doc_number, recipient=sponsor.name, issued_on=record.issued_on,
        ),
        out,
    )
    return record


def notice_by_number(ctx: Context, doc_number: str) -> IssuedNotice:
    """An issued notice by its number, for re-printing. Raises NotFoundError."""
    record = notice_repo.by_number(ctx.conn, normalize_doc_number(doc_number))
    if record.kind != "rectification":
        raise NotFoundError(f"“{doc_number}”不是整改通知书")
    return IssuedNotice(record, notice_document(ctx, record), True)


def list_notices(ctx: Context, campaign_id: str, kind: str | None = "rectification") -> list[NoticeRecord]:
    """The documents issued in a campaign (default: rectification notices), newest first."""
    return notice_repo.in_campaign(ctx.conn, campaign_id, kind)


def render_existing(ctx: Context, doc_number: str, out: Path) -> NoticeRecord:
    """Render an already issued document again — a rectification notice or a re-inspection
    opinion — with its number (a re-print never takes a new number).

    Raises:
        NotFoundError: no document with that number.
    """
    document_settings.apply(ctx)
    record = notice_repo.by_number(ctx.conn, normalize_doc_number(doc_number))
    if record.kind == "reinspection":
        from workbench.services import reinspection

        return reinspection.render_existing(ctx, record.doc_number, out)
    from workbench.reports.notice import render_notice  # reportlab: only where a PDF is drawn

    require_settings(ctx, record.campaign_id)
    render_notice(notice_document(ctx, record), out)
    return record


def record_service(ctx: Context, doc_number: str, served_on: date) -> list[str]:
    """Record that a notice was served (送达) on ``served_on``, from the signed delivery receipt.

    Every finding the notice covers that is still 待整改 moves to 整改中. A notice whose term runs
    from receipt gets its deadline now (the term restarts from the service day, facts.md §9); a
    notice that printed a date fixed at issue keeps it — a re-print never shows another deadline
    under the same 文号 (issue 10). Done in one transaction.

    Returns:
        calendar warnings for the new deadlines (Chinese sentences).

    Raises:
        NotFoundError: no such notice; ValidationError: a service day in the future or before
            the notice was issued.
    """
    from workbench.services import findings

    if served_on > ctx.today():
        raise ValidationError("送达日期晚于今天，请核对送达回证")
    record = notice_repo.by_number(ctx.conn, normalize_doc_number(doc_number))
    if served_on < record.issued_on:
        raise ValidationError(f"送达日期早于通知书的签发日期（{record.issued_on.isoformat()}），请核对送达回证")
    warnings: list[str] = []
    with transaction(ctx.conn):
        served_deadlines = []
        for finding_id in record.finding_ids:
            if finding_repo.get(ctx.conn, finding_id).status == fs.PENDING:
                # a date fixed at issue stays as printed; a term from receipt starts now
                f, warn = findings.apply_action(ctx, finding_id, fs.NOTIFY, on=served_on,
                                                reason=f"{doc_number} 于 {served_on.isoformat()} 送达",
                                                keep_deadline=not record.from_receipt)
                served_deadlines.append(f.deadline)
                warnings.extend(w for w in warn if w not in warnings)
        deadline = max(served_deadlines) if record.from_receipt and served_deadlines else None
        notice_repo.set_served(ctx.conn, record.id, served_on, deadline)
    return warnings


def sponsors_overview(ctx: Context, campaign_id: str) -> list[SponsorNoticeState]:
    """Sponsors with findings awaiting rectification, each with its open-finding count, its latest
    notice number and whether issuing now would take a new number (findings not yet covered)."""
    return [SponsorNoticeState(sponsor_repo.from_row(row), open_count, latest, fresh)
            for row, open_count, latest, fresh in notice_repo.sponsor_overview(
                ctx.conn, campaign_id, _NOTICE_STATUSES, tuple(sorted(fs.OPEN_STATUSES)))]


# --- the 文书 screen, page by page (storage/document_query.py) --------------------------------------

def count_sponsors_overview(ctx: Context, campaign_id: str) -> int:
    """How many sponsors :func:`sponsors_overview` lists."""
    return document_query.count_sponsors_needing(ctx.conn, campaign_id, _NOTICE_STATUSES)


def sponsors_overview_page(ctx: Context, campaign_id: str, *, offset: int = 0, limit: int = 200,
                           total: int | None = None) -> list[SponsorNoticeState]:
    """Rows ``offset`` .. ``offset + limit`` of :func:`sponsors_overview` (same order and values),
    computed for those sponsors only; ``total`` the count when known (reads the far half backwards)."""
    return [SponsorNoticeState(sponsor_repo.from_row(row), open_count, latest, fresh)
            for row, open_count, latest, fresh in document_query.page_sponsors_needing(
                ctx.conn, campaign_id, _NOTICE_STATUSES, tuple(sorted(fs.OPEN_STATUSES)),
                offset=offset, limit=limit, total=total)]


def count_documents(ctx: Context, campaign_id: str) -> int:
    """How many documents (notices and opinions) the campaign has issued."""
    return document_query.count_documents(ctx.conn, campaign_id)


def documents_page(ctx: Context, campaign_id: str, *, offset: int = 0, limit: int = 200,
                   total: int | None = None) -> list[tuple[NoticeRecord, str]]:
    """Rows of the campaign's documents, newest first, as (record, sponsor name)."""
    return document_query.page_documents(ctx.conn, campaign_id, offset=offset, limit=limit, total=total)


def document_position(ctx: Context, campaign_id: str, doc_number: str) -> int:
    """The row of a document in :func:`documents_page`'s order (-1 when not in the campaign)."""
    return document_query.document_position(ctx.conn, campaign_id, doc_number)
