"""The evidence folder: files copied in under names derived from their SHA-256, and checked later."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import secrets
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import InputFileError, WorkbenchError, os_reason

_CHUNK = 1 << 20  # bytes read at a time
_STORED_PATH = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{64}$")
#: Leading bytes of common evidence formats → MIME type (checked before the file name).
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
)


@dataclass(frozen=True)
class StoredFile:
    """A file in the store: ``sha256`` (64 hex), ``size`` in bytes, ``stored_path`` relative to
    the store root (``ab/ab12…``, no part of it chosen by the user) and the guessed ``mime``."""

    sha256: str
    size: int
    stored_path: str
    mime: str


class EvidenceStore:
    """Content-addressed copies of evidence files under ``root`` (``AppPaths.evidence_dir_for``).

    Files are copied, never linked, so later edits of the original do not touch the evidence.
    The same bytes added twice are stored once.
    """

    def __init__(self, root: str | Path):
        """Use (and create on first write) the folder ``root``."""
        self.root = Path(root)

    def add(self, source: str | Path) -> StoredFile:
        """Copy ``source`` into the store, hashing it on the way.

        The copy is written to a temporary file and renamed into place, so a crash leaves no
        half-written evidence. A stored file whose bytes no longer match its name is replaced.

        Raises:
            InputFileError: ``source`` cannot be read (missing, a folder, no permission).
            WorkbenchError: the store folder cannot be written.
        """
        source = Path(source)
        if not source.is_file():
            raise InputFileError("证据文件不存在或不是普通文件", path=str(source))
        self._make_root()
        temp = self.root / f".incoming-{secrets.token_hex(8)}.tmp"
        try:
            sha, size, head = _copy_hashing(source, temp)
            stored = f"{sha[:2]}/{sha}"
            target = self.root / stored
            if target.is_file() and file_sha256(target) == sha:
                temp.unlink()
            else:
                target.parent.mkdir(exist_ok=True)
                os.replace(temp, target)
        except OSError as err:
            raise WorkbenchError(f"无法将证据文件保存到 {self.root}（{os_reason(err)}）") from err
        finally:
            with suppress(OSError):
                temp.unlink(missing_ok=True)
        return StoredFile(sha, size, stored, guess_mime(head, source.name))

    def _make_root(self) -> None:
        """Create the store folder; a file (or anything else) in its place is reported, not replaced."""
        if self.root.exists() and not self.root.is_dir():
            raise WorkbenchError(
                f"证据文件夹 {self.root} 的位置上已有一个同名文件，无法保存证据；"
                "请将该文件改名或移走（它不是工作台写的）后重试")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise WorkbenchError(f"无法创建证据文件夹 {self.root}（{os_reason(err)}）") from err

    def path_of(self, stored_path: str) -> Path:
        """The absolute path of a stored file.

        Raises:
            WorkbenchError: ``stored_path`` is not of the form the store writes (``ab/<sha>``),
                e.g. a tampered database row pointing outside the store.
        """
        if not _STORED_PATH.match(stored_path):
            raise WorkbenchError(f"证据存储路径无效：{stored_path}")
        return self.root / stored_path

    def check(self, stored_path: str, sha256: str) -> str:
        """``ok``, ``missing`` (no such file) or ``modified`` (bytes no longer hash to ``sha256``)."""
        path = self.path_of(stored_path)
        if not path.is_file():
            return "missing"
        try:
            actual = file_sha256(path)
        except OSError:
            return "missing"
        return "ok" if actual == sha256 else "modified"


def file_sha256(path: Path) -> str:
    """SHA-256 of the file's bytes, as 64 lower-case hex digits (read in 1 MiB chunks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def guess_mime(head: bytes, name: str) -> str:
    """MIME type from the file's first bytes, else from its name, else application/octet-stream."""
    for magic, mime in _MAGIC:
        if head.startswith(magic):
            return mime
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _copy_hashing(source: Path, target: Path) -> tuple[str, int, bytes]:
    """Copy ``source`` to ``target``; return its SHA-256, size in bytes and first 16 bytes."""
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        src = open(source, "rb")  # opened apart: a read error here is the user's file, not the store
    except OSError as err:
        raise InputFileError(f"无法读取证据文件（{os_reason(err)}）", path=str(source)) from err
    with src, open(target, "wb") as dst:
        while chunk := src.read(_CHUNK):
            if not head:
                head = chunk[:16]
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return digest.hexdigest(), size, head
