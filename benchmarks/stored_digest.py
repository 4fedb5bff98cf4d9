"""A SHA-256 of what an import stored, leaving out ids and times, to show two versions of the
importer store the same (issue 12).

Usage: python benchmarks/stored_digest.py DB [DB ...]

Per table written by an import (sponsor, site, site_domain, import_run, import_problem,
import_change): every column, with row ids replaced by the natural key of the row they name (a
site by its filing number, a sponsor by its subject filing number and name, a domain by its site
and position, a run by its file name; a problem's own id left out) and the columns that hold a time or a hash made over ids
and times (created_at, updated_at, recorded_at, import_change.after_hash: only whether it is
set) left out; rows sorted. Also runs FTS5's integrity check of the search index against the
site table. Prints one line per table and one for the whole database.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys

TABLES = ("sponsor", "site", "site_domain", "import_run", "import_problem", "import_change")
TIMES = frozenset({"created_at", "updated_at", "recorded_at"})


def natural_keys(conn: sqlite3.Connection) -> dict[str, str]:
    """Row id -> a key that does not depend on ids."""
    keys: dict[str, str] = {}
    for table, expr in (("campaign", "'campaign:' || name"),
                        ("sponsor", "'sponsor:' || subject_filing_no || '/' || name"),
                        ("site", "'site:' || site_filing_no"),
                        ("import_run", "'run:' || file_name")):
        keys.update(conn.execute(f"SELECT id, {expr} FROM {table}"))
    keys.update(conn.execute("SELECT d.id, 'domain:' || s.site_filing_no || '/' || d.position"
                             " FROM site_domain d JOIN site s ON s.id = d.site_id"))
    return keys


def digest(path: str) -> dict[str, str]:
    """The digest of each table and of all (key ``all``)."""
    conn = sqlite3.connect(path)
    keys = natural_keys(conn)
    out, whole = {}, hashlib.sha256()
    for table in TABLES:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in TIMES]
        rows = []
        for row in conn.execute(f"SELECT {', '.join(columns)} FROM {table}"):
            values = []
            for column, value in zip(columns, row, strict=True):
                if table == "import_change" and column == "after_hash":
                    value = value is not None
                elif column == "id" or column.endswith("_id"):
                    value = keys.get(value, None if column == "id" else value)   # a problem's id: left out
                values.append(value)
            rows.append(repr(values))
        rows.sort()
        h = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        out[table] = f"{h[:16]} ({len(rows)} rows)"
        whole.update(h.encode())
    conn.execute("INSERT INTO site_search (site_search) VALUES ('integrity-check')")   # raises if it differs
    out["all"] = whole.hexdigest()[:16]
    return out


def main() -> None:
    """Command line entry point."""
    for path in sys.argv[1:]:
        for table, value in digest(path).items():
            print(f"{path}  {table:>14}  {value}")


if __name__ == "__main__":
    main()
