"""Read views of websites: a site-table line, the filed detail, a reviewed line for the summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SiteSummary:
    """One line of the site table: filed identity plus the review conclusion code ('' if none)."""

    id: str
    site_filing_no: str
    site_name: str
    sponsor_name: str
    domains: str
    access_provider: str
    city: str
    conclusion: str
    flags: tuple[str, ...]
    present: bool


@dataclass(frozen=True)
class SiteDetail:
    """Everything filed about one website and its sponsor (filed values for the review screen)."""

    id: str
    campaign_id: str
    sponsor_id: str
    filed: dict[str, str]          # review field code -> filed value as text
    site_name: str
    ip: str
    email: str
    approved_on: str
    psb_filing_no: str
    city: str
    remark: str
    flags: tuple[str, ...]
    domains_ascii: tuple[str, ...]


@dataclass(frozen=True)
class ReviewedSite:
    """A reviewed site with its filed identity, conclusion code and mismatched field codes."""

    site_filing_no: str
    site_name: str
    domains: str
    sponsor_name: str
    uscc: str
    city: str
    access_provider: str
    conclusion: str
    mismatched: tuple[str, ...]
    notes: str
    reviewed_on: date | None
    inspector: str
