"""Removal that says what goes, is recorded with who and when, and can be undone; 文号 stay taken."""

from __future__ import annotations

from datetime import date

import pytest

from wbtest import make_ctx
from workbench.errors import InspectorMissingError, NotFoundError, ValidationError
from workbench.services import campaigns, notices, removals
from workbench.services.demo import build_demo
from workbench.storage.records import Author


def test_demo_campaign_removed_from_a_real_database_and_restored(conn):
    ctx = make_ctx(conn)
    real = campaigns.create_campaign(ctx, "真实任务", doc_prefix="鲁网信整改")
    demo = build_demo(ctx, lifecycle=False)
    issued = notices.list_notices(ctx, demo.campaign_id)
    assert issued
    plan = removals.plan_campaign(ctx, demo.campaign_id)
    assert "48 个网站" in plan.summary and "12 条核查记录" in plan.summary and "文号仍然保留" in plan.summary
    removal = removals.remove(ctx, plan)
    assert [c.id for c in campaigns.list_campaigns(ctx)] == [real.id]
    assert (removal.inspector, removal.entity_label) == ("李检查", "检查任务") and removal.removed_at
    entry = conn.execute("SELECT action, entity_id, inspector FROM audit_log ORDER BY replica, seq DESC").fetchone()
    assert tuple(entry) == ("remove", demo.campaign_id, "李检查")
    # the demo's numbers stay taken in the demo's own sequence; the office's register is untouched
    from workbench.storage import notice_repo

    assert notice_repo.next_seq(conn, "演示整改", date(2026, 11, 30).year) == len(issued) + 1
    assert notice_repo.next_seq(conn, "鲁网信整改", date(2026, 11, 30).year) == 1
    assert [r.id for r in removals.removed(ctx)] == [removal.id]
    with pytest.raises(NotFoundError, match="回收站"):        # --campaign NAME of a removed one
        campaigns.get_campaign(ctx, plan.label)
    with pytest.raises(ValidationError, match="回收站"):      # its name is still taken
        campaigns.create_campaign(ctx, plan.label)
    removals.restore(ctx, removal.id)
    assert {c.id for c in campaigns.list_campaigns(ctx)} == {real.id, demo.campaign_id}
    assert removals.removed(ctx) == []
    with pytest.raises(NotFoundError):
        removals.restore(ctx, removal.id)


def test_removal_needs_a_name(conn):
    ctx = make_ctx(conn)
    made = build_demo(ctx, lifecycle=False)
    from dataclasses import replace

    unnamed = replace(ctx, author=Author("测试机", ""))
    with pytest.raises(InspectorMissingError):
        removals.remove(unnamed, removals.plan_campaign(unnamed, made.campaign_id))
    assert len(campaigns.list_campaigns(ctx)) == 1
