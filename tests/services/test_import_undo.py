"""撤销导入 (issue 9): an import of the wrong list is taken back exactly, or not at all."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_files import HEADER, site_rows

from wbtest import make_ctx
from workbench.domain.review_record import FieldCheck
from workbench.errors import NotFoundError, ValidationError
from workbench.services import campaigns, import_undo, removals, reviews, site_import, sites
from workbench.storage import backup

ROOT = Path(__file__).resolve().parents[2]
#: What an import writes (the undo must bring all of it back, column by column).
TABLES = ("sponsor", "site", "site_domain")


@pytest.fixture
def ctx(conn):
    return make_ctx(conn)


def write_list(path: Path, rows: list[list]) -> Path:
    """A CSV site list (UTF-8) with :data:`HEADER`."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


def dump(conn) -> dict[str, list[tuple]]:
    """Every row of the tables an import writes (site_search index checked separately)."""
    return {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY id")] for t in TABLES}


def site_named(ctx, name: str) -> dict:
    """id and site_filing_no of the site called ``name``."""
    row = ctx.conn.execute("SELECT id, site_filing_no FROM site WHERE name = ?", (name,)).fetchone()
    return dict(row)


@pytest.fixture
def imported(ctx, tmp_path):
    """Campaign with a first list of 4 sites (A), then a wrong list (B): it changes one phone and
    one domain, adds 2 sites of a new sponsor and leaves out site 4 (marked absent)."""
    campaign = campaigns.create_campaign(ctx, "第四季度核查")
    first = site_import.import_site_list(ctx, campaign.id, write_list(tmp_path / "a.csv", site_rows(4)))
    before = dump(ctx.conn)
    rows = site_rows(3)
    rows[0][6] = "13999999999"                 # phone of site 1
    rows[1][5] = "other.example.cn"            # domain of site 2
    rows += site_rows(2, start=7)              # sponsor 测试单位4 with sites 7, 8
    second = site_import.import_site_list(ctx, campaign.id, write_list(tmp_path / "b.csv", rows))
    assert second.summary["added"] == 2 and second.summary["changed"] == 2 and second.summary["missing"] == 1
    return campaign, first, second, before


def test_undo_puts_every_row_back_and_restore_redoes_it(ctx, imported, tmp_path):
    campaign, first, second, before = imported
    after = dump(ctx.conn)
    plan = removals.plan_import(ctx, second.run_id)
    assert plan.entity == "import" and plan.label.startswith("b.csv（")
    assert "移除它新增的 2 个网站和 1 个主办单位" in plan.summary
    assert "把它改动的 2 个网站恢复为导入前的备案信息" in plan.summary
    assert "标为“名单中已无”的 1 个网站恢复为在册" in plan.summary
    removal = removals.remove(ctx, plan)
    assert dump(ctx.conn) == before
    assert ctx.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # the full-text index follows (site search goes through it)
    assert sites.count(ctx, campaign.id, text="site2.example") == 1
    assert sites.count(ctx, campaign.id, text="other.example") == 0
    # recorded: in the 回收站 with who and when, in the audit log, with a verified backup first
    assert [r.id for r in removals.removed(ctx)] == [removal.id]
    assert (removal.entity_label, removal.inspector) == ("导入批次", "李检查")
    entry = ctx.conn.execute("SELECT action, entity, entity_id FROM audit_log WHERE entity = 'import_run'"
                             " ORDER BY at DESC, seq DESC").fetchone()
    assert tuple(entry) == ("remove", "import_run", second.run_id)
    taken = backup.list_backups(tmp_path / "test.sqlite3")
    assert [b.reason for b in taken] == ["undo"] and not backup.integrity_errors(taken[0].path)
    runs = import_undo.list_runs(ctx, campaign.id)
    assert [(r.file_name, r.state) for r in runs] == [("b.csv", "已撤销"), ("a.csv", "可撤销")]
    # 回收站 › 撤销删除: the import's rows as it left them
    removals.restore(ctx, removal.id)
    assert dump(ctx.conn) == after
    assert sites.count(ctx, campaign.id, text="other.example") == 1
    # and undone once more, then the first import too: an empty campaign
    removals.remove(ctx, removals.plan_import(ctx, second.run_id))
    assert dump(ctx.conn) == before
    removals.remove(ctx, removals.plan_import(ctx, first.run_id))
    assert all(rows == [] for rows in dump(ctx.conn).values())
    assert sites.count(ctx, campaign.id) == 0


def test_an_import_cannot_be_undone_twice(ctx, imported):
    _campaign, _first, second, before = imported
    removals.remove(ctx, removals.plan_import(ctx, second.run_id))
    with pytest.raises(ValidationError, match="已经撤销过了"):
        removals.plan_import(ctx, second.run_id)
    plan = removals.RemovalPlan("import", second.run_id, "b.csv", "")
    with pytest.raises(ValidationError, match="已经撤销过了"):          # a stale confirmation
        removals.remove(ctx, plan)
    assert dump(ctx.conn) == before
    with pytest.raises(NotFoundError):
        removals.plan_import(ctx, "no-such-run")


def test_an_earlier_import_waits_for_the_later_one(ctx, imported):
    _campaign, first, second, _before = imported
    after = dump(ctx.conn)
    with pytest.raises(ValidationError) as err:
        removals.plan_import(ctx, first.run_id)
    text = str(err.value)
    assert "之后的导入批次“b.csv" in text and "李检查" in text and "请先撤销较新的导入批次" in text
    assert "数据库没有改动" in text
    assert dump(ctx.conn) == after
    # a stale confirmation (planned before the later import) is refused inside the transaction too
    with pytest.raises(ValidationError, match="之后的导入批次"):
        removals.remove(ctx, removals.RemovalPlan("import", first.run_id, "a.csv", ""))
    assert dump(ctx.conn) == after and removals.removed(ctx) == []


def test_reviews_made_after_the_import_block_the_undo_naming_them(ctx, imported):
    campaign, _first, second, _before = imported
    added = site_named(ctx, "网站7")
    reviews.record_review(ctx, added["id"], [FieldCheck("site_name", "网站7", "网站7", "match")], "accurate")
    after = dump(ctx.conn)
    with pytest.raises(ValidationError) as err:
        removals.plan_import(ctx, second.run_id)
    text = str(err.value)
    assert "导入之后，它新增或改动的 1 个网站上已有 1 条核查记录：" in text and "（网站7）。" in text
    assert added["site_filing_no"] in text
    assert "删除检查任务" in text and "数据库没有改动" in text
    assert dump(ctx.conn) == after
    assert ctx.conn.execute("SELECT count(*) FROM review").fetchone()[0] == 1


def test_a_review_made_before_the_import_does_not_block(ctx, tmp_path):
    campaign = campaigns.create_campaign(ctx, "第四季度核查")
    site_import.import_site_list(ctx, campaign.id, write_list(tmp_path / "a.csv", site_rows(2)))
    first = site_named(ctx, "网站1")
    reviews.record_review(ctx, first["id"], [FieldCheck("site_name", "网站1", "网站1", "match")], "accurate")
    before = dump(ctx.conn)
    rows = site_rows(2)
    rows[0][4] = "改名后的网站"
    wrong = site_import.import_site_list(ctx, campaign.id, write_list(tmp_path / "b.csv", rows))
    assert wrong.summary["changed"] == 1
    removals.remove(ctx, removals.plan_import(ctx, wrong.run_id))
    assert dump(ctx.conn) == before            # the review's site has the values it was made against
    assert ctx.conn.execute("SELECT count(*) FROM review").fetchone()[0] == 1


def test_restore_is_refused_when_the_rows_changed_after_the_undo(ctx, imported, tmp_path):
    campaign, _first, second, _before = imported
    removal = removals.remove(ctx, removals.plan_import(ctx, second.run_id))
    site_import.import_site_list(ctx, campaign.id, write_list(tmp_path / "c.csv", site_rows(4)[::-1]))
    now = dump(ctx.conn)
    with pytest.raises(ValidationError, match="撤销之后又导入了名单"):
        removals.restore(ctx, removal.id)
    assert dump(ctx.conn) == now
    assert [r.id for r in removals.removed(ctx)] == [removal.id]     # still in the 回收站


def test_an_import_made_before_undo_existed_is_refused(ctx, imported):
    _campaign, _first, second, _before = imported
    ctx.conn.execute("DELETE FROM import_log WHERE import_run_id = ?", (second.run_id,))
    with pytest.raises(ValidationError, match="没有记录导入前的数值"):
        removals.plan_import(ctx, second.run_id)
    assert import_undo.get_run(ctx, second.run_id[:8]).state.startswith("无法撤销")


def test_an_identical_reimport_logs_nothing_and_undoes_to_the_same(ctx, tmp_path):
    campaign = campaigns.create_campaign(ctx, "第四季度核查")
    site_import.import_site_list(ctx, campaign.id, write_list(tmp_path / "a.csv", site_rows(3)))
    before = dump(ctx.conn)
    again = site_import.import_site_list(ctx, campaign.id, write_list(tmp_path / "a2.csv", site_rows(3)))
    assert ctx.conn.execute("SELECT count(*) FROM import_change WHERE import_run_id = ?",
                            (again.run_id,)).fetchone()[0] == 0
    plan = removals.plan_import(ctx, again.run_id)
    assert "它没有改动任何网站" in plan.summary
    removals.remove(ctx, plan)
    assert dump(ctx.conn) == before


_UNDO_CHILD = """
import sys
from workbench.storage.database import open_database
from wbtest import make_ctx
from workbench.services import removals
ctx = make_ctx(open_database(sys.argv[1]))
removals.remove(ctx, removals.plan_import(ctx, sys.argv[2]))
print("done")
"""


@pytest.mark.parametrize("point", ["import-undo", "transaction-commit"])
def test_killed_during_the_undo_leaves_nothing_half_done(ctx, imported, tmp_path, point):
    _campaign, _first, second, before = imported
    after = dump(ctx.conn)
    db = tmp_path / "test.sqlite3"
    env = {**os.environ, "WORKBENCH_CRASH_AT": point,
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests" / "support")])}
    child = subprocess.run([sys.executable, "-c", _UNDO_CHILD, str(db), second.run_id], env=env,
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == -9 and "done" not in child.stdout, child.stderr
    assert dump(ctx.conn) == after and removals.removed(ctx) == []
    assert ctx.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    removals.remove(ctx, removals.plan_import(ctx, second.run_id))      # and it can be done again
    assert dump(ctx.conn) == before
