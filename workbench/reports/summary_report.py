"""The campaign summary report (汇总报告, PDF): cover, key figures, charts and tables.

A4 portrait in the documents' fonts (fonts.font_for by role: title, body, heading1), 10.5 pt
body and never less than 8 pt anywhere; charts are reportlab graphics (vector, embedded fonts)
in greys, dash patterns and markers, so they read the same printed in black and white. Long
tables break across pages with their header repeated; every page is numbered 第 n 页 / 共 N 页.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.validators import Auto
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from workbench.atomic import write_bytes
from workbench.domain.figures import SummaryFigures
from workbench.domain.finding_status import STATUS_LABELS
from workbench.reports.fonts import font_for
from workbench.reports.layout import DocumentFonts
from workbench.reports.markup import Typesetter

MARGIN = 20 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN
BODY = 10.5  # 五号
TABLE = 9.0  # 小五 is 9 pt
SMALLEST = 8.0  # chart labels; nothing is set smaller
#: Most bars drawn in one chart; the table below it lists every group.
MAX_BARS = 25
#: Overdue findings listed in the report (the 整改台账 lists every one).
MAX_OVERDUE_ROWS = 200

_GREYS = (colors.Color(0.25, 0.25, 0.25), colors.Color(0.55, 0.55, 0.55), colors.Color(0.8, 0.8, 0.8))
_DASHES = (None, (4, 2), (1, 2), (6, 2, 1, 2), (2, 2), (8, 3))
_MARKERS = ("FilledCircle", "FilledSquare", "FilledTriangle", "FilledDiamond", "Circle", "Square")
_HEADER_FILL = colors.Color(0.88, 0.88, 0.88)


@dataclass(frozen=True)
class OverdueLine:
    """One overdue finding as the report lists it (labels in Chinese, days as a positive count)."""

    sponsor_name: str
    site_filing_no: str
    category: str
    deadline: date
    days_overdue: int
    notice_number: str


@dataclass(frozen=True)
class SummaryReport:
    """What the report prints: the figures, the first overdue findings and the colophon lines.

    ``overdue`` holds at most :data:`MAX_OVERDUE_ROWS` lines (the count is ``figures.overdue``);
    ``colophon`` the (label, text) lines printed on the cover, among them the personal-data
    choice; ``alert_below`` the 准确率 (0..1) under which a rate is marked ▲ in the tables.
    """

    figures: SummaryFigures
    overdue: Sequence[OverdueLine] = ()
    colophon: Sequence[tuple[str, str]] = ()
    alert_below: float = 0.9
    generated_on: date | None = None
    extra_notes: Sequence[str] = field(default_factory=tuple)


def write_summary_report(report: SummaryReport, out: Path) -> Path:
    """Typeset the summary report and write it to ``out`` atomically.

    Raises:
        FontError: no Chinese font, or a character no installed font can draw (nothing written).
        WorkbenchError: the folder is missing or read-only, or the file is open elsewhere.
    """
    fonts = report_fonts()
    ts = Typesetter(fonts)
    styles = _styles(fonts)
    story = _story(report, ts, styles, fonts)
    ts.check()
    buffer = io.BytesIO()
    f = report.figures
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm,
                            title=f"{f.campaign_name} 汇总报告", author=f.authority,
                            creator="检查工作台", lang="zh-CN")
    doc.build(story, canvasmaker=_numbered_canvas(fonts.page_number.name))
    write_bytes(Path(out), buffer.getvalue())
    return Path(out)


# --- styles and small helpers ------------------------------------------------------------------

def report_fonts() -> DocumentFonts:
    """The documents' faces for the roles the report sets: body 仿宋, title 小标宋, headings 黑体
    (both levels) and page numbers 宋体. The 楷体 of a notice's level-2 headings is not used here
    and not loaded: reportlab holds each registered face whole in memory (a 17 MB font is
    about 25 MB), and the report on a province's campaign must stay under 300 MB.

    Raises:
        FontError: as :func:`workbench.reports.fonts.font_for`.
    """
    heading = font_for("heading1")
    return DocumentFonts(font_for("body"), font_for("title"), heading, heading, font_for("page_number"))


def _styles(fonts: DocumentFonts) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=fonts.body.name, fontSize=BODY, leading=BODY * 1.6,
                          wordWrap="CJK")
    cell = ParagraphStyle("cell", parent=body, fontSize=TABLE, leading=TABLE * 1.35)
    return {
        "cover_title": ParagraphStyle("cover_title", parent=body, fontName=fonts.title.name,
                                      fontSize=22, leading=32, alignment=TA_CENTER),
        "cover_line": ParagraphStyle("cover_line", parent=body, fontSize=14, leading=26,
                                     alignment=TA_CENTER),
        "h1": ParagraphStyle("h1", parent=body, fontName=fonts.heading1.name, fontSize=14,
                             leading=22, spaceBefore=10, spaceAfter=6, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=fonts.heading1.name, fontSize=11.5,
                             leading=18, spaceBefore=6, spaceAfter=4, keepWithNext=1),
        "body": body,
        "note": ParagraphStyle("note", parent=body, fontSize=9, leading=13, textColor=colors.Color(0.3, 0.3, 0.3)),
        "cell": cell,
        "cell_head": ParagraphStyle("cell_head", parent=cell, fontName=fonts.heading1.name,
                                    alignment=TA_CENTER),
        "cell_right": ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        "cell_left": ParagraphStyle("cell_left", parent=cell, alignment=TA_LEFT),
    }


def percent(rate: float | None) -> str:
    """0.925 → ``92.5%``; None → ``—``."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _numbered_canvas(font_name: str):
    """A canvas class that prints 第 n 页 / 共 N 页 at the foot of every page (two passes)."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(font_name, 9)
                self.drawCentredString(A4[0] / 2, MARGIN - 2 * mm,
                                       f"第 {self._pageNumber} 页 / 共 {total} 页")
                super().showPage()
            super().save()

    return NumberedCanvas


# --- the story ---------------------------------------------------------------------------------

def _story(report: SummaryReport, ts: Typesetter, st: dict, fonts: DocumentFonts) -> list:
    f = report.figures
    story = _cover(report, ts, st)
    story += [ts.para("一、主要数据", st["h1"]), _key_table(f, ts, st)]
    story += [ts.para("二、备案信息准确率", st["h1"])]
    story += [ts.para("准确率 = 核查准确的网站数 ÷ 已核查网站数；标 ▲ 者低于 "
                      f"{percent(report.alert_below)}。", st["note"])]
    for title, rows, label in (("（一）按接入服务商", f.by_provider, "接入服务商"),
                               ("（二）按地市", f.by_city, "地市")):
        story.append(ts.para(title, st["h2"]))
        groups = [r for r in rows if r.group != "合计"]
        if groups:
            story.append(_rate_chart(groups, fonts))
        story.append(_accuracy_table(rows, label, report.alert_below, ts, st))
    # a heading is kept on the page of what follows it (keepWithNext does not reach into a
    # KeepTogether: the heading of 三 was left alone at the foot of page 2)
    story.append(KeepTogether([ts.para("三、问题整改情况", st["h1"]), _finding_table(f, ts, st)]))
    timeline = _timeline_chart(f, fonts) if f.timeline else ts.para("尚无问题记录。", st["body"])
    story.append(KeepTogether([ts.para("（一）各状态问题数随时间变化（每周末）", st["h2"]), timeline]))
    story.append(ts.para(f"（二）逾期问题（共 {f.overdue} 个）", st["h2"]))
    if report.overdue:
        story.append(_overdue_table(report.overdue, ts, st))
        if f.overdue > len(report.overdue):
            story.append(ts.para(f"仅列出逾期最久的 {len(report.overdue)} 个，完整清单见整改台账。",
                                 st["note"]))
    else:
        story.append(ts.para("无逾期问题。", st["body"]))
    if f.section_scores:
        opening = [ts.para("四、安全检查得分（按检查表章节）", st["h1"]),
                   ts.para(f"共 {f.inspections} 次检查；得分 = (符合 + 0.5 × 部分符合) ÷ 适用项 × 100。",
                           st["note"])]
        scored = [s for s in f.section_scores if s.score is not None]
        if scored:
            opening.append(_score_chart(scored, fonts))
        story.append(KeepTogether(opening))  # heading, note and chart on one page
        story.append(_table(
            ["章节", "检查次数", "得分"],
            [[s.title, str(s.inspections), "—" if s.score is None else f"{s.score:.1f}"]
             for s in f.section_scores],
            [FRAME_WIDTH * 0.6, FRAME_WIDTH * 0.2, FRAME_WIDTH * 0.2], ts, st, right=(1, 2)))
    return story


def _cover(report: SummaryReport, ts: Typesetter, st: dict) -> list:
    f = report.figures
    # the campaign name on one line where it fits at 16–22 pt
    title = st["cover_title"]
    width = stringWidth(f.campaign_name, title.fontName, 1.0) or 1.0
    size = max(16.0, min(22.0, FRAME_WIDTH * 0.98 / width))
    title = ParagraphStyle("cover_name", parent=title, fontSize=size, leading=size * 1.45)
    lines = [
        Spacer(1, 45 * mm),
        ts.para(f.campaign_name, title),
        ts.para("汇总报告", st["cover_title"]),
        Spacer(1, 18 * mm),
        ts.para(f"检查类型：{f.kind_label}", st["cover_line"]),
        ts.para(f"检查期间：{f.period_text}", st["cover_line"]),
        ts.para(f"检查机关：{f.authority or '未填写'}", st["cover_line"]),
        ts.para(f"数据截至：{f.as_of.isoformat()}", st["cover_line"]),
        Spacer(1, 40 * mm),
    ]
    if report.colophon:
        rows = [[label, text] for label, text in report.colophon]
        lines.append(_table(["项目", "说明"], rows, [FRAME_WIDTH * 0.2, FRAME_WIDTH * 0.8], ts, st,
                            header=False))
    lines.append(PageBreak())
    return lines


def _key_table(f: SummaryFigures, ts: Typesetter, st: dict) -> Table:
    pairs = [(label, percent(value) if label.endswith("率") else str(value))
             for label, value in f.key_figures()]
    pairs.append(("3日内到期问题", str(f.due_soon)))
    half = (len(pairs) + 1) // 2
    rows = []
    for i in range(half):
        left = pairs[i]
        right = pairs[half + i] if half + i < len(pairs) else ("", "")
        rows.append([left[0], left[1], right[0], right[1]])
    w = FRAME_WIDTH / 4
    return _table(["项目", "数值", "项目", "数值"], rows, [w * 1.2, w * 0.8, w * 1.2, w * 0.8], ts, st,
                  right=(1, 3))


def _accuracy_table(rows, label: str, alert_below: float, ts: Typesetter, st: dict) -> Table:
    body = []
    for r in rows:
        mark = " ▲" if r.rate is not None and r.rate < alert_below and r.group != "合计" else ""
        body.append([r.group, str(r.reviewed), str(r.accurate), percent(r.rate) + mark])
    return _table([label, "已核查", "准确", "准确率"], body,
                  [FRAME_WIDTH * 0.52, FRAME_WIDTH * 0.14, FRAME_WIDTH * 0.14, FRAME_WIDTH * 0.2],
                  ts, st, right=(1, 2, 3), bold_last=True)


def _finding_table(f: SummaryFigures, ts: Typesetter, st: dict) -> Table:
    """Findings by status (left); by severity and the rectification progress (right)."""
    status = [[c.label, str(c.value)] for c in f.by_status]
    severity = [[c.label, str(c.value)] for c in f.by_severity]
    w = FRAME_WIDTH / 2 - 3 * mm
    left = _table(["状态", "问题数"], status + [["合计", str(f.findings)]], [w * 0.6, w * 0.4], ts, st,
                  right=(1,), bold_last=True)
    by_severity = _table(["严重程度", "问题数"], severity + [["合计", str(f.findings)]],
                         [w * 0.6, w * 0.4], ts, st, right=(1,), bold_last=True)
    progress = _table(["整改进度", "问题数"],
                      [["逾期", str(f.overdue)], ["已整改", str(f.rectified)], ["已复查", str(f.reinspected)]],
                      [w * 0.6, w * 0.4], ts, st, right=(1,))
    outer = Table([[left, [by_severity, Spacer(1, 3 * mm), progress]]],
                  colWidths=[FRAME_WIDTH / 2, FRAME_WIDTH / 2])
    outer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return outer


def _overdue_table(lines: Sequence[OverdueLine], ts: Typesetter, st: dict) -> Table:
    rows = [[o.sponsor_name, o.site_filing_no, o.category, o.deadline.isoformat(),
             str(o.days_overdue), o.notice_number] for o in lines]
    w = FRAME_WIDTH
    return _table(["主办单位", "网站备案号", "问题类别", "整改期限", "逾期天数", "通知书文号"], rows,
                  [w * 0.24, w * 0.2, w * 0.18, w * 0.12, w * 0.08, w * 0.18], ts, st, right=(4,))


def _table(headers: list[str], rows: list[list[str]], widths: list[float], ts: Typesetter, st: dict,
           *, right: tuple[int, ...] = (), bold_last: bool = False, header: bool = True) -> Table:
    """A grid table of Paragraph cells that splits across pages repeating its header row."""
    data = []
    if header:
        data.append([ts.para(h, st["cell_head"]) for h in headers])
    for row in rows:
        data.append([ts.para(str(v), st["cell_right"] if i in right else st["cell_left"])
                     for i, v in enumerate(row)])
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0, splitByRow=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.Color(0.45, 0.45, 0.45)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), _HEADER_FILL))
    if bold_last and rows:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.Color(0.94, 0.94, 0.94)))
    table.setStyle(TableStyle(style))
    return table


# --- charts ------------------------------------------------------------------------------------

def _fit_label(text: str, font: str, size: float, width: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _rate_chart(rows, fonts: DocumentFonts) -> Drawing:
    """Horizontal bars of 准确率 (0–100%), the groups with most reviews first, value at each bar."""
    shown = sorted(rows, key=lambda r: (-r.reviewed, r.group))[:MAX_BARS]
    values = [round((r.rate or 0) * 100, 1) for r in shown]
    return _hbar_chart([r.group for r in shown], values, fonts, value_max=100,
                       value_format="%.1f%%", axis_format="%d%%",
                       note=f"（图中为核查数最多的 {MAX_BARS} 个）" if len(rows) > MAX_BARS else "")


def _score_chart(scored, fonts: DocumentFonts) -> Drawing:
    shown = scored[:MAX_BARS]
    return _hbar_chart([s.title for s in shown], [round(s.score, 1) for s in shown], fonts,
                       value_max=100, value_format="%.1f", axis_format="%d")


def _hbar_chart(labels: list[str], values: list[float], fonts: DocumentFonts, *, value_max: float,
                value_format: str, axis_format: str, note: str = "") -> Drawing:
    font = fonts.body.name
    label_width = min(max(stringWidth(t, font, SMALLEST) for t in labels) + 6, FRAME_WIDTH * 0.42)
    labels = [_fit_label(t, font, SMALLEST, label_width - 6) for t in labels]
    bar_pitch = 16
    height = len(labels) * bar_pitch + 34 + (12 if note else 0)
    drawing = Drawing(FRAME_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 22
    chart.width = FRAME_WIDTH - label_width - 40
    chart.height = len(labels) * bar_pitch
    chart.data = [list(reversed(values))]  # reportlab draws the first category at the bottom
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = SMALLEST
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, value_max
    chart.valueAxis.valueStep = value_max / 5
    chart.valueAxis.labelTextFormat = axis_format
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = SMALLEST
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.bars[0].fillColor = _GREYS[1]
    chart.bars[0].strokeColor = colors.black
    chart.bars[0].strokeWidth = 0.4
    chart.barWidth = 10
    chart.barLabelFormat = value_format
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = SMALLEST
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    if note:
        from reportlab.graphics.shapes import String

        drawing.add(String(FRAME_WIDTH, height - 10, note, fontName=font, fontSize=SMALLEST,
                           textAnchor="end"))
    return drawing


def _timeline_chart(f: SummaryFigures, fonts: DocumentFonts) -> Drawing:
    """One line per status (findings in it at each week's end): grey shades, dashes, markers."""
    font = fonts.body.name
    statuses = [s for s in STATUS_LABELS if any(w.counts.get(s, 0) for w in f.timeline)]
    weeks = f.timeline[-26:]  # at most half a year of weeks
    drawing = Drawing(FRAME_WIDTH, 210)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 36, 50, FRAME_WIDTH - 150, 140
    chart.data = [[w.counts.get(s, 0) for w in weeks] for s in statuses]
    chart.categoryAxis.categoryNames = [w.week.strftime("%m-%d") for w in weeks]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = SMALLEST
    chart.categoryAxis.labels.angle = 45 if len(weeks) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(weeks) > 8 else "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = SMALLEST
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.joinedLines = 1
    for i in range(len(statuses)):
        line = chart.lines[i]
        line.strokeColor = colors.black if i % 2 == 0 else _GREYS[1]
        line.strokeWidth = 1.2
        line.strokeDashArray = _DASHES[i % len(_DASHES)]
        line.symbol = makeMarker(_MARKERS[i % len(_MARKERS)])
        line.symbol.size = 5
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = FRAME_WIDTH - 100, 190
    legend.fontName, legend.fontSize = font, SMALLEST
    legend.alignment = "right"
    legend.columnMaximum = 6
    for i, status in enumerate(statuses):
        chart.lines[i].name = STATUS_LABELS[status]
    legend.colorNamePairs = Auto(obj=chart)  # swatches drawn as the lines: dash and marker too
    legend.dxTextSpace = 6
    legend.dx = 18
    drawing.add(legend)
    return drawing
