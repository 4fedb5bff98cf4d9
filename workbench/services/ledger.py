"""The findings ledger (整改台账) of a campaign, for the 问题 screen, the 文件 menu and the CLI."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from workbench.domain import finding_status as fs
from workbench.domain.personal_data import mask_text
from workbench.domain.progress import Progress
from workbench.domain.severity import SEVERITY_LABELS
from workbench.exporters.findings_ledger import LedgerLine, write_findings_ledger
from workbench.services import summary
from workbench.services.context import Context
from workbench.storage import ledger_query, summary_query
from workbench.storage.records import parse_iso

#: Label of the event that records a new finding (other actions: finding_status.ACTION_LABELS).
CREATE_LABEL = "登记问题"
_REINSPECTIONS = (fs.PASS_REINSPECTION, fs.FAIL_REINSPECTION)


def ledger_lines(ctx: Context, campaign_id: str, *, include_personal_data: bool = False,
                 today: date | None = None) -> Iterator[LedgerLine]:
    """The campaign's findings as ledger lines, by deadline, read lazily (constant memory).

    Descriptions, requirements and history reasons have phone numbers, ID numbers and e-mail
    addresses masked unless ``include_personal_data`` (domain.personal_data). ``days_left``
    counts from ``today`` (default ``ctx.today()``) while a served term runs
    (``finding_status.days_left_on_term``); None before service and once closed.
    """
    today = today or ctx.today()
    text = (lambda t: t) if include_personal_data else mask_text
    statuses, severities = fs.STATUS_LABELS, SEVERITY_LABELS
    for r in ledger_query.ledger_rows(ctx.conn, campaign_id):
        deadline = parse_iso(r["deadline"])
        history, reinspection = _history(r["history"], text)
        yield LedgerLine(
            sponsor_name=r["sponsor_name"], site_filing_no=r["site_filing_no"], site_name=r["site_name"],
            category=r["category"], description=text(r["description"]),
            severity_label=severities.get(r["severity"], r["severity"]), legal_basis=r["legal_basis"],
            requirement=text(r["requirement"]), notice_number=r["notice_number"],
            served_on=parse_iso(r["served_on"]) if r["served_on"] else None, deadline=deadline,
            days_left=fs.days_left_on_term(r["status"], deadline, today),
            status_label=statuses.get(r["status"], r["status"]), reinspection=reinspection,
            history=history,
        )


def _history(raw: str, text: Callable[[str], str]) -> tuple[str, str]:
    """(history lines, latest re-inspection result) from the aggregated event text."""
    if not raw:
        return "", ""
    lines, reinspection = [], ""
    for record in raw.split(ledger_query.RECORD_SEP):
        occurred_at, action, reason, _inspector = record.split(ledger_query.FIELD_SEP)
        day = _local_day(occurred_at)
        label = CREATE_LABEL if action == "create" else fs.ACTION_LABELS.get(action, action)
        lines.append(f"{day} {label}" + (f"：{text(reason)}" if reason else ""))
        if action in _REINSPECTIONS:
            reinspection = f"{label}（{day}）"
    return "\n".join(lines), reinspection


def _local_day(utc_stamp: str) -> str:
    """The local calendar day of a stored UTC timestamp (events are stamped in UTC)."""
    return _local_day_of_hour(utc_stamp[:13])  # the day depends on date and hour only


@lru_cache(maxsize=4096)
def _local_day_of_hour(utc_hour: str) -> str:
    try:
        return datetime.fromisoformat(utc_hour + ":00:00+00:00").astimezone().date().isoformat()
    except ValueError:
        return utc_hour[:10]


def export_ledger(ctx: Context, campaign_id: str, out: Path, *, include_personal_data: bool = False,
                  cancel: threading.Event | None = None,
                  on_progress: Callable[[Progress], None] | None = None) -> Path:
    """Write the campaign's 整改台账 workbook to ``out`` (streamed); returns the path.

    The 模板信息 sheet records campaign, export time and the personal-data choice.

    Raises:
        NotFoundError: no such campaign.
        WorkbenchError: the file cannot be written (see exporters.cells.write_workbook).
    """
    heading = summary.heading(ctx, campaign_id)
    info = summary.export_info(ctx, "整改台账", heading, include_personal_data,
                               extra=[("说明", "剩余天数按数据截至日计算；负数为逾期天数；送达前为空。")])
    lines = ledger_lines(ctx, campaign_id, include_personal_data=include_personal_data)
    return write_findings_ledger(lines, out, title=f"{heading.campaign_name} 整改台账", info=info,
                                 total=summary_query.counts(ctx.conn, campaign_id)["findings"],
                                 cancel=cancel, on_progress=on_progress)
