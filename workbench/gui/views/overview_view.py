"""The overview screen (概览): the chosen campaign's counts at a glance."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from workbench.gui.session import Session
from workbench.services import campaigns, summary

# (key, label) of the count cards, in reading order.
CARDS = (
    ("sites", "网站总数"), ("sponsors", "主办单位"), ("reviewed", "已核查网站"), ("rate", "备案信息准确率"),
    ("findings", "问题总数"), ("open", "未整改问题"), ("overdue", "逾期问题"), ("due_soon", "3日内到期"),
)
DUE_SOON_DAYS = 3


class OverviewView(QWidget):
    """Counts of the chosen campaign: sites, reviews, accuracy rate, findings open/overdue/due soon.

    Recomputed only while visible (a write elsewhere marks it stale), so saving reviews stays quick.
    """

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.values: dict[str, QLabel] = {}
        self._build_ui()
        self.refresher = session.watch(self, ("campaigns", "sites", "reviews", "findings", "documents",
                                              "inspections", "settings"), self._recompute)

    def _build_ui(self) -> None:
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 17px; font-weight: bold;")
        self.details = QLabel()
        self.details.setStyleSheet("color: #555;")
        grid = QGridLayout()
        for i, (key, label) in enumerate(CARDS):
            grid.addWidget(self._card(key, label), i // 4, i % 4)
        self.accuracy_label = QLabel()
        self.accuracy_label.setTextFormat(Qt.PlainText)
        self.accuracy_label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.details)
        layout.addLayout(grid)
        layout.addWidget(QLabel("按接入服务商的准确率"))
        layout.addWidget(self.accuracy_label, 1)

    def _card(self, key: str, label: str) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.StyledPanel)
        value = QLabel("—")
        value.setStyleSheet("font-size: 26px; font-weight: bold;")
        value.setAlignment(Qt.AlignCenter)
        caption = QLabel(label)
        caption.setAlignment(Qt.AlignCenter)
        box = QVBoxLayout(frame)
        box.addWidget(value)
        box.addWidget(caption)
        self.values[key] = value
        return frame

    @Slot()
    def refresh(self, *_args) -> None:
        """Recompute now if shown, else when next shown."""
        self.refresher.touch()

    def _recompute(self) -> None:
        cid = self.session.campaign_id
        if cid is None:
            self.heading.setText("尚无检查任务：请通过“文件 › 新建检查任务”创建")
            self.details.clear()
            for label in self.values.values():
                label.setText("—")
            self.values["overdue"].setStyleSheet("font-size: 26px; font-weight: bold;")   # no red without a count
            self.accuracy_label.clear()
            return
        ctx = self.session.ctx
        campaign = campaigns.get_campaign(ctx, cid)
        self.heading.setText(campaign.name)
        period = (f"{campaign.period_start} 至 {campaign.period_end}"
                  if campaign.period_start and campaign.period_end else "未设定")
        self.details.setText(f"{campaign.kind_label}　检查机关：{campaign.authority or '未填写'}　"
                             f"文号前缀：{campaign.doc_prefix or '未填写'}　检查期间：{period}")
        self._show_counts(summary.overview(ctx, cid, DUE_SOON_DAYS))

    def _show_counts(self, o: summary.Overview) -> None:
        total = o.accuracy[-1]  # the 合计 row (domain.review.accuracy_table)
        values = {
            "sites": o.sites, "sponsors": o.sponsors, "reviewed": o.reviewed,
            "rate": f"{total.rate:.1%}" if total.rate is not None else "—",
            "findings": o.findings, "open": o.open_findings, "overdue": o.overdue, "due_soon": o.due_soon,
        }
        for key, value in values.items():
            self.values[key].setText(str(value))
        self.values["overdue"].setStyleSheet(
            "font-size: 26px; font-weight: bold;" + (" color: #b00020;" if o.overdue else ""))
        lines = [f"{r.group}：核查 {r.reviewed} 个，准确 {r.accurate} 个"
                 + (f"，准确率 {r.rate:.1%}" if r.rate is not None else "") for r in o.accuracy]
        self.accuracy_label.setText("\n".join(lines) if o.reviewed else "尚未核查任何网站")
