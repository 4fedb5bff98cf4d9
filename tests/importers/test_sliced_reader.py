"""A big xlsx sheet read in slices (importers/xlsx_slices.py) reads exactly as calamine reads it whole.

Every file is read twice: with the default limits (these small files are read whole) and with
limits that slice any sheet into pieces of a few KB; rows (values and their types), heights,
merged ranges, stray cells and formula cells without a value must be identical, and so must the
result of reading the list and what an import stores.
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime, time
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hostile_files import (
    HEADER,
    column_letter,
    grid_rows,
    row_xml,
    sheet_xml,
    site_rows,
    write_xlsx,
)
from openpyxl import Workbook as OpenpyxlWorkbook

from wbtest import make_ctx
from workbench.importers import sheet_reader
from workbench.importers.sheet_reader import open_workbook
from workbench.importers.site_list import read_site_list
from workbench.importers.xlsx_guard import DEFAULT_LIMITS, WHOLE_SHEET_BYTES, ReadLimits
from workbench.importers.xlsx_slices import SlicedSheet
from workbench.services import campaigns, site_import

ROOT = Path(__file__).resolve().parents[2]
#: Slice every xlsx sheet, a few KB at a time.
SLICED = ReadLimits(whole_sheet_bytes=0, slice_bytes=4096)


@pytest.fixture(autouse=True)
def slice_despite_shared_strings(monkeypatch):
    """Were these small files' shared strings of an unusual shape, they would keep them whole."""
    monkeypatch.setattr(sheet_reader, "SHARED_STRINGS_FACTOR", 0)


def read_all(path: Path, limits: ReadLimits) -> dict:
    """Everything the reader gives for every sheet, each cell with its type (1.0 is not 1)."""
    book = open_workbook(path, limits)
    out = {"sheets": book.sheets, "hidden": book.hidden}
    for name in book.sheets:
        rows = [[(type(c).__name__, c) for c in row] for row in book.rows(name)]
        scan = book.formula_scan(name)
        out[name] = {"height": book.height(name), "rows": rows, "merged": book.merged.get(name),
                     "stray": book.stray.get(name), "formulas": scan.result() if scan else None}
    return out


def sliced_sheets(path: Path) -> dict[str, int]:
    """Sheet name → number of slices read, for the sheets read in slices with :data:`SLICED`."""
    book = open_workbook(path, SLICED)
    found = {}
    for name in book.sheets:
        sheet = book._sheet(name)
        if isinstance(sheet, SlicedSheet):
            found[name] = sheet.slices
    return found


def tricky_book(path: Path) -> Path:
    """An openpyxl workbook (inline strings, styles) with what a reader can get wrong: a hidden
    first sheet, a merged title, numbers as 1 and 1.0, booleans, dates, times, formulas saved
    without a value, a 地市 cell merged down across many slices, a long run of empty rows, one
    cell further right late in the sheet, and a 合计 row."""
    book = OpenpyxlWorkbook()
    hidden = book.active
    hidden.title = "说明"
    hidden.append(HEADER)
    hidden.append(site_rows(1)[0])
    hidden.sheet_state = "hidden"
    sheet = book.create_sheet("名单")
    sheet.append(["某市网站备案核查名单"])
    sheet.merge_cells("A1:H1")
    sheet.append([])
    sheet.append([*HEADER, "审核通过日期", "备注"])
    for i, row in enumerate(site_rows(1200)):
        number = i + 4
        extra = [date(2020, 1, 1 + i % 28), ""]
        if i % 7 == 0:
            extra = [datetime(2021, 3, 4, 5, 6, 7), 1.0]
        elif i % 7 == 1:
            extra = [time(8, 30), 2.5]
        elif i % 7 == 2:
            extra = [f"2022-0{1 + i % 9}-15", True]
        elif i % 7 == 3:
            extra = [45000, 13500007610]
        elif i % 7 == 4:
            extra = ["", f"=A{number}*2"]
        sheet.append([*row, *extra])
        if i == 900:
            for _ in range(400):
                sheet.append([])
    sheet.merge_cells("H10:H300")
    sheet.cell(1000, 20, "最右的一格")
    sheet.append(["合计：1200 条"])
    book.save(path)
    return path


def prefixed(parts) -> list[str]:
    """A worksheet's XML parts with every element in the ``x:`` namespace prefix."""
    text = "".join(parts)
    text = re.sub(r"<(/?)(worksheet|dimension|sheetData|row|c|is|t|v|mergeCells|mergeCell)\b", r"<\1x:\2", text)
    return [text.replace('<x:worksheet xmlns="', '<x:worksheet xmlns:x="', 1)]


def without_row_numbers(parts) -> list[str]:
    """A worksheet whose rows and cells carry no ``r`` (some writers leave it out)."""
    return [re.sub(r' r="[A-Z]*[0-9]+"', "", "".join(parts))]


def out_of_order(rows: list[list]) -> list[str]:
    """``<row>`` strings with row 20 written last."""
    xml = list(grid_rows(rows))
    return [*xml[:19], *xml[20:], xml[19]]


def messy_list(path: Path) -> Path:
    """The benchmark's messy list (benchmarks/generate_site_list.py), 2,000 rows."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate_site_list import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generate(str(path), 2000)
    return path


def shared_strings_book(path: Path) -> Path:
    """A list whose texts are shared strings (as Excel saves them), one of them rich text."""
    table = [HEADER, *site_rows(400)]
    strings: dict[str, int] = {}
    rows = []
    for n, row in enumerate(table, 1):
        cells = []
        for col, value in enumerate(row):
            ref = f"{column_letter(col)}{n}"
            if isinstance(value, str):
                cells.append(f'<c r="{ref}" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        rows.append(f'<row r="{n}">{"".join(cells)}</row>')
    items = [f"<si><t>{escape(text)}</t></si>" for text in strings]
    items[strings["济南市"]] = "<si><r><t>济南</t></r><r><rPr><b/></rPr><t>市</t></r></si>"
    shared = ['<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">', *items, "</sst>"]
    return write_xlsx(path, sheet_xml(rows), shared=shared)


MERGES = '<mergeCells count="2"><mergeCell ref="H2:H40"/><mergeCell ref="B5:C5"/></mergeCells>'
FILES = {
    "messy_list": messy_list,
    "shared_strings": shared_strings_book,
    "tricky_book": tricky_book,
    "merged_after_rows": lambda p: write_xlsx(p, sheet_xml(grid_rows([HEADER, *site_rows(400)]), extra=MERGES)),
    "stray_last_cell": lambda p: write_xlsx(p, sheet_xml([*grid_rows([HEADER, *site_rows(300)]),
                                                          row_xml(1048576, [(16383, "x")])])),
    "dimension_whole_grid": lambda p: write_xlsx(p, sheet_xml(grid_rows([HEADER, *site_rows(300)]),
                                                              dimension="A1:XFD1048576")),
    "offset_table": lambda p: write_xlsx(p, sheet_xml(
        row_xml(5 + i, [(2 + c, v) for c, v in enumerate(row)]) for i, row in enumerate([HEADER, *site_rows(300)]))),
    "prefixed": lambda p: write_xlsx(p, prefixed(sheet_xml(grid_rows([HEADER, *site_rows(300)]), extra=MERGES))),
    "rows_without_numbers": lambda p: write_xlsx(p, without_row_numbers(sheet_xml(grid_rows([HEADER, *site_rows(300)])))),
    "rows_out_of_order": lambda p: write_xlsx(p, sheet_xml(out_of_order([HEADER, *site_rows(300)]))),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sliced")
    return {name: make(folder / f"{name}.xlsx") for name, make in FILES.items()}


@pytest.mark.parametrize("name", list(FILES))
def test_slices_read_exactly_what_the_whole_sheet_reads(files, name):
    whole = read_all(files[name], DEFAULT_LIMITS)
    assert read_all(files[name], SLICED) == whole


@pytest.mark.parametrize("name", list(FILES))
def test_the_list_read_from_slices_is_the_same(files, name):
    assert read_site_list(files[name], limits=SLICED) == read_site_list(files[name])


@pytest.mark.parametrize("name", ["messy_list", "shared_strings", "tricky_book", "merged_after_rows", "stray_last_cell",
                                  "dimension_whole_grid", "offset_table", "prefixed"])
def test_a_sheet_above_the_threshold_is_read_in_slices(files, name):
    found = sliced_sheets(files[name])
    assert found and max(found.values()) > 4, found


@pytest.mark.parametrize("name", ["rows_without_numbers", "rows_out_of_order"])
def test_a_sheet_that_cannot_be_cut_exactly_is_read_whole(files, name):
    assert sliced_sheets(files[name]) == {}


def test_the_default_threshold_reads_small_sheets_whole(files):
    assert WHOLE_SHEET_BYTES >= 117 << 20   # the 100,000-row benchmark list: 117 MB of XML
    book = open_workbook(files["messy_list"])
    assert not isinstance(book._sheet(book.sheets[0]), SlicedSheet)


def test_the_tricky_book_holds_what_it_should(files):
    """The comparison above means something only if the file holds the tricky cells."""
    got = read_all(files["tricky_book"], SLICED)
    sheet = got["名单"]
    types = {t for row in sheet["rows"] for t, _ in row}
    assert {"str", "float", "bool", "date", "datetime", "time"} <= types, types
    assert sheet["formulas"] and len(sheet["merged"]) == 2
    assert got["hidden"] == ("说明",)
    assert max(len(r) for r in sheet["rows"]) == min(len(r) for r in sheet["rows"]) == 20


def stored(conn) -> dict[str, list[tuple]]:
    """The rows an import wrote, without the columns that differ between any two runs."""
    out = {}
    for table in ("sponsor", "site", "site_domain"):
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                   if not (r[1] == "id" or r[1].endswith(("_id", "_at")))]
        out[table] = sorted(tuple(r) for r in conn.execute(f"SELECT {', '.join(columns)} FROM {table}"))
    out["import_run"] = [tuple(r) for r in conn.execute("SELECT stats FROM import_run")]
    out["import_problem"] = sorted(tuple(r) for r in conn.execute(
        "SELECT row, column_name, code, severity, message, value FROM import_problem"))
    return out


@pytest.mark.parametrize("name", ["messy_list", "tricky_book", "shared_strings"])
def test_an_import_from_slices_stores_the_same(files, name, tmp_path, monkeypatch):
    from workbench.storage.database import open_database

    results = []
    for limits in (DEFAULT_LIMITS, SLICED):
        monkeypatch.setattr(site_import.ReadLimits, "from_settings", classmethod(lambda cls, _s, lim=limits: lim))
        conn = open_database(tmp_path / f"{len(results)}.sqlite3")
        try:
            ctx = make_ctx(conn)
            campaign = campaigns.get_or_create(ctx, "二〇二六年第四季度")
            report = site_import.import_site_list(ctx, campaign.id, files[name])
            results.append((report.summary, stored(conn)))
        finally:
            conn.close()
    assert results[0][0]["sites"] > 100
    assert results[1] == results[0]


def test_a_sheet_with_big_shared_strings_is_sliced_with_only_the_strings_each_slice_uses(files, monkeypatch):
    """Each slice gets only the shared strings it uses (importers/xlsx_shared.py), so big
    shared strings no longer make the slices bigger (SHARED_STRINGS_FACTOR is for shared
    strings of an unusual shape only, tests/importers/test_shared_strings_slices.py)."""
    monkeypatch.setattr(sheet_reader, "SHARED_STRINGS_FACTOR", 8)
    assert max(sliced_sheets(files["shared_strings"]).values()) > 4
    assert max(sliced_sheets(files["messy_list"]).values()) > 4   # inline strings only


def test_the_formula_search_streams_in_pieces_and_finds_the_same(files, monkeypatch):
    """The search for formulas saved without a value reads the sheet in pieces of whole rows
    (a 300,000-row sheet is 351 MB of XML) and finds what a search of the whole XML finds."""
    import zipfile

    from workbench.importers import xlsx_formulas

    with zipfile.ZipFile(files["tricky_book"]) as archive:
        part = xlsx_formulas.sheet_part(archive, "名单")
        whole = xlsx_formulas.formulas_without_value(archive.read(part))
        monkeypatch.setattr(xlsx_formulas, "_CHUNK", 1000)
        monkeypatch.setattr(xlsx_formulas, "_PIECE", 3000)
        assert xlsx_formulas._scan_part(archive, part) == whole
    assert len(whole) == 171


def test_a_first_import_runs_with_a_small_page_cache_and_restores_it(files, conn, monkeypatch):
    """The page cache would fill (128 MiB) on top of the list's records during a big first
    import; it is limited while the import runs and set back afterwards, also after an error."""
    from workbench.storage import connection, site_stream

    seen = []
    start = site_stream.SiteListWriter.__init__

    def spy(self, conn, *args, **kwargs):
        seen.append(conn.execute("PRAGMA cache_size").fetchone()[0])
        start(self, conn, *args, **kwargs)

    monkeypatch.setattr(site_stream.SiteListWriter, "__init__", spy)
    ctx = make_ctx(conn)
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    campaign = campaigns.get_or_create(ctx, "二〇二六年第四季度")
    site_import.import_site_list(ctx, campaign.id, files["merged_after_rows"])
    assert seen == [-connection.IMPORT_CACHE_KIB] and before == -connection.CACHE_KIB
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == before
    with pytest.raises(ZeroDivisionError), connection.page_cache(conn, 1024):
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == -1024
        raise ZeroDivisionError
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == before
