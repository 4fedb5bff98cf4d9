"""The last page of the import wizard: counts; problems, field changes and missing sites in tabs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.dialogs import overwrite_confirmed
from workbench.gui.models.change_lines import (
    CHANGE_COLUMNS,
    MISSING_COLUMNS,
    MissingLine,
    change_lines,
)
from workbench.gui.models.problem_table_model import ProblemTableModel
from workbench.gui.models.record_table_model import RecordTableModel
from workbench.gui.session import Session
from workbench.gui.widgets.tables import record_table
from workbench.services import output_paths, site_import
from workbench.services.import_shortcut import UNCHANGED_NOTE

# summary key → label, in the order shown: what changed, then what the file held.
COUNT_LABELS = (
    ("added", "新增"), ("changed", "变更"), ("unchanged", "未变"), ("missing", "缺少"),
    ("duplicate_rows", "重复行"), ("conflict_rows", "冲突行"), ("rejected_rows", "拒收行"),
    ("sites", "网站数"),
)
PROBLEMS_TAB, CHANGES_TAB, MISSING_TAB = range(3)
HINT = "缺少：本任务中已有、但这次名单里没有的网站，保留并在网站列表中显示为灰色。"


class ImportReportPage(QWidget):
    """Shows one ImportReport: counts, problems, and a button exporting them as .xlsx."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.report = None
        self.count_labels: dict[str, QLabel] = {}
        self._build_ui()
        self.export_button.clicked.connect(self.export_problems)
        self.undo_button.clicked.connect(self.undo_import)

    def _build_ui(self) -> None:
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        grid = QGridLayout()
        for i, (key, label) in enumerate(COUNT_LABELS):
            value = QLabel("0")
            value.setStyleSheet("font-size: 18px; font-weight: bold;")
            self.count_labels[key] = value
            grid.addWidget(QLabel(label), 0, i)
            grid.addWidget(value, 1, i)
        self.hint = QLabel(HINT)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.model = ProblemTableModel()
        self.table = record_table(self.model)
        for col, width in enumerate((60, 140, 50, 420)):
            self.table.setColumnWidth(col, width)
        self.change_model = RecordTableModel(CHANGE_COLUMNS, self)
        self.change_table = record_table(self.change_model)
        for col, width in enumerate((190, 200, 110, 240)):
            self.change_table.setColumnWidth(col, width)
        self.missing_model = RecordTableModel(MISSING_COLUMNS, self)
        self.missing_table = record_table(self.missing_model)
        self.tabs = QTabWidget()
        for table in (self.table, self.change_table, self.missing_table):
            self.tabs.addTab(table, "")
        self.export_button = QPushButton("导出问题清单(&E)…")
        self.undo_button = QPushButton("撤销本次导入(&U)…")
        self.undo_button.setToolTip("导错了名单（选错了检查任务或文件）：移除本次新增的网站，把改动的网站恢复为导入前的值")
        self.close_button = QPushButton("完成")
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(grid)
        layout.addWidget(self.hint)
        self.problems_label = QLabel()
        layout.addWidget(self.problems_label)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

    def show_report(self, report) -> None:
        """Fill the page from an ImportReport."""
        self.report = report
        summary = report.summary
        self.heading.setText(f"导入完成：{Path(report.result.file).name}（工作表“{report.result.sheet}”，"
                             f"表头第 {report.result.header_row} 行，数据 {summary.get('data_rows', 0)} 行）")
        self.hint.setText(HINT if report.reread else f"{UNCHANGED_NOTE}。\n{HINT}")
        for key, label in self.count_labels.items():
            label.setText(str(summary.get(key, 0)))
        errors = sum(1 for p in report.problems if p.severity == "error")
        self.problems_label.setText(
            f"问题 {len(report.problems)} 条（错误 {errors} 条，拒收该行；警告 {len(report.problems) - errors} 条，"
            "已导入并在核查界面提示）")
        self.model.set_problems(report.problems)
        self.export_button.setEnabled(bool(report.problems))
        self.undo_button.setEnabled(True)
        self._show_changes(report)

    def _show_changes(self, report) -> None:
        """Fill the 变更明细 and 缺少的网站 tabs from ``report.changes``."""
        names = {r.site_filing_no: r.site_name for r in report.result.records}
        self.change_model.set_rows(change_lines(report.changes.changed, names))
        self.missing_model.set_rows([MissingLine(n) for n in sorted(report.changes.missing)])
        self.tabs.setTabText(PROBLEMS_TAB, f"问题（{len(report.problems)}）")
        self.tabs.setTabText(CHANGES_TAB, f"变更明细（{len(report.changes.changed)} 个网站，"
                                          f"{self.change_model.rowCount()} 处）")
        self.tabs.setTabText(MISSING_TAB, f"本次名单中缺少的网站（{len(report.changes.missing)}）")

    @Slot()
    def undo_import(self) -> bool:
        """撤销本次导入 (confirmation first, then on a worker, see import_runs); False without a
        report. The heading says so once it is undone."""
        from workbench.gui.views.import_runs import confirm_and_undo

        if self.report is None:
            return False
        report = self.report

        def done() -> None:
            self.undo_button.setEnabled(False)
            self.heading.setText(f"已撤销本次导入：{Path(report.result.file).name}（可在“文件 › 回收站”中恢复）")

        confirm_and_undo(self.session, report.run_id, done)
        return True

    @Slot()
    def export_problems(self) -> None:
        """Ask where to save the problem list, write it on a worker, and say where it went."""
        if self.report is None:
            return
        stem = Path(self.report.result.file).stem
        suggested = str(Path(self.session.last_folder) / f"{stem}_导入问题.xlsx")
        chosen = self.session.dialogs.save_file("导出问题清单", suggested, "Excel 工作簿 (*.xlsx)")
        if chosen is None:
            return
        out = chosen if chosen.suffix.lower() == ".xlsx" else chosen.with_name(chosen.name + ".xlsx")
        if not overwrite_confirmed(self.session.dialogs, chosen, out):
            return
        report = self.report

        def write(ctx, _cancel, _progress) -> Path:
            output_paths.check_output(ctx, out, force=True)
            return site_import.export_problems(report, out)

        def written(path: Path) -> None:
            self.session.remember_folder(path)
            self.session.dialogs.info("导出问题清单", f"问题清单已保存到：\n{path}")

        self.session.run_task("导出问题清单", write, written)   # a worker: the output check reads the database

