"""Tables in files that only pretend to be .xls: a web page (HTML) or Excel 2003 XML (SpreadsheetML).

Web systems often export "Excel" as an HTML table or as Excel 2003 XML saved with an .xls name;
Excel opens both with a warning. Here they are read into rows of text cells, so a site list in
either form imports like any other (issue 9: both failed with "找不到表头").
"""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from xml.etree import ElementTree

from workbench.errors import InputFileError

_SS = "urn:schemas-microsoft-com:office:spreadsheet"
_S = f"{{{_SS}}}"
#: Cells an HTML ``colspan``/``rowspan`` or a SpreadsheetML merge may cover at most, so a
#: hostile ``rowspan="1000000"`` cannot make millions of cells.
MAX_SPAN = 1000
_SPREADSHEET_ML = re.compile(rb"<\?mso-application\s+progid=[\"']Excel\.Sheet|" + re.escape(_SS.encode()))
_HTML_TABLE = re.compile(r"<table[\s>]", re.I)

Tables = dict[str, list[list[object]]]


def sniff_markup(head: str) -> str:
    """``html`` or ``xml2003`` when the start of a text file shows it is one, else ''.

    Args:
        head: the first few KB of the decoded text.
    """
    text = head.lstrip("\ufeff \t\r\n")
    if text.startswith("<?xml") or text.startswith("<Workbook"):
        if _SPREADSHEET_ML.search(head.encode("utf-8", "replace")):
            return "xml2003"
        return ""
    lower = text[:1024].lower()
    if lower.startswith(("<!doctype html", "<html", "<table", "<meta", "<head", "<body")) or (
            lower.startswith("<") and _HTML_TABLE.search(head)):
        return "html"
    return ""


def read_html_tables(text: str, name: str) -> Tables:
    """Every ``<table>`` of an HTML page as rows of text cells (``表格1``, ``表格2``…).

    A cell spanning rows or columns (``rowspan``/``colspan``, as Excel writes merged cells)
    gives its text to every cell it covers.

    Raises:
        InputFileError: the page holds no table.
    """
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    tables = {f"表格{i}": rows for i, rows in enumerate((t for t in parser.tables if t), 1)}
    if not tables:
        raise InputFileError("这是网页（HTML）文件，但其中没有表格；请在 Excel 中打开后另存为 .xlsx 再导入", name)
    return tables


class _TableParser(HTMLParser):
    """Collects the cells of every table (nested tables are read as separate tables)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[object]]] = []
        self._stack: list[dict] = []  # open tables: rows, spans, current row, cell text

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append({"rows": [], "spans": {}, "row": None, "cell": None})
            return
        if not self._stack:
            return
        table = self._stack[-1]
        if tag == "tr":
            self._end_row(table)
            table["row"] = self._row_with_spans(table)
        elif tag in ("td", "th"):
            if table["row"] is None:
                table["row"] = self._row_with_spans(table)
            self._end_cell(table)
            values = dict(attrs)
            table["cell"] = {"text": [], "rowspan": _span(values.get("rowspan")),
                             "colspan": _span(values.get("colspan"))}
        elif tag == "br" and table["cell"] is not None:
            table["cell"]["text"].append("\n")

    def handle_endtag(self, tag):
        if not self._stack:
            return
        table = self._stack[-1]
        if tag in ("td", "th"):
            self._end_cell(table)
        elif tag == "tr":
            self._end_row(table)
        elif tag == "table":
            self._end_row(table)
            self.tables.append(self._stack.pop()["rows"])

    def handle_data(self, data):
        if self._stack and self._stack[-1]["cell"] is not None:
            self._stack[-1]["cell"]["text"].append(data)

    def close(self):
        super().close()
        while self._stack:
            table = self._stack[-1]
            self._end_row(table)
            self.tables.append(self._stack.pop()["rows"])

    @staticmethod
    def _row_with_spans(table: dict) -> list:
        """A new row, pre-filled where cells of rows above span down into it."""
        index = len(table["rows"])
        row: list = []
        for col, value in sorted(table["spans"].pop(index, {}).items()):
            while len(row) < col:
                row.append(None)
            row.append(value)
        return row

    def _end_cell(self, table: dict) -> None:
        cell = table["cell"]
        if cell is None:
            return
        table["cell"] = None
        row = table["row"]
        text = "".join(cell["text"]).strip()
        col = next((i for i, v in enumerate(row) if v is None), len(row))
        for offset in range(cell["colspan"]):
            _put(row, col + offset, text)
            for down in range(1, cell["rowspan"]):
                table["spans"].setdefault(len(table["rows"]) + down, {})[col + offset] = text

    def _end_row(self, table: dict) -> None:
        self._end_cell(table)
        if table["row"] is not None:
            table["rows"].append(["" if v is None else v for v in table["row"]])
            table["row"] = None


def _put(row: list, col: int, value: object) -> None:
    while len(row) <= col:
        row.append(None)
    if row[col] is None:
        row[col] = value
    else:  # taken by a cell spanning down from above: the next free column
        _put(row, col + 1, value)


def _span(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_SPAN)
    except ValueError:
        return 1


def read_spreadsheet_ml(data: bytes, name: str) -> Tables:
    """The worksheets of an Excel 2003 XML (SpreadsheetML) workbook as rows of cells.

    ``ss:Index`` on rows and cells skips to a position; ``ss:MergeAcross``/``ss:MergeDown``
    give the cell's value to every cell it covers; ``Number`` data becomes a float and
    ``DateTime`` a datetime, as calamine gives for .xlsx; the rest is text.

    Raises:
        InputFileError: the XML is malformed.
    """
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as err:
        raise InputFileError(f"这是 Excel 2003 XML 表格，但内容有误（{err}），请在 Excel 中打开后另存为 .xlsx", name) from err
    tables: Tables = {}
    for number, sheet in enumerate(root.iter(f"{_S}Worksheet"), 1):
        title = sheet.get(f"{_S}Name") or f"Sheet{number}"
        rows: list[list[object]] = []
        spans: dict[tuple[int, int], object] = {}
        for table in sheet.iter(f"{_S}Table"):
            for row in table.iter(f"{_S}Row"):
                index = _index(row, len(rows))
                while len(rows) <= index:
                    rows.append([])
                cells = rows[index]
                col = 0
                for cell in row.iter(f"{_S}Cell"):
                    col = _index(cell, col)
                    while (index, col) in spans:
                        col += 1
                    value = _cell_value(cell)
                    across = min(int(cell.get(f"{_S}MergeAcross", "0") or 0), MAX_SPAN)
                    down = min(int(cell.get(f"{_S}MergeDown", "0") or 0), MAX_SPAN)
                    for c in range(col, col + across + 1):
                        for r in range(index, index + down + 1):
                            if (r, c) != (index, col):
                                spans[(r, c)] = value
                    while len(cells) <= col:
                        cells.append("")
                    cells[col] = value
                    col += across + 1
        for (r, c), value in spans.items():
            while len(rows) <= r:
                rows.append([])
            while len(rows[r]) <= c:
                rows[r].append("")
            if rows[r][c] == "":
                rows[r][c] = value
        tables[title] = rows
    if not tables:
        raise InputFileError("这是 Excel 2003 XML 文件，但其中没有工作表；请在 Excel 中打开后另存为 .xlsx 再导入", name)
    return tables


def _index(element: ElementTree.Element, default: int) -> int:
    """The 0-based position ``ss:Index`` gives (1-based in the file), else ``default``."""
    given = element.get(f"{_S}Index")
    try:
        return int(given) - 1 if given else default
    except ValueError:
        return default


def _cell_value(cell: ElementTree.Element) -> object:
    data = cell.find(f"{_S}Data")
    if data is None:
        return ""
    text = "".join(data.itertext())
    kind = data.get(f"{_S}Type", "String")
    if kind == "Number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "DateTime":
        try:
            return datetime.fromisoformat(text[:19])
        except ValueError:
            return text
    if kind == "Boolean":
        return text.strip() == "1"
    return text
