"""Formats decided from bytes; unreadable files give InputFileError naming file and reason."""

from __future__ import annotations

import codecs

import pytest

from workbench.errors import InputFileError
from workbench.importers.site_list import preview_site_list, read_site_list

ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("gbk", b""),
    ("gb18030", b""),
]


@pytest.mark.parametrize("encoding, bom", ENCODINGS)
def test_csv_in_each_encoding(tmp_path, csv_text, encoding, bom):
    path = tmp_path / "名单.csv"
    path.write_bytes(bom + csv_text.encode(encoding))
    result = read_site_list(path)
    assert result.format == "csv"
    assert [r.sponsor_name for r in result.records] == ["淄博海岳科技有限公司", "周军建", "周军建"]
    assert result.records[0].approved_on.isoformat() == "2020-10-25"


def test_utf16_tab_separated_unicode_text(tmp_path, csv_text):
    path = tmp_path / "名单.txt"
    path.write_bytes(csv_text.replace(",", "\t").encode("utf-16"))  # Excel "Unicode text"
    result = read_site_list(path)
    assert result.format == "csv"
    assert [r.site_filing_no for r in result.records] == [
        "鲁ICP备12897588号-1", "鲁ICP备17653152号-1", "鲁ICP备17653152号-2",
    ]


def test_utf16_without_bom(tmp_path, csv_text):
    path = tmp_path / "list.txt"
    path.write_bytes(csv_text.replace(",", "\t").encode("utf-16-le"))
    assert len(read_site_list(path).records) == 3


def test_xlsx_renamed_as_xls_imports(tmp_path, simple_rows, make_xlsx):
    path = make_xlsx(tmp_path / "renamed.xls", {"Sheet1": simple_rows})
    result = read_site_list(path)
    assert result.format == "xlsx"
    assert len(result.records) == 3


def test_xlsx_without_extension_imports(tmp_path, simple_rows, make_xlsx):
    path = make_xlsx(tmp_path / "list.xlsx", {"Sheet1": simple_rows})
    target = tmp_path / "list"
    path.rename(target)
    assert read_site_list(target).format == "xlsx"


def _error(path) -> str:
    with pytest.raises(InputFileError) as info:
        read_site_list(path)
    assert info.value.path == str(path)
    assert str(path) in str(info.value)
    return str(info.value)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert "文件为空" in _error(path)


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\r\n  \r\n")
    assert "文件为空" in _error(path)


def test_missing_file(tmp_path):
    assert "无法读取" in _error(tmp_path / "nope.xlsx")


def test_corrupt_zip(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 20)
    assert "损坏" in _error(path)


def test_truncated_xlsx(tmp_path, simple_rows, make_xlsx):
    good = make_xlsx(tmp_path / "good.xlsx", {"Sheet1": simple_rows}).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    assert "损坏" in _error(path)


def test_png_is_refused(tmp_path):
    path = tmp_path / "scan.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert "PNG 图片" in _error(path)


def test_other_zip_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "不是 Excel" in _error(path)


def test_encrypted_ole2_stub_is_password_protected(tmp_path):
    # An Office file saved with a password: an OLE2 container whose directory names an
    # "EncryptedPackage" stream ([MS-OFFCRYPTO] §2.3.4.4). Only the parts the check reads.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    entry = "EncryptedPackage".encode("utf-16-le").ljust(128, b"\x00")
    path = tmp_path / "secret.xlsx"
    path.write_bytes(header + entry + b"\x00" * 1024)
    assert "密码" in _error(path)


def test_corrupt_ole2_is_refused(tmp_path):
    path = tmp_path / "bad.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600)
    assert "损坏" in _error(path)


def test_binary_noise_is_refused(tmp_path):
    path = tmp_path / "noise.csv"
    path.write_bytes(bytes(range(1, 40)) + b"\x00\x01" + bytes(range(200, 256)) * 3)
    assert "无法识别" in _error(path)


def test_preview_raises_the_same_errors(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(InputFileError):
        preview_site_list(path)
