"""The findings ledger screen (问题台账): findings table, details, history and lifecycle actions."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.domain import finding_status as fs
from workbench.domain.deadline import UNIT_LABELS
from workbench.domain.finding import Finding, FindingEvent, FindingView
from workbench.domain.severity import SEVERITY_LABELS
from workbench.gui.models.finding_table_model import FindingColumn, LedgerModel, days_left_text
from workbench.gui.models.history_model import HistoryModel
from workbench.gui.session import Session
from workbench.gui.views.finding_dialogs import ActionRequest, FindingActionDialog
from workbench.gui.widgets.tables import decisive_first, fit_columns, record_table, remember_columns
from workbench.services import findings

#: Status filter choices: label → key of services.findings.LEDGER_FILTERS.
FILTERS = {"全部": "all", "未结": "open", "逾期": "overdue", "即将到期": "due_soon"}
#: Button text per action; "…" marks actions that open a dialog first.
BUTTON_TEXT = {
    fs.NOTIFY: "送达通知…", fs.REPORT: "报告整改完成…", fs.PASS_REINSPECTION: "复查通过…",
    fs.FAIL_REINSPECTION: "复查未通过…", fs.RESUME: "重新整改…", fs.EXTEND: "延期…", fs.WITHDRAW: "撤销…",
}


class FindingsView(QWidget):
    """问题台账: the campaign's findings with a status/text filter, details, history and actions.

    The ledger is a :class:`LedgerModel`: pages read on the reader thread, sorted and filtered in
    SQL (100,000 findings show their first rows at once). ``loading`` is True until the first
    page of the current filter is shown.

    Actions open a :class:`FindingActionDialog` (kept in ``action_dialog`` while open) and are
    carried out by ``services.findings.apply_action`` on the writer thread (the buttons wait, the
    count reads 正在保存…); ``applied`` and ``session.notify("findings")`` follow.
    ``export_ledger_requested`` asks the window to write the 整改台账 workbook (button 导出整改台账).
    """

    export_ledger_requested = Signal()
    applied = Signal(str)   # a finding's action was stored (its id)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.model = LedgerModel(session, self)
        self.history_model = HistoryModel(self)
        self.action_dialog: FindingActionDialog | None = None
        self._wanted: str | None = None   # a finding to select once the ledger's first page is in
        self._fitted = False
        self._build_ui()
        self._connect_signals()  # first read when first shown (session.watch)

    def _build_ui(self) -> None:
        self.status_filter = QComboBox()
        self.status_filter.addItems(list(FILTERS))
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("筛选：单位、备案号、类别、文号… (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel("状态"))
        bar.addWidget(self.status_filter)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.count_label)
        self.export_button = QPushButton("导出整改台账…")
        self.export_button.setToolTip("全部问题及整改、复查记录写入 Excel（右键表格可只导出当前筛选结果）")
        self.export_button.clicked.connect(self.export_ledger_requested)
        bar.addWidget(self.export_button)
        self.table = record_table(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(FindingColumn.DEADLINE, Qt.AscendingOrder)
        # What decides the next step first, visible at 1280 pixels: status, days left, notice.
        decisive_first(self.table, ("状态", "剩余天数", "整改期限", "通知书文号"))
        remember_columns(self.table, self.session.paths.config_dir, "findings")
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_details())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([900, 600])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

    def _build_details(self) -> QWidget:
        panel = QWidget()
        self.detail_labels = {key: _wrapping_label() for key in
                              ("title", "description", "basis", "requirement", "deadline", "status")}
        form = QFormLayout()
        for key, label in (("title", "问题"), ("description", "问题描述"), ("basis", "依据"),
                           ("requirement", "整改要求"), ("deadline", "整改期限"), ("status", "状态")):
            form.addRow(label, self.detail_labels[key])
        self.action_buttons = {a: QPushButton(BUTTON_TEXT[a]) for a in fs.ACTION_LABELS}
        buttons = QGridLayout()
        for i, button in enumerate(self.action_buttons.values()):
            buttons.addWidget(button, i // 4, i % 4)
        self.history_table = record_table(self.history_model)
        layout = QVBoxLayout(panel)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("处理记录"))
        layout.addWidget(self.history_table, 1)
        return panel

    def _connect_signals(self) -> None:
        self.refresher = self.session.watch(self, ("findings", "reviews", "documents", "settings"), self.refresh)
        self.status_filter.currentIndexChanged.connect(self.refresh)
        self.filter_edit.textChanged.connect(self.refresh)   # superseded reads are dropped (gui/reader.py)
        self.model.first_rows.connect(self._first_rows)
        self.model.counted.connect(self._update_count)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        for action, button in self.action_buttons.items():
            button.clicked.connect(lambda _=False, a=action: self.start_action(a))

    # -- loading -------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """True until the first page of the current filter is shown."""
        return self.model.loading

    def refresh(self, *_args) -> None:
        """Read the ledger again (first page, then the count, on the reader thread), keeping the
        selected finding selected."""
        keep = self.current_finding()
        if keep is not None and self._wanted is None:
            self._wanted = keep.id
        self.count_label.setText("正在读取…")
        self.session.prepare_calendar()   # the action dialogs count deadlines: holiday files read ahead
        self.model.set_filter(self.session.campaign_id, FILTERS[self.status_filter.currentText()],
                              self.filter_edit.text())

    def _first_rows(self) -> None:
        if not self._fitted and self.model.rowCount():   # once: not on every keystroke of the filter
            fit_columns(self.table)
            self._fitted = True
        self._update_count()
        wanted, self._wanted = self._wanted, None
        self.select_finding(wanted)
        self._show_current()

    def show_filtered(self, status_key: str, text: str = "") -> None:
        """Apply a status filter (a key of :data:`FILTERS`' values) and a text filter (概览 links)."""
        label = next((name for name, key in FILTERS.items() if key == status_key), "全部")
        self.status_filter.setCurrentText(label)
        self.filter_edit.setText(text)

    def filter_note(self) -> str:
        """The filter in words, for exports (e.g. ``状态：逾期；文字：济南``)."""
        parts = [f"状态：{self.status_filter.currentText()}"]
        if self.filter_edit.text().strip():
            parts.append(f"文字：{self.filter_edit.text().strip()}")
        return "；".join(parts)

    def focus_filter(self) -> None:
        """Ctrl+F from the main window: put the cursor in the filter box."""
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _update_count(self, *_args) -> None:
        shown = self.model.rowCount()
        if self.model.counting:
            self.count_label.setText(f"已显示前 {shown} 条，正在计数…")
            return
        total = self.model.totals[1] if self.model.text else shown
        self.count_label.setText(f"共 {total} 条" if shown == total else f"显示 {shown} / 共 {total} 条")

    def select_finding(self, finding_id: str | None) -> None:
        """Select a finding's row (the first row when it is not listed). A finding beyond the
        rows in memory is looked up on the reader thread and selected when found."""
        if finding_id and self.model.loading:
            self._wanted = finding_id   # selected when the first page is in
            return
        row = self.model.row_of(finding_id) if finding_id else -1
        if row < 0 and finding_id:
            self.model.locate(finding_id, self._select_row)
            return
        self._select_row(row)

    def _select_row(self, row: int) -> None:
        index = self.model.index(row if row >= 0 else 0, 0)
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
            self.table.scrollTo(index)

    def current_view(self) -> FindingView | None:
        """The ledger line of the selected row, if any."""
        index = self.table.currentIndex()
        return self.model.view_at(index.row()) if index.isValid() else None

    def current_finding(self) -> Finding | None:
        """The selected finding, if any."""
        view = self.current_view()
        return view.finding if view else None

    # -- details -------------------------------------------------------------------------------

    def _show_current(self, *_args) -> None:
        view = self.current_view()
        self._show_details(view)
        allowed = fs.allowed_actions(view.finding.status) if view else ()
        for action, button in self.action_buttons.items():
            button.setEnabled(action in allowed and not self.saving)
        if view is None:
            self._history_read([])
            return
        finding_id = view.finding.id
        self.session.read(lambda ctx: findings.history(ctx, finding_id), self._history_read,
                          key=f"finding-history-{id(self)}")

    def _history_read(self, events: list[FindingEvent]) -> None:
        self.history_model.set_events(events)
        self.history_table.resizeColumnsToContents()

    def _show_details(self, view: FindingView | None) -> None:
        if view is None:
            for label in self.detail_labels.values():
                label.setText("")
            return
        f, today = view.finding, self.session.ctx.today()
        term = f"{f.term_days}个{UNIT_LABELS.get(f.term_unit, f.term_unit)}"
        texts = {
            "title": f"{view.sponsor_name}｜{f.category}｜严重程度：{SEVERITY_LABELS.get(f.severity, f.severity)}",
            "description": f.description, "basis": f.legal_basis or "（未填写）",
            "requirement": f.requirement or "（未填写）",
            "deadline": f"{f.deadline.isoformat()}（自 {f.start_on.isoformat()} 起 {term}；"
                        f"{days_left_text(view, today)}）",
            "status": fs.STATUS_LABELS.get(f.status, f.status)
                      + (f"；通知书 {view.notice_number}" if view.notice_number else ""),
        }
        for key, text in texts.items():
            self.detail_labels[key].setText(text)

    # -- actions -------------------------------------------------------------------------------

    def start_action(self, action: str) -> FindingActionDialog | None:
        """Open the dialog for ``action`` on the selected finding (non-modal: ``open()``), with the
        working-day calendar read off the GUI thread (``session.with_calendar``; loaded ahead when
        the ledger is read). Returns the dialog when it opened at once, else None: it opens (as
        :attr:`action_dialog`) when the calendar is in."""
        finding = self.current_finding()
        if finding is None:
            return None
        opened: list[FindingActionDialog] = []
        self.session.with_calendar(fs.ACTION_LABELS[action],
                                   lambda calendar: opened.append(self._open_action(finding, action, calendar)))
        return opened[0] if opened else None

    def _open_action(self, finding, action: str, calendar) -> FindingActionDialog:
        dialog = FindingActionDialog(finding, action, calendar, self.session.ctx.today(), self)
        dialog.accepted.connect(lambda: self._dialog_accepted(finding.id, dialog))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.action_dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: FindingActionDialog) -> None:
        if self.action_dialog is dialog:
            self.action_dialog = None
        dialog.deleteLater()

    def _dialog_accepted(self, finding_id: str, dialog: FindingActionDialog) -> None:
        request = dialog.request()
        if request.action == fs.WITHDRAW and not self.session.dialogs.confirm(
                "撤销问题", "撤销后该问题不再跟踪整改，且不能恢复。确定撤销吗？"):
            return
        self.apply(finding_id, request)

    def apply(self, finding_id: str, request: ActionRequest) -> bool:
        """Carry out an action through the findings service on the writer thread (the action
        buttons wait meanwhile); errors and calendar warnings are shown when it is back.
        False when refused at once, else True (``applied`` is emitted once it is stored)."""
        title = fs.ACTION_LABELS[request.action]
        kwargs = request.kwargs()

        def done(result) -> None:
            self._set_saving(False)
            _finding, warnings = result
            if warnings:
                self.session.dialogs.info(title, "\n".join(warnings))
            self.session.notify("findings")
            self.select_finding(finding_id)
            self.applied.emit(finding_id)

        def failed(err: Exception) -> None:
            self._set_saving(False)
            self.session.show_error(title, err)

        self._set_saving(True)
        if not self.session.write(title, lambda ctx: findings.apply_action(ctx, finding_id, request.action, **kwargs),
                                  done, failed):
            self._set_saving(False)
            return False
        return True

    #: True while an action of this screen is being saved (its buttons wait)
    saving = False

    def _set_saving(self, on: bool) -> None:
        self.saving = on
        if on:
            for button in self.action_buttons.values():
                button.setEnabled(False)
            self.count_label.setText("正在保存…")
        else:
            self._show_current()
            self._update_count()


def _wrapping_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    label.setAlignment(Qt.AlignLeft | Qt.AlignTop)
    return label
