"""The campaign summary workbook (汇总表) that inspectors send upward."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from workbench.domain.progress import Progress, check_cancel
from workbench.exporters.cells import Styled, write_table, write_workbook
from workbench.exporters.sheet_extras import (
    bar_chart,
    highlight_below,
    highlight_rows,
    write_info_sheet,
)

REVIEW_HEADERS = (
    "网站备案号", "网站名称", "域名", "主办单位", "统一社会信用代码", "地市", "接入服务商",
    "核查结论", "不一致字段", "备注", "核查日期", "核查人",
)
FINDING_HEADERS = (
    "主办单位", "网站备案号", "问题类别", "问题描述", "严重程度", "法律依据", "整改要求",
    "整改期限", "状态", "剩余天数", "通知书文号",
)
ACCURACY_HEADERS = ("核查数", "准确数", "准确率")
TOTAL_LABEL = "合计"
RATE_FORMAT = "0.0%"
#: Days left: "12天"; overdue (negative) in red as "逾期3天"; zero as "今日到期".
DAYS_LEFT_FORMAT = '0"天";[Red]"逾期"0"天";"今日到期"'

SHEET_OVERVIEW = "概况"
SHEET_REVIEWS = "核查明细"
SHEET_FINDINGS = "问题清单"
SHEET_BY_PROVIDER = "准确率-接入商"
SHEET_BY_CITY = "准确率-地市"

_REPORT_EVERY = 1000  # rows between progress reports and cancel checks


@dataclass(frozen=True)
class ReviewLine:
    """One ICP filing accuracy review as it appears in the summary; text already in Chinese.

    ``domains`` is the site's domains joined for display; ``mismatched_fields`` the names of
    fields found inaccurate, joined; ``reviewed_on`` a local calendar day or None if not yet.
    """

    site_filing_no: str
    site_name: str
    domains: str
    sponsor_name: str
    uscc: str
    city: str
    access_provider: str
    conclusion_label: str
    mismatched_fields: str
    notes: str
    reviewed_on: date | None
    inspector: str


@dataclass(frozen=True)
class FindingLine:
    """One finding (问题) with its rectification state, labels already in Chinese.

    ``deadline`` is the rectification deadline (整改期限, local calendar day); ``days_left`` is
    the days from the export day to a served deadline, negative when overdue, None once closed
    or while the notice is not yet served (the term has not started).
    """

    sponsor_name: str
    site_filing_no: str
    category: str
    description: str
    severity_label: str
    legal_basis: str
    requirement: str
    deadline: date
    status_label: str
    days_left: int | None
    notice_number: str


@dataclass(frozen=True)
class AccuracyLine:
    """Accuracy (准确率 = accurate ÷ reviewed, facts.md §4) of one access provider or city.

    ``rate`` is a fraction 0..1, None when nothing was reviewed.
    """

    group: str
    reviewed: int
    accurate: int
    rate: float | None


@dataclass(frozen=True)
class SummaryWorkbook:
    """Everything the summary workbook shows, gathered by the caller (no database access here).

    ``totals`` holds the overview figures in display order, e.g. ``{'网站总数': 300,
    '总体准确率': 0.925}``; values are counts, short texts, or fractions 0..1 (floats, shown as
    percentages; None shown blank). ``status_counts`` are (状态, 问题数) pairs charted on 概况;
    ``info`` the lines of the 模板信息 sheet (e.g. the personal-data choice);
    ``accuracy_alert_below`` the 准确率 under which a rate is highlighted (fraction 0..1).
    """

    campaign_name: str
    authority: str
    generated_on: date
    reviews: Sequence[ReviewLine]
    findings: Sequence[FindingLine]
    accuracy_by_provider: Sequence[AccuracyLine]
    accuracy_by_city: Sequence[AccuracyLine]
    totals: Mapping[str, int | float | str | None]
    status_counts: Sequence[tuple[str, int]] = ()
    info: Sequence[tuple[str, str]] = ()
    accuracy_alert_below: float = 0.9


def write_summary(data: SummaryWorkbook, out: Path, cancel: threading.Event | None = None,
                  on_progress: Callable[[Progress], None] | None = None) -> Path:
    """Write the summary workbook (汇总表) to ``out``.

    Sheets: 概况 (title, campaign, authority, date, totals with 总体准确率, findings by status,
    native bar charts of 准确率 by provider and by city and of findings by status),
    核查明细 (one row per review), 问题清单 (findings; overdue days in red and overdue rows
    highlighted by a conditional format), 准确率-接入商 and 准确率-地市 (rates formatted
    ``0.0%``, the 合计 row bold, rates below ``accuracy_alert_below`` highlighted; a 合计 row
    is computed when the lines carry none), and 模板信息 when ``data.info`` is given. Every
    sheet prints landscape, one page wide, never below 8 pt, header repeated, footer with
    sheet name and page x / n (:func:`~workbench.exporters.cells.write_table`). The file is
    streamed (openpyxl write-only), so 300,000 reviews take seconds, not minutes.

    Args:
        data: the figures to write.
        out: target .xlsx path; replaced atomically, never left half-written.
        cancel: set it to stop; the task then raises ``Cancelled`` and ``out`` is untouched.
        on_progress: called with ``Progress(done, total, message)``, rows as units, every
            1,000 rows and at the end.

    Returns:
        ``out`` as a Path.

    Raises:
        Cancelled: ``cancel`` was set.
        WorkbenchError: the folder is missing or read-only, or the file is open elsewhere
            ("文件被其他程序占用，请关闭后重试：<path>").
    """
    by_provider = with_total(data.accuracy_by_provider)
    by_city = with_total(data.accuracy_by_city)
    total = len(data.reviews) + len(data.findings) + len(by_provider) + len(by_city)
    tracker = _Tracker(total, cancel, on_progress)

    def fill(wb: Workbook) -> None:
        overview = wb.create_sheet(SHEET_OVERVIEW)
        sheets = [wb.create_sheet(name) for name in
                  (SHEET_REVIEWS, SHEET_FINDINGS, SHEET_BY_PROVIDER, SHEET_BY_CITY)]
        reviews_ws, findings_ws, provider_ws, city_ws = sheets
        _write_overview(overview, data, provider_ws, city_ws, len(by_provider) - 1, len(by_city) - 1)
        write_table(reviews_ws, REVIEW_HEADERS,
                    tracker.rows(data.reviews, review_cells, "正在写入核查明细"))
        count = write_table(findings_ws, FINDING_HEADERS,
                            tracker.rows(data.findings, finding_cells, "正在写入问题清单"))
        highlight_overdue_rows(findings_ws, FINDING_HEADERS, header_row=1, count=count)
        for ws, header, lines in ((provider_ws, "接入服务商", by_provider), (city_ws, "地市", by_city)):
            _write_accuracy(ws, header, tracker.rows(lines, accuracy_cells, "正在写入准确率"))
            highlight_below(ws, f"D2:D{len(lines) + 1}", data.accuracy_alert_below)
        if data.info:
            write_info_sheet(wb, data.info)
        tracker.finish("正在保存文件")

    written = write_workbook(out, fill)
    tracker.report("已保存")
    return written


def review_cells(line: ReviewLine) -> tuple:
    """The 核查明细 row of one review, in :data:`REVIEW_HEADERS` order."""
    return (
        line.site_filing_no, line.site_name, line.domains, line.sponsor_name, line.uscc,
        line.city, line.access_provider, line.conclusion_label, line.mismatched_fields,
        line.notes, line.reviewed_on, line.inspector,
    )


def finding_cells(line: FindingLine) -> tuple:
    """The row of one finding, in :data:`FINDING_HEADERS` order.

    剩余天数 stays a number (sortable, filterable) shown through :data:`DAYS_LEFT_FORMAT`;
    overdue cells (days_left < 0) are also bold dark red on a light red fill.
    """
    overdue = line.days_left is not None and line.days_left < 0
    return (
        line.sponsor_name, line.site_filing_no, line.category, line.description,
        line.severity_label, line.legal_basis, line.requirement, line.deadline,
        line.status_label,
        Styled(line.days_left, alert=overdue, number_format=DAYS_LEFT_FORMAT),
        line.notice_number,
    )


def accuracy_cells(line: AccuracyLine) -> tuple:
    """The row of one accuracy line: group, reviewed, accurate, rate (``0.0%``); 合计 bold."""
    bold = line.group == TOTAL_LABEL
    return (
        Styled(line.group, bold=bold),
        Styled(line.reviewed, bold=bold),
        Styled(line.accurate, bold=bold),
        Styled(line.rate, bold=bold, number_format=RATE_FORMAT),
    )


def with_total(lines: Sequence[AccuracyLine]) -> list[AccuracyLine]:
    """``lines`` plus a computed 合计 line, unless one is already there.

    The total rate is Σaccurate ÷ Σreviewed (facts.md §4), not the mean of the group rates.
    """
    result = list(lines)
    if any(line.group == TOTAL_LABEL for line in result):
        return result
    reviewed = sum(line.reviewed for line in result)
    accurate = sum(line.accurate for line in result)
    rate = accurate / reviewed if reviewed else None
    return [*result, AccuracyLine(TOTAL_LABEL, reviewed, accurate, rate)]


def highlight_overdue_rows(ws, headers: Sequence[str], *, header_row: int, count: int) -> None:
    """Conditional format: whole finding rows in red while 剩余天数 is negative (recomputed by
    Excel only from the stored number, so the highlight matches the export day's figures)."""
    if count <= 0 or "剩余天数" not in headers:
        return
    column = get_column_letter(list(headers).index("剩余天数") + 1)
    first, last = header_row + 1, header_row + count
    highlight_rows(ws, f"A{first}:{get_column_letter(len(headers))}{last}",
                   f"AND(ISNUMBER(${column}{first}),${column}{first}<0)")


#: 概况 layout: the figures and the status chart on page 1; the two 准确率 charts side by side on
#: page 2 (a page break keeps each chart whole). Widths in cm, chosen so the charts neither
#: overlap nor push the page scale under 80 % with Excel's narrower or LibreOffice's wider
#: columns: A:B are 60 units (Excel 11.4 cm, LibreOffice 15.2 cm) and C a default column.
_STATUS_CHART_ROWS = 18  # rows the status chart (7.5 cm) covers at Excel's 15 pt rows, with room
_CHART_WIDTH = 12.5


def _write_overview(ws, data: SummaryWorkbook, provider_ws, city_ws, providers: int,
                    cities: int) -> None:
    """概况: key figures (总体准确率 as a percentage), findings by status, and three charts.

    Page 1 holds the figures with the findings-by-status chart beside them; page 2 the charts
    of 准确率 by access provider and by city, side by side. No print titles: 概况 is a list of
    figures, and its header row above the charts of page 2 would say nothing.
    """
    rate_rows = []
    rows: list[tuple] = [("检查任务", data.campaign_name), ("检查机关", data.authority),
                         ("生成日期", data.generated_on)]
    for label, value in data.totals.items():
        if isinstance(value, float) or (value is None and "率" in label):
            rate_rows.append(len(rows))
            rows.append((label, Styled(value, number_format=RATE_FORMAT)))
        else:
            rows.append((label, value))
    # sheet rows: title (1), header (2), then rows[i] in row i + 3
    status_first = len(rows) + 5  # after the figures: a blank row, the status header, the statuses
    if data.status_counts:
        rows.append(())
        rows.append((Styled("问题状态", bold=True), Styled("问题数", bold=True)))
        rows.extend(data.status_counts)
    write_table(ws, ("项目", "内容"), rows, title=f"{data.campaign_name} 汇总表", widths=(16, 44),
                print_titles=False)
    ws.auto_filter.ref = None  # a list of figures, not a table to filter
    ws.print_options.gridLines = False  # no empty grid around the charts
    for index in rate_rows:
        highlight_below(ws, f"B{index + 3}", data.accuracy_alert_below)
    if data.status_counts:
        last = status_first + len(data.status_counts) - 1
        most = max((count for _label, count in data.status_counts), default=0)
        chart = bar_chart("问题数（按状态）", ws, value_col=2, label_col=1, first_row=status_first,
                          last_row=last, percent=False, horizontal=False, most=most)
        ws.add_chart(chart, "D2")
    if providers > 0 or cities > 0:
        last_row = max(len(rows) + 2, _STATUS_CHART_ROWS)
        ws.row_breaks.append(Break(id=last_row))
        page_two = last_row + 2  # a row of margin: a chart's frame touching the break prints on page 1
        if providers > 0:
            ws.add_chart(bar_chart("准确率（按接入服务商）", provider_ws, value_col=4, label_col=1,
                                   first_row=2, last_row=providers + 1, percent=True,
                                   width=_CHART_WIDTH), f"A{page_two}")
        if cities > 0:
            ws.add_chart(bar_chart("准确率（按地市）", city_ws, value_col=4, label_col=1,
                                   first_row=2, last_row=cities + 1, percent=True,
                                   width=_CHART_WIDTH), f"D{page_two}")


def _write_accuracy(ws, group_header: str, rows: Iterable[tuple]) -> None:
    write_table(ws, (group_header, *ACCURACY_HEADERS), rows)


class _Tracker:
    """Counts rows across sheets, reports progress and honours the cancel event."""

    def __init__(self, total: int, cancel: threading.Event | None,
                 on_progress: Callable[[Progress], None] | None) -> None:
        self.total = total
        self.done = 0
        self._cancel = cancel
        self._on_progress = on_progress

    def rows(self, lines: Iterable, convert: Callable[[object], tuple],
             message: str) -> Iterator[tuple]:
        for line in lines:
            if self.done % _REPORT_EVERY == 0:
                check_cancel(self._cancel)
                self.report(message)
            self.done += 1
            yield convert(line)

    def finish(self, message: str) -> None:
        check_cancel(self._cancel)
        self.report(message)

    def report(self, message: str) -> None:
        if self._on_progress is not None:
            self._on_progress(Progress(self.done, self.total, message))
