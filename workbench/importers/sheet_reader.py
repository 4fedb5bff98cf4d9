"""Rows of cells from any supported file: python-calamine for workbooks, csv for text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import python_calamine as calamine

from workbench.errors import InputFileError
from workbench.importers.formats import FileFormat, detect_format, read_bytes

# Candidate CSV delimiters; Excel's "Unicode text" (UTF-16) export is always tab-separated.
_DELIMITERS = ",\t;|"


class Workbook:
    """An open input file: its sheets and their rows.

    Cells are python-calamine values (str, float, int, bool, date, datetime, time) for
    workbooks and str for CSV; an empty cell is ``''``. Row lists start at column A and the
    first row yielded is sheet row 1, so ``index + 1`` is the row number the user sees.

    Attributes:
        name: the file's path as given.
        format: ``xlsx``, ``xls``, ``ods`` or ``csv``.
        sheets: worksheet names in workbook order (chart sheets left out).
        hidden: the names of hidden worksheets (subset of ``sheets``).
    """

    def __init__(self, name: str, fmt: FileFormat, data: bytes):
        """Open ``data`` (the whole file) as ``fmt``; raises InputFileError when unreadable."""
        self.name = name
        self.format = fmt.format
        self._book: calamine.CalamineWorkbook | None = None
        self._loaded: dict[str, calamine.CalamineSheet] = {}
        self._text = ""
        if fmt.format == "csv":
            self._text = data.decode(fmt.encoding)
            self.sheets: tuple[str, ...] = (Path(name).stem or "CSV",)
            self.hidden: tuple[str, ...] = ()
            return
        try:
            self._book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except calamine.PasswordError as err:
            raise InputFileError("文件设有密码，请在 Excel 中取消密码后另存再导入", name) from err
        except calamine.CalamineError as err:
            raise InputFileError(f"文件已损坏或格式不完整，无法读取（{err}）", name) from err
        sheets = [m for m in self._book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
        self.sheets = tuple(m.name for m in sheets)
        self.hidden = tuple(m.name for m in sheets if m.visible != calamine.SheetVisibleEnum.Visible)

    def height(self, sheet: str) -> int:
        """The number of rows ``rows(sheet)`` will yield (an estimate for CSV)."""
        if self._book is None:
            return self._text.count("\n") + 1
        end = self._sheet(sheet).end
        return end[0] + 1 if end else 0

    def rows(self, sheet: str) -> Iterator[list]:
        """Yield every row of ``sheet`` from row 1, each a list of cells from column A.

        Raises:
            InputFileError: the sheet does not exist or a cell cannot be decoded.
        """
        if self._book is None:
            yield from _csv_rows(self._text)
            return
        data = self._sheet(sheet)
        offset = data.start[1] if data.start else 0
        pad = [""] * offset
        try:
            for row in data.iter_rows():
                yield pad + row if offset else row
        except calamine.CalamineError as err:
            raise InputFileError(f"工作表“{sheet}”无法读取（{err}）", self.name) from err

    def _sheet(self, sheet: str) -> calamine.CalamineSheet:
        """The calamine sheet named ``sheet``."""
        if sheet not in self.sheets:
            raise InputFileError(f"没有名为“{sheet}”的工作表", self.name)
        if sheet in self._loaded:
            return self._loaded[sheet]
        try:
            loaded = self._loaded[sheet] = self._book.get_sheet_by_name(sheet)
        except calamine.CalamineError as err:
            raise InputFileError(f"工作表“{sheet}”无法读取（{err}）", self.name) from err
        return loaded


def open_workbook(path: str | Path) -> Workbook:
    """Open ``path`` whatever its extension says, deciding the format from its bytes.

    Args:
        path: an .xlsx/.xlsm/.xls/.ods/.csv/.tsv/.txt file, possibly misnamed.

    Returns:
        The open workbook.

    Raises:
        InputFileError: unreadable, empty, corrupt, password-protected or unknown file.
    """
    name = str(path)
    data = read_bytes(path)
    return Workbook(name, detect_format(data, name), data)


def _csv_rows(text: str) -> Iterator[list[str]]:
    """Rows of a CSV/TSV text; the delimiter is the candidate most used in the first lines."""
    head = "\n".join(text.split("\n", 20)[:20])
    delimiter = max(_DELIMITERS, key=head.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
