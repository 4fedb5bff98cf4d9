"""Re-importing a list that has not changed, without reading it again (issue 12).

A full import of a list reads and normalises every row (seconds at 100,000 rows) to find that
nothing changed. Its result depends only on: the file's bytes; the options (sheet, the mapping
given, or else the mappings remembered for headers, and the read limits); the importer's code
(and its synonym table); the date, for approval dates after "today" (importers/cells.py); and the
campaign's stored sites, sponsors and domains. When all of them equal those of the campaign's
last import completed on this device, the outcome is known without reading: every site of the
list unchanged, none new or changed, the same sites missing, the same problems. The campaign's
data is compared through a change counter that triggers on site, sponsor and site_domain bump
for every write, whichever code path (or merged work package) makes it
(db/migrations/0016_import_basis.sql, storage/import_basis_repo.py); the rest through a SHA-256
digest. Anything else, or any doubt, reads the file as usual.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from datetime import date
from importlib import metadata
from pathlib import Path

import workbench
from workbench.domain.site import Problem
from workbench.errors import InputFileError
from workbench.importers.formats import detect_format
from workbench.importers.xlsx_guard import ReadLimits
from workbench.paths import resources_dir
from workbench.services.context import Context
from workbench.storage import import_basis_repo, mapping_repo

#: What an import that took the shortcut says (the CLI and the import report show it).
UNCHANGED_NOTE = "名单与此检查任务上次导入的文件完全相同，此后数据也未改动：未重新读取，结果与上次相同"

#: Problem codes whose presence makes a list's reading depend on the date (cells.py: an approval
#: date after today is implausible today, not after that day).
DATE_CODES = frozenset({"date_implausible"})


@functools.cache
def importer_version() -> str:
    """SHA-256 hex over the workbench's source files, the column synonym table and the versions of
    Python and python-calamine, or for a frozen bundle (which ships no sources) its version and
    executable's size and time: any code change makes earlier imports untrusted for the shortcut."""
    digest = hashlib.sha256(f"{workbench.__version__}\0{sys.version}\0{_calamine_version()}".encode())
    package = Path(workbench.__file__).resolve().parent
    sources = sorted(package.rglob("*.py"))
    if getattr(sys, "frozen", False) or not sources:
        stat = Path(sys.executable).stat()
        digest.update(f"frozen:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for path in sources:
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    synonyms = resources_dir() / "column_synonyms.yaml"
    if synonyms.is_file():
        digest.update(synonyms.read_bytes())
    return digest.hexdigest()


def _calamine_version() -> str:
    """The installed python-calamine's version (its parsing is part of the reading)."""
    try:
        return metadata.version("python-calamine")
    except metadata.PackageNotFoundError:   # a frozen bundle: its executable stands for it
        return ""


def has_basis(ctx: Context, campaign_id: str) -> bool:
    """Whether the campaign has a last import to compare with (no change counted since): only then
    is the file worth reading and hashing ahead of the import (:func:`identify`)."""
    return import_basis_repo.current(ctx.conn, campaign_id) is not None


def identify(path: Path) -> tuple[str, str] | None:
    """The file's SHA-256 hex (as sheet_reader.Workbook.sha256 gives it) and format (as the
    reader detects it), or None when it cannot be read or recognised (the full import says why)."""
    try:
        data = path.read_bytes()
        return hashlib.sha256(data).hexdigest(), detect_format(data, str(path)).format
    except (OSError, InputFileError):
        return None


def digest(ctx: Context, file_sha: str, sheet: str | None, mapping: dict[int, str] | None) -> str:
    """The digest of everything but the stored data and the date that an import's result depends on."""
    remembered = None
    if mapping is None:   # the import then applies a mapping remembered for the file's header
        remembered = sorted((k, sorted(v.items())) for k, v in mapping_repo.all_mappings(ctx.conn).items())
    basis = {
        "file": file_sha,
        "importer": importer_version(),
        "sheet": sheet,
        "mapping": sorted(mapping.items()) if mapping is not None else None,
        "remembered": remembered,
        "limits": repr(ReadLimits.from_settings(ctx.settings)),
    }
    return hashlib.sha256(json.dumps(basis, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def today() -> str:
    """The local date as the importer's plausibility check sees it."""
    return date.today().isoformat()


def matching_run(ctx: Context, campaign_id: str, key: str) -> str | None:
    """The id of the campaign's last import run if its basis equals ``key`` and nothing it
    compares changed since (and, if its result depended on the date, it ran today); else None."""
    basis = import_basis_repo.current(ctx.conn, campaign_id)
    if basis is None:
        return None
    run_id, digest_then, day = basis
    return run_id if digest_then == key and day in ("", today()) else None


def note(ctx: Context, campaign_id: str, run_id: str, key: str, problems: tuple[Problem, ...] | list) -> None:
    """Record ``run_id`` as the campaign's basis (in the import's transaction, after its writes)."""
    dated = any(p.code in DATE_CODES for p in problems)
    import_basis_repo.record(ctx.conn, campaign_id, run_id, key, today() if dated else "")


def stored_run(ctx: Context, run_id: str) -> tuple[dict, list[Problem], str, int | None]:
    """The stats, problems (in stored order), sheet and header row of an import run."""
    conn = ctx.conn
    run = conn.execute("SELECT stats, sheet, header_row FROM import_run WHERE id = ?", (run_id,)).fetchone()
    problems = [Problem(r[0], r[1], r[2], r[3], r[4], r[5]) for r in conn.execute(
        "SELECT row, column_name, code, severity, message, value FROM import_problem WHERE import_run_id = ?"
        " ORDER BY rowid", (run_id,))]
    return json.loads(run[0]), problems, run[1], run[2]


def missing_sites(ctx: Context, campaign_id: str, stats: dict) -> list[str]:
    """The campaign's sites marked absent (site filing numbers, sorted): after an import (whose
    counts are ``stats``), and nothing changed since, exactly those its list lacks, as many as it
    reported missing (none: no need to look through the sites)."""
    if not stats.get("missing"):
        return []
    return [r[0] for r in ctx.conn.execute(
        "SELECT site_filing_no FROM site WHERE campaign_id = ? AND present = 0 ORDER BY site_filing_no",
        (campaign_id,))]
