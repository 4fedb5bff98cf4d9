"""The key figures of a campaign that the summary workbook, the PDF report and the dashboard show.

One value object, computed once by ``services.summary.figures`` from SQL aggregates, so the three
outputs can never disagree. Rules: 准确率 = accurate ÷ reviewed (facts.md §4, via
:func:`workbench.domain.review.accuracy_table`); a finding is overdue when it is open and its
deadline is before the day of the figures; rectified = status 已整改; re-inspected = at least
one 复查 (pass or fail) recorded; inspection scores follow ``domain.checklist.Tally``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from workbench.domain.review import AccuracyRow


@dataclass(frozen=True)
class Count:
    """One labelled count, e.g. ``Count('整改中', 12, 'rectifying')``; ``key`` is the code behind
    the label (status, severity, provider…) used to open the matching filtered list."""

    label: str
    value: int
    key: str = ""


@dataclass(frozen=True)
class SectionScore:
    """A checklist section's score over every inspection of the campaign.

    ``score`` is 0–100 (None when nothing applicable was answered); ``inspections`` how many
    inspections had items in this section.
    """

    title: str
    score: float | None
    inspections: int


@dataclass(frozen=True)
class StatusWeek:
    """Findings in each status at the end of one week (Monday ``week``), status code → count."""

    week: date
    counts: dict[str, int]


@dataclass(frozen=True)
class SummaryFigures:
    """Everything the summary outputs show about one campaign.

    Attributes:
        campaign_name, kind_label, authority: as recorded on the campaign.
        period_start, period_end: the campaign's period (None when not set).
        as_of: the day the figures were computed (overdue and days-left count from it).
        sites, sponsors, reviewed, accurate: counts; ``rate`` = accurate ÷ reviewed (0..1) or None.
        by_provider, by_city: accuracy tables, each with its 合计 row last.
        findings: all findings; ``open_findings``, ``overdue``, ``rectified`` (已整改),
            ``reinspected`` (at least one 复查 recorded), ``due_soon`` (open, due within 3 days).
        by_status, by_severity: finding counts in lifecycle / severity order, zero rows kept.
        timeline: findings per status at the end of each week with a status change.
        section_scores: checklist section scores (security inspections only; else empty).
        inspections: security inspections in the campaign.
    """

    campaign_name: str
    kind_label: str
    authority: str
    period_start: date | None
    period_end: date | None
    as_of: date
    sites: int
    sponsors: int
    reviewed: int
    accurate: int
    rate: float | None
    by_provider: Sequence[AccuracyRow]
    by_city: Sequence[AccuracyRow]
    findings: int
    open_findings: int
    overdue: int
    rectified: int
    reinspected: int
    due_soon: int
    by_status: Sequence[Count]
    by_severity: Sequence[Count]
    timeline: Sequence[StatusWeek] = field(default_factory=tuple)
    section_scores: Sequence[SectionScore] = field(default_factory=tuple)
    inspections: int = 0

    @property
    def period_text(self) -> str:
        """``2026-03-01 至 2026-05-31``, or 未设定."""
        if self.period_start and self.period_end:
            return f"{self.period_start.isoformat()} 至 {self.period_end.isoformat()}"
        return "未设定"

    def key_figures(self) -> list[tuple[str, int | float | str | None]]:
        """(label, value) pairs in reading order; the rate as a fraction 0..1 (None: no reviews)."""
        return [
            ("网站总数", self.sites), ("主办单位数", self.sponsors), ("已核查网站", self.reviewed),
            ("核查准确", self.accurate), ("总体准确率", self.rate), ("问题总数", self.findings),
            ("未整改问题", self.open_findings), ("逾期问题", self.overdue),
            ("已整改问题", self.rectified), ("已复查问题", self.reinspected),
        ]


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def status_timeline(changes: Iterable[tuple[date, str | None, str, int]]) -> list[StatusWeek]:
    """Findings per status at the end of each week, from status changes.

    Args:
        changes: (week Monday, from status or None for a new finding, to status, how many);
            any order. A change from a status to itself (an extension) changes nothing.

    Returns:
        One :class:`StatusWeek` per week that had a change, oldest first, with running totals
        (a status never reached is absent; one that emptied again shows 0).
    """
    per_week: dict[date, dict[str, int]] = {}
    for week, old, new, count in changes:
        if old == new:
            continue
        delta = per_week.setdefault(week, {})
        delta[new] = delta.get(new, 0) + count
        if old is not None:
            delta[old] = delta.get(old, 0) - count
    running: dict[str, int] = {}
    timeline = []
    for week in sorted(per_week):
        for status, delta in per_week[week].items():
            running[status] = running.get(status, 0) + delta
        timeline.append(StatusWeek(week, dict(running)))
    return timeline
