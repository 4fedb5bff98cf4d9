"""Tests for workbench.exporters.cells: formula-safe values, table layout, atomic saving."""

from __future__ import annotations

import math
import os
import tempfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText

from workbench.errors import WorkbenchError
from workbench.exporters.cells import (
    MAX_CELL_CHARS,
    Styled,
    display_width,
    safe_cell,
    save_workbook,
    write_table,
    write_workbook,
)

INJECTIONS = ["=1+1", "+cmd", "-2", "@SUM(A1)", "\t=1", "=cmd|' /C calc'!A0", "#N/A", "#REF!"]


@pytest.mark.parametrize("text", INJECTIONS)
def test_safe_cell_turns_formula_like_text_into_rich_text_with_same_content(text):
    value = safe_cell(text)
    assert isinstance(value, CellRichText)
    assert str(value) == text


@pytest.mark.parametrize("text", ["网站名称", "abc", "a=b", "1-2", "", "＝1+1"])
def test_safe_cell_keeps_harmless_text_as_str(text):
    assert safe_cell(text) == text
    assert type(safe_cell(text)) is str


def test_safe_cell_keeps_numbers_and_dates_and_blanks_none():
    assert safe_cell(None) == ""
    assert safe_cell(42) == 42 and type(safe_cell(42)) is int
    assert safe_cell(-2.5) == -2.5
    assert safe_cell(Decimal("1.10")) == Decimal("1.10")
    assert safe_cell(date(2026, 3, 1)) == date(2026, 3, 1)
    assert safe_cell(timedelta(days=2)) == timedelta(days=2)
    assert safe_cell(True) == "是" and safe_cell(False) == "否"
    assert safe_cell(math.nan) == "" and safe_cell(math.inf) == ""


def test_safe_cell_makes_aware_datetime_naive_at_the_same_instant():
    aware = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    naive = safe_cell(aware)
    assert naive.tzinfo is None
    assert naive.astimezone(UTC) == aware


def test_safe_cell_strips_control_characters_and_truncates():
    assert safe_cell("a\x00b\x07c\x1fd") == "abcd"
    assert safe_cell("行1\r\n行2\r行3") == "行1\n行2\n行3"
    assert len(safe_cell("长" * (MAX_CELL_CHARS + 10))) == MAX_CELL_CHARS


def test_display_width_counts_cjk_double():
    assert display_width("abc") == 3
    assert display_width("网站") == 4
    assert display_width("鲁ICP备1号") == 2 + 3 + 2 + 1 + 2
    assert display_width("（）") == 4


def _table(tmp_path, headers, rows, **kwargs):
    def fill(wb):
        write_table(wb.create_sheet("表"), headers, rows, **kwargs)

    return write_workbook(tmp_path / "表.xlsx", fill)


def test_injected_text_reads_back_as_plain_text_not_formula(tmp_path, read_back, sheet_xml):
    out = _table(tmp_path, ["原始值"], [[t] for t in INJECTIONS])
    ws = read_back(out)["表"]
    cells = [ws.cell(row=r, column=1) for r in range(2, 2 + len(INJECTIONS))]
    assert [c.value for c in cells] == INJECTIONS
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells)  # Excel keeps them text when edited
    xml = sheet_xml(out)
    assert "<f>" not in xml and 't="e"' not in xml


def test_safe_cell_protects_a_normal_mode_append(tmp_path, read_back):
    wb = Workbook()
    wb.active.append([safe_cell(t) for t in INJECTIONS])
    out = save_workbook(wb, tmp_path / "plain.xlsx")
    row = next(read_back(out).active.iter_rows())
    assert [c.value for c in row] == INJECTIONS
    assert {c.data_type for c in row} == {"s"}


def test_write_table_layout(tmp_path, read_back):
    rows = [
        ["鲁ICP备12345678号-1", date(2026, 3, 1), 3, "山东某某科技有限公司" * 10],
        ["京ICP备1号", None, Styled(0.5, bold=True, number_format="0.0%"), "短"],
    ]
    out = _table(tmp_path, ["网站备案号", "核查日期", "数量", "备注"], rows, title="测试标题")
    ws = read_back(out)["表"]
    assert ws["A1"].value == "测试标题" and ws["A1"].font.b
    assert [c.value for c in ws[2]] == ["网站备案号", "核查日期", "数量", "备注"]
    assert all(c.font.b for c in ws[2])
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:D4"
    assert ws.print_title_rows == "$2:$2"
    assert ws["A3"].value == "鲁ICP备12345678号-1"
    assert ws["B3"].value == datetime(2026, 3, 1) and ws["B3"].number_format == "yyyy-mm-dd"
    assert ws["C3"].value == 3 and ws["C3"].data_type == "n"
    assert ws["C4"].number_format == "0.0%" and ws["C4"].font.b
    assert ws["D3"].alignment.wrap_text  # 200 display units > the 50-unit cap
    assert not ws["D4"].alignment.wrap_text
    assert ws["B4"].value is None


def test_column_widths_count_cjk_double_and_honour_given_widths(tmp_path, read_back):
    rows = [["abcdefghij", "一二三四五六七八九十", "x", "x" * 500]]
    out = _table(tmp_path, ["A", "B", "C", "D"], rows, widths=[None, None, 33])
    dims = read_back(out)["表"].column_dimensions
    assert dims["B"].width - dims["A"].width == 10
    assert dims["C"].width == 33
    assert dims["D"].width == 50


def test_narrowed_table_gives_its_width_to_prose_not_to_names(tmp_path, read_back):
    """A register too wide for the page: a column of long descriptions keeps several times the
    width of a column of organisation names, so rows wrap to a few lines instead of ~20 (the
    整改台账 printed 2–3 findings a page when every long column was cut to one width)."""
    name = "济南恒通文化传媒有限公司"                       # 24 units
    prose = "网站备案信息核查结论：联系方式不准确，拨打网站负责人手机，提示为空号。" * 4  # ~280 units
    headers = ["主办单位", "问题描述", "法律依据", "处理记录"] + [f"列{i}" for i in range(8)]
    rows = [[name, prose, prose[:120], "2026-12-03 登记问题\n2026-12-05 送达"] + ["一二三四五六七八九十"] * 8
            for _ in range(20)]
    dims = read_back(_table(tmp_path, headers, rows))["表"].column_dimensions
    widths = [dims[chr(ord("A") + i)].width for i in range(len(headers))]
    assert sum(widths) <= 136.1                                  # A4 landscape budget kept
    assert widths[1] >= 3 * widths[0]                            # prose wider than names
    lines = [math.ceil(280 / (widths[1] - 1)), math.ceil(24 / (widths[0] - 1))]
    assert lines[0] <= 10                                         # was 28 lines at one common width


def test_write_table_without_rows_still_has_header_and_filter(tmp_path, read_back):
    ws = read_back(_table(tmp_path, ["甲", "乙"], []))["表"]
    assert [c.value for c in ws[1]] == ["甲", "乙"]
    assert ws.auto_filter.ref == "A1:B1"
    assert ws.freeze_panes == "A2"


def test_failure_leaves_no_file_and_no_temp_files(tmp_path, monkeypatch):
    system_temp = tmp_path / "systemp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    folder = tmp_path / "out"
    folder.mkdir()

    def rows():  # fails after the first 500 rows (used to size columns) were streamed out
        yield from ([f"第{i}行"] for i in range(600))
        raise RuntimeError("boom")

    def fill(wb):
        write_table(wb.create_sheet("表"), ["列"], rows())

    with pytest.raises(RuntimeError):
        write_workbook(folder / "结果.xlsx", fill)
    assert list(folder.iterdir()) == []
    assert list(system_temp.iterdir()) == []  # openpyxl's streaming parts removed too


def test_failure_keeps_the_previous_file(tmp_path):
    out = tmp_path / "结果.xlsx"
    out.write_bytes(b"old content")

    def fill(wb):
        raise KeyError("boom")

    with pytest.raises(KeyError):
        write_workbook(out, fill)
    assert out.read_bytes() == b"old content"
    assert list(tmp_path.iterdir()) == [out]


def test_locked_target_becomes_workbench_error(tmp_path, monkeypatch):
    def locked(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", locked)
    out = tmp_path / "汇总表.xlsx"
    with pytest.raises(WorkbenchError) as info:
        write_workbook(out, lambda wb: write_table(wb.create_sheet("表"), ["列"], [["值"]]))
    assert str(info.value) == f"文件被其他程序占用，请关闭后重试：{out}"
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_reported_before_any_work(tmp_path):
    called = []
    with pytest.raises(WorkbenchError, match="保存位置不存在"):
        write_workbook(tmp_path / "无此目录" / "a.xlsx", called.append)
    assert called == []


def test_written_file_is_readable_by_others(tmp_path):
    if os.name != "posix":
        pytest.skip("POSIX permission bits")
    old = os.umask(0o022)
    try:
        out = write_workbook(tmp_path / "a.xlsx", lambda wb: wb.create_sheet("表"))
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644


def test_write_table_works_on_a_normal_worksheet(tmp_path, read_back):
    wb = Workbook()
    write_table(wb.active, ["检查项", "日期"], [["+1 口令复杂度", date(2026, 1, 5)]], title="清单")
    ws = read_back(save_workbook(wb, tmp_path / "normal.xlsx")).active
    assert ws["A2"].value == "检查项" and ws["A2"].font.b
    assert ws["A3"].value == "+1 口令复杂度" and ws["A3"].data_type == "s"
    assert ws["B3"].number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:B3"
