"""The dashboard (概览): the chosen campaign's key figures and charts, computed in the background.

The figures are the ones the summary workbook and the PDF report print (services.summary.figures,
one SQL pass); they are recomputed off the GUI thread whenever work on a topic it shows is saved
while the screen is visible (else when it is next shown: gui.refresh.Refresher). Clicking a bar or a card opens the matching filtered list:
a provider or city → 网站 filtered by it; a status → 问题 filtered by it; 逾期 → the 逾期 ledger.
"""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.figures import SummaryFigures
from workbench.domain.finding_status import STATUS_LABELS
from workbench.domain.progress import Cancelled
from workbench.domain.review import TOTAL_GROUP
from workbench.gui.session import Session
from workbench.gui.widgets.bar_chart import Bar, BarChart, LineChart
from workbench.gui.workers import TaskWorker
from workbench.services import campaigns, summary

# (key, label) of the count cards, in reading order.
CARDS = (
    ("sites", "网站总数"), ("sponsors", "主办单位"), ("reviewed", "已核查网站"), ("rate", "备案信息准确率"),
    ("findings", "问题总数"), ("open", "未整改问题"), ("overdue", "逾期问题"), ("due_soon", "3日内到期"),
    ("rectified", "已整改"), ("reinspected", "已复查"),
)
#: Cards that open a list when clicked: card key → findings filter key.
CARD_LINKS = {"overdue": "overdue", "open": "open", "due_soon": "due_soon", "findings": "all"}
DUE_SOON_DAYS = summary.DUE_SOON_DAYS
#: Bars per chart on screen (groups with most reviews first); the workbook and report list all.
MAX_BARS = 12
# Centred by the style sheet, not setAlignment(Qt.AlignCenter): PySide builds its whole Qt
# namespace (13 ms) at the first use of one of its enums, which the window's opening does not
# otherwise need before the first rows (issue 12).
_CENTRED = "qproperty-alignment: AlignCenter;"
_VALUE_STYLE = _CENTRED + " font-size: 22px; font-weight: bold;"


class OverviewView(QWidget):
    """Key figures and charts of the chosen campaign.

    Signals:
        open_sites(str): show 网站 filtered by this text (a provider or city).
        open_findings(str, str): show 问题 with a status filter key (all/open/overdue/due_soon)
            and a text filter (a status label, or '').
    """

    open_sites = Signal(str)
    open_findings = Signal(str, str)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.values: dict[str, QLabel] = {}
        self.card_buttons: dict[str, QPushButton] = {}
        self.figures: SummaryFigures | None = None
        self._generation = 0
        self._build_ui()
        self.refresher = session.watch(self, ("campaigns", "sites", "reviews", "findings", "documents",
                                              "inspections", "settings"), self._recompute)

    # --- building ----------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 17px; font-weight: bold;")
        self.details = QLabel()
        self.details.setStyleSheet("color: #555;")
        self.details.setWordWrap(True)
        grid = QGridLayout()
        grid.setSpacing(6)
        per_row = (len(CARDS) + 1) // 2
        for i, (key, label) in enumerate(CARDS):
            grid.addWidget(self._card(key, label), i // per_row, i % per_row)
        self.provider_chart = BarChart("准确率（按接入服务商）", "尚未核查任何网站")
        self.city_chart = BarChart("准确率（按地市）", "尚未核查任何网站")
        self.status_chart = BarChart("问题数（按状态）", "尚无问题")
        self.score_chart = BarChart("安全检查得分（按检查表章节）", "尚无安全检查")
        self.timeline_chart = LineChart("各状态问题数（每周末）", "尚无问题")
        # until the figures are in, a chart says so, not "尚无问题" (its text when there are none)
        self._empty_texts = {chart: chart.empty_text for chart in (
            self.provider_chart, self.city_chart, self.status_chart, self.score_chart, self.timeline_chart)}
        for chart in self._empty_texts:
            chart.empty_text = "正在统计…"
        self.provider_chart.bar_clicked.connect(self.open_sites)
        self.city_chart.bar_clicked.connect(self.open_sites)
        self.status_chart.bar_clicked.connect(lambda key: self.open_findings.emit("all", key))
        charts = QGridLayout()
        charts.setHorizontalSpacing(24)
        charts.addWidget(self.provider_chart, 0, 0)
        charts.addWidget(self.city_chart, 0, 1)
        charts.addWidget(self.status_chart, 1, 0)
        charts.addWidget(self.timeline_chart, 1, 1)
        charts.addWidget(self.score_chart, 2, 0)
        body = QWidget()
        box = QVBoxLayout(body)
        box.addWidget(self.heading)
        box.addWidget(self.details)
        box.addLayout(grid)
        box.addLayout(charts)
        box.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _card(self, key: str, label: str) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.StyledPanel)
        value = QLabel("—")
        value.setStyleSheet(_VALUE_STYLE)
        box = QVBoxLayout(frame)
        box.setContentsMargins(6, 4, 6, 4)
        box.addWidget(value)
        if key in CARD_LINKS:
            caption = QPushButton(label)
            caption.setFlat(True)
            caption.setStyleSheet("color: #1a5fb4; text-decoration: underline;")
            caption.setToolTip("单击查看问题清单")   # the hand cursor: after_first_rows
            caption.clicked.connect(lambda _=False, k=key: self.open_findings.emit(CARD_LINKS[k], ""))
            self.card_buttons[key] = caption
        else:
            caption = QLabel(label)
            caption.setStyleSheet(_CENTRED)
        box.addWidget(caption)
        self.values[key] = value
        return frame

    def after_first_rows(self) -> None:
        """What waits until the window's first rows are painted: the full figures when
        :attr:`hold_full_figures`, and the links' hand cursor (an enum of Qt's namespace, see
        :data:`_CENTRED`)."""
        for caption in self.card_buttons.values():
            caption.setCursor(QtCore.Qt.PointingHandCursor)
        held, self._held, self.hold_full_figures = self._held, None, False
        if held is not None:
            held()

    # --- updating ----------------------------------------------------------------------------
    @Slot()
    def refresh(self, *_args) -> None:
        """Recompute now if shown, else when next shown (gui.refresh.Refresher)."""
        self.refresher.touch()

    @property
    def busy(self) -> bool:
        """True while figures are being computed (tests wait for False)."""
        return self._pending is not None

    _pending: int | None = None   # the generation whose figures are being computed

    def _recompute(self) -> None:
        cid = self.session.campaign_id
        self._generation += 1
        if self.worker is not None:   # its figures would be thrown away: stop it now
            self.worker.cancel.set()
        if cid is None:
            self._pending = None
            self._show_nothing()
            return
        generation = self._generation
        self._pending = generation   # busy until the full figures of this generation are shown
        # The counts indexes answer come first, from the reader (the window shows them at once);
        # the rates, charts and timeline, which read the whole campaign, follow on a worker.
        self.session.read(lambda ctx: _quick_figures(ctx, cid), lambda result: self._quick(generation, cid, *result),
                          lambda err: self._failed(None, generation, err), key=QUICK_KEY)

    def _quick(self, generation: int, cid: str, campaign, counts: dict[str, int]) -> None:
        """The quick counts are in: show them (the other cards say …), then compute the rest."""
        if generation != self._generation:
            return
        if campaign is None or campaign.id != cid:   # read ahead for another campaign (read_ahead)
            self._recompute()
            return
        self._show_heading(campaign, None)
        for key, label in self.values.items():
            value = counts.get(key)
            label.setText(str(value) if value is not None else "…")
        self.values["overdue"].setStyleSheet(_VALUE_STYLE + (" color: #b00020;" if counts.get("overdue") else ""))

        if self.hold_full_figures:   # the window's first rows: the rest once they are painted
            self._held = lambda: self._compute_full(generation, cid)
        else:
            self._compute_full(generation, cid)

    #: Set by the window before its first rows: :meth:`_quick` leaves the full figures to
    #: :meth:`after_first_rows`. Their worker opens a connection and imports the checklist and
    #: inspection services (YAML): Python that holds the GIL the GUI thread needs to lay out and
    #: paint the first rows (issue 12).
    hold_full_figures = False
    _held = None

    def _compute_full(self, generation: int, cid: str) -> None:
        """Compute the rates, charts and timeline on a worker (the whole campaign is read)."""
        if generation != self._generation:
            return

        def task(ctx, cancel, _progress):
            return campaigns.get_campaign(ctx, cid), summary.figures(ctx, cid, DUE_SOON_DAYS, cancel=cancel)

        if self.worker is not None:   # a newer computation supersedes it: stop it
            self.worker.cancel.set()
        worker = TaskWorker(task, self.session.open_worker_context, "统计概览", background=True)
        self.worker = worker
        worker.signals.finished.connect(lambda result: self._computed(worker, generation, result))
        worker.signals.failed.connect(lambda err: self._failed(worker, generation, err))
        self.session.workers.append(worker)  # closing the window waits for it
        self.session.pool.start(worker)

    #: the worker computing the full figures (cancelled when a newer one starts or the window closes)
    worker: TaskWorker | None = None

    def _forget(self, worker: TaskWorker | None) -> None:
        if worker is self.worker:
            self.worker = None
        if worker in self.session.workers:
            self.session.workers.remove(worker)

    def _computed(self, worker: TaskWorker, generation: int, result) -> None:
        self._forget(worker)
        if generation != self._generation:
            return  # a newer computation is under way
        self._pending = None
        campaign, figures = result
        self._show_heading(campaign, figures)
        self.show_figures(figures)

    def _show_heading(self, campaign, figures: SummaryFigures | None) -> None:
        self.heading.setText(campaign.name)
        tail = (f"　检查期间：{figures.period_text}　数据截至：{figures.as_of.isoformat()}" if figures
                else "　正在统计…")
        self.details.setText(f"{campaign.kind_label}　检查机关：{campaign.authority or '未填写'}　"
                             f"文号前缀：{campaign.doc_prefix or '未填写'}{tail}")

    def _failed(self, worker: TaskWorker, generation: int, err: Exception) -> None:
        self._forget(worker)
        if generation != self._generation or isinstance(err, Cancelled):
            return
        self._pending = None
        self._charts_done()
        self.heading.setText("统计失败")
        self.details.setText(str(err))

    def _charts_done(self) -> None:
        """The charts' own texts for nothing to draw, from now on (they said 正在统计…)."""
        for chart, text in self._empty_texts.items():
            chart.empty_text = text
            chart.update()

    def _show_nothing(self) -> None:
        self._charts_done()
        self.figures = None
        self.heading.setText("尚无检查任务：请通过“文件 › 新建检查任务”创建")
        self.details.clear()
        for label in self.values.values():
            label.setText("—")
            label.setStyleSheet(_VALUE_STYLE)  # no red without a count
        for chart in (self.provider_chart, self.city_chart, self.status_chart, self.score_chart):
            chart.set_bars([])
        self.timeline_chart.set_series([], [])

    def show_figures(self, f: SummaryFigures) -> None:
        """Fill the cards and charts from ``f`` (GUI thread, no database work)."""
        self._charts_done()
        self.figures = f
        values = {
            "sites": f.sites, "sponsors": f.sponsors, "reviewed": f.reviewed,
            "rate": f"{f.rate:.1%}" if f.rate is not None else "—", "findings": f.findings,
            "open": f.open_findings, "overdue": f.overdue, "due_soon": f.due_soon,
            "rectified": f.rectified, "reinspected": f.reinspected,
        }
        for key, value in values.items():
            self.values[key].setText(str(value))
        self.values["overdue"].setStyleSheet(_VALUE_STYLE + (" color: #b00020;" if f.overdue else ""))
        low = f.rate is not None and f.rate < summary.ACCURACY_ALERT_BELOW
        self.values["rate"].setStyleSheet(_VALUE_STYLE + (" color: #b00020;" if low else ""))
        self.provider_chart.set_bars(_rate_bars(f.by_provider), 1.0)
        self.city_chart.set_bars(_rate_bars(f.by_city), 1.0)
        self.status_chart.set_bars(
            [Bar(c.label, c.value, str(c.value), c.label, tip=f"{c.label}：{c.value} 个（单击查看）")
             for c in f.by_status] if f.findings else [])
        self.score_chart.set_bars(
            [Bar(s.title, s.score, f"{s.score:.1f}", "", tip=f"{s.title}：{s.score:.1f} 分（{s.inspections} 次检查）")
             for s in f.section_scores if s.score is not None][:MAX_BARS], 100.0)
        self.score_chart.setVisible(bool(f.section_scores))
        weeks = list(f.timeline)[-26:]
        shown = [s for s in STATUS_LABELS if any(w.counts.get(s, 0) for w in weeks)]
        self.timeline_chart.set_series([w.week.strftime("%m-%d") for w in weeks],
                                       [(STATUS_LABELS[s], [w.counts.get(s, 0) for w in weeks]) for s in shown])


#: The key of the overview's first read (the one the window reads ahead: :func:`read_ahead`).
QUICK_KEY = "overview-quick"


def _quick_figures(ctx, campaign_id: str):
    """(Reader thread) the campaign and the counts the overview shows first."""
    return campaigns.get_campaign(ctx, campaign_id), summary.quick_figures(ctx, campaign_id, DUE_SOON_DAYS)


def read_ahead(session: Session) -> None:
    """Start reading the figures the window opens on (概览 is its first screen) before the window
    is built, so SQLite counts 300,000 sites while Python builds it; the overview's first read
    then takes the answer (Session.read_ahead), and reads again if the window chose another
    campaign than this read: the session's, else the newest, as MainWindow.reload_campaigns."""
    chosen = session.campaign_id

    def read(ctx):
        cid = chosen or next((c.id for c in campaigns.list_campaigns(ctx)), None)
        return _quick_figures(ctx, cid) if cid else (None, {})

    session.read_ahead(QUICK_KEY, read)


def _rate_bars(rows) -> list[Bar]:
    groups = sorted((r for r in rows if r.group != TOTAL_GROUP), key=lambda r: (-r.reviewed, r.group))
    return [
        Bar(r.group, r.rate or 0.0, f"{r.rate:.1%}" if r.rate is not None else "—", r.group,
            alert=r.rate is not None and r.rate < summary.ACCURACY_ALERT_BELOW,
            tip=f"{r.group}：核查 {r.reviewed} 个，准确 {r.accurate} 个（单击查看这些网站）")
        for r in groups[:MAX_BARS]
    ]
