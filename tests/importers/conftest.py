"""Helpers for importer tests: small workbooks and CSV files written on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

HEADER = ["序号", "主办单位名称", "单位性质", "统一社会信用代码", "网站备案号", "网站域名", "联系电话", "审核通过日期"]
ROW_1 = [1, "淄博海岳科技有限公司", "企业", "91370302008B2YR15M", "鲁ICP备12897588号-1", "sdqddong.net",
         "13700008555", "2020-10-25"]
ROW_2 = [2, "周军建", "个人", "", "鲁ICP备17653152号-1", "defengan.net.cn", "13900007164", "2021-06-25"]
ROW_3 = [3, "周军建", "个人", "", "鲁ICP备17653152号-2", "yuanquanjia.org.cn", "13100005849", "2022-02-19"]


def write_xlsx(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = (),
               merges: dict[str, list[str]] | None = None) -> Path:
    """Write ``sheets`` (name → rows) to an xlsx file with openpyxl; returns ``path``."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


@pytest.fixture
def make_xlsx():
    """The :func:`write_xlsx` helper."""
    return write_xlsx


@pytest.fixture
def simple_rows() -> list[list]:
    """A header and three clean rows (two sites of one sponsor)."""
    return [HEADER, ROW_1, ROW_2, ROW_3]


@pytest.fixture
def csv_text(simple_rows) -> str:
    """The simple rows as CSV text with CRLF line ends."""
    return "".join(",".join(str(c) for c in row) + "\r\n" for row in simple_rows)
