"""Where exports and notices go: a folder given as the file, a folder that does not exist, a
name over 255 bytes, a full disk (issue 9's hostile pass). Each ends in exit code 2 and a Chinese
message naming the path, with no partial file left and the database unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_run import named_data_dir, run
from hostile_files import database_dump
from hostile_mounts import Medium

from workbench.cli import main

NOTICE_SETTINGS = ("--contact", "王五", "--phone", "0531-12345678", "--review-body", "某市人民政府",
                   "--court", "某市某区人民法院")


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    named_data_dir(tmp_path, monkeypatch)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    import os

    from workbench.app import settings_path
    from workbench.paths import AppPaths
    from workbench.settings import Settings

    root = tmp_path_factory.mktemp("out")
    os.environ["WORKBENCH_DATA_DIR"] = str(root / "data")
    try:
        Settings(inspector="测试检查员", unit="某办").save(settings_path(AppPaths.for_user(root / "data")))
        db = root / "demo.sqlite3"
        assert main(["demo", "--db", str(db), "--sites", "24"]) == 0
    finally:
        os.environ.pop("WORKBENCH_DATA_DIR", None)
    return db


@pytest.fixture
def db(demo_db, tmp_path) -> Path:
    import shutil

    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_db, copy)
    return copy


def assert_refused(code: int, err: str, *words: str) -> None:
    assert code == 2 and err.startswith("错误：") and "Traceback" not in err, err
    for word in words:
        assert word in err, err


@pytest.mark.parametrize("what, suffix", [("summary", ".xlsx"), ("ledger", ".xlsx"), ("report", ".pdf")])
def test_an_existing_folder_as_the_output_is_refused(capsys, tmp_path, db, what, suffix):
    folder = tmp_path / f"输出{suffix}"
    folder.mkdir()
    code, _out, err = run(capsys, "export", what, folder, "--db", db)
    assert_refused(code, err, "文件夹", str(folder))


def test_a_folder_that_does_not_exist_is_named(capsys, tmp_path, db):
    code, _out, err = run(capsys, "export", "summary", tmp_path / "没有" / "汇总.xlsx", "--db", db)
    assert_refused(code, err, "没有")
    assert not (tmp_path / "没有").exists()


def test_a_file_name_over_255_bytes_is_refused_with_a_chinese_reason(capsys, tmp_path, db):
    out = tmp_path / ("汇总" * 50 + ".xlsx")         # 300 bytes of UTF-8
    code, _out, err = run(capsys, "export", "summary", out, "--db", db)
    assert_refused(code, err, "太长")
    assert list(tmp_path.glob("汇总*")) == []


@pytest.fixture
def full_disk(tmp_path):
    made = Medium.mount(tmp_path / "usb", "1m")
    try:
        yield made
    finally:
        made.remove()


def test_a_report_on_a_full_disk_leaves_no_partial_file(capsys, db, full_disk):
    full_disk.fill(8 << 10)
    before = database_dump(db)
    code, _out, err = run(capsys, "export", "report", full_disk.path / "汇总报告.pdf", "--db", db)
    assert_refused(code, err, "磁盘已满", "汇总报告.pdf")
    assert sorted(p.name for p in full_disk.path.iterdir()) == ["filler"]
    assert database_dump(db) == before


def test_notices_on_a_full_disk_keep_every_number_with_its_organisation(capsys, tmp_path, db, full_disk):
    """The batch stops at the full disk; the next run into a good folder gives each organisation
    the number it was reserved, and no number goes to two organisations."""
    import sqlite3

    full_disk.fill(8 << 10)
    code, _out, err = run(capsys, "notices", full_disk.path / "通知书", "--db", db, *NOTICE_SETTINGS)
    assert_refused(code, err, "磁盘已满")
    assert not list((full_disk.path / "通知书").glob("*.part"))

    def ledger():
        conn = sqlite3.connect(db)
        try:
            return dict(conn.execute("SELECT doc_number, sponsor_id FROM doc_number WHERE status != 'void'"))
        finally:
            conn.close()

    held = ledger()
    code, _out, err = run(capsys, "notices", tmp_path / "通知书", "--db", db, *NOTICE_SETTINGS)
    assert code == 0, err
    after = ledger()
    assert all(after[n] == s for n, s in held.items())
    assert len(set(after.values())) == len(after)
