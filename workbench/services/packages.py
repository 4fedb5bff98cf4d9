"""Work packages (工作包): a laptop's work since its last exchange with a partner, in one file.

A package (``.wbpkg``) is a zip holding ``manifest.json`` (format, schema version, package id,
campaign, sender's replica / device / inspector, time, acknowledgements, counts and the SHA-256
of every other part), ``changes.sqlitecs`` (a changeset of SQLite's session extension) and
``evidence/<sha256>`` (the evidence files the changes refer to). See docs/sync.md.

The work on the database runs in a child process (:func:`run_isolated`): it uses APSW, which
must never share a process with an open sqlite3 connection to the same file (the window always
has one). Per partner and campaign, ``<db>.sync/`` keeps the base the next package is computed
against — what the partner is known to have — and the snapshots of packages sent but not yet
acknowledged; a partner acknowledges a package in the next package it sends back.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
import uuid
import zipfile
import zlib
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from workbench.errors import InputFileError, NotFoundError, ValidationError, WorkbenchError
from workbench.services import package_checks
from workbench.services.package_checks import PackageRefused

FORMAT = 1
MANIFEST = "manifest.json"
CHANGES = "changes.sqlitecs"
PENDING_KEPT = 3   # unacknowledged snapshots kept per partner and campaign


@dataclass(frozen=True)
class ExportResult:
    """An exported package: ``path``, its ``package`` id, the ``campaign`` name, the partner it
    was computed for (None = everything), ``counts`` {table: {op: n}} and evidence ``files``."""

    path: Path
    package: str
    campaign: str
    partner: str | None
    counts: dict
    files: int


@dataclass(frozen=True)
class ImportResult:
    """An imported package: counts of rows ``added``, ``updated``, ``unchanged`` and new
    ``conflicts`` (kept for a person), audit ``log_entries`` received, the sender."""

    package: str
    sender: dict
    campaign: str
    added: int
    updated: int
    unchanged: int
    conflicts: int
    log_entries: int
    per_table: dict

    def as_dict(self) -> dict:
        """JSON-able form (the CLI prints it)."""
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "conflicts": self.conflicts, "log_entries": self.log_entries, "package": self.package,
                "campaign": self.campaign, "from": self.sender, "per_table": self.per_table}


def sync_dir(db: Path) -> Path:
    """``<db name>.sync`` beside the database: bases and snapshots of exchanges."""
    return db.parent / f"{db.name}.sync"


def run_isolated(func_name: str, **kwargs):
    """Run ``func_name`` of this module in a fresh child process and return its result.

    Errors come back as the same WorkbenchError subclass with the same message.
    """
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        try:
            kind, value = pool.submit(_child, func_name, kwargs).result()
        except BrokenProcessPool as err:
            raise WorkbenchError("处理工作包的进程意外终止（被结束或内存不足）；数据库保持原样（要么全部合并，要么完全没有），"
                                 "可以重新导入") from err
    if kind == "ok":
        return value
    cls = {"PackageRefused": PackageRefused, "NotFoundError": NotFoundError,
           "ValidationError": ValidationError}.get(kind, WorkbenchError)
    raise cls(value)


def _child(func_name: str, kwargs: dict):
    try:
        return "ok", globals()[func_name](**kwargs)
    except WorkbenchError as err:
        return type(err).__name__, str(err)


# --- export ------------------------------------------------------------------------------------


def export_package(db: str, out: str, campaign: str | None, to: str | None, device: str, inspector: str,
                   evidence_dir: str) -> ExportResult:
    """Write the package of ``campaign`` (name; None = the only one) for partner ``to`` (replica
    id, its first 8 characters, or device name; None = everything since the beginning) to ``out``.

    Raises:
        NotFoundError: no such campaign or partner.
        ValidationError: several campaigns and none named; ``out`` is the database, a file beside
            it that it needs, or inside its backup, evidence or exchange folders.
        InputFileError: an evidence file the changes refer to is missing from the store.
    """
    from workbench.services.output_paths import protected_reason
    from workbench.storage import audit, changes

    db_path, out_path = Path(db), Path(out)
    reason = protected_reason(out_path, db_path, evidence_dir)
    if reason:
        raise ValidationError(f"不能把工作包保存到 {out_path}：{reason}（请换一个文件名或位置）")
    conn = changes.connect(db_path, device=device, inspector=inspector)
    try:
        campaign_id, campaign_name = _campaign(conn, campaign)
        partner = _partner(conn, to) if to else None
        replica = conn.execute("SELECT id FROM sync_replica").fetchone()[0]
        package = uuid.uuid4().hex
        folder = sync_dir(db_path)
        folder.mkdir(exist_ok=True)
        snapshot = folder / f"sent-{partner or 'all'}-{campaign_id}-{package}.sqlite3"
        changes.copy_file(conn, snapshot)
        base = folder / f"base-{partner}-{campaign_id}.sqlite3" if partner else None
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            if base is None or not base.is_file() or _version(base) != changes.schema_version(conn):
                base = Path(tmp) / "empty.sqlite3"
                changes.empty_base(conn, base)
            changeset = changes.diff(snapshot, base, campaign_id)
        counts = changes.counts(changeset)
        acks = {r: p for r, p in conn.execute(
            "SELECT replica, last_received FROM sync_partner WHERE last_received IS NOT NULL")}
        manifest = {
            "format": FORMAT, "schema": changes.schema_version(conn), "package": package,
            "campaign": {"id": campaign_id, "name": campaign_name},
            "from": {"replica": replica, "device": device, "inspector": inspector},
            "to": partner, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "acks": acks, "counts": counts,
        }
        files = _evidence_files(changeset, Path(evidence_dir))
        _write_zip(out_path, manifest, changeset, files)
        with conn:
            audit.record(conn, "export", "package", package, None, {
                "file": out_path.name, "campaign": campaign_name, "to": partner, "counts": counts})
            if partner:
                conn.execute("UPDATE sync_partner SET last_sent = ?, last_sent_at = ? WHERE replica = ?",
                             (package, manifest["created_at"], partner))
        _prune(folder, f"sent-{partner or 'all'}-{campaign_id}-")   # kept until acknowledged
        return ExportResult(out_path, package, campaign_name, partner, counts, len(files))
    finally:
        conn.close()


def _version(path: Path) -> int:
    from workbench.storage import changes

    c = changes.connect(path, read_only=True)
    try:
        return changes.schema_version(c)
    finally:
        c.close()


def _campaign(conn, name: str | None) -> tuple[str, str]:
    rows = conn.execute("SELECT id, name FROM campaign ORDER BY name").fetchall()
    if name:
        for cid, cname in rows:
            if cname == name:
                return cid, cname
        raise NotFoundError(f"找不到检查任务“{name}”")
    if not rows:
        raise NotFoundError("数据库中还没有检查任务，没有可导出的工作")
    if len(rows) > 1:
        raise ValidationError("数据库中有多个检查任务，请用 --campaign 指定其中之一：" + "、".join(f"“{n}”" for _i, n in rows))
    return rows[0]


def _partner(conn, to: str) -> str:
    rows = conn.execute("SELECT replica, device, inspector FROM sync_partner").fetchall()
    hits = [r for r in rows if r[0] == to or r[0].startswith(to) and len(to) >= 8 or r[1] == to]
    if len(hits) != 1:
        known = "、".join(f"{d or '?'}（{r[:8]}，{i}）" for r, d, i in rows) or "无（还没有导入过任何工作包）"
        more = "有多个同名设备，请用编号" if hits else "不认识此交换对象"
        raise NotFoundError(f"{more}：{to}；已知的交换对象：{known}")
    return hits[0][0]


def _evidence_files(changeset: bytes, store: Path) -> dict[str, Path]:
    import apsw

    files = {}
    for change in apsw.Changeset.iter(changeset):
        if change.name == "evidence" and change.op == "INSERT":
            sha, stored, name = change.new[4], change.new[7], change.new[6]
            path = store / stored
            if not path.is_file():
                raise InputFileError(f"证据文件“{name}”不在证据文件夹中，无法放入工作包（先运行 workbench check）",
                                     path=str(path))
            files[sha] = path
    return files


def _write_zip(out: Path, manifest: dict, changeset: bytes, files: dict[str, Path]) -> None:
    parts = {CHANGES: hashlib.sha256(changeset).hexdigest()}
    for sha in files:
        parts[f"evidence/{sha}"] = sha
    manifest = {**manifest, "parts": parts}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            z.writestr(CHANGES, changeset)
            for sha, path in files.items():
                z.write(path, f"evidence/{sha}", compress_type=zipfile.ZIP_STORED)
        os.replace(tmp, out)
    except OSError as err:
        raise WorkbenchError(f"无法写入工作包 {out}（{err.strerror or err}）") from err
    finally:
        tmp.unlink(missing_ok=True)


def _prune(folder: Path, prefix: str) -> None:
    snaps = sorted(folder.glob(prefix + "*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in snaps[PENDING_KEPT:]:
        old.unlink(missing_ok=True)


# --- import ------------------------------------------------------------------------------------


def read_manifest(pkg: Path, limits=None) -> dict:
    """The manifest of a package after checking the archive's sizes (``limits``, an
    importers.xlsx_guard.ReadLimits; default 1 GiB), the manifest's fields and every part's SHA-256
    (services/package_checks.py).

    Raises:
        NotFoundError: no such file.
        PackageRefused: not a package, a zip bomb, a manifest field of the wrong type or form, a
            part missing / unlisted / failing its hash, or a format newer than this program.
    """
    if not pkg.is_file():
        raise NotFoundError(f"找不到工作包 {pkg}")
    try:
        with zipfile.ZipFile(pkg) as z:
            names = set(z.namelist())
            if MANIFEST not in names:
                raise PackageRefused(f"{pkg.name} 不是工作包（缺少 {MANIFEST}）")
            package_checks.check_archive(z, pkg.name, pkg.stat().st_size, MANIFEST,
                                         limits or package_checks.DEFAULT_LIMITS)
            manifest = json.loads(z.read(MANIFEST))
            if isinstance(manifest, dict) and type(manifest.get("format")) is int and manifest["format"] > FORMAT:
                raise PackageRefused(f"{pkg.name} 由更新版本的工作台导出（工作包格式 {manifest['format']}，"
                                     f"本程序支持到 {FORMAT}），请升级工作台后再导入")
            package_checks.check_manifest(manifest, pkg.name, CHANGES)
            listed = set(manifest["parts"])
            if names - listed - {MANIFEST}:
                raise PackageRefused(f"{pkg.name} 含有清单中没有的文件：{sorted(names - listed - {MANIFEST})[0]}")
            for part, expected in manifest["parts"].items():
                if part not in names:
                    raise PackageRefused(f"{pkg.name} 缺少文件 {part}")
                digest = hashlib.sha256()
                with z.open(part) as fh:
                    while chunk := fh.read(1 << 20):
                        digest.update(chunk)
                if digest.hexdigest() != expected:
                    raise PackageRefused(f"{pkg.name} 中 {part} 的 SHA-256 与清单不符（传输中损坏或被修改），未导入")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as err:
        raise PackageRefused(f"{pkg.name} 不是有效的工作包：{package_checks.describe_zip_error(err)}") from err
    return manifest


def import_package(db: str, pkg: str, device: str, inspector: str, evidence_dir: str) -> ImportResult:
    """Merge the package ``pkg`` into ``db`` (all or nothing) and bring the sender's base forward.

    Raises:
        PackageRefused: bad hash, newer format or schema, a package of another campaign, this
            laptop's own package, or a merge that would give one 文号 to two documents.
    """
    from workbench.storage import changes, sync_tables

    db_path, pkg_path = Path(db), Path(pkg)
    if not pkg_path.is_file():
        raise NotFoundError(f"找不到工作包 {pkg}")
    manifest = read_manifest(pkg_path)
    conn = changes.connect(db_path, read_only=True)
    try:
        ours = changes.schema_version(conn)
        replica = conn.execute("SELECT id FROM sync_replica").fetchone()[0]
        campaigns = {r[0]: r[1] for r in conn.execute("SELECT id, name FROM campaign")}
    finally:
        conn.close()
    sender, campaign = manifest.get("from") or {}, manifest.get("campaign") or {}
    if int(manifest.get("schema", 0)) > ours:
        raise PackageRefused(f"{pkg_path.name} 由更新版本的工作台导出（数据结构版本 {manifest['schema']}，本机 {ours}），"
                             "请升级工作台后再导入")
    if int(manifest.get("schema", 0)) < ours:
        raise PackageRefused(f"{pkg_path.name} 由旧版本的工作台导出（数据结构版本 {manifest['schema']}，本机 {ours}），"
                             "请对方升级工作台后重新导出")
    if sender.get("replica") == replica:
        raise PackageRefused(f"{pkg_path.name} 是本机自己导出的工作包，无需导入")
    if campaigns and campaign.get("id") not in campaigns:
        raise PackageRefused(f"{pkg_path.name} 属于检查任务“{campaign.get('name')}”，本数据库中没有这个任务"
                             f"（本数据库的任务：{'、'.join(campaigns.values())}），未导入")
    with zipfile.ZipFile(pkg_path) as z:
        changeset = z.read(CHANGES)
        package_checks.check_changeset(changeset, pkg_path.name, sync_tables.SYNCED_TABLES, ("audit_log",))
        store = Path(evidence_dir)
        for part in manifest["parts"]:
            if part.startswith("evidence/"):
                sha = part.split("/", 1)[1]
                target = store / sha[:2] / sha
                if not target.is_file():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with z.open(part) as src, open(target.with_suffix(".part"), "wb") as dst:
                        shutil.copyfileobj(src, dst)
                    os.replace(target.with_suffix(".part"), target)
    details = {"package": manifest["package"], "file": pkg_path.name, "campaign": campaign.get("name"),
               "from": sender}
    try:
        result = changes.merge(db_path, changeset, {**sender, "created_at": manifest.get("created_at")},
                               device=device, inspector=inspector, details=details,
                               partner=(sender.get("replica"), sender.get("device", ""),
                                        sender.get("inspector", ""), manifest["package"]))
    except changes.MergeRefused as err:
        raise PackageRefused(str(err)) from err
    _advance_base(db_path, manifest, replica, changeset)
    return ImportResult(manifest["package"], sender, campaign.get("name", ""), result.added, result.updated,
                        result.unchanged, result.conflicts, result.log_entries, result.as_dict()["per_table"])


def _advance_base(db: Path, manifest: dict, replica: str, changeset: bytes) -> None:
    """After a merge: the sender's base becomes the snapshot it acknowledged (if we still have
    it) with the sender's changes applied on top — never more than the sender is known to have."""
    from workbench.storage import changes

    sender = manifest["from"]["replica"]
    campaign_id = manifest["campaign"]["id"]
    folder = sync_dir(db)
    folder.mkdir(exist_ok=True)
    base = folder / f"base-{sender}-{campaign_id}.sqlite3"
    acked = (manifest.get("acks") or {}).get(replica)
    snapshot = None
    for name in (sender, "all"):    # a package made for this sender, or one handed to everybody
        candidate = folder / f"sent-{name}-{campaign_id}-{acked}.sqlite3"
        if acked and candidate.is_file():
            snapshot = candidate
    if snapshot is not None and snapshot.name.startswith("sent-all-"):
        shutil.copyfile(snapshot, base)    # other partners may acknowledge the same handout
    elif snapshot is not None:
        os.replace(snapshot, base)
        for other in folder.glob(f"sent-{sender}-{campaign_id}-*.sqlite3"):
            if other.stat().st_mtime <= base.stat().st_mtime:
                other.unlink(missing_ok=True)
    if not base.is_file():
        conn = changes.connect(db, read_only=True)
        try:
            changes.empty_base(conn, base)
        finally:
            conn.close()
    changes.force_apply(base, changeset)


def import_into_open(ctx, db: Path, pkg: Path) -> ImportResult:
    """The window's import: check the file, back up the database, merge in a child process."""
    from workbench.storage.backup import automatic_backup

    read_manifest(Path(pkg), package_checks.ReadLimits.from_settings(ctx.settings))
    automatic_backup(ctx.conn, Path(db), "merge")
    return run_isolated("import_package", db=str(db), pkg=str(pkg), device=ctx.author.device,
                        inspector=ctx.author.inspector, evidence_dir=str(ctx.evidence_dir))


def export_from_open(ctx, db: Path, out: Path, campaign: str | None, to: str | None = None) -> ExportResult:
    """The window's export (see :func:`export_package`), in a child process."""
    return run_isolated("export_package", db=str(db), out=str(out), campaign=campaign, to=to,
                        device=ctx.author.device, inspector=ctx.author.inspector, evidence_dir=str(ctx.evidence_dir))
