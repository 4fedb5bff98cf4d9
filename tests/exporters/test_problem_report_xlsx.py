"""Tests for the import problem report workbook."""

from __future__ import annotations

import os

import pytest

from workbench.domain.site import Problem
from workbench.errors import WorkbenchError
from workbench.exporters.problem_report import HEADERS, report_title, write_problem_report

PROBLEMS = [
    Problem(5, "统一社会信用代码", "uscc_check_digit", "error", "统一社会信用代码校验位错误",
            "91370100MA3C0XXXX2"),
    Problem(9, "联系电话", "phone_format", "warning", "电话号码格式可疑", "-531-8888"),
    Problem(12, "", "duplicate_row", "warning", "与第 5 行重复", ""),
    Problem(None, "", "no_header", "error", "找不到表头行", "=cmd|' /C calc'!A0"),
]


def test_columns_values_and_labels(tmp_path, read_back):
    out = write_problem_report(PROBLEMS, tmp_path / "导入问题.xlsx", source_file="网站名单.xlsx")
    wb = read_back(out)
    assert wb.sheetnames == ["导入问题"]
    ws = wb["导入问题"]
    assert ws["A1"].value == "导入问题报告：网站名单.xlsx（共 4 条：错误 2 条，警告 2 条）"
    assert tuple(c.value for c in ws[2]) == HEADERS == ("行号", "列", "级别", "代码", "说明", "原始值")
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert rows[0] == [5, "统一社会信用代码", "错误", "uscc_check_digit", "统一社会信用代码校验位错误",
                       "91370100MA3C0XXXX2"]
    assert rows[1][2] == "警告" and rows[1][5] == "-531-8888"
    assert rows[2][:2] == [12, "整行"] and rows[2][5] is None
    assert rows[3][:3] == ["全文件", "整行", "错误"]
    assert ws["F6"].value == "=cmd|' /C calc'!A0" and ws["F6"].data_type == "s"
    assert ws["A3"].data_type == "n"  # row numbers stay numbers for sorting


def test_title_without_source_file():
    assert report_title([]) == "导入问题报告（共 0 条：错误 0 条，警告 0 条）"


def test_empty_report_has_header_only(tmp_path, read_back):
    ws = read_back(write_problem_report([], tmp_path / "r.xlsx"))["导入问题"]
    assert ws.max_row == 2 and ws.auto_filter.ref == "A2:F2"


def test_locked_report_becomes_workbench_error(tmp_path, monkeypatch):
    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(WorkbenchError, match="文件被其他程序占用"):
        write_problem_report(PROBLEMS, tmp_path / "r.xlsx")
    assert list(tmp_path.iterdir()) == []
