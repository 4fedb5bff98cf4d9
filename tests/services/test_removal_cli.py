"""``workbench remove …`` and ``workbench trash list|restore``: no confirmation, a clear summary."""

from __future__ import annotations

import csv
import json
import sqlite3

import pytest
from hostile_files import HEADER, site_rows

from workbench.cli import main


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def write_list(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([HEADER, *rows])
    return path


def site_phones(db) -> dict[str, str]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT site_filing_no, contact_phone FROM site"))
    finally:
        conn.close()


@pytest.fixture
def two_imports(tmp_path, capsys):
    """A database with a good list (3 sites) and then a wrong one (a phone changed, 2 sites added)."""
    db = tmp_path / "工作台.db"
    good = write_list(tmp_path / "好名单.csv", site_rows(3))
    wrong_rows = site_rows(3)
    wrong_rows[0][6] = "13999999999"
    wrong = write_list(tmp_path / "错名单.csv", wrong_rows + site_rows(2, start=5))
    for path in (good, wrong):
        code, out, err = run(capsys, "import", path, "--db", db, "--campaign", "四季度", "--inspector", "张三",
                             "--json")
        assert code == 0, err
    return db, json.loads(out)["import_run"]


def test_remove_import_prints_what_it_undid_and_trash_restores_it(capsys, two_imports):
    db, run_id = two_imports
    wrong = site_phones(db)
    code, out, err = run(capsys, "remove", "import", "--db", db)            # no target: the choices
    assert code == 2 and "请写出要撤销的导入批次编号" in err
    assert f"{run_id[:8]}\t错名单.csv（" in out and "新增 2，变更 1" in out and "可撤销" in out
    code, out, err = run(capsys, "remove", "import", run_id[:8], "--db", db, "--inspector", "李四")
    assert code == 0, err
    assert out.startswith("已撤销导入批次“错名单.csv（") and "（操作人：李四）" in out
    assert "移除它新增的 2 个网站和 1 个主办单位" in out and "把它改动的 1 个网站恢复为导入前的备案信息" in out
    assert len(site_phones(db)) == 3 and "13999999999" not in site_phones(db).values()
    trash_id = out.split("回收站编号 ")[1][:8]
    assert f"workbench trash restore {trash_id} --db {db}" in out
    code, out, _ = run(capsys, "remove", "import", run_id[:8], "--db", db, "--inspector", "李四")
    assert code == 2 and "已经撤销过了" in _
    code, out, _ = run(capsys, "trash", "list", "--db", db)
    assert out.startswith(f"{trash_id}\t导入批次\t错名单.csv（") and "\t李四\t" in out
    code, out, err = run(capsys, "trash", "restore", trash_id, "--db", db, "--inspector", "李四")
    assert code == 0 and out.startswith("已恢复导入批次“错名单.csv（"), err
    assert site_phones(db) == wrong
    assert run(capsys, "trash", "list", "--db", db)[1] == "回收站是空的。\n"


def test_remove_import_latest_and_an_earlier_one_waits(capsys, two_imports, tmp_path):
    db, run_id = two_imports
    first = next(line.split("\t")[0] for line in run(capsys, "remove", "import", "--db", db)[1].splitlines()
                 if "好名单" in line)
    code, _, err = run(capsys, "remove", "import", first, "--db", db, "--inspector", "李四")
    assert code == 2 and "之后的导入批次“错名单.csv" in err and "请先撤销较新的导入批次" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert run(capsys, "remove", "import", "latest", "--db", db, "--inspector", "李四")[0] == 0
    assert run(capsys, "remove", "import", "latest", "--db", db, "--inspector", "李四")[0] == 0
    assert site_phones(db) == {}
    code, _, err = run(capsys, "remove", "import", "latest", "--db", db, "--inspector", "李四")
    assert code == 2 and "没有可撤销的导入批次" in err


def test_remove_needs_an_inspector_and_names_unknown_targets(capsys, two_imports):
    db, _run_id = two_imports
    code, _, err = run(capsys, "remove", "import", "latest", "--db", db)
    assert code == 2 and "姓名" in err
    code, _, err = run(capsys, "remove", "import", "ffffffff", "--db", db, "--inspector", "李四")
    assert code == 2 and "找不到导入批次“ffffffff”" in err
    code, _, err = run(capsys, "remove", "inspection", "ffffffff", "--db", db, "--inspector", "李四")
    assert code == 2 and "找不到检查“ffffffff”" in err
    code, _, err = run(capsys, "trash", "restore", "ffffffff", "--db", db, "--inspector", "李四")
    assert code == 2 and "回收站中没有编号为“ffffffff”" in err


def test_remove_campaign_inspection_and_evidence(capsys, tmp_path):
    from datetime import date

    from wbtest import campaign_with_sites, make_ctx, record
    from workbench.services import checklist_templates, sites
    from workbench.services import inspection_service as svc
    from workbench.storage.database import open_database

    db = tmp_path / "工作台.db"
    conn = open_database(db)
    ctx = make_ctx(conn)
    campaign = campaign_with_sites(ctx, [record(1)])
    sponsor_id = sites.detail(ctx, sites.page(ctx, campaign.id)[0].id).sponsor_id
    template = {t.code: t for t in checklist_templates.list_templates(ctx)}["website_security"]
    ins = svc.start_inspection(ctx, campaign_id=campaign.id, sponsor_id=sponsor_id, template_id=template.id,
                               inspected_on=date(2026, 11, 30), inspectors="李检查", target="门户网站")
    shot = tmp_path / "截图.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    ctx.evidence_dir = tmp_path / "evidence"
    svc.add_evidence(ctx, ins.id, shot)
    conn.close()

    code, out, err = run(capsys, "remove", "evidence", "--db", db)
    assert code == 2 and out.startswith("") and "截图.png" in out, err
    evidence = out.splitlines()[0].split("\t")[0]
    code, out, err = run(capsys, "remove", "evidence", evidence, "--db", db, "--inspector", "李四")
    assert code == 0 and out.startswith("已删除证据文件“截图.png”"), err
    code, out, err = run(capsys, "remove", "inspection", "--db", db)
    assert code == 2 and f"{ins.id[:8]}\t2026-11-30\t门户网站" in out
    code, out, err = run(capsys, "remove", "inspection", ins.id[:8], "--db", db, "--inspector", "李四")
    assert code == 0 and out.startswith("已删除检查“门户网站（2026-11-30）”") and "检查结论" in out, err
    code, out, err = run(capsys, "remove", "campaign", campaign.name, "--db", db, "--inspector", "李四")
    assert code == 0 and f"已删除检查任务“{campaign.name}”" in out, err
    listed = json.loads(run(capsys, "trash", "list", "--db", db, "--json")[1])
    assert [r["entity"] for r in listed] == ["campaign", "inspection", "evidence"]
    assert {r["inspector"] for r in listed} == {"李四"}
