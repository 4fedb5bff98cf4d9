"""Findings (问题): raising them, moving them through their lifecycle, listing the ledger."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from workbench.domain import finding_status as fs
from workbench.domain.deadline import compute_deadline
from workbench.domain.finding import Finding, FindingEvent, FindingView, LedgerFilter
from workbench.errors import ValidationError
from workbench.services.context import Context
from workbench.storage import finding_query, finding_repo
from workbench.storage.connection import transaction
from workbench.storage.finding_query import deadline_day
from workbench.storage.records import new_id


def raise_finding(
    ctx: Context, *, campaign_id: str, sponsor_id: str, category: str, description: str,
    severity: str, legal_basis: str = "", requirement: str = "", term_days: int | None = None,
    term_unit: str | None = None, start_on: date | None = None, site_id: str | None = None,
    review_id: str | None = None, inspection_id: str | None = None, checklist_item_code: str = "",
) -> tuple[Finding, list[str]]:
    """Create a finding in status 待整改 with its deadline computed on the Chinese calendar.

    The term defaults by severity (:data:`workbench.domain.severity.DEFAULT_TERMS`); the deadline is
    ``term_days`` after ``start_on`` (default today), the start day not counted.

    Returns:
        the stored finding and the calendar warnings (Chinese sentences, e.g. a year not covered).

    Raises:
        ValidationError: unknown severity or a bad term.
    """
    from workbench.domain.severity import DEFAULT_TERMS, SEVERITIES

    if severity not in SEVERITIES:
        raise ValidationError(f"未知的严重程度：{severity}")
    default_days, default_unit = DEFAULT_TERMS[severity]
    days = term_days or default_days
    unit = term_unit or default_unit
    start = start_on or ctx.today()
    deadline = compute_deadline(start, days, unit, ctx.calendar)
    finding = Finding(
        id=new_id(), campaign_id=campaign_id, sponsor_id=sponsor_id, category=category,
        description=description, severity=severity, legal_basis=legal_basis, requirement=requirement,
        term_days=days, term_unit=unit, start_on=start, deadline=deadline.date, status=fs.PENDING,
        site_id=site_id, review_id=review_id, inspection_id=inspection_id,
        checklist_item_code=checklist_item_code,
    )
    with transaction(ctx.conn):
        finding_repo.insert(ctx.conn, finding, ctx.author)
    return finding, list(deadline.warnings)


def apply_action(
    ctx: Context, finding_id: str, action: str, *, reason: str = "", on: date | None = None,
    new_deadline: date | None = None, term_days: int | None = None, term_unit: str | None = None,
    keep_deadline: bool = False,
) -> tuple[Finding, list[str]]:
    """Move a finding by ``action`` (see :mod:`workbench.domain.finding_status`) and record it.

    ``notify`` (送达) restarts the term from ``on`` (the service date), as the term runs from
    service (facts.md §9) — unless ``keep_deadline``: a notice that printed a date fixed at issue
    keeps it (issue 10). ``extend`` and ``resume`` need a new deadline, given either as
    ``new_deadline`` or as a term counted from ``on``.

    Returns:
        the updated finding and any calendar warnings.

    Raises:
        IllegalTransitionError: the action is not allowed from the finding's status.
        ValidationError: a required reason or deadline is missing, or the deadline is in the past.
    """
    with transaction(ctx.conn):
        finding = finding_repo.get(ctx.conn, finding_id)
        day = on or ctx.today()
        if keep_deadline and action == fs.NOTIFY:
            deadline, warnings = finding.deadline, []
        else:
            deadline, warnings = _deadline_for(ctx, finding, action, day, new_deadline, term_days, term_unit)
        new_status = fs.check_action(
            finding.status, action, reason=reason, deadline=deadline,
            current_deadline=finding.deadline if action == fs.EXTEND else None,
        )
        finding_repo.set_status(ctx.conn, finding_id, action, finding.status, new_status, reason.strip(),
                                deadline, ctx.author)
        if deadline is not None and (term_days or action == fs.NOTIFY) and not keep_deadline:
            updated = replace(finding, start_on=day, term_days=term_days or finding.term_days,
                              term_unit=term_unit or finding.term_unit, deadline=deadline)
            finding_repo.update(ctx.conn, updated, ctx.author)
        return finding_repo.get(ctx.conn, finding_id), warnings


def _deadline_for(ctx, finding: Finding, action, day, new_deadline, term_days, term_unit):
    """The deadline an action sets: recomputed from the service day for ``notify``; the given date
    or a term counted from ``day`` for actions that need one; None otherwise."""
    if action == fs.NOTIFY or (fs.requires_deadline(action) and new_deadline is None and term_days):
        d = compute_deadline(day, term_days or finding.term_days, term_unit or finding.term_unit, ctx.calendar)
        return d.date, list(d.warnings)
    if new_deadline is not None and new_deadline < day:
        raise ValidationError("新的整改期限早于今天")
    return (new_deadline if fs.requires_deadline(action) else None), []


def ledger(
    ctx: Context, campaign_id: str, *, open_only: bool = False, overdue_on: date | None = None,
    sponsor_id: str | None = None,
) -> list[FindingView]:
    """The findings ledger (问题台账) of a campaign, by deadline.

    Args:
        open_only: only findings not closed or withdrawn.
        overdue_on: only findings overdue on this day: served (the term runs from the notice's
            service, ``fs.TERM_RUNNING_STATUSES``), still open, deadline before this day.
    """
    statuses = fs.TERM_RUNNING_STATUSES if overdue_on else fs.OPEN_STATUSES if open_only else None
    return finding_repo.views(ctx.conn, campaign_id, statuses=statuses, sponsor_id=sponsor_id,
                              deadline_before=overdue_on)


def due_soon(ctx: Context, campaign_id: str, today: date, within_days: int = 3) -> list[FindingView]:
    """Served open findings whose deadline is today or within ``within_days`` calendar days
    (an unserved notice's deadline is provisional: ``fs.TERM_RUNNING_STATUSES``)."""
    return [
        v for v in finding_repo.views(ctx.conn, campaign_id, statuses=fs.TERM_RUNNING_STATUSES)
        if 0 <= (v.finding.deadline - today).days <= within_days
    ]


def history(ctx: Context, finding_id: str) -> list[FindingEvent]:
    """Every recorded step of a finding, oldest first."""
    return finding_repo.history(ctx.conn, finding_id)


def get_finding(ctx: Context, finding_id: str) -> Finding:
    """One finding. Raises NotFoundError."""
    return finding_repo.get(ctx.conn, finding_id)


def as_json(view: FindingView, today: date) -> dict:
    """One ledger line as plain JSON values (``workbench findings --json``)."""
    from workbench.domain.severity import SEVERITY_LABELS

    f = view.finding
    return {
        "id": f.id, "sponsor_name": view.sponsor_name, "site_filing_no": view.site_filing_no,
        "category": f.category, "description": f.description, "severity": f.severity,
        "severity_label": SEVERITY_LABELS[f.severity], "legal_basis": f.legal_basis,
        "requirement": f.requirement, "term_days": f.term_days, "term_unit": f.term_unit,
        "start_on": f.start_on.isoformat(), "deadline": f.deadline.isoformat(), "status": f.status,
        "status_label": fs.STATUS_LABELS[f.status], "notice_number": view.notice_number,
        "days_left": fs.days_left_on_term(f.status, f.deadline, today),
        "overdue": fs.is_overdue(f.status, f.deadline, today),
    }


# --- the 问题 screen's ledger, page by page (storage/finding_query.py) ------------------------------

#: Status filter keys of the 问题 screen: all / open / overdue / due_soon.
LEDGER_FILTERS = ("all", "open", "overdue", "due_soon")


def ledger_filter(campaign_id: str, key: str, today: date, text: str = "",
                  within_days: int = 3) -> LedgerFilter:
    """The :class:`LedgerFilter` of a status filter key (:data:`LEDGER_FILTERS`) and a text.

    open: not closed or withdrawn; overdue: served, open, deadline before ``today``; due_soon:
    served, open, deadline from ``today`` to ``within_days`` calendar days later. The text also
    matches findings whose status or severity label contains it (what the table shows).

    Raises:
        ValueError: an unknown key.
    """
    from datetime import timedelta

    from workbench.domain.severity import SEVERITIES, SEVERITY_LABELS

    if key not in LEDGER_FILTERS:
        raise ValueError(f"unknown ledger filter: {key}")
    running = tuple(sorted(fs.TERM_RUNNING_STATUSES))
    statuses, since, until = {
        "all": (None, None, None),
        "open": (tuple(sorted(fs.OPEN_STATUSES)), None, None),
        "overdue": (running, None, today - timedelta(days=1)),
        "due_soon": (running, today, today + timedelta(days=within_days)),
    }[key]
    term = text.strip()
    return LedgerFilter(
        campaign_id, statuses, deadline_day(since), deadline_day(until), term,
        tuple(s for s, label in fs.STATUS_LABELS.items() if term and term in label),
        tuple(i for i, s in enumerate(SEVERITIES) if term and term in SEVERITY_LABELS[s]),
    )


def ledger_count(ctx: Context, f: LedgerFilter) -> tuple[int, int]:
    """(findings matching ``f``, findings matching it without its text)."""
    shown = finding_query.count_findings(ctx.conn, f)
    return shown, (finding_query.count_findings(ctx.conn, f, with_text=False) if f.text else shown)


def ledger_page(ctx: Context, f: LedgerFilter, **kwargs) -> list[FindingView]:
    """One page of the ledger; keyword arguments as :func:`workbench.storage.finding_query.page_findings`."""
    return finding_query.page_findings(ctx.conn, f, **kwargs)


def ledger_position(ctx: Context, f: LedgerFilter, finding_id: str, sort: str, descending: bool) -> int:
    """The row of a finding in the ledger (-1 when the filter hides it)."""
    return finding_query.position(ctx.conn, f, finding_id, sort=sort, descending=descending)
