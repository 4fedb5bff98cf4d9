"""A schema upgrade before the window opens, run on a worker thread with a notice on screen.

On a province-sized database the verified backup taken before upgrading takes tens of seconds
(services/schema_upgrade.py); without a notice nothing is on screen that long, and users start
the program again or end it in the task manager.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from workbench.services import schema_upgrade

#: The notice shows only when the upgrade is still running after this long (ms): a small
#: database upgrades before it would be read.
SHOW_AFTER_MS = 300
_POLL_MS = 50


class UpgradeNotice(QWidget):
    """A small window saying the database is being backed up and upgraded; it cannot be closed
    by the user (closing the program half-way would only make the next start do it again)."""

    def __init__(self, db: Path, step: schema_upgrade.PendingUpgrade):
        # Qt's namespace looked up here, not at import: every window imports this module, and
        # PySide builds the whole namespace (13 ms) at its first use (issue 12: window opening)
        window = QtCore.Qt.WindowType
        super().__init__(None, window.Window | window.CustomizeWindowHint | window.WindowTitleHint)
        self.setWindowTitle("正在升级数据库")
        self.label = QLabel(
            f"数据库 {db.name}（{step.megabytes:,.0f} MB）由较早的版本创建，正在升级（结构版本 {step.have} → {step.latest}）。\n"
            "升级前先做一份备份并校验，数据库较大时需要几十秒。请稍候，不要关闭程序；完成后窗口自动打开。")
        self.label.setWordWrap(True)
        bar = QProgressBar()
        bar.setRange(0, 0)   # busy: the backup API reports no progress worth showing
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(bar)
        self.resize(480, 130)

    def closeEvent(self, event) -> None:
        event.ignore()


def upgrade_first(db: Path) -> None:
    """Upgrade ``db`` when its schema is older than this program's, on a worker thread, keeping
    the GUI thread's event loop running and showing :class:`UpgradeNotice` after
    :data:`SHOW_AFTER_MS`. Returns when done; nothing happens for a current, new or foreign file.

    Raises:
        Whatever :func:`workbench.services.schema_upgrade.upgrade` raised (re-raised here, on the
        GUI thread, for the caller's messages).
    """
    step = schema_upgrade.pending(db)
    if step is None:
        return
    failure: list[BaseException] = []

    def run() -> None:
        try:
            schema_upgrade.upgrade(db)
        except BaseException as err:   # handed to the GUI thread below
            failure.append(err)

    worker = threading.Thread(target=run, name="schema-upgrade")
    notice = UpgradeNotice(db, step)
    loop = QEventLoop()
    poll = QTimer(interval=_POLL_MS)
    poll.timeout.connect(lambda: worker.is_alive() or loop.quit())
    QTimer.singleShot(SHOW_AFTER_MS, lambda: worker.is_alive() and notice.show())
    worker.start()
    poll.start()
    loop.exec()
    poll.stop()
    worker.join()
    notice.hide()
    notice.deleteLater()
    if failure:
        raise failure[0]
