"""Findings (问题) and their recorded history, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Finding:
    """A finding against a sponsor (主办单位).

    Attributes:
        id: UUID text.
        campaign_id, sponsor_id: owners; site_id / review_id / inspection_id link the source.
        category: short Chinese heading (e.g. the review conclusion label or checklist section).
        severity: ``high`` | ``medium`` | ``low``.
        term_days, term_unit: the rectification term (``working`` or ``calendar`` days).
        start_on: the day the term runs from (not counted), local calendar day.
        deadline: 整改期限, local calendar day.
        status: a status of :mod:`workbench.domain.finding_status`.
    """

    id: str
    campaign_id: str
    sponsor_id: str
    category: str
    description: str
    severity: str
    legal_basis: str
    requirement: str
    term_days: int
    term_unit: str
    start_on: date
    deadline: date
    status: str
    site_id: str | None = None
    review_id: str | None = None
    inspection_id: str | None = None
    checklist_item_code: str = ""


@dataclass(frozen=True)
class FindingView:
    """A finding with the names a ledger shows beside it."""

    finding: Finding
    sponsor_name: str
    site_filing_no: str
    notice_number: str


@dataclass(frozen=True)
class FindingEvent:
    """One recorded step in a finding's history: who did what, when and why.

    ``occurred_at`` is a UTC ISO 8601 timestamp; ``deadline`` the deadline set by the step, if any.
    """

    action: str
    from_status: str | None
    to_status: str
    reason: str
    deadline: date | None
    occurred_at: str
    inspector: str
    device: str


@dataclass(frozen=True)
class LedgerFilter:
    """Which findings of a campaign the ledger shows.

    Attributes:
        statuses: keep only these statuses (None: all).
        deadline_from, deadline_to: keep deadlines in this range, inclusive (None: open end).
        text: case-insensitive substring of sponsor, 备案号, category, 文号 or deadline.
        text_statuses, text_severities: statuses / severities whose label contains ``text`` (the
            caller knows the labels); rows with them match the text too.
    """

    campaign_id: str
    statuses: tuple[str, ...] | None = None
    deadline_from: str | None = None
    deadline_to: str | None = None
    text: str = ""
    text_statuses: tuple[str, ...] = ()
    text_severities: tuple[int, ...] = ()
