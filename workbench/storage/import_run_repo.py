"""Recording each import run and the problems it reported."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from workbench.domain.site import Problem
from workbench.storage.bulk import insert_many
from workbench.storage.records import Author, fresh_ids, insert_row, stamp


def record_run(
    conn: sqlite3.Connection, campaign_id: str, file_name: str, digest: str, sheet: str,
    header_row: int | None, stats: dict, problems: Sequence[Problem], author: Author,
) -> str:
    """Store one import run with its counts (JSON) and problems; returns the run id."""
    run = stamp({"campaign_id": campaign_id, "file_name": file_name, "file_sha256": digest, "sheet": sheet,
                 "header_row": header_row, "stats": json.dumps(stats, ensure_ascii=False)}, author, new=True)
    insert_row(conn, "import_run", run)
    ids = fresh_ids()
    insert_many(conn, "import_problem", ("id", "import_run_id", "row", "column_name", "code", "severity", "message",
                                         "value"),
                ((next(ids), run["id"], p.row, p.column, p.code, p.severity, p.message, p.value) for p in problems))
    return run["id"]
