"""Malformed templates are refused with messages naming the row (YAML line / sheet row) and column."""

from __future__ import annotations

import textwrap

import pytest
from openpyxl import Workbook

from workbench.domain.checklist import ChecklistFormatError
from workbench.errors import InputFileError
from workbench.importers.checklist_xlsx import read_template_xlsx
from workbench.storage.checklist_repo import template_from_yaml

BASIS = "《中华人民共和国网络安全法》（2025修正）第二十三条"

GOOD_YAML = textwrap.dedent(f"""\
    id: t1
    title: 测试模板
    version: "1.0"
    sections:
      - {{code: A, title: 管理}}
    items:
      - code: A-01
        section: A
        requirement: 明确网络安全负责人。
        basis: ["{BASIS}"]
        severity: high
      - code: A-02
        section: A
        requirement: 制定管理制度。
        basis: ["{BASIS}"]
        severity: 中
    """)


def _yaml_error(text: str) -> ChecklistFormatError:
    with pytest.raises(ChecklistFormatError) as info:
        template_from_yaml(text, "模板.yaml")
    return info.value


def test_good_yaml_is_accepted():
    t = template_from_yaml(GOOD_YAML)
    assert [i.code for i in t.items] == ["A-01", "A-02"]
    assert [i.severity for i in t.items] == ["high", "medium"]


def test_missing_code_names_the_yaml_line():
    err = _yaml_error(GOOD_YAML.replace("  - code: A-02\n    section: A", "  - section: A"))
    assert (err.row, err.column) == (12, "code")
    assert "缺少编号" in str(err) and "第 12 行" in str(err) and "模板.yaml" in str(err)


def test_duplicate_code_is_refused():
    err = _yaml_error(GOOD_YAML.replace("code: A-02", "code: A-01"))
    assert (err.row, err.column) == (12, "code")
    assert "重复" in str(err) and "第 7 行" in str(err)


def test_unknown_severity_is_refused():
    err = _yaml_error(GOOD_YAML.replace("severity: high", "severity: critical"))
    assert (err.row, err.column) == (7, "severity")
    assert "critical" in str(err)


def test_empty_requirement_is_refused():
    err = _yaml_error(GOOD_YAML.replace("requirement: 制定管理制度。", 'requirement: "  "'))
    assert (err.row, err.column) == (12, "requirement")
    assert "检查要求为空" in str(err)


def test_every_problem_is_collected():
    text = GOOD_YAML.replace("severity: high", "severity: 严重").replace("code: A-02", "code: A-01")
    err = _yaml_error(text)
    assert [(p[0], p[1]) for p in err.problems] == [(7, "severity"), (12, "code")]
    assert "另有 1 处问题" in str(err)


def test_basis_without_version_is_refused():
    err = _yaml_error(GOOD_YAML.replace(f'basis: ["{BASIS}"]\n    severity: high',
                                        'basis: ["网络安全法第21条"]\n    severity: high'))
    assert (err.row, err.column) == (7, "basis")


def test_item_in_unknown_section_is_refused():
    err = _yaml_error(GOOD_YAML.replace("section: A\n    requirement: 制定", "section: Z\n    requirement: 制定"))
    assert (err.row, err.column) == (12, "section")


def test_invalid_yaml_names_its_line():
    with pytest.raises(InputFileError) as info:
        template_from_yaml("id: t1\nitems: [\n", "坏.yaml")
    assert info.value.row is not None and "YAML" in str(info.value)


HEADERS = ["章节/分类", "编号", "检查要求", "检查方法", "依据", "严重程度"]


def _workbook(path, rows, info=True, title_rows=0):
    book = Workbook()
    sheet = book.active
    sheet.title = "检查项"
    for _ in range(title_rows):
        sheet.append(["网站安全检查表（用户自制）"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    if info:
        meta = book.create_sheet("模板信息", 0)
        for pair in (["模板编号", "custom"], ["模板名称", "自制检查表"], ["版本", "1.0"]):
            meta.append(pair)
    book.save(path)
    return path


GOOD_ROWS = [
    ["管理", "1", "明确网络安全负责人。", "查阅任命文件", BASIS, "高"],
    ["管理", "2", "制定管理制度。", "", BASIS, "medium"],
    ["技术", "3", "日志留存不少于六个月。", "", BASIS, "低"],
]


def _xlsx_error(tmp_path, rows, **kw) -> InputFileError:
    path = _workbook(tmp_path / "模板.xlsx", rows, **kw)
    with pytest.raises(InputFileError) as info:
        read_template_xlsx(path)
    return info.value


def test_user_sheet_without_section_codes_is_read(tmp_path):
    t = read_template_xlsx(_workbook(tmp_path / "t.xlsx", GOOD_ROWS, title_rows=2))
    assert (t.code, t.title, t.version) == ("custom", "自制检查表", "1.0")
    assert [(s.code, s.title) for s in t.sections] == [("S01", "管理"), ("S02", "技术")]
    assert [i.severity for i in t.items] == ["high", "medium", "low"]
    assert t.items[0].guidance == "查阅任命文件"


@pytest.mark.parametrize(
    ("row_index", "cell", "value", "column", "text"),
    [
        (1, 1, None, "编号", "缺少编号"),
        (1, 1, "1", "编号", "重复"),
        (1, 5, "严重", "严重程度", "严重"),
        (1, 2, " ", "检查要求", "检查要求为空"),
    ],
)
def test_excel_errors_name_row_and_column(tmp_path, row_index, cell, value, column, text):
    rows = [list(r) for r in GOOD_ROWS]
    rows[row_index][cell] = value
    err = _xlsx_error(tmp_path, rows)
    assert isinstance(err, ChecklistFormatError)
    assert (err.row, err.column) == (row_index + 2, column)  # header on row 1
    assert text in str(err) and f"第 {row_index + 2} 行" in str(err)


def test_excel_without_info_sheet_is_refused(tmp_path):
    err = _xlsx_error(tmp_path, GOOD_ROWS, info=False)
    assert "模板信息" in str(err)


def test_excel_missing_required_column_is_named(tmp_path):
    path = tmp_path / "缺列.xlsx"
    book = Workbook()
    book.active.title = "模板信息"
    items = book.create_sheet("检查项")
    items.append(["编号", "检查要求", "依据"])
    items.append(["1", "要求", BASIS])
    book.save(path)
    with pytest.raises(InputFileError) as info:
        read_template_xlsx(path)
    assert info.value.row == 1 and "章节/分类" in info.value.column and "严重程度" in info.value.column


def test_unreadable_file_is_an_input_error(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(InputFileError, match="无法读取"):
        read_template_xlsx(path)
