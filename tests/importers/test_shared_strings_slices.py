"""A sheet whose texts are shared strings (as Excel saves lists) read in slices, each slice given
only the strings it uses (importers/xlsx_shared.py), reads exactly as calamine reads it whole.

Every file is read with the default limits (whole) and with limits that slice any sheet a few KB
at a time; rows with their types, heights and merged ranges must be identical. The workbooks
carry what a shared-strings table can hold: rich-text runs, phonetic runs (which calamine
leaves out), ``xml:space``, entities and character references, ``_xHHHH_`` escapes, empty
strings, strings used far from where they first appear, and numbers past the end of the table.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hostile_files import HEADER, column_letter, site_rows, write_xlsx

from workbench.errors import InputFileError
from workbench.importers import sheet_reader
from workbench.importers.sheet_reader import open_workbook
from workbench.importers.site_list import read_site_list
from workbench.importers.xlsx_guard import DEFAULT_LIMITS, ReadLimits
from workbench.importers.xlsx_slices import SlicedSheet, _slices

SAVED_SAMPLES = Path(__file__).resolve().parents[1] / "data" / "shared_strings"
#: Slice every xlsx sheet, a few KB at a time.
SLICED = ReadLimits(whole_sheet_bytes=0, slice_bytes=4096)
SST = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="9" uniqueCount="9">'
#: Shared strings of every kind calamine decodes, each with what it should read as (the
#: whole read is the reference; these only make sure the file holds what it claims).
HOSTILE = [
    ("<si><t>济南市</t></si>", "济南市"),
    ("<si><r><t>鲁ICP备</t></r><r><rPr><b/><sz val=\"11\"/></rPr><t>12345678号</t></r></si>", "鲁ICP备12345678号"),
    ("<si><t>东京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr fontId=\"1\"/></si>", "东京"),
    ('<si><t xml:space="preserve">  前后有空格  </t></si>', "  前后有空格  "),
    ("<si><t>  修剪  </t></si>", "修剪"),
    ("<si><t>A&amp;B &lt;科技&gt; &quot;有限&quot; &#x4E2D;&#20013;</t></si>", None),
    ("<si><t>第一行_x000D__x000A_第二行 _x0041_ __x005F_x0041_</t></si>", None),
    ("<si><t></t></si>", ""),
    ("<si></si>", ""),
    ("<si><t/></si>", ""),
    ('<si>\n  <r><t xml:space="preserve">多 </t></r>\n  <r><t>段</t></r>\n</si>', None),
    ("<si><t>\u00a0不换行空格\u00a0</t></si>", None),
]


def shared_book(path: Path, *, items: list[str] | None = None, head: str = SST, rows: int = 600,
                extra_cell: str = "", cell_type: str = 't="s"', sheet_prefix: str = "",
                last_item: str = "", first_use_order: bool = False) -> Path:
    """A list whose texts are shared strings: the header, ``rows`` site rows, and in every
    row a column that cycles through ``items`` (the hostile strings), used again and again
    across the sheet (so each slice needs strings first seen long before). Strings are numbered
    in a shuffled order, or with ``first_use_order`` in order of first use. ``extra_cell`` (with ``{p}`` for the
    prefix, ``{row}``, and ``{last}`` for the number of ``last_item``, the table's last string)
    is added to a row in the middle; ``sheet_prefix`` (e.g. ``x:``) is put on every element of
    the sheet and of the generated strings."""
    items = items if items is not None else [item for item, _ in HOSTILE]
    table = [[*HEADER, "备注"], *[[*row, ""] for row in site_rows(rows)]]
    texts = list(dict.fromkeys(v for row in table for v in row if isinstance(v, str) and v))
    if not first_use_order:   # as Excel numbers them after edits: not in order of first use
        texts.sort(key=lambda t: (hash(t) % 97, t))
    number = {text: len(items) + i for i, text in enumerate(texts)}
    p = sheet_prefix
    body = [f"<{p}si><{p}t>{escape_text(text)}</{p}t></{p}si>" for text in texts]
    out = []
    for n, row in enumerate(table, 1):
        cells = []
        for col, value in enumerate(row):
            ref = f"{column_letter(col)}{n}"
            if col == len(row) - 1 and n > 1:
                value = (n * 7) % len(items)
                cells.append(f'<{p}c r="{ref}" s="0" {cell_type}><{p}v>{value}</{p}v></{p}c>')
            elif isinstance(value, str) and value:
                cells.append(f'<{p}c r="{ref}" {cell_type}><{p}v>{number[value]}</{p}v></{p}c>')
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cells.append(f'<{p}c r="{ref}"><{p}v>{value}</{p}v></{p}c>')
        if n == rows // 2:
            cells.append(extra_cell.format(p=p, row=n, last=len(items) + len(body)))
        out.append(f'<{p}row r="{n}">{"".join(cells)}</{p}row>')
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    root = f'<{p}worksheet xmlns{":" + p[:-1] if p else ""}="{ns}"><{p}sheetData>'
    sheet = [root, *out, f"</{p}sheetData></{p}worksheet>"]
    tail = [last_item] if last_item else []
    return write_xlsx(path, sheet, shared=[head, *items, *body, *tail, "</" + head[1:head.index(" ")] + ">"])


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def read_all(path: Path, limits: ReadLimits) -> dict:
    """Everything the reader gives for the first sheet, each cell with its type."""
    book = open_workbook(path, limits)
    name = book.sheets[0]
    rows = [[(type(c).__name__, c) for c in row] for row in book.rows(name)]
    return {"sheets": book.sheets, "height": book.height(name), "rows": rows, "merged": book.merged.get(name)}


def sliced(path: Path, limits: ReadLimits = SLICED) -> SlicedSheet | None:
    book = open_workbook(path, limits)
    sheet = book._sheet(book.sheets[0])
    return sheet if isinstance(sheet, SlicedSheet) else None


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return shared_book(tmp_path_factory.mktemp("shared") / "hostile.xlsx")


def test_hostile_shared_strings_read_in_slices_as_whole(hostile):
    whole = read_all(hostile, DEFAULT_LIMITS)
    assert read_all(hostile, SLICED) == whole
    sheet = sliced(hostile)
    assert sheet is not None and sheet.shared is not None and sheet.slices > 8
    # the file holds what it claims: every hostile string is read, as expected where known
    seen = {row[-1][1] for row in whole["rows"][1:]}
    for _, expected in HOSTILE:
        if expected is not None:
            assert expected in seen
    assert "鲁ICP备12345678号" in seen and "东京" in seen and "A&B <科技> \"有限\" 中中" in seen


def test_the_site_list_read_from_shared_string_slices_is_the_same(hostile):
    assert read_site_list(hostile, limits=SLICED) == read_site_list(hostile)


def test_each_slice_gets_only_the_strings_it_uses(hostile):
    sheet = sliced(hostile)
    shared = sheet.shared
    data = hostile.read_bytes()
    with zipfile.ZipFile(hostile) as archive:
        part = archive.read("xl/sharedStrings.xml")
    assert shared.count == part.count(b"</si>") > 2000
    # a slice's own part holds a small share of the table
    sizes = [len(shared.for_slice(xml, prefix)[1]) for xml, prefix in _slices(data, "xl/worksheets/sheet1.xml", 4096, [])]
    assert max(sizes) < 8000 < sum(sizes)


def test_a_string_number_past_the_end_fails_as_the_whole_read_fails(tmp_path):
    path = shared_book(tmp_path / "past_end.xlsx", extra_cell='<{p}c r="Z{row}" t="s"><{p}v>99999</{p}v></{p}c>')
    with pytest.raises(InputFileError) as whole:
        read_all(path, DEFAULT_LIMITS)
    with pytest.raises(InputFileError) as in_slices:
        open_workbook(path, SLICED)._sheet("网站名单")   # before any row is handed out
    assert "网站名单" in str(whole.value) and "网站名单" in str(in_slices.value)


def test_a_prefixed_workbook_is_read_in_slices_as_whole(tmp_path):
    head = SST.replace("<sst xmlns=", "<x:sst xmlns:x=")
    items = [item.replace("<", "<x:").replace("<x:/", "</x:") for item, _ in HOSTILE]
    path = shared_book(tmp_path / "prefixed.xlsx", items=items, head=head, sheet_prefix="x:")
    whole = read_all(path, DEFAULT_LIMITS)
    assert read_all(path, SLICED) == whole
    assert sliced(path).shared is not None


UNUSUAL = {
    # the shared-strings part or a cell in a shape the packed table does not take: read another
    # way (each slice with the whole part), still exactly as the whole read
    "comment": {"items": ["<!-- </si> --><si><t>注释</t></si>", *[i for i, _ in HOSTILE[1:]]]},
    "empty_element": {"items": ["<si/>", *[i for i, _ in HOSTILE[1:]]]},
    "single_quotes": {"cell_type": "t='s'"},
    "spaced_type": {"cell_type": 't = "s"'},
    "leading_zero": {"extra_cell": '<{p}c r="Z{row}" t="s"><{p}v>007</{p}v></{p}c>'},
    "formula_string": {"extra_cell": '<{p}c r="Z{row}" t="s"><{p}f>A1</{p}f><{p}v>3</{p}v></{p}c>'},
    "value_missing": {"extra_cell": '<{p}c r="Z{row}" t="s"/>'},
    "mixed_prefixes": {"head": SST.replace("<sst xmlns=", "<x:sst xmlns:x="),
                       "items": [item.replace("<", "<x:").replace("<x:/", "</x:") for item, _ in HOSTILE]},
}


@pytest.mark.parametrize("name", list(UNUSUAL))
def test_unusual_shared_strings_are_read_another_way_and_the_same(tmp_path, name, monkeypatch):
    monkeypatch.setattr(sheet_reader, "SHARED_STRINGS_FACTOR", 0)   # slice despite the whole part
    path = shared_book(tmp_path / f"{name}.xlsx", **UNUSUAL[name])
    whole = read_all(path, DEFAULT_LIMITS)
    assert read_all(path, SLICED) == whole
    sheet = sliced(path)
    assert sheet is not None and sheet.shared is None


def test_unusual_shared_strings_keep_the_old_rule_for_big_parts(tmp_path, monkeypatch):
    """Each slice then carries the whole part: slices of at least 8 × its size, so this small
    sheet is read whole."""
    monkeypatch.setattr(sheet_reader, "SHARED_STRINGS_FACTOR", 8)
    path = shared_book(tmp_path / "comment.xlsx", **UNUSUAL["comment"])
    assert sliced(path) is None


def test_a_big_shared_strings_part_is_not_parsed_to_open_the_file(hostile, monkeypatch):
    """Opening reads the sheet names from a copy without the shared strings; a sheet read
    whole opens the file again with them."""
    monkeypatch.setattr(sheet_reader, "NAMES_ONLY_SHARED_BYTES", 0)
    book = open_workbook(hostile)
    assert book._book is None and book.sheets == ("网站名单",)
    monkeypatch.undo()
    assert read_all(hostile, DEFAULT_LIMITS)["rows"] == [
        [(type(c).__name__, c) for c in row] for row in book.rows("网站名单")]


@pytest.mark.parametrize("name", ["site_list_2026Q4_messy.xlsx", "site_list_clean.xlsx"])
def test_samples_saved_with_shared_strings_read_in_slices_as_whole(name):
    """The two xlsx samples of /work/shared/samples saved by LibreOffice Calc (``soffice
    --headless --convert-to xlsx``), which keeps every text as a shared string and writes texts
    that mix Chinese and Latin letters as rich text, a run per script."""
    path = SAVED_SAMPLES / name
    with zipfile.ZipFile(path) as archive:
        part = archive.read("xl/sharedStrings.xml")
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert part.count(b"</si>") > 100 and part.count(b"<r>") > 100
    assert not any(b"inlineStr" in sheet for sheet in sheets)
    whole = open_workbook(path)
    for sheet in whole.sheets:
        rows = [[(type(c).__name__, c) for c in row] for row in whole.rows(sheet)]
        in_slices = open_workbook(path, SLICED)
        assert [[(type(c).__name__, c) for c in row] for row in in_slices.rows(sheet)] == rows
        assert in_slices.merged.get(sheet) == whole.merged.get(sheet)
    first = open_workbook(path, SLICED)._sheet(whole.sheets[0])
    assert isinstance(first, SlicedSheet) and first.shared is not None and first.slices > 4
    assert read_site_list(path, limits=SLICED) == read_site_list(path)


def test_a_broken_string_found_late_stores_nothing(tmp_path, monkeypatch):
    """XML broken inside an ``<si>`` is found only when the slice using it is read (the
    measuring pass parses no strings), after earlier rows went to the writer: the import fails
    with the sheet named and stores nothing, as for a whole read, which fails at once."""
    from wbtest import make_ctx
    from workbench.services import campaigns, site_import
    from workbench.storage.database import open_database

    path = shared_book(tmp_path / "broken.xlsx", rows=1500, last_item="<si><t>坏的</si>",   # <t> never closed
                       extra_cell='<{p}c r="Z{row}" t="s"><{p}v>{last}</{p}v></{p}c>')
    with pytest.raises(InputFileError):
        read_all(path, DEFAULT_LIMITS)
    seen = []
    real_rows = sheet_reader.Workbook.rows

    def rows(self, sheet):
        for row in real_rows(self, sheet):
            seen.append(row)
            yield row

    monkeypatch.setattr(sheet_reader.Workbook, "rows", rows)
    monkeypatch.setattr(sheet_reader, "NAMES_ONLY_SHARED_BYTES", 0)   # as for a big list: not parsed to open it
    monkeypatch.setattr(site_import.ReadLimits, "from_settings", classmethod(lambda cls, _s: SLICED))
    conn = open_database(tmp_path / "broken.sqlite3")
    try:
        ctx = make_ctx(conn)
        campaign = campaigns.get_or_create(ctx, "二〇二六年第四季度")
        with pytest.raises(InputFileError) as failed:
            site_import.import_site_list(ctx, campaign.id, path)
        assert "网站名单" in str(failed.value) and "broken.xlsx" in str(failed.value)
        assert conn.execute("SELECT count(*) FROM site").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM sponsor").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM import_run").fetchone()[0] == 0
        assert len(seen) > 500   # the failure came late, after many rows were read
    finally:
        conn.close()


def test_blocks_are_let_go_after_their_last_slice_and_read_again_for_a_second_pass(tmp_path, monkeypatch):
    """The packed table shrinks while the rows are read; a sheet read a second time (a header
    search that moves on, then back) reads its strings again from the file, the same."""
    from workbench.importers import xlsx_shared

    monkeypatch.setattr(xlsx_shared, "BLOCK_STRINGS", 16)
    path = shared_book(tmp_path / "ordered.xlsx", first_use_order=True)
    whole = read_all(path, DEFAULT_LIMITS)["rows"]
    book = open_workbook(path, SLICED)
    sheet = book._sheet("网站名单")
    blocks = sheet.shared._blocks
    assert len(blocks) > 20 and all(b is not None for b in blocks)
    first = []
    for row in book.rows("网站名单"):
        first.append([(type(c).__name__, c) for c in row])
        if len(first) == 300:
            # blocks used only by slices already read are gone (the hostile strings, used to the end, stay)
            assert 0 < sum(b is None for b in sheet.shared._blocks) < len(blocks)
    assert first == whole
    assert all(b is None for b in sheet.shared._blocks)
    again = [[(type(c).__name__, c) for c in row] for row in book.rows("网站名单")]
    assert again == whole
