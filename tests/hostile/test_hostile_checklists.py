"""Hostile checklist workbooks through ``workbench checklist import`` (issue 9's hostile pass):
empty, a missing column, duplicate item ids, 10,000 items, formulas, bidi and control characters,
and an edited copy of a built-in template under the built-in's own version.

Each refusal: exit code 2, a Chinese message naming the file (and row and column), no template
stored; the database keeps working (``checklist list`` still lists the built-ins).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from cli_run import named_data_dir, run
from hostile_files import database_dump


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    named_data_dir(tmp_path, monkeypatch)


@pytest.fixture(scope="module")
def builtin_book(tmp_path_factory) -> Path:
    """The built-in website_security template exported as a workbook (written once)."""
    from workbench.exporters.checklist_xlsx import write_template_xlsx
    from workbench.storage.checklist_repo import builtin_templates

    template = next(t for _n, t, _s in builtin_templates() if t.code == "website_security")
    out = tmp_path_factory.mktemp("cl") / "website_security.xlsx"
    write_template_xlsx(template, out)
    return out


def edited(src: Path, out: Path, version: str | None = "9.1", edit=None) -> Path:
    book = openpyxl.load_workbook(src)
    if version is not None:
        info = book["模板信息"]
        for row in info.iter_rows():
            if row[0].value == "版本":
                row[1].value = version
    if edit:
        edit(book)
    book.save(out)
    return out


def assert_refused(capsys, db: Path, book: Path, *words: str) -> str:
    before = database_dump(db) if db.exists() else None
    code, _out, err = run(capsys, "checklist", "import", book, "--db", db)
    assert code == 2, err
    assert err.startswith("错误：") and "Traceback" not in err, err
    assert book.name in err, err
    for word in words:
        assert word in err, err
    if before is not None:
        assert database_dump(db) == before
    code, out, listed = run(capsys, "checklist", "list", "--db", db)
    assert code == 0 and "website_security" in out, listed
    return err


@pytest.fixture
def db(capsys, tmp_path) -> Path:
    path = tmp_path / "work.sqlite3"
    assert run(capsys, "checklist", "list", "--db", path)[0] == 0
    return path


def test_an_empty_workbook_is_refused(capsys, tmp_path, db):
    book = tmp_path / "空.xlsx"
    openpyxl.Workbook().save(book)
    assert_refused(capsys, db, book, "模板信息")


def test_a_header_only_items_sheet_is_refused(capsys, tmp_path, db, builtin_book):
    def cut(book):
        ws = book["检查项"]
        ws.delete_rows(2, ws.max_row)

    assert_refused(capsys, db, edited(builtin_book, tmp_path / "只有表头.xlsx", edit=cut), "没有检查项")


def test_a_missing_required_column_is_named(capsys, tmp_path, db, builtin_book):
    def drop_basis(book):
        ws = book["检查项"]
        col = next(c.column for c in ws[1] if c.value == "依据")
        ws.delete_cols(col)

    assert_refused(capsys, db, edited(builtin_book, tmp_path / "缺列.xlsx", edit=drop_basis), "依据", "缺少必需的列")


def test_duplicate_item_ids_name_both_rows(capsys, tmp_path, db, builtin_book):
    def dup(book):
        ws = book["检查项"]
        ws["C3"] = ws["C2"].value

    err = assert_refused(capsys, db, edited(builtin_book, tmp_path / "重复.xlsx", edit=dup), "第 3 行", "重复", "第 2 行")
    assert "编号" in err


def test_ten_thousand_items_import(capsys, tmp_path, db, builtin_book):
    def grow(book):
        ws = book["检查项"]
        first = [c.value for c in ws[2]]
        for i in range(10_000):
            row = list(first)
            row[2] = f"Z-{i:05d}"
            ws.append(row)

    book = edited(builtin_book, tmp_path / "一万项.xlsx", edit=grow)
    code, out, err = run(capsys, "checklist", "import", book, "--db", db)
    assert code == 0, err
    assert "10036 项" in out


@pytest.mark.parametrize("cell, text", [
    ("D2", "检查\u202e要求"),           # right-to-left override in a requirement
    ("B2", "安全\u2066责任\u2069"),      # isolates in a section title
    ("D3", "要求\u009b2J清屏"),          # CSI, a terminal escape
    ("E4", "\u061c方法"),                # Arabic letter mark
])
def test_hidden_characters_are_refused_naming_row_and_column(capsys, tmp_path, db, builtin_book, cell, text):
    def put(book):
        book["检查项"][cell] = text

    book = tmp_path / "隐藏字符.xlsx"
    try:
        edited(builtin_book, book, edit=put)
    except openpyxl.utils.exceptions.IllegalCharacterError:
        pytest.skip("openpyxl cannot write this control character")
    err = assert_refused(capsys, db, book, f"第 {cell[1:]} 行", f"列“{cell[0]}”", "不可见的控制字符", "[U+")
    assert "\u202e" not in err and "\u2066" not in err


def test_hidden_characters_in_the_title_are_refused(capsys, tmp_path, db, builtin_book):
    def title(book):
        for row in book["模板信息"].iter_rows():
            if row[0].value == "模板名称":
                row[1].value = "网站\u202e安全检查表"

    assert_refused(capsys, db, edited(builtin_book, tmp_path / "标题.xlsx", edit=title), "模板信息", "[U+202E]")


def test_formulas_import_their_saved_results_and_are_refused_without_one(capsys, tmp_path, db, builtin_book):
    """A formula saved with its result (as Excel saves it) reads as that result; one saved
    without a result (as some generators write it) is refused, never read as empty."""
    import re
    import sqlite3
    import zipfile

    book = edited(builtin_book, tmp_path / "公式.xlsx", version="9.2")
    wb = openpyxl.load_workbook(book)
    wb["检查项"]["E2"] = '=CONCATENATE("查阅","文件")'
    wb.save(book)
    code, _out, err = run(capsys, "checklist", "import", book, "--db", db)
    assert code == 2 and "公式" in err and "第 2 行" in err and "Traceback" not in err, err

    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/") and b'r="E2"' in data:
            parts[name] = re.sub(rb'<c r="E2"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>',
                                 '<c r="E2" t="str"><f>\\2</f><v>查阅文件</v></c>'.encode(), data)
            assert parts[name] != data
    saved = tmp_path / "公式有结果.xlsx"
    with zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    code, out, err = run(capsys, "checklist", "import", saved, "--db", db)
    assert code == 0, err
    conn = sqlite3.connect(db)
    try:
        content = conn.execute("SELECT content FROM checklist_template WHERE version = '9.2'").fetchone()[0]
    finally:
        conn.close()
    assert "查阅文件" in content and "CONCATENATE" not in content


def test_an_edited_builtin_under_its_own_version_is_refused_even_in_a_new_database(capsys, tmp_path, builtin_book):
    """Before: the edit took the built-in's (code, version) in a database that had not stored the
    built-ins yet, and every later ``checklist list`` (and the window's template list) failed."""
    def change(book):
        book["检查项"]["D2"] = "改过的检查要求"

    book = edited(builtin_book, tmp_path / "改过的内置模板.xlsx", version=None, edit=change)
    db = tmp_path / "new.sqlite3"
    code, _out, err = run(capsys, "checklist", "import", book, "--db", db)
    assert code == 2 and "已存在且内容不同" in err, err
    code, out, err = run(capsys, "checklist", "list", "--db", db)
    assert code == 0 and "website_security\t2026" in out, err
    code, out, err = run(capsys, "checklist", "import", book, "--db", db, "--new-version")
    assert code == 0, err


# --- YAML templates -------------------------------------------------------------------------------

LAUGHS = "\n".join(
    [f'{a}: &{a} [{", ".join(["lol"] * 9)}]' if a == "a" else f'{a}: &{a} [{", ".join([f"*{p}"] * 9)}]'
     for p, a in zip(" abcdefgh", "abcdefghi", strict=True)]
    + ["id: laughs", "title: *i", 'version: "1.0"'])


@pytest.mark.parametrize("name, content, words", [
    ("laughs.yaml", LAUGHS.encode(), ("别名", "第 2 行")),        # "billion laughs": 9^9 strings
    ("deep.yaml", b"a: " + b"[" * 50_000 + b"]" * 50_000, ("嵌套",)),
    ("utf16.yaml", "id: x".encode("utf-16"), ("UTF-8",)),
])
def test_a_hostile_yaml_template_is_refused_quickly(capsys, tmp_path, db, name, content, words):
    import time

    path = tmp_path / name
    path.write_bytes(content)
    started = time.perf_counter()
    err = assert_refused(capsys, db, path, *words)
    assert time.perf_counter() - started < 10, err
    assert "Traceback" not in err and "codec" not in err
