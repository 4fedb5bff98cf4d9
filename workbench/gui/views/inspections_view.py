"""The security inspection screen (检查): the campaign's inspections, a new-inspection dialog, the panel."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.errors import WorkbenchError
from workbench.gui.models.checklist_model import progress_text
from workbench.gui.models.record_table_model import Column, RecordTableModel
from workbench.gui.session import Session
from workbench.gui.views import inspection_actions
from workbench.gui.views.finding_dialogs import date_edit, from_qdate
from workbench.gui.views.inspection_panel import InspectionPanel
from workbench.gui.widgets.tables import record_table
from workbench.services import checklist_templates, sites
from workbench.services import inspection_service as service

LEVELS = {"不区分等级": None, "第一级": 1, "第二级": 2, "第三级": 3, "第四级": 4}


@dataclass(frozen=True)
class InspectionLine:
    """An inspection with its template title and progress text, for the list."""

    inspection: object
    template_title: str
    progress: str


INSPECTION_COLUMNS = (
    Column("检查对象", lambda r: r.inspection.target),
    Column("检查日期", lambda r: r.inspection.inspected_on.isoformat()),
    Column("检查人员", lambda r: r.inspection.inspectors),
    Column("检查表", lambda r: r.template_title),
    Column("状态", lambda r: ("已完成" if r.inspection.status == "completed" else "检查中")
           + (f"（第 {r.inspection.current_round} 次复查）" if r.inspection.current_round else "")),
    Column("进度", lambda r: r.progress),
    Column("检查地点", lambda r: r.inspection.place),
)
SITE_COLUMNS = (
    Column("主办单位", lambda s: s.sponsor_name),
    Column("网站名称", lambda s: s.site_name),
    Column("网站备案号", lambda s: s.site_filing_no),
)


class NewInspectionDialog(QDialog):
    """新建检查: choose the organisation through one of its websites, the template, day, inspectors.

    Open with ``open()``; ``values()`` gives the keyword arguments of ``start_inspection``.
    Accepting starts the inspection inside the dialog: when the service refuses the choices (e.g. a
    template that needs a 保护等级), the reason is shown in the dialog, which stays open with the form
    as filled. ``inspection`` is the started inspection after acceptance.
    """

    def __init__(self, session: Session, templates, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("新建检查")
        self.site_model = RecordTableModel(SITE_COLUMNS, self)
        self.search_edit = QLineEdit(placeholderText="输入单位名称、网站名称或备案号检索")
        self.site_table = record_table(self.site_model)
        self.site_only = QCheckBox("仅检查所选网站（不勾选则检查整个单位）")
        self.site_only.setChecked(True)
        self.target_edit = QLineEdit()
        self.day_edit = date_edit(session.ctx.today())
        self.inspectors_edit = QLineEdit(session.ctx.author.name)
        self.place_edit = QLineEdit(placeholderText="如：济南市历下区某路1号某某大厦机房（印在整改通知书上）")
        self.template_combo = QComboBox()
        for t in templates:
            self.template_combo.addItem(f"{t.title}（{t.version}，{t.item_count} 项）", t.id)
        self.level_combo = QComboBox()
        self.level_combo.addItems(list(LEVELS))
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        self.inspection = None
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("开始检查")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self._lay_out()
        self.search_edit.textChanged.connect(self.search)
        self.site_table.selectionModel().selectionChanged.connect(self._site_chosen)
        self.site_only.toggled.connect(self._site_chosen)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.search("")

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow("检查对象", self.target_edit)
        form.addRow("检查日期", self.day_edit)
        form.addRow("检查人员", self.inspectors_edit)
        form.addRow("检查地点", self.place_edit)
        form.addRow("检查表", self.template_combo)
        form.addRow("保护等级", self.level_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("被检查单位（选择其网站之一）"))
        layout.addWidget(self.search_edit)
        layout.addWidget(self.site_table, 1)
        layout.addWidget(self.site_only)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(720, 560)

    def accept(self) -> None:
        """开始检查: start the inspection (on the writer thread; 开始检查 waits meanwhile); on a
        refusal say why here and keep the dialog open."""
        if self.chosen_site() is None:
            return
        values, site_id = self.values(), self.chosen_site().id
        ok = self.buttons.button(QDialogButtonBox.Ok)
        ok.setEnabled(False)

        def start(ctx):
            return service.start_inspection(ctx, **values, sponsor_id=sites.detail(ctx, site_id).sponsor_id)

        def started(inspection) -> None:
            ok.setEnabled(True)
            self.inspection = inspection
            QDialog.accept(self)

        def refused(err: Exception) -> None:
            ok.setEnabled(True)
            if not isinstance(err, WorkbenchError):
                self.session.show_error("新建检查", err)
                return
            self.error_label.setText(str(err))
            self.error_label.show()
            if "保护等级" in str(err):
                self.level_combo.setFocus()

        if not self.session.write("新建检查", start, started, refused):
            ok.setEnabled(True)

    def search(self, text: str) -> None:
        """List the campaign's sites matching ``text`` (first 100, read on the reader thread)."""
        cid, text = self.session.campaign_id, text.strip()
        self.session.read(lambda ctx: sites.page(ctx, cid, text=text, limit=100), self._found,
                          key=f"new-inspection-sites:{id(self)}")

    def _found(self, rows) -> None:
        self.site_model.set_rows(rows)
        self.site_table.resizeColumnsToContents()
        self._site_chosen()

    def chosen_site(self):
        """The selected site line (``SiteSummary``), if any."""
        rows = self.site_table.selectionModel().selectedRows()
        return self.site_model.record_at(rows[0].row()) if rows else None

    def _site_chosen(self, *_args) -> None:
        site = self.chosen_site()
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(site is not None)
        if site is not None:
            self.target_edit.setText(f"{site.sponsor_name}｜{site.site_name}（{site.site_filing_no}）"
                                     if self.site_only.isChecked() else site.sponsor_name)

    def values(self) -> dict:
        """Keyword arguments for ``inspection_service.start_inspection`` (without the context and
        the sponsor, which is looked up from the chosen site where the inspection is started)."""
        site = self.chosen_site()
        return {"campaign_id": self.session.campaign_id,
                "template_id": self.template_combo.currentData(),
                "inspected_on": from_qdate(self.day_edit.date()),
                "inspectors": self.inspectors_edit.text(), "target": self.target_edit.text(),
                "place": self.place_edit.text(),
                "site_id": site.id if self.site_only.isChecked() else None,
                "mlps_level": LEVELS[self.level_combo.currentText()]}


class InspectionsView(QWidget):
    """检查: the campaign's inspections on top, the selected one worked in the panel below.

    ``new_dialog`` holds the new-inspection dialog while it is open; ``reinspection_started``
    carries the new round of 开始复查 once it is stored; ``template_imported`` the TemplateRecord
    of 导入检查表模板 (stored now or already) once the user was told.
    """

    reinspection_started = Signal(object)
    template_imported = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.loading = False   # the list is being read (reader thread)
        self.session = session
        self.model = RecordTableModel(INSPECTION_COLUMNS, self)
        self.new_dialog: NewInspectionDialog | None = None
        self.table = record_table(self.model)
        self.panel = InspectionPanel(session, self)
        bar = self._button_bar()
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([160, 740])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self._connect_signals()  # first read when first shown (session.watch)

    def _button_bar(self) -> QHBoxLayout:
        self.new_button = QPushButton("新建检查…")
        self.reinspect_button = QPushButton("开始复查…")
        self.remove_button = QPushButton("删除检查…")
        self.remove_button.setToolTip("移除选中的检查及其结论和证据（可在“文件 › 回收站”中撤销）")
        self.reinspect_button.setToolTip("对选中的已完成检查发起复查：只复查“不符合”“部分符合”的检查项，其余结论沿用")
        self.import_button = QPushButton("导入检查表模板…")
        self.import_button.setToolTip("导入 Excel（.xlsx）或 YAML 格式的检查表模板")
        self.export_button = QPushButton("导出检查表模板")
        self.export_button.setToolTip("把一个检查表模板导出为 Excel，修改后可再导入")
        self.export_menu = QMenu(self.export_button)
        self.export_button.setMenu(self.export_menu)
        self.count_label = QLabel()
        bar = QHBoxLayout()
        for button in (self.new_button, self.reinspect_button, self.remove_button):
            bar.addWidget(button)
        bar.addStretch(1)
        for widget in (self.import_button, self.export_button, self.count_label):
            bar.addWidget(widget)
        return bar

    def _connect_signals(self) -> None:
        self.refresher = self.session.watch(self, ("inspections", "templates", "findings"), self.refresh)
        self.new_button.clicked.connect(self.new_inspection)
        self.reinspect_button.clicked.connect(self.start_reinspection)
        self.remove_button.clicked.connect(self.remove_inspection)
        self.import_button.clicked.connect(self.import_template)
        self.export_menu.aboutToShow.connect(self._fill_export_menu)
        self.table.selectionModel().currentRowChanged.connect(self._open_current)
        self.panel.changed.connect(self._refresh_list)

    def refresh(self, *_args) -> None:
        """Reload the list (on the reader thread), then open the selected inspection."""
        self._refresh_list(then_open=True)

    def _refresh_list(self, then_open: bool = False) -> None:
        """Read the campaign's inspections with their templates' titles and progress on the
        reader thread (the built-in templates are checked there too, not on the GUI thread)."""
        cid = self.session.campaign_id
        self.loading = True
        self.session.read(lambda ctx: _lines(ctx, cid) if cid is not None else [],
                          lambda lines: self._lines_read(lines, then_open),
                          lambda err: self._lines_failed(err, then_open), key=f"inspections-{id(self)}")

    def _lines_failed(self, err: Exception, then_open: bool) -> None:
        self.session.show_error("检查", err)
        self._lines_read([], then_open)

    def _lines_read(self, lines: list[InspectionLine], then_open: bool) -> None:
        self.loading = False
        cid = self.session.campaign_id
        keep = self.panel.inspection_id
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(lines)
        self.select_inspection(keep)
        self.table.selectionModel().blockSignals(False)
        self.table.resizeColumnsToContents()
        self.new_button.setEnabled(cid is not None)
        self._update_buttons()
        self.count_label.setText(f"共 {len(lines)} 次检查")
        self._fill_export_menu()   # ready before it is opened (read on the reader thread)
        if then_open:
            self._open_current()

    def select_inspection(self, inspection_id: str | None) -> None:
        """Select an inspection in the list (the first one when it is not listed)."""
        rows = [r for r in range(self.model.rowCount()) if self.model.record_at(r).inspection.id == inspection_id]
        if rows or self.model.rowCount():
            self.table.selectRow(rows[0] if rows else 0)

    def _open_current(self, *_args) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.panel.load(self.model.record_at(rows[0].row()).inspection.id if rows else None)
        self._update_buttons()

    def selected_inspection(self):
        """The selected inspection (``inspection_repo.Inspection``), if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()).inspection if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected_inspection()
        self.reinspect_button.setEnabled(chosen is not None and chosen.status == "completed")
        self.remove_button.setEnabled(chosen is not None)

    def focus_first(self) -> None:
        """Keyboard focus on the checklist (keys 1–5 answer, N goes to the next unanswered item)."""
        self.panel.tree.setFocus()

    # -- actions -------------------------------------------------------------------------------

    def remove_inspection(self) -> bool:
        """删除检查: say what goes (conclusions, evidence; raised findings stay), remove when confirmed."""
        from workbench.gui.views.removal_actions import confirm_and_remove
        from workbench.services import removals

        chosen = self.selected_inspection()
        if chosen is None:
            return False

        def removed() -> None:
            self.panel.drafts = {k: v for k, v in self.panel.drafts.items() if k[0] != chosen.id}
            self.panel._shown = None   # noqa: SLF001 - its notes went with it
            self.panel.inspection_id = None
            self._refresh_list()
            self._open_current()

        confirm_and_remove(self.session, "删除检查", lambda ctx: removals.plan_inspection(ctx, chosen.id), removed)
        return True
        return True

    def start_reinspection(self) -> None:
        """开始复查 on the selected completed inspection; the panel shows the new round once it is
        stored (``reinspection_started`` follows)."""
        chosen = self.selected_inspection()
        if chosen is not None:
            inspection_actions.start_reinspection(self.session, chosen.id, self._reinspection_started)

    def _reinspection_started(self, new_round) -> None:
        self._refresh_list()
        self.panel.inspection_id = None  # a new round: load afresh, on its first item to check
        self._open_current()
        self.panel.tree.setFocus()
        self.reinspection_started.emit(new_round)

    def import_template(self) -> bool:
        """导入检查表模板… (read on a worker, stored on the writer thread); ``template_imported``
        follows. False when no file was chosen."""
        return inspection_actions.import_template(self.session, self.template_imported.emit)

    def _fill_export_menu(self) -> None:
        """The export button's menu: every stored template version, newest versions included."""
        self.session.read(lambda ctx: checklist_templates.list_templates(ctx, latest_only=False),
                          self._export_menu_read, key=f"export-menu:{id(self)}")

    def _export_menu_read(self, records) -> None:
        self.export_menu.clear()
        for record in records:
            action = self.export_menu.addAction(f"{record.title}（{record.version}，{record.item_count} 项）")
            action.triggered.connect(lambda _=False, r=record: inspection_actions.export_template(self.session, r))

    def new_inspection(self) -> NewInspectionDialog | None:
        """Open the new-inspection dialog (non-modal); the inspection starts when it is accepted."""
        if self.session.campaign_id is None:
            return None
        self.session.read(checklist_templates.list_templates, self._open_new_dialog, key=f"templates:{id(self)}")
        return self.new_dialog   # open already when reads are inline (tests), else opened once read

    new_dialog = None

    def _open_new_dialog(self, templates) -> None:
        dialog = NewInspectionDialog(self.session, templates, self)
        dialog.accepted.connect(lambda: self._start(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.new_dialog = dialog
        dialog.open()

    def _start(self, dialog: NewInspectionDialog) -> None:
        self.new_dialog = None
        inspection = dialog.inspection   # started by the dialog (it stays open on a refusal)
        self._refresh_list()
        self.select_inspection(inspection.id)
        self._open_current()
        self.panel.tree.setFocus()


def _lines(ctx, campaign_id: str) -> list[InspectionLine]:
    """The list's lines (reader thread): each inspection with its template's title and progress."""
    titles = {t.id: t.title for t in checklist_templates.list_templates(ctx, latest_only=False)}
    return [InspectionLine(i, titles.get(i.template_id, ""), progress_text(service.progress(ctx, i.id).overall))
            for i in service.list_inspections(ctx, campaign_id)]
