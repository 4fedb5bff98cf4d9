"""The 工具 menu's actions: 设置, 导入节假日安排, 证据完整性检查."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from workbench.errors import WorkbenchError, os_reason
from workbench.gui.actions import keyed_action
from workbench.gui.session import Session

if TYPE_CHECKING:   # loaded when used: the window's menus are built before its first rows show
    from workbench.gui.views.settings_dialog import SettingsDialog

HOLIDAY_FILTER = "节假日安排 (*.json);;所有文件 (*)"
EVIDENCE_STATUS = {"missing": "文件缺失", "modified": "内容已被改动（与添加时登记的 SHA-256 不一致）"}
MAX_LISTED = 30  # problems listed one by one in the message; the rest are counted


@dataclass(frozen=True)
class EvidenceCheck:
    """The outcome of 证据完整性检查: how many files were checked and one line per bad file."""

    total: int
    problems: tuple[str, ...]


def check_all_evidence(ctx) -> EvidenceCheck:
    """Re-hash every evidence file of the database (worker thread: ``ctx`` is the task's own).

    Raises:
        WorkbenchError: the context has no evidence folder.
    """
    from workbench.services import inspection_service as service

    total = len(service.list_evidence(ctx, None))
    targets: dict[str, str] = {}
    lines = []
    for problem in service.verify_evidence(ctx):
        ev = problem.evidence
        if ev.inspection_id not in targets:
            targets[ev.inspection_id] = service.load_inspection(ctx, ev.inspection_id).inspection.target
        item = f"检查项 {ev.item_code}" if ev.item_code else "整体"
        lines.append(f"{ev.original_name}（{targets[ev.inspection_id]}，{item}）：{EVIDENCE_STATUS[problem.status]}")
    return EvidenceCheck(total, tuple(lines))


class ToolActions(QObject):
    """The actions of the 工具 menu, with their slots; ``actions`` in menu order.

    Attributes:
        dialog: the open SettingsDialog (kept referenced while open).

    Signals: holidays_installed(HolidayInstall) once a holiday file is in use and the user told.
    """

    holidays_installed = Signal(object)

    def __init__(self, session: Session, window: QWidget):
        super().__init__(window)
        self.session = session
        self.window = window
        self.dialog: SettingsDialog | None = None
        self.settings_action = keyed_action("设置…", self, "Ctrl+,")
        self.holidays_action = QAction("导入节假日安排…", self)
        self.evidence_action = QAction("证据完整性检查", self)
        self.holidays_action.setToolTip("导入国务院办公厅公布的下一年度节假日安排（JSON 文件），用于计算整改期限")
        self.settings_action.triggered.connect(self.open_settings)
        self.holidays_action.triggered.connect(self.import_holidays)
        self.evidence_action.triggered.connect(self.check_evidence)
        self.actions = (self.settings_action, self.holidays_action, self.evidence_action)

    @Slot()
    def open_settings(self) -> SettingsDialog:
        """Open the 设置 dialog (non-modal); saving refreshes the views."""
        from workbench.gui.views.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.session, self.window)
        dialog.saved.connect(lambda *_: self.session.notify("settings"))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def import_holidays(self) -> bool:
        """Choose a holiday JSON file; on a worker, check it, copy it into the settings folder and
        load the calendar it makes; then use that calendar, save the setting and say which years it
        brought and the coverage (no file is read on the GUI thread but the settings file).

        Returns:
            True when the import was started; False when no file was chosen.
        """
        from workbench.services import holidays

        path = self.session.dialogs.open_file("导入节假日安排", self.session.last_folder, HOLIDAY_FILTER)
        if path is None:
            return False
        config_dir = self.session.paths.config_dir

        def task(ctx, _cancel, _progress):
            try:
                installed = holidays.install_holiday_file(ctx, path, config_dir)
                return installed, ctx.calendar   # the new calendar, loaded here
            except OSError as err:
                raise WorkbenchError(f"无法保存节假日安排到 {config_dir}：{os_reason(err)}") from err

        def installed(result) -> None:
            done, calendar = result
            ctx = self.session.ctx
            ctx.settings.holiday_file = str(done.path)
            ctx.reload_calendar()      # the writer's context follows (Context.adopt)
            ctx.set_calendar(calendar)
            try:
                self.session.save_settings()
            except OSError as err:
                self.session.show_error("导入节假日安排", WorkbenchError(
                    f"无法保存设置到 {config_dir}：{os_reason(err)}"))
                return
            self.session.remember_folder(path)
            self.session.notify("settings", "findings")  # deadlines count working days
            first, last = calendar.covered_years()
            years = "、".join(str(y) for y in done.years)
            self.session.dialogs.info("导入节假日安排", f"已导入 {years} 年的节假日安排。\n"
                                      f"现在的工作日日历覆盖 {first}—{last} 年，整改期限按此计算。")
            self.holidays_installed.emit(done)

        self.session.run_task("导入节假日安排", task, installed)
        return True

    @Slot()
    def check_evidence(self) -> None:
        """Re-hash every evidence file in the background and report the result."""
        self.session.run_task("证据完整性检查", lambda ctx, _c, _p: check_all_evidence(ctx), self._evidence_checked)

    def _evidence_checked(self, result: EvidenceCheck) -> None:
        if result.total == 0:
            self.session.dialogs.info("证据完整性检查", "数据库中还没有证据文件。")
            return
        if not result.problems:
            self.session.dialogs.info("证据完整性检查", f"全部 {result.total} 个证据文件完好。")
            return
        shown = list(result.problems[:MAX_LISTED])
        if len(result.problems) > MAX_LISTED:
            shown.append(f"……另有 {len(result.problems) - MAX_LISTED} 个")
        self.session.dialogs.warn(
            "证据完整性检查",
            f"共 {result.total} 个证据文件，其中 {len(result.problems)} 个有问题：\n" + "\n".join(shown)
            + f"\n\n证据文件夹：{self.session.ctx.evidence_dir}")
