"""Checks of a work package (.wbpkg) before any of it is used: the archive, the manifest, the
changeset (issue 9's hostile pass over issue 13's packages).

A package arrives by USB stick or e-mail and may be truncated, a zip bomb, or made by hand. Every
value of the manifest ends up in a file name (``base-<replica>-<campaign>.sqlite3``) or a path in
the evidence store (``evidence/<sha256>``), and every change of the changeset is written to the
database; so each is checked for its type and form first, and anything else refuses the whole
package with :class:`PackageRefused`'s Chinese reason.
"""

from __future__ import annotations

import re
import zipfile
import zlib

from workbench.errors import WorkbenchError
from workbench.importers.xlsx_guard import _RATIO_FLOOR, DEFAULT_LIMITS, ReadLimits

__all__ = ["DEFAULT_LIMITS", "MANIFEST_LIMIT", "PackageRefused", "ReadLimits", "check_archive",
           "check_changeset", "check_manifest", "describe_zip_error"]

#: The most the manifest (JSON) may unpack to: a package with 100,000 evidence files lists
#: ~10 MB of part names and hashes.
MANIFEST_LIMIT = 32 << 20
_TOKEN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,127}$")   # replica, package and campaign ids
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_STORED_PATH = re.compile(r"^([0-9a-f]{2})/([0-9a-f]{64})$")   # as storage/evidence_store.py writes


class PackageRefused(WorkbenchError):
    """A package that is not imported at all (bad hash, newer format, other campaign…)."""


def describe_zip_error(err: Exception) -> str:
    """A Chinese reason for an exception raised while reading a zip archive or its manifest."""
    from workbench.errors import os_reason

    if isinstance(err, zipfile.BadZipFile):
        text = str(err)
        if "CRC" in text or "Bad magic" in text or "Overlapped" in text:
            return "压缩包内的数据已损坏（校验失败）"
        return "不是 zip 格式的工作包，或文件不完整（可能只复制或下载了一部分）"
    if isinstance(err, (zlib.error, EOFError)):
        return "压缩包内的数据已损坏或不完整"
    if isinstance(err, OSError):
        return os_reason(err)
    if isinstance(err, UnicodeDecodeError):
        return "清单 manifest.json 不是 UTF-8 文本"
    if isinstance(err, ValueError):
        return f"清单 manifest.json 不是有效的 JSON（{err}）"
    return f"{type(err).__name__}: {err}"


def check_archive(z: zipfile.ZipFile, name: str, size_on_disk: int, manifest: str,
                  limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Refuse an archive that would unpack to more than ``limits`` allow, before unpacking it.

    zipfile never yields more than a member's declared size (a member that inflates further
    fails its CRC), so the declared sizes bound what reading the package may take.

    Args:
        size_on_disk: the package file's size in bytes; manifest: the manifest's member name.

    Raises:
        PackageRefused: duplicate member names, a manifest over :data:`MANIFEST_LIMIT`, members
            declaring more than ``limits.unpacked_bytes`` in all, or (past 64 MiB) more than
            ``limits.ratio`` times the file's size on disk.
    """
    infos = z.infolist()
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})[0]
        raise PackageRefused(f"{name} 含有重名的文件 {dup}，不是本程序导出的工作包，未导入")
    for info in infos:
        if info.filename == manifest and info.file_size > MANIFEST_LIMIT:
            raise PackageRefused(f"{name} 的清单 {manifest} 解压后有 {info.file_size >> 20} MB，"
                                 f"超过 {MANIFEST_LIMIT >> 20} MB 的上限，不是正常的工作包，未导入")
    total = sum(i.file_size for i in infos)
    if total > limits.unpacked_bytes:
        raise PackageRefused(
            f"{name} 解压后共有 {total >> 20} MB，超过上限 {limits.unpacked_bytes >> 20} MB（设置项"
            "“import_unpacked_limit_mb”）；可能是压缩炸弹，未导入。确属正常的大工作包时可调高此设置")
    if total > _RATIO_FLOOR and total > limits.ratio * max(size_on_disk, 1):
        raise PackageRefused(
            f"{name} 解压后是文件大小的 {total // max(size_on_disk, 1)} 倍（上限 {limits.ratio} 倍，设置项"
            "“import_compression_ratio_limit”）；可能是压缩炸弹，未导入")


def _text(value) -> bool:
    return isinstance(value, str)


def check_manifest(manifest, name: str, changes_part: str) -> None:
    """Refuse a manifest whose values are missing or of the wrong type or form.

    Required: ``format`` and ``schema`` integers; ``package`` an id; ``campaign`` {"id", "name"};
    ``from`` {"replica", "device", "inspector"}; ``acks`` (optional) {replica: package};
    ``parts`` {name: sha256} listing ``changes_part`` and only ``evidence/<sha256>`` besides,
    each evidence part named by its own hash. Other keys are left alone (newer fields).

    Raises:
        PackageRefused: naming the first field that is wrong.
    """
    def refuse(field: str, what: str):
        raise PackageRefused(f"{name} 的清单 manifest.json 中“{field}”{what}，不是本程序导出的工作包，未导入")

    if not isinstance(manifest, dict):
        raise PackageRefused(f"{name} 的清单 manifest.json 不是一个 JSON 对象，不是本程序导出的工作包，未导入")
    for key in ("format", "schema"):
        if type(manifest.get(key)) is not int:
            refuse(key, "缺失或不是整数")
    if not _text(manifest.get("package")) or not _TOKEN.match(manifest["package"]):
        refuse("package", "缺失或不是有效的编号")
    campaign = manifest.get("campaign")
    if not isinstance(campaign, dict) or not _text(campaign.get("id")) or not _TOKEN.match(campaign["id"]) \
            or not _text(campaign.get("name")):
        refuse("campaign", "缺失或格式不对")
    sender = manifest.get("from")
    if not isinstance(sender, dict) or not _text(sender.get("replica")) or not _TOKEN.match(sender["replica"]):
        refuse("from", "缺失或格式不对")
    for key in ("device", "inspector"):
        if sender.get(key) is not None and not _text(sender[key]):
            refuse(f"from.{key}", "不是文字")
    acks = manifest.get("acks")
    if acks is not None and (not isinstance(acks, dict) or not all(   # both end up in file names
            _text(k) and _TOKEN.match(k) and _text(v) and _TOKEN.match(v) for k, v in acks.items())):
        refuse("acks", "格式不对")
    if manifest.get("created_at") is not None and not _text(manifest["created_at"]):
        refuse("created_at", "不是文字")
    parts = manifest.get("parts")
    if not isinstance(parts, dict) or changes_part not in parts:
        refuse("parts", f"缺失或没有列出 {changes_part}")
    for part, digest in parts.items():
        if not _text(digest) or not _SHA256.match(digest):
            refuse(f"parts.{part}", "不是 SHA-256 值")
        if part == changes_part:
            continue
        folder, _, sha = part.partition("/")
        if folder != "evidence" or not _SHA256.match(sha):
            refuse(f"parts.{part}", "不是工作包中允许的文件名（只允许 evidence/<SHA-256>）")
        if sha != digest:
            refuse(f"parts.{part}", "的文件名与其 SHA-256 不符")


def check_changeset(changeset: bytes, name: str, tables: tuple[str, ...], append_only: tuple[str, ...]) -> None:
    """Refuse a changeset that is damaged or writes where no package may write.

    Args:
        tables: the tables a package may change (storage/sync_tables.SYNCED_TABLES).
        append_only: tables a package may only add rows to (the audit log).

    Raises:
        PackageRefused: the changeset cannot be read, touches another table (the laptop's own
            replica id, partners, doc-number ledger…), changes or removes an append-only row,
            adds evidence whose stored path is not ``<2 hex>/<sha256>`` of its own hash, or
            changes an evidence file's hash or stored path.
    """
    import apsw

    try:
        for change in apsw.Changeset.iter(changeset):
            table = change.name
            if table not in tables:
                raise PackageRefused(f"{name} 含有对表 {table} 的修改，此表不在工作包交换的范围内；"
                                     "不是本程序导出的工作包，未导入")
            if table in append_only and change.op != "INSERT":
                raise PackageRefused(f"{name} 要修改或删除审计日志（表 {table}），审计日志只能追加；未导入")
            if table == "evidence" and change.op == "INSERT":
                _check_evidence_row(change.new, name)
            elif table == "evidence" and change.op == "UPDATE" and any(
                    change.new[i] is not apsw.no_change for i in (4, 7)):
                raise PackageRefused(f"{name} 要修改已有证据文件的哈希或存储路径，证据文件不能修改；未导入")
    except apsw.Error as err:
        raise PackageRefused(f"{name} 中的变更数据已损坏，无法读取（{err}）；未导入") from err


def _check_evidence_row(row, name: str) -> None:
    # evidence columns: id, inspection_id, item_code, round, sha256, size, original_name, stored_path, …
    sha, stored = row[4], row[7]
    match = _STORED_PATH.match(stored) if isinstance(stored, str) else None
    if not (isinstance(sha, str) and match and match.group(2) == sha and match.group(1) == sha[:2]):
        raise PackageRefused(f"{name} 中证据文件“{row[6]}”的存储路径无效（{stored!r}），未导入")
