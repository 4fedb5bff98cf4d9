"""Recording each import run and the problems it reported."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from workbench.domain.site import Problem
from workbench.storage.records import Author, new_id, utc_now


def record_run(
    conn: sqlite3.Connection, campaign_id: str, file_name: str, digest: str, sheet: str,
    header_row: int | None, stats: dict, problems: Sequence[Problem], author: Author,
) -> str:
    """Store one import run with its counts (JSON) and problems; returns the run id."""
    run_id = new_id()
    now = utc_now()
    conn.execute(
        "INSERT INTO import_run (id, campaign_id, file_name, file_sha256, sheet, header_row, stats,"
        " created_at, updated_at, device, inspector) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (run_id, campaign_id, file_name, digest, sheet, header_row,
         json.dumps(stats, ensure_ascii=False), now, now, author.device, author.inspector),
    )
    conn.executemany(
        "INSERT INTO import_problem (id, import_run_id, row, column_name, code, severity, message, value)"
        " VALUES (?,?,?,?,?,?,?,?)",
        [(new_id(), run_id, p.row, p.column, p.code, p.severity, p.message, p.value) for p in problems],
    )
    return run_id
