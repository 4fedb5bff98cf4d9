"""A notice batch killed (SIGKILL) at several points and run again: no 文号 reaches two
organisations' PDFs, and every number taken is accounted for (issued, or void with a reason)."""

from __future__ import annotations

import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from wbtest import campaign_with_sites, make_ctx, record
from workbench.domain.review_record import FieldCheck
from workbench.services import reviews, sites
from workbench.storage.database import open_database

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None or not hasattr(signal, "SIGKILL"),
                                reason="needs pdftotext and SIGKILL")

ORGS = [f"第{n}号测试科技有限公司" for n in range(1, 7)]
NUMBER = re.compile(r"鲁网信整改〔\d{4}〕\d+号")

# The driver runs the real command line with one step replaced by "do it, then die" (or "die
# before it") at its K-th call — a kill at an exact point of the batch.
DRIVER = """
import os, signal, sys
from workbench.services import notice_issuing
from workbench.storage import notice_repo
stage, k = sys.argv[1], int(sys.argv[2])
calls = {"n": 0}
def killer(real, before):
    def wrapped(*a, **kw):
        calls["n"] += 1
        if before and calls["n"] == k:
            os.kill(os.getpid(), signal.SIGKILL)
        out = real(*a, **kw)
        if not before and calls["n"] == k:
            os.kill(os.getpid(), signal.SIGKILL)
        return out
    return wrapped
if stage == "reserved":      # numbers committed, nothing rendered
    notice_issuing.claim_numbers = killer(notice_issuing.claim_numbers, before=False)
elif stage == "rendered":    # K-th PDF drawn to its temporary name, not yet renamed
    notice_issuing._place = killer(notice_issuing._place, before=True)
elif stage == "placed":      # K-th PDF renamed into place, its record not yet committed
    notice_repo.insert = killer(notice_repo.insert, before=True)
from workbench.cli import main
sys.exit(main(sys.argv[3:]))
"""


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "批量.db"
    conn = open_database(path)
    ctx = make_ctx(conn)
    campaign = campaign_with_sites(ctx, [
        record(i + 1, org=org, subject=f"鲁ICP备{10000000 + i}号", uscc="", source_row=i + 2)
        for i, org in enumerate(ORGS)
    ])
    for site in sites.page(ctx, campaign.id):
        detail = sites.detail(ctx, site.id)
        checks = [FieldCheck(k, v, v, "match") for k, v in detail.filed.items()]
        reviews.record_review(ctx, site.id, checks, "filing_no_display", "首页未悬挂备案编号")
    conn.close()
    return path


def _write_elsewhere(db: Path, wait_ms: int) -> None:
    """One write by another connection that waits at most ``wait_ms`` for the lock."""
    from workbench.storage.connection import connect, transaction

    conn = connect(db)
    conn.execute(f"PRAGMA busy_timeout={wait_ms}")
    try:
        with transaction(conn):
            conn.execute("UPDATE campaign SET authority = '某市互联网信息办公室'")
    finally:
        conn.close()


def _run(tmp_path, db, out, stage="", k=0):
    argv = ["notices", str(out), "--db", str(db), "--today", "2026-11-30", "--inspector", "李检查",
            "--contact", "王联系", "--phone", "0531-12345678", "--review-body", "某市人民政府", "--court", "某区人民法院"]
    cmd = [sys.executable, "-c", DRIVER, stage or "none", str(k), *argv]
    env = {"WORKBENCH_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


def _pdf_numbers(folder: Path) -> dict[str, set[str]]:
    """文号 → organisations, read from the PDFs themselves (pdftotext) and their names."""
    seen: dict[str, set[str]] = {}
    for pdf in folder.rglob("*.pdf"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        text = text.replace(" ", "").replace("\n", "")
        numbers = set(NUMBER.findall(text))
        orgs = {org for org in ORGS if org in text}
        assert len(numbers) == 1 and len(orgs) == 1, (pdf.name, numbers, orgs)
        seen.setdefault(numbers.pop(), set()).update(orgs)
    return seen


@pytest.mark.parametrize(("stage", "k"), [("reserved", 1), ("rendered", 1), ("rendered", 4),
                                          ("placed", 1), ("placed", 3)])
def test_killed_batch_rerun_never_reuses_a_number(tmp_path, db, stage, k):
    first = _run(tmp_path, db, tmp_path / "第一次", stage, k)
    assert first.returncode == -signal.SIGKILL, first.stderr
    # an unrelated writer is not blocked by the interrupted batch
    _write_elsewhere(db, 1000)
    again = _run(tmp_path, db, tmp_path / "第二次")
    assert again.returncode == 0, again.stderr
    numbers = _pdf_numbers(tmp_path)
    assert all(len(orgs) == 1 for orgs in numbers.values()), numbers
    conn = sqlite3.connect(db)
    try:
        ledger = conn.execute("SELECT doc_number, sponsor_id, status, reason, notice_id FROM doc_number").fetchall()
        notices = {r[0]: r[1] for r in conn.execute("SELECT doc_number, sponsor_id FROM notice")}
        sponsor_names = dict(conn.execute("SELECT id, name FROM sponsor"))
    finally:
        conn.close()
    assert ledger and all(status in ("issued", "void") for _, _, status, _, _ in ledger), ledger
    assert all(reason for _, _, status, reason, _ in ledger if status == "void")
    for number, sponsor_id, status, _, notice_id in ledger:
        if status == "issued":
            assert notices[number] == sponsor_id and notice_id
    # every organisation got exactly one notice, and every PDF's number is one the ledger holds
    # for that same organisation
    assert sorted(sponsor_names[s] for s in notices.values()) == sorted(ORGS)
    by_number = {n: sponsor_names[s] for n, s, *_ in ledger}
    for number, orgs in numbers.items():
        assert by_number[number] in orgs


def test_batch_does_not_hold_the_write_lock_while_rendering(tmp_path, db):
    """Another writer waits at most one short transaction, not the whole batch."""
    out = tmp_path / "慢"
    driver = DRIVER.replace('if stage == "reserved":', '''if stage == "slow":
    import time
    from workbench.services import notice_issuing as ni
    real_render = ni._render
    def slow(document, temp):
        open(os.environ["WB_MARK"], "a").write("x")
        time.sleep(1.0)
        real_render(document, temp)
    ni._render = slow
elif stage == "reserved":''')
    env = {"WORKBENCH_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "QT_QPA_PLATFORM": "offscreen",
           "WB_MARK": str(tmp_path / "mark")}
    argv = ["notices", str(out), "--db", str(db), "--today", "2026-11-30", "--inspector", "李检查",
            "--contact", "王联系", "--phone", "0531-12345678", "--review-body", "某市人民政府", "--court", "某区人民法院"]
    proc = subprocess.Popen([sys.executable, "-c", driver, "slow", "0", *argv], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        mark = tmp_path / "mark"
        for _ in range(600):
            if mark.exists() and len(mark.read_text()) >= 2:
                break
            proc.wait(timeout=0.05) if proc.poll() is not None else subprocess.run(["sleep", "0.05"])
        assert mark.exists(), "the batch never started rendering"
        _write_elsewhere(db, 500)   # fails after 0.5 s if the batch held the lock
    finally:
        out_, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
