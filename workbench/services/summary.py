"""Building the summary workbook (汇总表) of a campaign for sending upward."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbench.domain import finding_status as fs
from workbench.domain import review as rules
from workbench.domain.deadline import days_left
from workbench.domain.progress import Progress
from workbench.domain.severity import SEVERITY_LABELS
from workbench.exporters.summary import (
    AccuracyLine,
    FindingLine,
    ReviewLine,
    SummaryWorkbook,
    write_summary,
)
from workbench.services.context import Context
from workbench.services.output_paths import check_output
from workbench.storage import campaign_repo, finding_repo, review_repo, summary_query


def _accuracy(pairs) -> list[AccuracyLine]:
    return [AccuracyLine(r.group, r.reviewed, r.accurate, r.rate) for r in rules.accuracy_table(pairs)]


def build_summary(ctx: Context, campaign_id: str) -> SummaryWorkbook:
    """Collect the review details, findings and accuracy tables of a campaign.

    准确率 (accuracy rate) = reviews concluded 准确 ÷ reviews, by access provider and by city
    (DESIGN.md job 3; facts.md §4).
    """
    campaign = campaign_repo.get(ctx.conn, campaign_id)
    labels = dict(rules.REVIEW_FIELDS)
    reviews = [
        ReviewLine(
            site_filing_no=r.site_filing_no, site_name=r.site_name, domains=r.domains,
            sponsor_name=r.sponsor_name, uscc=r.uscc, city=r.city, access_provider=r.access_provider,
            conclusion_label=rules.CONCLUSIONS.get(r.conclusion, r.conclusion),
            mismatched_fields="、".join(labels.get(f, f) for f in r.mismatched),
            notes=r.notes, reviewed_on=r.reviewed_on, inspector=r.inspector,
        )
        for r in summary_query.review_lines(ctx.conn, campaign_id)
    ]
    today = ctx.today()
    finding_lines = [
        FindingLine(
            sponsor_name=v.sponsor_name, site_filing_no=v.site_filing_no, category=v.finding.category,
            description=v.finding.description, severity_label=SEVERITY_LABELS[v.finding.severity],
            legal_basis=v.finding.legal_basis, requirement=v.finding.requirement,
            deadline=v.finding.deadline, status_label=fs.STATUS_LABELS[v.finding.status],
            days_left=days_left(v.finding.deadline, today) if v.finding.status in fs.OPEN_STATUSES else None,
            notice_number=v.notice_number,
        )
        for v in finding_repo.views(ctx.conn, campaign_id)
    ]
    pairs = review_repo.conclusions(ctx.conn, campaign_id)
    counts = summary_query.counts(ctx.conn, campaign_id)
    totals = {
        "网站总数": counts["sites"], "主办单位数": counts["sponsors"], "已核查网站": len(reviews),
        "核查准确": sum(1 for _, _, c in pairs if rules.is_accurate(c)),
        "问题总数": len(finding_lines),
        "未整改问题": sum(1 for v in finding_lines if v.days_left is not None),
        "逾期问题": sum(1 for v in finding_lines if v.days_left is not None and v.days_left < 0),
    }
    return SummaryWorkbook(
        campaign_name=campaign.name, authority=campaign.authority, generated_on=today,
        reviews=reviews, findings=finding_lines,
        accuracy_by_provider=_accuracy((p, c) for p, _, c in pairs),
        accuracy_by_city=_accuracy((city, c) for _, city, c in pairs),
        totals=totals,
    )


@dataclass(frozen=True)
class Overview:
    """The overview screen's figures for one campaign.

    ``accuracy`` is the accuracy table by access provider with its 合计 row last (rates 0..1);
    ``due_soon`` counts open findings due today or within ``within_days`` calendar days.
    """

    sites: int
    sponsors: int
    reviewed: int
    findings: int
    open_findings: int
    overdue: int
    due_soon: int
    accuracy: list[AccuracyLine]


def overview(ctx: Context, campaign_id: str, within_days: int = 3) -> Overview:
    """Counts for the overview screen from SQL aggregates (cheap even for 300,000 sites)."""
    counts = summary_query.counts(ctx.conn, campaign_id)
    today = ctx.today()
    deadlines = summary_query.open_finding_deadlines(ctx.conn, campaign_id, tuple(fs.OPEN_STATUSES))
    pairs = [(g, c) for g, c, n in summary_query.conclusion_counts(ctx.conn, campaign_id, "access_provider")
             for _ in range(n)]
    return Overview(
        sites=counts["sites"], sponsors=counts["sponsors"], reviewed=counts["reviewed"],
        findings=counts["findings"], open_findings=len(deadlines),
        overdue=sum(1 for d in deadlines if d < today),
        due_soon=sum(1 for d in deadlines if 0 <= (d - today).days <= within_days),
        accuracy=_accuracy(pairs),
    )


def export_summary(
    ctx: Context, campaign_id: str, out: Path, *, cancel: threading.Event | None = None,
    on_progress: Callable[[Progress], None] | None = None, force: bool = False,
) -> Path:
    """Write the summary workbook of a campaign to ``out`` (.xlsx); returns the path written.

    Raises:
        ValidationError: ``out`` is the database, its backup or evidence folder, or an existing
            file while ``force`` is False (services.output_paths.check_output).
        WorkbenchError: the file cannot be written (disk full, no permission); nothing is left.
    """
    check_output(ctx, out, force=force)
    return write_summary(build_summary(ctx, campaign_id), out, cancel=cancel, on_progress=on_progress)
