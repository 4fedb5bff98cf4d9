"""Building the summary workbook (汇总表) of a campaign for sending upward."""

from __future__ import annotations

import getpass
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.domain import finding_status as fs
from workbench.domain import review as rules
from workbench.domain.checklist import Tally
from workbench.domain.figures import (
    Count,
    SectionScore,
    SummaryFigures,
    status_timeline,
    week_start,
)
from workbench.domain.personal_data import disclosure_line, mask_text
from workbench.domain.progress import Progress
from workbench.domain.severity import SEVERITIES, SEVERITY_LABELS
from workbench.services.context import Context
from workbench.storage import campaign_repo, finding_repo, summary_query
from workbench.storage.ledger_query import low_memory

if TYPE_CHECKING:   # the exporter (openpyxl) loads when a workbook is written, not with the window
    from workbench.exporters.summary import AccuracyLine, SummaryWorkbook

#: Open findings due within this many calendar days count as 即将到期.
DUE_SOON_DAYS = 3
#: 准确率 below this fraction is highlighted in the workbook, report and dashboard (a working
#: level chosen for the highlight, not a legal threshold).
ACCURACY_ALERT_BELOW = 0.9


def _accuracy(pairs) -> list[AccuracyLine]:
    from workbench.exporters.summary import AccuracyLine

    return [AccuracyLine(r.group, r.reviewed, r.accurate, r.rate) for r in rules.accuracy_table(pairs)]


def build_summary(ctx: Context, campaign_id: str, *, include_personal_data: bool = False) -> SummaryWorkbook:
    """Collect the review details, findings and accuracy tables of a campaign.

    准确率 (accuracy rate) = reviews concluded 准确 ÷ reviews, by access provider and by city
    (DESIGN.md job 3; facts.md §4). Free texts (备注, 问题描述, 整改要求) have phone numbers,
    ID numbers and e-mail addresses masked unless ``include_personal_data``
    (domain.personal_data); the choice is written to the 模板信息 sheet.
    """
    from workbench.exporters.summary import FindingLine, ReviewLine, SummaryWorkbook

    figs = figures(ctx, campaign_id)
    text = _text_filter(include_personal_data)
    inspector = _inspector_namer(ctx)
    labels = dict(rules.REVIEW_FIELDS)
    reviews = [
        ReviewLine(
            site_filing_no=r.site_filing_no, site_name=r.site_name, domains=r.domains,
            sponsor_name=r.sponsor_name, uscc=r.uscc, city=r.city, access_provider=r.access_provider,
            conclusion_label=rules.CONCLUSIONS.get(r.conclusion, r.conclusion),
            mismatched_fields="、".join(labels.get(f, f) for f in r.mismatched),
            notes=text(r.notes), reviewed_on=r.reviewed_on, inspector=inspector(r.inspector),
        )
        for r in summary_query.review_lines(ctx.conn, campaign_id)
    ]
    today = ctx.today()
    views = finding_repo.views(ctx.conn, campaign_id)
    finding_lines = [
        FindingLine(
            sponsor_name=v.sponsor_name, site_filing_no=v.site_filing_no, category=v.finding.category,
            description=text(v.finding.description), severity_label=SEVERITY_LABELS[v.finding.severity],
            legal_basis=v.finding.legal_basis, requirement=text(v.finding.requirement),
            deadline=v.finding.deadline, status_label=fs.STATUS_LABELS[v.finding.status],
            days_left=fs.days_left_on_term(v.finding.status, v.finding.deadline, today),
            notice_number=v.notice_number,
        )
        for v in views
    ]
    return SummaryWorkbook(
        campaign_name=figs.campaign_name, authority=figs.authority, generated_on=today,
        reviews=reviews, findings=finding_lines,
        accuracy_by_provider=[_line(r) for r in figs.by_provider],
        accuracy_by_city=[_line(r) for r in figs.by_city],
        totals={"检查期间": figs.period_text, **dict(figs.key_figures())},
        status_counts=[(c.label, c.value) for c in figs.by_status],
        info=export_info(ctx, "汇总表", figs, include_personal_data),
        accuracy_alert_below=ACCURACY_ALERT_BELOW,
    )


def _line(row: rules.AccuracyRow) -> AccuracyLine:
    from workbench.exporters.summary import AccuracyLine

    return AccuracyLine(row.group, row.reviewed, row.accurate, row.rate)


def _text_filter(include_personal_data: bool) -> Callable[[str], str]:
    return (lambda text: text) if include_personal_data else mask_text


def _inspector_namer(ctx: Context) -> Callable[[str], str]:
    """核查人 as a person's name: rows written before the user entered their name in 设置 carry the
    computer login name (storage.records.Author.local); show this user's name for those."""
    name = (ctx.settings.inspector or "").strip()
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = ""
    if not name or not login:
        return lambda raw: raw
    return lambda raw: name if raw == login else raw


@dataclass(frozen=True)
class Heading:
    """What an export says about its campaign: name, authority, period in words, data day."""

    campaign_name: str
    authority: str
    period_text: str
    as_of: date


def heading(ctx: Context, campaign_id: str) -> Heading:
    """The campaign's :class:`Heading` without computing any figures.

    Raises:
        NotFoundError: no such campaign.
    """
    campaign = campaign_repo.get(ctx.conn, campaign_id)
    period = (f"{campaign.period_start.isoformat()} 至 {campaign.period_end.isoformat()}"
              if campaign.period_start and campaign.period_end else "未设定")
    return Heading(campaign.name, campaign.authority, period, ctx.today())


def export_info(ctx: Context, what: str, figs: SummaryFigures | Heading, include_personal_data: bool,
                extra: Sequence[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """The lines of an export's 模板信息 sheet / a report's colophon: what, which campaign, when,
    by whom, and the personal-data choice (domain.personal_data.disclosure_line)."""
    from workbench import __version__

    return [
        ("导出内容", what), ("检查任务", figs.campaign_name), ("检查机关", figs.authority or "未填写"),
        ("检查期间", figs.period_text), ("数据截至", figs.as_of.isoformat()),
        ("导出时间", datetime.now().strftime("%Y-%m-%d %H:%M")),
        ("导出人", (ctx.settings.inspector or ctx.author.name or "").strip() or "未填写"),
        ("个人信息", disclosure_line(include_personal_data)),
        *extra,
        ("生成软件", f"检查工作台 {__version__}"),
    ]


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
    open_findings = len(summary_query.open_finding_deadlines(ctx.conn, campaign_id, tuple(fs.OPEN_STATUSES)))
    # overdue and due soon count only served deadlines (fs.TERM_RUNNING_STATUSES)
    deadlines = summary_query.open_finding_deadlines(ctx.conn, campaign_id, tuple(fs.TERM_RUNNING_STATUSES))
    pairs = [(g, c) for g, c, n in summary_query.conclusion_counts(ctx.conn, campaign_id, "access_provider")
             for _ in range(n)]
    return Overview(
        sites=counts["sites"], sponsors=counts["sponsors"], reviewed=counts["reviewed"],
        findings=counts["findings"], open_findings=open_findings,
        overdue=sum(1 for d in deadlines if d < today),
        due_soon=sum(1 for d in deadlines if 0 <= (d - today).days <= within_days),
        accuracy=_accuracy(pairs),
    )


def export_summary(
    ctx: Context, campaign_id: str, out: Path, *, include_personal_data: bool = False,
    cancel: threading.Event | None = None, on_progress: Callable[[Progress], None] | None = None,
) -> Path:
    """Write the summary workbook of a campaign to ``out`` (.xlsx); returns the path written.

    Personal data is masked unless ``include_personal_data`` (recorded in 模板信息).
    """
    data = build_summary(ctx, campaign_id, include_personal_data=include_personal_data)
    from workbench.exporters.summary import write_summary

    return write_summary(data, out, cancel=cancel, on_progress=on_progress)


def quick_figures(ctx: Context, campaign_id: str, within_days: int = DUE_SOON_DAYS) -> dict[str, int]:
    """The counts of :func:`figures` that indexes answer at once (keys sites, sponsors, reviewed,
    findings, open, overdue, due_soon, rectified): the overview shows them first, the rates and
    charts when :func:`figures` is done."""
    from datetime import timedelta

    today = ctx.today()
    return summary_query.quick_counts(
        ctx.conn, campaign_id, tuple(sorted(fs.OPEN_STATUSES)), tuple(sorted(fs.TERM_RUNNING_STATUSES)),
        fs.CLOSED, today, today + timedelta(days=within_days))


def figures(ctx: Context, campaign_id: str, within_days: int = DUE_SOON_DAYS,
            cancel: threading.Event | None = None) -> SummaryFigures:
    """The campaign's key figures (domain.figures) from SQL aggregates; cheap for 300,000 sites
    (run with a small page cache and on-disk sorts: storage.ledger_query.low_memory). Setting
    ``cancel`` stops it at once (the overview's worker when the window closes or a newer
    computation starts).

    Raises:
        NotFoundError: no such campaign.
        Cancelled: ``cancel`` was set.
    """
    with low_memory(ctx.conn), ctx.cancellable(cancel):
        return _figures(ctx, campaign_id, within_days)


def _figures(ctx: Context, campaign_id: str, within_days: int) -> SummaryFigures:
    from datetime import timedelta

    from workbench.services import inspection_service

    conn = ctx.conn
    campaign = campaign_repo.get(conn, campaign_id)
    today = ctx.today()
    counts = summary_query.counts(conn, campaign_id)
    by_provider = rules.accuracy_table_from_counts(
        summary_query.conclusion_counts(conn, campaign_id, "access_provider"))
    by_city = rules.accuracy_table_from_counts(summary_query.conclusion_counts(conn, campaign_id, "city"))
    total = by_provider[-1]
    # overdue and due soon count only served deadlines (fs.TERM_RUNNING_STATUSES, fs.is_overdue)
    open_count, overdue, due_soon = summary_query.open_deadline_counts(
        conn, campaign_id, tuple(sorted(fs.OPEN_STATUSES)), tuple(sorted(fs.TERM_RUNNING_STATUSES)),
        today, today + timedelta(days=within_days))
    status_n: dict[str, int] = {}
    severity_n: dict[str, int] = {}
    for status, severity, n in summary_query.finding_counts(conn, campaign_id):
        status_n[status] = status_n.get(status, 0) + n
        severity_n[severity] = severity_n.get(severity, 0) + n
    changes = [(week_start(day), old, new, n)
               for day, old, new, n in summary_query.status_changes_by_day(conn, campaign_id)]
    section: dict[str, tuple[Tally, int]] = {}
    inspection_ids = summary_query.inspection_ids(conn, campaign_id)
    for inspection_id in inspection_ids:
        for sec in inspection_service.score_inspection(ctx, inspection_id).sections:
            tally, seen = section.get(sec.title, (Tally(), 0))
            section[sec.title] = (_sum_tallies(tally, sec.tally), seen + 1)
    return SummaryFigures(
        campaign_name=campaign.name, kind_label=campaign.kind_label, authority=campaign.authority,
        period_start=campaign.period_start, period_end=campaign.period_end, as_of=today,
        sites=counts["sites"], sponsors=counts["sponsors"], reviewed=total.reviewed,
        accurate=total.accurate, rate=total.rate, by_provider=by_provider, by_city=by_city,
        findings=counts["findings"], open_findings=open_count, overdue=overdue,
        rectified=status_n.get(fs.CLOSED, 0),
        reinspected=summary_query.reinspected_count(
            conn, campaign_id, (fs.PASS_REINSPECTION, fs.FAIL_REINSPECTION)),
        due_soon=due_soon,
        by_status=[Count(label, status_n.get(code, 0), code) for code, label in fs.STATUS_LABELS.items()],
        by_severity=[Count(SEVERITY_LABELS[code], severity_n.get(code, 0), code) for code in SEVERITIES],
        timeline=status_timeline(changes),
        section_scores=[SectionScore(title, tally.score, seen) for title, (tally, seen) in section.items()],
        inspections=len(inspection_ids),
    )


def _sum_tallies(a: Tally, b: Tally) -> Tally:
    return Tally(a.total + b.total, a.compliant + b.compliant, a.partial + b.partial,
                 a.non_compliant + b.non_compliant, a.not_applicable + b.not_applicable)
