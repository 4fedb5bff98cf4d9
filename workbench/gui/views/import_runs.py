"""文件 › 导入批次: every import of the campaign, and 撤销导入 of a wrong one (issue 9)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.gui.models.record_table_model import Column, RecordTableModel
from workbench.gui.session import Session
from workbench.gui.views.removal_actions import confirm_and_remove
from workbench.gui.widgets.tables import record_table
from workbench.services import import_undo, removals

RUN_COLUMNS = (
    Column("文件", lambda r: r.file_name),
    Column("导入时间", lambda r: import_undo.local_minute(r.created_at), lambda r: r.created_at),
    Column("导入人", lambda r: r.inspector),
    Column("新增", lambda r: str(r.stats.get("added", 0)), lambda r: r.stats.get("added", 0)),
    Column("变更", lambda r: str(r.stats.get("changed", 0)), lambda r: r.stats.get("changed", 0)),
    Column("缺少", lambda r: str(r.stats.get("missing", 0)), lambda r: r.stats.get("missing", 0)),
    Column("状态", lambda r: r.state),
)
UNDO_TITLE = "撤销导入"
UNDO_QUESTION = "撤销后可在“文件 › 回收站”中恢复。确定撤销这次导入吗？"


def confirm_and_undo(session: Session, run_id: str, after=None) -> None:
    """Say what undoing the import ``run_id`` takes away and puts back; undo it on a worker when
    confirmed, then ``after()``. A refusal (worked on since, a later import) is shown with its reason."""
    confirm_and_remove(session, UNDO_TITLE, lambda ctx: removals.plan_import(ctx, run_id), after,
                       question=UNDO_QUESTION)


class ImportRunsDialog(QDialog):
    """导入批次: the campaign's imports, newest first, with 撤销导入 of the selected one.

    Open with ``open()``; ``undone`` is True once an import was undone here.
    """

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.undone = False
        self.setWindowTitle("导入批次")
        self.resize(920, 420)
        self.model = RecordTableModel(RUN_COLUMNS, self)
        self.table = record_table(self.model)
        intro = QLabel("每次导入名单都记在这里。导错了名单（选错了检查任务或文件）可以撤销：它新增的网站和主办单位被移除，"
                       "它改动的网站恢复为导入前的备案信息。请从最新的一次往前撤销；撤销后可在“文件 › 回收站”中恢复。")
        intro.setWordWrap(True)
        self.empty_label = QLabel("本检查任务还没有导入过名单。")
        self.detail_label = QLabel(wordWrap=True)
        self.undo_button = QPushButton("撤销导入(&U)…")
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.addButton(self.undo_button, QDialogButtonBox.ActionRole)
        buttons.rejected.connect(self.reject)
        self.undo_button.clicked.connect(self.undo_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update)
        self.refresh()

    def refresh(self) -> None:
        """Reload the campaign's import runs (read on the reader thread)."""
        cid = self.session.campaign_id
        self.session.read(lambda ctx: import_undo.list_runs(ctx, cid) if cid else [], self._rows_read,
                          key=f"import-runs:{id(self)}")

    def _rows_read(self, rows) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update()

    def selected(self):
        """The ImportRun of the selected line, or None."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def _update(self, *_args) -> None:
        self.empty_label.setVisible(self.model.rowCount() == 0)
        run = self.selected()
        self.undo_button.setEnabled(run is not None and run.undoable and not run.undone)
        if run is None:
            self.detail_label.setText("")
        elif run.undone:
            self.detail_label.setText(f"“{run.file_name}”这次导入已撤销；要恢复，请在“文件 › 回收站”中选中它并撤销删除。")
        elif not run.undoable:
            self.detail_label.setText(f"“{run.file_name}”是在本程序能撤销导入之前导入的，没有记录导入前的数值，无法撤销。")
        else:
            self.detail_label.setText(f"“{run.file_name}”：工作表“{run.sheet}”，网站 {run.stats.get('sites', 0)} 个，"
                                      f"新增 {run.stats.get('added', 0)}、变更 {run.stats.get('changed', 0)}、"
                                      f"本次缺少 {run.stats.get('missing', 0)}。")

    def undo_selected(self) -> bool:
        """撤销导入 of the selected run (confirmation first, then on a worker); False when no run
        is selected. ``undone`` is True and the list re-read once it is done."""
        run = self.selected()
        if run is None:
            return False

        def done() -> None:
            self.undone = True
            self.refresh()

        confirm_and_undo(self.session, run.id, done)
        return True
