"""删除 with a confirmation that says what goes, and the 回收站 where a removal is undone."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.gui.models.record_table_model import Column, RecordTableModel
from workbench.gui.session import Session
from workbench.gui.widgets.tables import record_table
from workbench.services import removals

REMOVAL_COLUMNS = (
    Column("类型", lambda r: r.entity_label),
    Column("名称", lambda r: r.label),
    Column("删除人", lambda r: r.inspector),
    Column("删除时间", lambda r: _local_time(r.removed_at), lambda r: r.removed_at),
    Column("一并移除的内容", lambda r: r.summary),
)


def _local_time(utc_iso: str) -> str:
    """A stored UTC time shown in local time with its offset, e.g. ``2026-12-03 15:17（UTC+08:00）``."""
    local = datetime.fromisoformat(utc_iso).astimezone()
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M}（UTC{offset[:3]}:{offset[3:]}）"


def confirm_and_remove(session: Session, title: str, plan_of, after=None,
                       question: str = "删除后可在“文件 › 回收站”中撤销。确定删除吗？") -> None:
    """Show what a removal takes (``plan_of(ctx)`` → RemovalPlan, read on the reader thread) with
    ``question``, and remove it on a worker when confirmed (a campaign's removal takes a verified
    backup first: the progress panel shows it); ``after()`` runs once it is done (e.g. choose
    another campaign), then every screen is told. Refusals and errors are shown (Chinese)."""
    def planned(plan) -> None:
        if not session.dialogs.confirm(title, f"{plan.summary}\n\n{question}"):
            return
        session.run_task(title, lambda ctx, _cancel, _progress: removals.remove(ctx, plan), removed)

    def removed(_removal) -> None:
        if after is not None:
            after()
        session.notify_all()

    session.read(plan_of, planned, lambda err: session.show_error(title, err))


class RecycleBinDialog(QDialog):
    """回收站: what was removed, by whom and when; 撤销删除 brings the selected one back.

    ``restored(object)`` carries the Removal undone. Open with ``open()``.
    """

    restored = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("回收站")
        self.resize(900, 420)
        self.model = RecordTableModel(REMOVAL_COLUMNS, self)
        self.table = record_table(self.model)
        self.empty_label = QLabel("回收站是空的。")
        self.detail_label = QLabel(wordWrap=True)   # the selected removal's full summary
        self.restore_button = QPushButton("撤销删除(&U)")
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.button(QDialogButtonBox.Close).setText("关闭")
        buttons.addButton(self.restore_button, QDialogButtonBox.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("删除的内容都保留在数据库中，撤销删除后原样恢复；已签发文书的文号始终保留。"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(buttons)
        self.table.selectionModel().selectionChanged.connect(self._update)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list of removals not yet undone (read on the reader thread)."""
        self.session.read(removals.removed, self._rows_read, key=f"recycle-bin:{id(self)}")

    def _rows_read(self, rows) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update()

    def _update(self, *_args) -> None:
        self.empty_label.setVisible(self.model.rowCount() == 0)
        rows = self.table.selectionModel().selectedRows()
        self.restore_button.setEnabled(bool(rows) and not self.restoring)
        self.detail_label.setText(self.model.record_at(rows[0].row()).summary if rows else "")

    #: True while a restore runs on a worker (撤销删除 waits for it)
    restoring = False

    def restore_selected(self) -> bool:
        """撤销删除 of the selected line, on a worker (the progress panel shows it); False when
        nothing is selected. ``restored(Removal)`` is emitted once it is back."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.restoring:
            return False
        removal = self.model.record_at(rows[0].row())
        title = "恢复导入" if removal.entity == "import" else "撤销删除"

        def ended(error: Exception | None) -> None:
            self.restoring = False
            self.refresh()
            if error is not None:
                self.session.show_error(title, error)
                return
            self.session.notify_all()
            self.restored.emit(removal)

        self.restoring = True
        self._update()
        self.session.run_task(title, lambda ctx, _cancel, _progress: removals.restore(ctx, removal.id),
                              lambda _r: ended(None), ended)
        return True
