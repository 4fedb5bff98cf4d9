"""Recording each import run and the problems it reported."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from workbench.domain.site import Problem
from workbench.storage.records import Author, insert_row, insert_rows, new_id, stamp


def record_run(
    conn: sqlite3.Connection, campaign_id: str, file_name: str, digest: str, sheet: str,
    header_row: int | None, stats: dict, problems: Sequence[Problem], author: Author,
) -> str:
    """Store one import run with its counts (JSON) and problems; returns the run id."""
    run = stamp({"campaign_id": campaign_id, "file_name": file_name, "file_sha256": digest, "sheet": sheet,
                 "header_row": header_row, "stats": json.dumps(stats, ensure_ascii=False)}, author, new=True)
    insert_row(conn, "import_run", run)
    insert_rows(conn, "import_problem", (
        {"id": new_id(), "import_run_id": run["id"], "row": p.row, "column_name": p.column, "code": p.code,
         "severity": p.severity, "message": p.message, "value": p.value}
        for p in problems
    ))
    return run["id"]
