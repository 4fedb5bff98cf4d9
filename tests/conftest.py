"""Shared test setup: offscreen Qt, a fresh migrated database per test, the shared samples."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"


def pytest_configure(config):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def conn(tmp_path):
    """A freshly migrated database file under tmp_path, closed after the test."""
    from workbench.storage.database import open_database

    c = open_database(tmp_path / "test.sqlite3")
    yield c
    c.close()


@pytest.fixture
def samples() -> Path:
    """The shared sample folder; tests that need it are skipped where it is absent."""
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples not present")
    return SAMPLES


#: Set to a file name to list every GUI-thread SQL statement of the run there (one block per test).
GUI_SQL_REPORT_ENV = "WORKBENCH_GUI_SQL_REPORT"


@pytest.fixture(autouse=True)
def gui_thread_sql(request):
    """The offences of services/thread_guard.py seen during this test (the list, for tests that
    assert none); with WORKBENCH_GUI_SQL_REPORT set, each test's offences are appended to that file."""
    from workbench.services import thread_guard

    thread_guard.reset()
    found: list = []
    yield found
    found.extend(thread_guard.offences())
    report = os.environ.get(GUI_SQL_REPORT_ENV)
    if report and found:
        with open(report, "a", encoding="utf-8") as fh:
            fh.write(f"## {request.node.nodeid} ({thread_guard.count()})\n{thread_guard.summary(found)}\n")


@pytest.fixture(autouse=True)
def campaign_counts_agree(request):
    """After each test, the per-campaign counts the triggers keep (migration 0017) equal the rows
    in every workbench database the test left in its tmp_path, whatever wrote them (saves,
    imports, undo, merges, removals, restores, the demo). Files that are no database at the
    latest version are left alone (damaged files, old schemas)."""
    folder = request.getfixturevalue("tmp_path") if "tmp_path" in request.fixturenames else None
    yield
    if folder is not None:
        from tests.support.counts import count_differences

        found = {str(p.relative_to(folder)): d for p in sorted(folder.rglob("*.sqlite3"))
                 if (d := count_differences(p))}
        assert not found, f"campaign_count differs from the rows (campaign, what, kept, real): {found}"
