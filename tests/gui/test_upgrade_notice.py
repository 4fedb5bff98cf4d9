"""Opening a database of an older schema in the window: it is backed up and upgraded on a worker
thread, a notice shows while that takes long, and a failed backup leaves the file as it was."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workbench.gui import upgrade_notice
from workbench.gui.application import open_session
from workbench.gui.dialogs import ScriptedDialogs
from workbench.services import schema_upgrade
from workbench.storage import backup, migrate

OLD = Path(__file__).resolve().parents[1] / "data" / "schemas" / "v3.sqlite3"


def _old_database(tmp_path) -> Path:
    db = tmp_path / "old.sqlite3"
    shutil.copy(OLD, db)
    return db


def _notices() -> list:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, upgrade_notice.UpgradeNotice)]


def test_an_older_database_is_upgraded_off_the_gui_thread_and_opens(qtbot, app_paths, tmp_path, monkeypatch):
    db = _old_database(tmp_path)
    assert schema_upgrade.pending(db).have == 3
    threads = []
    real = schema_upgrade.upgrade
    monkeypatch.setattr(schema_upgrade, "upgrade", lambda path: (threads.append(threading.current_thread()), real(path)))
    session = open_session(app_paths, db, ScriptedDialogs(), inspector="甲")
    try:
        assert session is not None
        assert migrate.current_version(session.ctx.conn) == migrate.latest_version()
        assert threads and threads[0] is not threading.main_thread()
        assert [b.reason for b in backup.list_backups(db)] == ["migration"]
    finally:
        session.close()
    assert schema_upgrade.pending(db) is None


def test_a_long_upgrade_shows_a_notice_that_cannot_be_closed(qtbot, app_paths, tmp_path, monkeypatch):
    db = _old_database(tmp_path)
    release = threading.Event()
    real = schema_upgrade.upgrade

    def slow(path):
        assert release.wait(20)
        real(path)

    monkeypatch.setattr(schema_upgrade, "upgrade", slow)
    seen = []

    def look() -> None:   # runs in upgrade_first's event loop: the GUI thread is not blocked
        shown = [w for w in _notices() if w.isVisible()]
        if not shown:
            QTimer.singleShot(20, look)
            return
        shown[0].close()                      # the user tries to close it
        seen.append((shown[0].isVisible(), shown[0].label.text()))
        release.set()

    QTimer.singleShot(upgrade_notice.SHOW_AFTER_MS, look)
    session = open_session(app_paths, db, ScriptedDialogs(), inspector="甲")
    release.set()
    try:
        assert session is not None
        assert seen and seen[0][0] is True          # still shown after the close attempt
        assert "old.sqlite3" in seen[0][1] and f"3 → {migrate.latest_version()}" in seen[0][1]
        assert not any(w.isVisible() for w in _notices())
    finally:
        session.close()


def test_a_backup_that_cannot_be_written_leaves_the_old_file_and_says_why(qtbot, app_paths, tmp_path):
    db = _old_database(tmp_path)
    backup.backup_dir(db).write_text("not a folder")   # the backups folder's name is taken by a file
    told = ScriptedDialogs()
    assert open_session(app_paths, db, told) is None
    assert told.shown[0][:2] == ("warn", "无法打开数据库") and "备份" in told.shown[0][2]
    assert schema_upgrade.pending(db).have == 3       # not upgraded without its backup
    assert _dump(db) == _dump(OLD)                    # (opening it only switched it to WAL mode)


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_nothing_to_upgrade_for_current_new_or_foreign_files(tmp_path):
    assert schema_upgrade.pending(tmp_path / "missing.sqlite3") is None
    (tmp_path / "text.sqlite3").write_text("hello")
    assert schema_upgrade.pending(tmp_path / "text.sqlite3") is None
    current = tmp_path / "current.sqlite3"
    from workbench.storage.database import open_database
    open_database(current).close()
    assert schema_upgrade.pending(current) is None
