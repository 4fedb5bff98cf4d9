"""Re-make tests/data/merged_cells.xls (Excel 97–2003, BIFF8) with LibreOffice.

The list is tests/hostile/test_hostile_files.py's ``merged_rows()``: 地市 written once and merged
down over all five data rows, 接入服务商 in two merged groups. openpyxl cannot write .xls and
xlwt is not installed, so the .xlsx built here is converted by
``soffice --headless --convert-to xls``. Run from the project folder:

    python3 tests/data/make_merged_cells_xls.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "support"), str(HERE.parent / "hostile")]

from openpyxl import Workbook  # noqa: E402
from test_hostile_files import CITY, PROVIDER, merged_rows  # noqa: E402


def main() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    for row in merged_rows():
        sheet.append(row)
    city, provider = chr(65 + CITY), chr(65 + PROVIDER)
    for cells in (f"{city}2:{city}6", f"{provider}2:{provider}4", f"{provider}5:{provider}6"):
        sheet.merge_cells(cells)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "merged_cells.xlsx"
        book.save(source)
        subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir", tmp, str(source)],
                       check=True, capture_output=True, timeout=120)
        shutil.copyfile(Path(tmp) / "merged_cells.xls", HERE / "merged_cells.xls")


if __name__ == "__main__":
    main()
