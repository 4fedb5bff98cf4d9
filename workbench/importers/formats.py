"""Which kind of file the user gave us, decided from its bytes, never from its name."""

from __future__ import annotations

import codecs
import io
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import InputFileError, os_reason
from workbench.importers.markup_tables import sniff_markup

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
_NOT_REGULAR = "该路径不是普通文件（是文件夹、管道或设备），请选择表格文件"
# A NUL character in a text file: binary data or a damaged file. Refused wherever it is (not
# stripped): the file is evidence, and its other bytes cannot be trusted either.
_NUL_MESSAGE = "无法识别的文件格式：含有空字符（NUL），不是 Excel、ODS 或 CSV 文本，可能是二进制文件或已损坏"
# Text encodings tried in order for CSV/TSV without a byte-order mark: strict UTF-8 first
# (GBK bytes almost never form valid UTF-8), then GB18030, a superset of GBK and GB2312.
_TEXT_ENCODINGS = ("utf-8", "gb18030")


@dataclass(frozen=True)
class FileFormat:
    """What a file holds.

    Attributes:
        format: ``xlsx`` (also xlsm), ``xls`` (BIFF8), ``ods``, ``csv`` (also TSV), ``html`` (a web
            page table saved as .xls) or ``xml2003`` (Excel 2003 XML, SpreadsheetML).
        encoding: the text encoding for ``csv`` and ``html`` (``utf-8-sig``, ``utf-16``,
            ``gb18030``…), else ''.
    """

    format: str
    encoding: str = ""


def read_bytes(path: str | Path) -> bytes:
    """Return the whole content of ``path``, a regular file.

    The file is opened without blocking and checked with ``fstat`` before anything is read, so
    a named pipe (FIFO), device or folder is refused at once instead of hanging the import
    (breaker report C1), and a file swapped in between a check and the read cannot slip through.

    Raises:
        InputFileError: the file is missing or unreadable, or the path is not a regular file.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError as err:  # Windows cannot open a folder at all
        raise InputFileError(_NOT_REGULAR, str(path)) from err
    except OSError as err:
        raise InputFileError(f"无法读取文件（{os_reason(err)}）", str(path)) from err
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputFileError(_NOT_REGULAR, str(path))
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read()
    except OSError as err:
        raise InputFileError(f"无法读取文件（{os_reason(err)}）", str(path)) from err
    finally:
        os.close(fd)


def decode_text(data: bytes, fmt: FileFormat, name: str) -> str:
    """The text of a ``csv`` file, decoded with ``fmt.encoding``.

    Raises:
        InputFileError: the bytes do not decode (e.g. UTF-16 with an odd byte count: a cut-off
            file, breaker report B1), or the text holds a NUL character (refused like NUL bytes
            in other text files: see ``_text_encoding``).
    """
    try:
        text = data.decode(fmt.encoding)
    except UnicodeDecodeError as err:
        raise InputFileError(
            f"文本在第 {err.start + 1} 个字节处无法按 {fmt.encoding.upper()} 编码读取，文件可能不完整或已损坏",
            name,
        ) from err
    nul = text.find("\x00")
    if nul >= 0:  # UTF-16, or text with a byte-order mark (not checked byte-wise)
        raise InputFileError(_NUL_MESSAGE, name, row=text.count("\n", 0, nul) + 1)
    return text


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
    encoding = _text_encoding(data, name)
    markup = sniff_markup(data[:8192].decode(encoding, "replace"))
    return FileFormat(markup or "csv", encoding)


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
    """The encoding of a text file: BOM first, UTF-16 by its NUL bytes, then UTF-8/GB18030.

    Any NUL byte in a file that is not UTF-16 refuses it, with the row of the first one.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 4:
        # UTF-16 without a BOM: ASCII characters leave a NUL in every other byte.
        even_nuls = head[0::2].count(b"\x00")
        return "utf-16-be" if even_nuls > head[1::2].count(b"\x00") else "utf-16-le"
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputFileError(_NUL_MESSAGE, name, row=data.count(b"\n", 0, nul) + 1)
    for encoding in _TEXT_ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise InputFileError("无法识别文本编码（支持 UTF-8、GBK/GB18030、UTF-16）", name)
