"""Checklist workbook import of the bad input in the breaker report (C1, D6–D9)."""

from __future__ import annotations

import os
import re
import threading
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from workbench.domain.checklist import ChecklistFormatError
from workbench.errors import InputFileError
from workbench.importers.checklist_xlsx import read_template_xlsx

BASIS = "《中华人民共和国网络安全法》（2025修正）第二十三条"
HEADERS = ["章节/分类", "编号", "检查要求", "检查方法", "依据", "严重程度"]
ITEMS = [["管理", "1", "明确网络安全负责人。", "查阅任命文件", BASIS, "高"]]


def _book(path, info=(("模板编号", "custom"), ("模板名称", "自制检查表"), ("版本", "1.0")),
          items_title="检查项", before=None):
    book = Workbook()
    meta = book.active
    meta.title = "模板信息"
    for pair in info:
        meta.append(list(pair))
    if before is not None:
        book.create_sheet(before).append(["这张表不是检查项"])
    sheet = book.create_sheet(items_title)
    sheet.append(HEADERS)
    for row in ITEMS:
        sheet.append(row)
    book.save(path)
    return path


def _error(path) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        read_template_xlsx(path)
    assert str(path) in str(info.value)
    return info.value


def _message(err: InputFileError) -> str:
    """The message without the file's path (which has Latin letters of its own)."""
    return str(err).replace(err.path, "")


def test_a_good_workbook_still_reads(tmp_path):
    template = read_template_xlsx(_book(tmp_path / "t.xlsx"))
    assert (template.code, template.version) == ("custom", "1.0")


# D6 ---------------------------------------------------------------------------------------


def _docx(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")


@pytest.mark.parametrize(
    ("write", "words"),
    [(lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64), "PNG 图片"),
     (lambda p: p.write_bytes("编号,检查要求\n1,要求\n".encode()), "文本文件"),
     (lambda p: p.write_bytes(b""), "文件为空"),
     (_docx, "不是 Excel"),
     (lambda p: p.write_bytes(b"PK\x03\x04" + b"\0garbage" * 20), "损坏")],
    ids=["png", "csv", "empty", "docx", "broken-zip"],
)
def test_non_workbooks_get_the_site_importers_chinese_messages(tmp_path, write, words):
    path = tmp_path / "模板.xlsx"
    write(path)
    message = _message(_error(path))
    assert words in message
    assert not re.search(r"[A-Za-z]{3,}", re.sub(r"Excel|Office|ODS|xlsx|xls|PNG", "", message)), message


# C1 ---------------------------------------------------------------------------------------


def test_a_folder_is_refused(tmp_path):
    folder = tmp_path / "模板.xlsx"
    folder.mkdir()
    assert "该路径不是普通文件" in _message(_error(folder))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_a_named_pipe_is_refused_at_once(tmp_path):
    fifo = tmp_path / "fifo.xlsx"
    os.mkfifo(fifo)
    outcome: list = []

    def target():
        try:
            read_template_xlsx(fifo)
        except InputFileError as err:
            outcome.append(err)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():  # unblock the reader before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("the reader hung on a named pipe")
    assert outcome and "该路径不是普通文件" in str(outcome[0])


# D7 ---------------------------------------------------------------------------------------


def test_header_not_found_names_the_sheet_actually_read(tmp_path):
    err = _error(_book(tmp_path / "t.xlsx", items_title="检查项目", before="AAA"))
    assert "“AAA”表" in str(err) and "“检查项”表" not in str(err)


# D8 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [2026.10, 3])
def test_a_version_typed_as_a_number_is_refused(tmp_path, version):
    info = (("模板编号", "custom"), ("模板名称", "自制检查表"), ("版本", version))
    err = _error(_book(tmp_path / "t.xlsx", info=info))
    assert isinstance(err, ChecklistFormatError)
    assert (err.row, err.column) == (3, "版本")
    assert "以数字形式填写" in str(err) and "文本" in str(err)


def test_a_version_typed_as_text_keeps_its_trailing_zero(tmp_path):
    info = (("模板编号", "custom"), ("模板名称", "自制检查表"), ("版本", "2026.10"))
    assert read_template_xlsx(_book(tmp_path / "t.xlsx", info=info)).version == "2026.10"


# D9 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template_id", "version", "row", "column"),
    [("../../etc/x<b>", "1.0", 1, "模板编号"), ("custom", "../../v1\n2", 3, "版本"),
     ("a" * 65, "1.0", 1, "模板编号"), ("custom", "1" * 33, 3, "版本"), ("自制", "1.0", 1, "模板编号"),
     ("-x", "1.0", 1, "模板编号")],
)
def test_unsafe_template_ids_and_versions_are_refused(tmp_path, template_id, version, row, column):
    info = (("模板编号", template_id), ("模板名称", "自制检查表"), ("版本", version))
    err = _error(_book(tmp_path / "t.xlsx", info=info))
    assert isinstance(err, ChecklistFormatError)
    assert (err.row, err.column) == (row, column)
    assert "只能由英文字母、数字和 _ - . 组成" in str(err)


def test_the_longest_safe_id_and_version_are_accepted(tmp_path):
    info = (("模板编号", "A_b-1." + "x" * 58), ("模板名称", "自制检查表"), ("版本", "2026.10-rc_1" + "0" * 20))
    template = read_template_xlsx(_book(tmp_path / "t.xlsx", info=info))
    assert (len(template.code), len(template.version)) == (64, 32)


# A9 (checklist side) ----------------------------------------------------------------------


def test_a_formula_saved_without_its_result_is_refused_not_read_as_empty(tmp_path):
    path = _book(tmp_path / "t.xlsx")
    book = load_workbook(path)
    book["检查项"]["C2"] = '=HYPERLINK("http://x","明确网络安全负责人。")'
    book.save(path)
    err = _error(path)
    assert isinstance(err, ChecklistFormatError)
    assert (err.row, err.column) == (2, "C")
    assert "公式" in str(err) and "没有保存计算结果" in str(err) and "“检查项”表" in str(err)


def test_unprintable_characters_in_a_refused_id_are_shown_escaped(tmp_path):
    info = (("模板编号", "custom"), ("模板名称", "自制检查表"), ("版本", "v1\n2"))
    err = _error(_book(tmp_path / "t.xlsx", info=info))
    assert "v1\\x0a2" in str(err) and "\n" not in str(err)
