"""Which kind of file the user gave us, decided from its bytes, never from its name."""

from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import InputFileError

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# An Office file saved with a password is an OLE2 container holding an "EncryptedPackage"
# stream ([MS-OFFCRYPTO] §2.3.4.4); directory entry names are stored in UTF-16LE.
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_NOT_SHEETS = {
    b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF8": "GIF 图片",
    b"BM": "BMP 图片",
    b"%PDF": "PDF 文档",
    b"Rar!": "RAR 压缩包",
    b"7z\xbc\xaf": "7z 压缩包",
}
# Text encodings tried in order for CSV/TSV without a byte-order mark: strict UTF-8 first
# (GBK bytes almost never form valid UTF-8), then GB18030, a superset of GBK and GB2312.
_TEXT_ENCODINGS = ("utf-8", "gb18030")


@dataclass(frozen=True)
class FileFormat:
    """What a file holds.

    Attributes:
        format: ``xlsx`` (also xlsm), ``xls`` (BIFF8), ``ods`` or ``csv`` (also TSV).
        encoding: the text encoding for ``csv`` (``utf-8-sig``, ``utf-16``, ``gb18030``…), else ''.
    """

    format: str
    encoding: str = ""


def read_bytes(path: str | Path) -> bytes:
    """Return the whole content of ``path``.

    Raises:
        InputFileError: the file is missing or unreadable.
    """
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise InputFileError(f"无法读取文件（{err.strerror or err}）", str(path)) from err


def detect_format(data: bytes, name: str) -> FileFormat:
    """Decide the format of a file from its content.

    Args:
        data: the whole file, as from :func:`read_bytes`.
        name: the file's path, for messages.

    Returns:
        The detected format.

    Raises:
        InputFileError: the file is empty, password-protected, a corrupt zip, an image or other
            non-spreadsheet, or text in no supported encoding.
    """
    if not data or (len(data) < 65536 and not data.strip()):
        raise InputFileError("文件为空", name)
    if data.startswith(_ZIP_MAGIC):
        return _zip_format(data, name)
    if data.startswith(_OLE2_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise InputFileError("文件设有打开密码，请在 Excel 中取消密码后另存再导入", name)
        return FileFormat("xls")
    for magic, what in _NOT_SHEETS.items():
        if data.startswith(magic):
            raise InputFileError(f"这是{what}，不是表格文件", name)
    return FileFormat("csv", _text_encoding(data, name))


def _zip_format(data: bytes, name: str) -> FileFormat:
    """xlsx or ods from the zip's members; anything else is refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in members else b""
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise InputFileError("文件已损坏（压缩结构无法读取），请重新获取或在 Excel 中另存", name) from err
    if mimetype.strip() == _ODS_MIMETYPE:
        return FileFormat("ods")
    if "xl/workbook.xml" in members:
        return FileFormat("xlsx")
    raise InputFileError("这是压缩包或其他 Office 文档，不是 Excel/ODS 表格", name)


def _text_encoding(data: bytes, name: str) -> str:
    """The encoding of a text file: BOM first, UTF-16 by its NUL bytes, then UTF-8/GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 4:
        # UTF-16 without a BOM: ASCII characters leave a NUL in every other byte.
        even_nuls = head[0::2].count(b"\x00")
        return "utf-16-be" if even_nuls > head[1::2].count(b"\x00") else "utf-16-le"
    if b"\x00" in head:
        raise InputFileError("无法识别的文件格式（不是 Excel、ODS 或 CSV 文本）", name)
    for encoding in _TEXT_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise InputFileError("无法识别文本编码（支持 UTF-8、GBK/GB18030、UTF-16）", name)
