"""Every released schema version, with data in it, upgrades to the latest without losing a row."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.support.schema_fixtures import REKEYED
from workbench.storage import audit, backup, campaign_count_repo, migrate
from workbench.storage.database import open_database

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "schemas"
VERSIONS = range(1, migrate.latest_version())


def test_a_fixture_exists_for_every_earlier_version():
    missing = [v for v in VERSIONS if not (FIXTURES / f"v{v}.sqlite3").is_file()]
    assert not missing, f"python tests/support/schema_fixtures.py (missing {missing})"


@pytest.mark.parametrize("version", VERSIONS)
def test_fixture_upgrades_keeping_its_rows(version, tmp_path):
    db = tmp_path / f"v{version}.sqlite3"
    shutil.copy(FIXTURES / f"v{version}.sqlite3", db)
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == version
    tables = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    before = {t: raw.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    raw.close()
    conn = open_database(db)
    assert migrate.current_version(conn) == migrate.latest_version()
    for table, rows in before.items():
        cols = len(rows[0]) if rows else 0
        after = [tuple(r)[:cols] for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1")]
        if table in REKEYED and version < REKEYED[table][1]:   # a key rewritten on purpose
            col = REKEYED[table][0]
            after, rows = ([r[:col] + r[col + 1:] for r in sorted(x, key=lambda r: r[1:])] for x in (after, rows))
        assert after == rows, table
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    fresh = sqlite3.connect(":memory:")
    migrate.migrate(fresh)
    assert migrate.schema_dump(conn) == migrate.schema_dump(fresh)
    assert campaign_count_repo.differences(conn) == []   # 0016 counted the rows already there
    conn.execute("UPDATE finding SET status = 'closed' WHERE id = 'f1'")   # writable, and audited
    assert audit.verify_chain(conn)[1] == []
    taken = backup.list_backups(db)
    assert [b.reason for b in taken] == ["migration"] and not backup.integrity_errors(taken[0].path)
    conn.close()
