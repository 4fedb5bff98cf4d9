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


def test_a_large_database_opens_at_once_and_takes_writes_once_checked(qtbot, app_paths, db, monkeypatch):
    """The quick check of a province-sized file takes seconds: it runs after the window opens,
    and nothing is written until it passed."""
    from workbench.gui import application
    from workbench.services import campaigns

    monkeypatch.setattr(application, "CHECK_LATER_BYTES", 0)   # this small file counts as large
    session = open_session(app_paths, db, ScriptedDialogs(), inspector="甲")
    try:
        assert session is not None and session.checking
        assert not session.workers   # started behind the first screen's reads, not before them
        with pytest.raises(sqlite3.OperationalError):
            campaigns.create_campaign(session.ctx, "检查中")   # refused while the check runs
        qtbot.waitUntil(lambda: not session.checking, timeout=10000)
        assert not session.read_only
        campaigns.create_campaign(session.ctx, "检查后")
    finally:
        session.close()


def test_a_failed_check_after_opening_keeps_the_window_read_only_and_the_next_start_offers_a_backup(
        qtbot, app_paths, db, monkeypatch):
    from workbench.gui import application
    from workbench.services import integrity

    monkeypatch.setattr(application, "CHECK_LATER_BYTES", 0)
    monkeypatch.setattr(integrity, "quick_check", lambda _db, _cancel=None: ["*** in database main *** Page 7: btreeInitPage() returns error code 11"])
    told = ScriptedDialogs()
    session = open_session(app_paths, db, told, inspector="甲")
    try:
        qtbot.waitUntil(lambda: not session.checking, timeout=10000)
        assert session.read_only
        assert told.shown[-1][:2] == ("warn", "数据库已损坏") and "重新打开" in told.shown[-1][2]
        assert session.ctx.conn.execute("PRAGMA query_only").fetchone()[0] == 1
    finally:
        session.close()
    asked = ScriptedDialogs(False)
    assert open_session(app_paths, db, asked) is None   # checked first now: no backup, not opened
    assert asked.shown[0][:2] == ("warn", "数据库已损坏")
