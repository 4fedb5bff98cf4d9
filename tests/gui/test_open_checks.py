"""Opening a database in the window: a second window is told and reads only; a damaged file is
never written and the newest good backup is offered."""

from __future__ import annotations

import sqlite3

import pytest

from workbench.gui.application import open_session
from workbench.gui.dialogs import ScriptedDialogs
from workbench.services.context import explain_database_error
from workbench.storage import backup
from workbench.storage.database import open_database


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "wb.sqlite3"
    open_database(path).close()
    return path


def test_second_window_is_told_and_opens_read_only(qtbot, app_paths, db):
    first = open_session(app_paths, db, ScriptedDialogs(), inspector="甲")
    assert first is not None and not first.read_only
    told = ScriptedDialogs()
    second = open_session(app_paths, db, told, inspector="乙")
    try:
        assert second is not None and second.read_only
        assert told.shown[0][0] == "warn" and "另一个检查工作台窗口" in told.shown[0][2]
        with pytest.raises(sqlite3.OperationalError) as err:
            second.ctx.conn.execute("INSERT INTO campaign (id, name, kind, created_at, updated_at)"
                                    " VALUES ('c', '甲', 'icp_review', '', '')")
        assert "只读" in explain_database_error(err.value)
    finally:
        second.close()
        first.close()
    third = open_session(app_paths, db, ScriptedDialogs(), inspector="丙")   # the lock went with the first
    assert third is not None and not third.read_only
    third.close()


def _damage(path):
    data = bytearray(path.read_bytes())
    for page in range(4096, len(data), 4096):     # every b-tree page header after the first
        data[page:page + 8] = b"\x0d\x00\x00\xff\xff\xff\x00\x00"
    path.write_bytes(bytes(data))


def test_damaged_database_is_not_opened_but_the_newest_good_backup_is_offered(qtbot, app_paths, db):
    conn = open_database(db)
    backup.automatic_backup(conn, db, "start")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    _damage(db)
    assert backup.integrity_errors(db, quick=True)
    refused = ScriptedDialogs(False)
    assert open_session(app_paths, db, refused) is None
    assert refused.shown[0][:2] == ("confirm", "数据库已损坏")   # asked whether to restore; said no
    accepted = ScriptedDialogs(True)
    session = open_session(app_paths, db, accepted, inspector="甲")
    try:
        assert session is not None and not session.read_only
        assert not backup.integrity_errors(db)
        assert any(kind == "info" and "损坏的文件保留为" in text for kind, _t, text in accepted.shown)
    finally:
        session.close()
    assert list(db.parent.glob("wb.sqlite3.damaged-*"))
