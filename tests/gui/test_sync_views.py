"""协作与备份: the conflicts dialog shows both values with who and when; the audit log filters
and exports; backup and check run from the menu."""

from __future__ import annotations

import json

import pytest

from workbench.gui.views.sync_views import AuditDialog, ConflictsDialog, SyncActions
from workbench.services import conflicts


@pytest.fixture
def conflict(demo_session):
    conn = demo_session.ctx.conn
    finding_id = conn.execute("SELECT id FROM finding ORDER BY id LIMIT 1").fetchone()[0]
    candidates = [
        {"value": "甲：首页未显示备案号", "device": "laptop-a", "inspector": "甲", "at": "2026-11-20T02:00:00Z", "replica": "a"},
        {"value": "乙：首页底部无备案号", "device": "laptop-b", "inspector": "乙", "at": "2026-11-21T03:30:00Z", "replica": "b"},
    ]
    conn.execute("INSERT INTO sync_conflict (id, entity, entity_id, column_name, kind, candidates, created_at,"
                 " updated_at) VALUES ('k1', 'finding', ?, 'description', 'field', ?, '', '')",
                 (finding_id, json.dumps(candidates, ensure_ascii=False)))
    return finding_id


def test_conflicts_dialog_shows_both_values_who_and_when_and_decides(qtbot, demo_session, conflict):
    dialog = ConflictsDialog(demo_session)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.rowCount() == 1
    first, second = (model.data(model.index(0, c)) for c in (3, 4))
    assert "甲：首页未显示备案号" in first and "甲" in first and "2026-11-20 02:00" in first
    assert "乙：首页底部无备案号" in second and "乙" in second and "2026-11-21 03:30" in second
    assert dialog.take(1)
    row = demo_session.ctx.conn.execute("SELECT description, inspector FROM finding WHERE id = ?", (conflict,)).fetchone()
    assert tuple(row) == ("乙：首页底部无备案号", "测试检查员")
    assert conflicts.open_count(demo_session.ctx) == 0 and model.rowCount() == 0
    decided = demo_session.ctx.conn.execute(
        "SELECT before, after FROM audit_log WHERE action = 'decide' AND entity_id = ?", (conflict,)).fetchone()
    assert json.loads(decided[0]) == {"description": "甲：首页未显示备案号"}


def test_audit_dialog_filters_by_kind_and_text_and_exports(qtbot, demo_session, tmp_path):
    dialog = AuditDialog(demo_session)
    qtbot.addWidget(dialog)
    everything = dialog.model.rowCount()
    assert everything > 10 and "哈希链完好" in dialog.status.text()
    dialog.entity.setCurrentIndex(dialog.entity.findData("finding"))
    assert 0 < dialog.model.rowCount() < everything
    assert {e.entity for e in dialog.model.rows} == {"finding"}
    out = tmp_path / "审计日志.csv"
    demo_session.dialogs.answers.append(out)
    dialog.export()
    qtbot.waitUntil(lambda: out.exists(), timeout=10000)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("时间(UTC),设备,检查人员,操作") and len(lines) == dialog.model.rowCount() + 1


def test_backup_and_check_from_the_menu(qtbot, demo_session, tmp_path):
    actions = SyncActions(demo_session, None)
    out = tmp_path / "copy.sqlite3"
    demo_session.dialogs.answers.append(out)
    actions.backup()
    qtbot.waitUntil(lambda: not demo_session.workers, timeout=10000)
    assert out.exists()
    actions.check()
    qtbot.waitUntil(lambda: not demo_session.workers, timeout=20000)
    kind, _title, text = demo_session.dialogs.shown[-1]
    assert kind == "info" and "审计日志哈希链：通过" in text, demo_session.dialogs.shown
