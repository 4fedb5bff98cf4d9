"""The import wizard (导入名单): file and sheet, column mapping on a preview, run, report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.models.preview_table_model import IGNORE, IGNORE_LABEL, PreviewTableModel
from workbench.gui.session import Session
from workbench.gui.views.import_report import ImportReportPage
from workbench.services import site_import

FILE_FILTERS = "网站名单 (*.xlsx *.xlsm *.xls *.ods *.csv *.txt);;所有文件 (*)"


class MappingDelegate(QStyledItemDelegate):
    """A combo box of fields (plus 不导入) for the mapping row of the preview."""

    def __init__(self, labels: dict[str, str], parent=None):
        super().__init__(parent)
        self.labels = labels

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt override
        """A combo box committing on every change."""
        combo = QComboBox(parent)
        combo.addItem(IGNORE_LABEL, IGNORE)
        for field, label in self.labels.items():
            combo.addItem(label, field)
        combo.currentIndexChanged.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor, index):  # noqa: N802 - Qt override
        """Show the column's current field."""
        editor.blockSignals(True)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.EditRole))))
        editor.blockSignals(False)

    def setModelData(self, editor, model, index):  # noqa: N802 - Qt override
        """Store the chosen field."""
        model.setData(index, editor.currentData(), Qt.EditRole)


class ImportWizard(QDialog):
    """Import a site list into the chosen campaign. Open with ``open()``.

    Signals:
        imported(ImportReport): after a successful import (the database changed).
    """

    imported = Signal(object)

    def __init__(self, session: Session, path: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.path: Path | None = None
        self.preview = None
        self.report = None
        self.worker = None
        self.setWindowTitle("导入网站名单")
        self.resize(980, 620)
        self._build_ui()
        self._connect_signals()
        if path is not None:
            self.load_file(Path(path))

    def _build_ui(self) -> None:
        self.stack = QStackedWidget()
        self.stack.addWidget(self._setup_page())
        self.report_page = ImportReportPage(self.session)
        self.stack.addWidget(self.report_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)

    def _setup_page(self) -> QWidget:
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("请选择 .xlsx / .xls / .ods / .csv 文件")
        self.choose_button = QPushButton("选择文件(&F)…")
        self.sheet_combo = QComboBox()
        self.sheet_combo.setMinimumWidth(160)
        top = QHBoxLayout()
        for w in (QLabel("文件"), self.file_edit, self.choose_button, QLabel("工作表"), self.sheet_combo):
            top.addWidget(w)
        top.setStretch(1, 1)
        self.info_label = QLabel("第一行“对应字段”是系统识别的列对应关系，可逐列修改或设为“不导入”。")
        self.info_label.setWordWrap(True)
        self.model = PreviewTableModel(site_import.FIELD_LABELS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForRow(0, MappingDelegate(site_import.FIELD_LABELS, self.table))
        self.table.setWordWrap(False)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.info_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._run_row())
        return page

    def _run_row(self) -> QHBoxLayout:
        self.progress = QProgressBar()
        self.progress.hide()
        self.cancel_button = QPushButton("取消导入")
        self.cancel_button.hide()
        self.start_button = QPushButton("开始导入(&S)")
        self.start_button.setEnabled(False)
        self.start_button.setDefault(True)
        self.close_button = QPushButton("关闭")
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addStretch(1)
        for w in (self.cancel_button, self.start_button, self.close_button):
            row.addWidget(w)
        return row

    def _connect_signals(self) -> None:
        self.choose_button.clicked.connect(self.choose_file)
        self.sheet_combo.activated.connect(self._sheet_chosen)
        self.model.dataChanged.connect(self._mapping_changed)
        self.start_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.cancel_import)
        self.close_button.clicked.connect(self.reject)
        self.report_page.close_button.clicked.connect(self.accept)

    # --- choosing the file -----------------------------------------------------------------
    @Slot()
    def choose_file(self) -> None:
        """Ask for a file through the session's dialogs and preview it."""
        path = self.session.dialogs.open_file("选择网站名单", self.session.last_folder, FILE_FILTERS)
        if path is not None:
            self.session.remember_folder(path)
            self.load_file(path)

    def load_file(self, path: Path, sheet: str | None = None) -> None:
        """Read the preview of ``path`` (in the background); the table fills when it arrives."""
        self.path = path
        self.file_edit.setText(str(path))
        self.start_button.setEnabled(False)
        self._say("正在读取文件…")

        def task(ctx, _cancel, _on_progress):
            return site_import.preview(ctx, path, sheet=sheet)

        self.session.run_task("读取名单预览", task, self._preview_ready, self._preview_failed,
                              background=True)   # a preview: closing may drop it without asking

    def _preview_ready(self, preview) -> None:
        self.preview = preview
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        for name in preview.sheets:
            hidden = "（隐藏）" if name in preview.hidden_sheets else ""
            self.sheet_combo.addItem(name + hidden, name)
        self.sheet_combo.setCurrentIndex(self.sheet_combo.findData(preview.sheet))
        self.sheet_combo.blockSignals(False)
        self.model.set_preview(preview.headers, preview.mapping, preview.rows)
        for col in range(self.model.columnCount()):
            self.table.openPersistentEditor(self.model.index(0, col))
            self.table.setColumnWidth(col, 130)
        self._mapping_changed()

    def _mapping_changed(self, *_args) -> None:
        """Say what the preview shows; 开始导入 needs a campaign and a 网站备案号 column."""
        if self.preview is None:
            return
        has_key = "site_filing_no" in self.mapping().values()
        self.start_button.setEnabled(self.session.campaign_id is not None and has_key)
        if self.session.campaign_id is None:
            self._say("请先新建或选择一个检查任务，再导入名单。", error=True)
        elif not has_key:
            self._say("未识别出“网站备案号”列：请在第一行“对应字段”中为网站备案号所在列选择“网站备案号”。",
                      error=True)
        else:
            self._say(f"表头在第 {self.preview.header_row} 行，共 {len(self.preview.headers)} 列；下方为前 "
                      f"{len(self.preview.rows)} 行。第一行“对应字段”可逐列修改或设为“不导入”。")

    def _preview_failed(self, err: Exception) -> None:
        self.preview = None
        self.model.set_preview((), {}, ())
        self._say(str(err), error=True)

    @Slot(int)
    def _sheet_chosen(self, index: int) -> None:
        if self.path is not None:
            self.load_file(self.path, self.sheet_combo.itemData(index))

    def _say(self, text: str, error: bool = False) -> None:
        self.info_label.setText(text)
        self.info_label.setStyleSheet("color: #b00020;" if error else "")

    # --- running ---------------------------------------------------------------------------
    def mapping(self) -> dict[int, str]:
        """Column index → field as set in the mapping row."""
        return self.model.mapping()

    @Slot()
    def start_import(self) -> None:
        """Run the import with the chosen sheet and mapping (progress and cancel in the dialog)."""
        if self.preview is None or self.session.campaign_id is None:
            return
        cid, path, sheet, mapping = self.session.campaign_id, self.path, self.preview.sheet, self.mapping()

        def task(ctx, cancel, on_progress):
            return site_import.import_site_list(ctx, cid, path, sheet=sheet, mapping=mapping,
                                                cancel=cancel, on_progress=on_progress)

        self._running(True)
        self.worker = self.session.run_task("导入网站名单", task, self._import_done, self._import_failed)
        self.worker.signals.progress.connect(self._on_progress)

    def _on_progress(self, progress) -> None:
        self.progress.setRange(0, max(progress.total, 0))
        self.progress.setValue(min(progress.done, progress.total) if progress.total else 0)
        self._say(progress.message)

    @Slot()
    def cancel_import(self) -> None:
        """Stop the running import; the database stays as it was."""
        if self.worker is not None:
            self.worker.cancel.set()
            self._say("正在取消…")

    def _running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)
        self.cancel_button.setVisible(running)
        for w in (self.start_button, self.choose_button, self.sheet_combo, self.table, self.close_button):
            w.setEnabled(not running)

    def _import_done(self, report) -> None:
        self.worker = None
        self._running(False)
        self.report = report
        self.report_page.show_report(report)
        self.stack.setCurrentIndex(1)
        self.session.notify("sites")
        self.imported.emit(report)

    def _import_failed(self, err: Exception) -> None:
        from workbench.domain.progress import Cancelled

        self.worker = None
        self._running(False)
        if isinstance(err, Cancelled):
            self._say("已取消导入，数据库未作任何改动。", error=True)
        else:
            self._say(str(err), error=True)
            self.session.show_error("导入网站名单", err)

    def reject(self) -> None:
        """Closing while an import runs cancels it first."""
        self.cancel_import()
        super().reject()
