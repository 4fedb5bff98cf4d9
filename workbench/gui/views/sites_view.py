"""The site table screen (网站): filter box, 只看未核查, a paged table sorted in SQL."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.review import REVIEW_FIELDS
from workbench.gui.models.site_table_model import HEADERS, SiteTableModel
from workbench.gui.session import Session
from workbench.gui.widgets.filter_box import FilterBox
from workbench.gui.widgets.tables import (
    decisive_first,
    remember_columns,
    show_elided_text_as_tooltip,
)
from workbench.services import sites

_WIDTHS = (150, 130, 150, 110, 130, 56, 110, 40)
_EMPTY_HINT = ("此检查任务还没有网站。\n\n按 Ctrl+O（文件 → 导入名单）导入网站名单，"
               "支持 .xlsx、.xls、.ods 和 .csv 文件。")
_SELECT_HINT = "选择一个网站查看备案信息；双击或按回车开始核查。"


class SitesView(QWidget):
    """The sites of the chosen campaign; double-click or Enter opens the review of a site.

    Signals:
        site_activated(str site_id): the user wants to review this site.
        counts_changed(int total, int reviewed): for the status bar.
    """

    site_activated = Signal(str)
    counts_changed = Signal(int, int)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.model = SiteTableModel(session, self)
        self._build_ui()
        self._connect_signals()
        self.refresher = session.watch(self, ("sites", "reviews"), self.refresh)

    def _build_ui(self) -> None:
        self.filter_box = FilterBox("筛选：备案号、网站名称、主办单位、域名、接入服务商、地市（Ctrl+F）")
        self.unreviewed_box = QCheckBox("只看未核查")
        self.count_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.unreviewed_box)
        top.addWidget(self.count_label)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.AscendingOrder)  # import order until a column is chosen
        self.table.setSortingEnabled(True)
        for col, width in enumerate(_WIDTHS[: len(HEADERS)]):
            self.table.setColumnWidth(col, width)
        header.setStretchLastSection(True)
        # 核查结论 and 提示 decide the work: beside the filing number, visible at 1280 pixels.
        decisive_first(self.table, ("核查结论", "提示"))
        remember_columns(self.table, self.session.paths.config_dir, "sites")
        show_elided_text_as_tooltip(self.table)
        self.detail_label = QLabel(_SELECT_HINT)
        self.detail_label.setWordWrap(True)
        self.detail_label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.detail_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.detail_label.setMinimumWidth(240)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail_label)
        splitter.setStretchFactor(0, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([900, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def _connect_signals(self) -> None:
        self.model.counted.connect(self._counted)
        self.model.first_rows.connect(self._show_counts)
        self.filter_box.filter_changed.connect(self._apply_filter)
        self.unreviewed_box.toggled.connect(self._apply_filter)
        self.table.doubleClicked.connect(self._activate)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        for key in (Qt.Key_Return, Qt.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.WidgetShortcut)
            shortcut.activated.connect(self.open_current)

    @Slot()
    def refresh(self, *_args) -> None:
        """Re-read the campaign's sites (keeps filter, order and the selected row if possible)."""
        self._keep_row = self.table.currentIndex().row()
        self.model.set_campaign(self.session.campaign_id)
        self._update_counts()

    @Slot()
    def _apply_filter(self, *_args) -> None:
        self._keep_row = -1
        self.model.set_filter(self.filter_box.text().strip(), self.unreviewed_box.isChecked())

    @Slot(int)
    def _counted(self, shown: int) -> None:
        """The model knows how many rows match: reselect the kept row, say how many are shown."""
        keep, self._keep_row = getattr(self, "_keep_row", -1), -1
        if 0 <= keep < shown:
            self.table.selectRow(keep)
        self._show_counts()

    def _update_counts(self) -> None:
        """Campaign totals (all sites, reviewed) from the reader thread."""
        cid = self.session.campaign_id
        if cid is None:
            self._totals_read((0, 0))
            return
        self.session.read(lambda ctx: (sites.count(ctx, cid), sites.reviewed_count(ctx, cid)),
                          self._totals_read, key=f"sites-totals-{id(self)}")

    def _totals_read(self, totals: tuple[int, int]) -> None:
        self._totals = totals
        self._show_counts()
        self.counts_changed.emit(*totals)

    def _show_counts(self) -> None:
        total, _reviewed = getattr(self, "_totals", (0, 0))
        cid, shown = self.session.campaign_id, self.model.rowCount()
        if self.model.counting and not self.model.loading:
            self.count_label.setText(f"已显示前 {shown} 条，正在计数…")
        else:
            self.count_label.setText(f"显示 {shown} 条" if shown != total and not self.model.loading else "")
        if total == 0:
            self.detail_label.setText(_EMPTY_HINT if cid else "请先在工具栏新建或选择一个检查任务。")
        elif self.table.currentIndex().row() < 0:
            self.detail_label.setText(_SELECT_HINT)

    @Slot(QModelIndex)
    def _show_detail(self, index: QModelIndex) -> None:
        """The selected site's filed values beside the table (read on the reader thread)."""
        site_id = self.model.site_id(index.row()) if index.isValid() else None
        if site_id is None:
            return
        self.session.read(lambda ctx: sites.detail(ctx, site_id), self._detail_read, key=f"site-detail:{id(self)}")

    def _detail_read(self, d) -> None:
        lines = [d.site_name or "（未填写网站名称）", ""]
        lines += [f"{label}：{d.filed.get(code) or '—'}" for code, label in REVIEW_FIELDS]
        lines += [f"IP地址：{d.ip or '—'}", f"公安备案号：{d.psb_filing_no or '—'}",
                  f"审核通过日期：{d.approved_on or '—'}", f"备注：{d.remark or '—'}"]
        if d.flags:
            lines += ["", "导入提示：", *sites.flag_labels(d.flags)]
        self.detail_label.setText("\n".join(lines))

    def show_filtered(self, text: str) -> None:
        """Show every site (reviewed or not) matching ``text`` (from the dashboard's charts)."""
        self.unreviewed_box.setChecked(False)
        self.filter_box.set_filter(text)

    def filter_note(self) -> str:
        """The filter in words, for exports (e.g. ``文字：济南；只看未核查``)."""
        parts = [f"文字：{self.filter_box.text().strip()}"] if self.filter_box.text().strip() else []
        if self.unreviewed_box.isChecked():
            parts.append("只看未核查")
        return "；".join(parts)

    def focus_filter(self) -> None:
        """Put the cursor in the filter box (编辑 › 筛选, Ctrl+F)."""
        self.filter_box.setFocus(Qt.ShortcutFocusReason)
        self.filter_box.selectAll()

    @Slot()
    def open_current(self) -> None:
        """Open the review of the selected site (Enter)."""
        self._activate(self.table.currentIndex())

    @Slot(QModelIndex)
    def _activate(self, index: QModelIndex) -> None:
        site_id = self.model.site_id(index.row()) if index.isValid() else None
        if site_id:
            self.site_activated.emit(site_id)
