"""The hostile-file suite (issue 9, "Files coming in"): every file is built here, at test time.

Each kind is run through the real command line in a child process, as an inspector would run
it, and checked for: exit code, the message, the database left unchanged where the file is
refused, and the child's peak memory (ru_maxrss; under 1 GB, and a bomb must not even come
close). The children run with their address space capped at 3 GB, so a build that tries to
unpack a bomb fails the test instead of exhausting the machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_files import (
    HEADER,
    Run,
    database_dump,
    grid_rows,
    row_xml,
    run_cli,
    run_preview,
    sheet_xml,
    site_rows,
    table,
    write_bomb_xlsx,
    write_book,
    write_ods,
    write_xlsx,
)

PEAK_LIMIT_MB = 1024
CAMPAIGN = "二〇二六年第四季度"


@pytest.fixture
def home(tmp_path) -> Path:
    """A data folder whose settings name the inspector (so nothing stamps a login name)."""
    data = tmp_path / "data"
    (data / "config").mkdir(parents=True)
    settings = {"inspector": "测试员", "contact": "测试员"}
    (data / "config" / "settings.json").write_text(json.dumps(settings, ensure_ascii=False), encoding="utf-8")
    return data


@pytest.fixture
def db(tmp_path, home) -> Path:
    """A database holding one earlier, good import of 5 sites into CAMPAIGN."""
    path = tmp_path / "work.sqlite3"
    good = write_xlsx(tmp_path / "earlier.xlsx", sheet_xml(grid_rows(table(5))))
    run = import_file(home, path, good)
    assert run.returncode == 0, run
    return path


def import_file(home: Path, db: Path, file: Path, *extra: str) -> Run:
    """``workbench import --json`` of ``file`` into CAMPAIGN."""
    return run_cli("--data-dir", str(home), "import", "--db", str(db), "--campaign", CAMPAIGN, "--json",
                   *extra, str(file))


def summary(run: Run) -> dict:
    """The JSON summary an import printed."""
    return json.loads(run.stdout)


def assert_refused(run: Run, db: Path, before: list[str], *words: str) -> None:
    """Exit code 2, a Chinese message with ``words``, nothing stored changed, memory bounded."""
    assert run.returncode == 2, run
    assert run.stderr.startswith("错误："), run
    for word in words:
        assert word in run.stderr, run
    assert "Traceback" not in run.stderr
    assert database_dump(db) == before
    assert run.peak_mb is not None and run.peak_mb < PEAK_LIMIT_MB, run


# --- 1. sheets reaching far out ----------------------------------------------------------------

FAR_SHEETS = {
    # one stray value at the last cell of the grid
    "stray_last_cell": lambda rows: [*grid_rows(rows), row_xml(1048576, [(16383, "x")])],
    # a value in column XFD on every row (as when a whole column was filled by mistake)
    "xfd_every_row": lambda rows: [row_xml(i + 1, [*enumerate(r), (16383, "备注")]) for i, r in enumerate(rows)],
    # a stray value far down in column A
    "stray_far_down": lambda rows: [*grid_rows(rows), row_xml(1048576, [(0, "合计")])],
}


@pytest.mark.parametrize("kind", sorted(FAR_SHEETS))
def test_stray_cells_far_out_import_the_real_rows_in_bounded_memory(kind, tmp_path, home, db):
    rows = table(1200)  # 1,200 rows × 16,384 columns would be 20 million cells
    path = write_xlsx(tmp_path / f"{kind}.xlsx", sheet_xml(FAR_SHEETS[kind](rows)))
    run = import_file(home, db, path)
    assert run.returncode == 0, run
    s = summary(run)
    assert s["sites"] == 1200 and s["rejected_rows"] == 0
    assert run.peak_mb < PEAK_LIMIT_MB, run
    notes = [p for p in s["problems"] if p["code"] == "stray_cells"]
    assert len(notes) == 1 and "已忽略" in notes[0]["message"]
    assert ("XFD1048576" if kind == "stray_last_cell" else "XFD" if kind == "xfd_every_row" else "A1048576") \
        in notes[0]["value"]


def test_a_dimension_claiming_the_whole_grid_is_not_believed(tmp_path, home, db):
    path = write_xlsx(tmp_path / "dimension.xlsx", sheet_xml(grid_rows(table(300)), dimension="A1:XFD1048576"))
    run = import_file(home, db, path)
    assert run.returncode == 0, run
    assert summary(run)["sites"] == 300
    assert run.peak_mb < PEAK_LIMIT_MB, run


def test_the_import_preview_survives_a_stray_cell(tmp_path):
    path = write_xlsx(tmp_path / "stray.xlsx", sheet_xml(FAR_SHEETS["stray_last_cell"](table(30))))
    run = run_preview(path)
    assert run.returncode == 0, run
    assert run.stdout.split() == ["20"]
    assert run.peak_mb < PEAK_LIMIT_MB, run


BASIS = "《GB/T 22239-2019 信息安全技术 网络安全等级保护基本要求》（2019）8.1.4.1"


def test_checklist_import_survives_a_stray_cell(tmp_path, home):
    info = [["模板编号", "stray_test"], ["模板名称", "孤立单元格测试"], ["版本", "1.0"], ["适用范围", "测试"]]
    items = [["章节/分类", "编号", "检查要求", "依据", "严重程度"],
             ["账号管理", "A-1", "应设置口令复杂度", BASIS, "高"],
             ["账号管理", "A-2", "应限制登录失败次数", BASIS, "中"]]
    path = write_book(tmp_path / "template.xlsx", {
        "模板信息": sheet_xml(grid_rows(info)),
        "检查项": sheet_xml([*grid_rows(items), row_xml(1048576, [(16383, "x")])]),
    })
    run = run_cli("--data-dir", str(home), "checklist", "import", "--db", str(tmp_path / "c.sqlite3"), str(path))
    assert run.returncode == 0, run
    assert run.peak_mb < PEAK_LIMIT_MB, run


# --- 2. zip bombs --------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, home, db):
    path = write_bomb_xlsx(tmp_path / "bomb.xlsx", 2 << 30)
    assert path.stat().st_size < 13 << 20
    before = database_dump(db)
    run = import_file(home, db, path)
    assert_refused(run, db, before, "解压后", "sharedStrings.xml", "压缩炸弹")
    assert run.peak_mb < 200, run


def test_a_zip_bomb_that_declares_a_small_size_is_refused(tmp_path, home, db):
    path = write_bomb_xlsx(tmp_path / "liar.xlsx", 2 << 30, declared=4096)
    before = database_dump(db)
    run = import_file(home, db, path)
    assert_refused(run, db, before, "损坏")


def test_a_moderate_bomb_is_refused_by_its_compression_ratio(tmp_path, home, db):
    path = write_bomb_xlsx(tmp_path / "ratio.xlsx", 300 << 20)
    before = database_dump(db)
    run = import_file(home, db, path)
    assert_refused(run, db, before, "压缩比", "压缩炸弹")


def test_the_unpacked_limit_is_a_setting(tmp_path, home, db):
    # 3,000 rows: about 1 MB of sheet XML; a limit of 1 MB refuses it.
    path = write_xlsx(tmp_path / "big.xlsx", sheet_xml(grid_rows(table(6000))))
    settings_file = home / "config" / "settings.json"
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    settings_file.write_text(json.dumps({**settings, "import_unpacked_limit_mb": 1}), encoding="utf-8")
    before = database_dump(db)
    run = import_file(home, db, path)
    assert_refused(run, db, before, "超过读取上限 1 MB")


def test_a_checklist_bomb_is_refused(tmp_path, home):
    path = write_bomb_xlsx(tmp_path / "bomb.xlsx", 2 << 30)
    run = run_cli("--data-dir", str(home), "checklist", "import", "--db", str(tmp_path / "c.sqlite3"), str(path))
    assert run.returncode == 2, run
    assert "压缩炸弹" in run.stderr
    assert run.peak_mb < 200, run


def test_sites_helpers_are_consistent():
    assert len(HEADER) == len(site_rows(1)[0])


# --- 3. a CSV quote that never closes ----------------------------------------------------------


def csv_text(rows: list[list]) -> str:
    return "".join(",".join(str(c) for c in row) + "\r\n" for row in rows)


def test_a_csv_quote_that_never_closes_swallows_nothing(tmp_path, home, db):
    rows = table(2000)
    rows[5][1] = "\"" + rows[5][1]  # file row 6 (the header is row 1): an opening quote only
    path = tmp_path / "quote.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    run = import_file(home, db, path)
    assert run.returncode == 0, run
    s = summary(run)
    assert s["sites"] == 1999 and s["rejected_rows"] == 1
    bad = [p for p in s["problems"] if p["code"] == "csv_unbalanced_quote"]
    assert [(p["row"], p["severity"]) for p in bad] == [(6, "error")]
    assert "引号" in bad[0]["message"] and rows[5][3] in bad[0]["value"]
    assert run.peak_mb < PEAK_LIMIT_MB, run


def test_a_quoted_cell_with_line_breaks_is_still_one_cell(tmp_path, home, db):
    rows = table(3)
    rows[2][4] = '"第一行\n第二行，含逗号"'
    path = tmp_path / "multiline.csv"
    path.write_text(csv_text(rows), encoding="utf-8")
    run = import_file(home, db, path)
    assert run.returncode == 0, run
    s = summary(run)
    assert s["sites"] == 3 and s["rejected_rows"] == 0


# --- 4. a column left out on re-import -----------------------------------------------------------


def sites(home: Path, db: Path) -> dict[str, dict]:
    run = run_cli("--data-dir", str(home), "sites", "--db", str(db), "--campaign", CAMPAIGN, "--json")
    assert run.returncode == 0, run
    return {s["site_filing_no"]: s for s in json.loads(run.stdout)}


def test_a_column_missing_on_reimport_keeps_the_stored_values(tmp_path, home, db):
    phones_before = {no: s["contact_phone"] for no, s in sites(home, db).items()}
    assert all(phones_before.values())
    drop = HEADER.index("联系电话")
    rows = [[c for i, c in enumerate(row) if i != drop] for row in table(5)]
    path = write_xlsx(tmp_path / "no_phone.xlsx", sheet_xml(grid_rows(rows)))
    run = import_file(home, db, path)
    assert run.returncode == 0, run
    s = summary(run)
    assert (s["changed"], s["unchanged"]) == (0, 5)
    notes = [p for p in s["problems"] if p["code"] == "column_absent"]
    assert len(notes) == 1 and "联系电话" in notes[0]["message"] and "保留" in notes[0]["message"]
    assert {no: site["contact_phone"] for no, site in sites(home, db).items()} == phones_before


def test_an_emptied_column_still_clears_values(tmp_path, home, db):
    drop = HEADER.index("联系电话")
    rows = table(5)
    for row in rows[1:]:
        row[drop] = ""
    path = write_xlsx(tmp_path / "empty_phone.xlsx", sheet_xml(grid_rows(rows)))
    run = import_file(home, db, path)
    assert run.returncode == 0, run
    assert summary(run)["changed"] == 5
    assert not any(site["contact_phone"] for site in sites(home, db).values())


# --- 5./6. two columns with one meaning ----------------------------------------------------------


def test_a_second_column_with_the_same_header_is_named_as_ignored(tmp_path, home, db):
    col = HEADER.index("网站备案号")
    rows = [row + [row[col]] for row in table(5)]
    rows[1][-1] = "鲁ICP备99999999号-1"
    path = write_xlsx(tmp_path / "two_numbers.xlsx", sheet_xml(grid_rows(rows)))
    run = import_file(home, db, path)
    assert run.returncode == 0, run
    s = summary(run)
    assert s["sites"] == 5 and s["added"] == 0
    notes = [p for p in s["problems"] if p["code"] == "duplicate_column"]
    assert len(notes) == 1
    assert "已使用 D 列" in notes[0]["message"] and "忽略 I 列" in notes[0]["message"]


# --- 8. bidi and control characters ---------------------------------------------------------------


def test_bidi_and_control_characters_are_removed_reported_and_never_exported(tmp_path, home, db):
    rows = table(5)
    rows[1][1] = "测试单位\u202e1有限公司"
    rows[2][4] = "网站\u2066二\u2069\x07"
    path = write_xlsx(tmp_path / "bidi.xlsx", sheet_xml(grid_rows(rows)))
    run = import_file(home, db, path)
    assert run.returncode == 0, run
    notes = [p for p in summary(run)["problems"] if p["code"] == "hidden_chars"]
    assert [(p["row"], p["value"]) for p in notes] == [
        (2, "测试单位[U+202E]1有限公司"), (3, "网站[U+2066]二[U+2069][U+0007]")]
    stored = sites(home, db)
    assert not any(ch in json.dumps(stored, ensure_ascii=False) for ch in "\u202e\u2066\u2069\x07")
    out = tmp_path / "summary.xlsx"
    done = run_cli("--data-dir", str(home), "export", "summary", "--db", str(db), "--campaign", CAMPAIGN, str(out))
    assert done.returncode == 0, done
    import zipfile

    with zipfile.ZipFile(out) as archive:
        xml = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))
    assert not any(ch in xml for ch in "\u202e\u2066\u2069")


# --- 5. merged cells --------------------------------------------------------------------------------

CITY, PROVIDER = HEADER.index("地市"), len(HEADER)


def merged_rows() -> list[list]:
    """Five sites; 地市 written once (merged down over all rows), 接入服务商 in two merged groups."""
    rows = [[*HEADER, "接入服务商"], *[[*row, ""] for row in site_rows(5)]]
    for row in rows[2:]:
        row[CITY] = ""
    rows[1][PROVIDER], rows[4][PROVIDER] = "阿里云", "腾讯云"
    return rows


def check_merged(run: Run, home: Path, db: Path) -> None:
    assert run.returncode == 0, run
    notes = [p for p in summary(run)["problems"] if p["code"] == "merged_cells"]
    assert [(p["row"], p["column"], p["value"]) for p in notes] == [
        (2, "地市", "济南市"), (2, "接入服务商", "阿里云"), (5, "接入服务商", "腾讯云")]
    assert "H2:H6" in notes[0]["message"] and "每一行" in notes[0]["message"]
    stored = sorted(sites(home, db).values(), key=lambda s: s["source_row"])
    assert [s["city"] for s in stored] == ["济南市"] * 5
    assert [s["access_provider"] for s in stored] == ["阿里云"] * 3 + ["腾讯云"] * 2


def test_merged_cells_of_an_xlsx_fill_every_row_they_cover(tmp_path, home, db):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in merged_rows():
        sheet.append(row)
    city, provider = chr(65 + CITY), chr(65 + PROVIDER)
    for cells in (f"{city}2:{city}6", f"{provider}2:{provider}4", f"{provider}5:{provider}6"):
        sheet.merge_cells(cells)
    book.save(tmp_path / "merged.xlsx")
    check_merged(import_file(home, db, tmp_path / "merged.xlsx"), home, db)


def test_merged_cells_of_an_ods_fill_every_row_they_cover(tmp_path, home, db):
    path = write_ods(tmp_path / "merged.ods", merged_rows(),
                     {(1, CITY): (5, 1), (1, PROVIDER): (3, 1), (4, PROVIDER): (2, 1)})
    check_merged(import_file(home, db, path), home, db)


MERGED_XLS = Path(__file__).resolve().parents[1] / "data" / "merged_cells.xls"


def test_merged_cells_of_an_xls_fill_every_row_they_cover(home, db):
    """An Excel 97–2003 (BIFF8) list with the same merges, made by LibreOffice from
    ``merged_rows()`` (tests/data/make_merged_cells_xls.py)."""
    data = MERGED_XLS.read_bytes()
    assert data[:8] == bytes.fromhex("d0cf11e0a1b11ae1")      # an OLE2 compound file, not xlsx/html
    assert b"\xe5\x00" in data                                # BIFF MERGEDCELLS record (0x00E5)
    check_merged(import_file(home, db, MERGED_XLS), home, db)


# --- 7. web pages and Excel 2003 XML saved as .xls ---------------------------------------------------


def test_an_html_table_saved_as_xls_imports(tmp_path, home, db):
    rows = table(5)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in rows)
    page = ('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>'
            '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
            f'<table><tr><td colspan="{len(HEADER)}">网站名单（系统导出）</td></tr>\n{body}</table></body></html>')
    path = tmp_path / "export.xls"
    path.write_bytes(page.encode("gb18030"))
    run = import_file(home, db, path)
    assert run.returncode == 0, run
    s = summary(run)
    assert (s["header_row"], s["sites"], s["unchanged"]) == (2, 5, 5)


def spreadsheet_ml(rows: list[list], merge_down: dict[tuple[int, int], int]) -> str:
    """Excel 2003 XML of ``rows``; cells in ``merge_down`` span that many rows more (the cells
    they cover are left out and the next cell of the row carries ss:Index)."""
    covered = {(r + i, c) for (r, c), n in merge_down.items() for i in range(1, n + 1)}
    out = []
    for r, row in enumerate(rows):
        cells, skipped = [], False
        for c, value in enumerate(row):
            if (r, c) in covered:
                skipped = True
                continue
            attrs = f' ss:Index="{c + 1}"' if skipped else ""
            skipped = False
            if (r, c) in merge_down:
                attrs += f' ss:MergeDown="{merge_down[(r, c)]}"'
            kind = "Number" if isinstance(value, int) else "String"
            cells.append(f'<Cell{attrs}><Data ss:Type="{kind}">{value}</Data></Cell>')
        out.append("<Row>" + "".join(cells) + "</Row>")
    return ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
            'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
            '<Worksheet ss:Name="名单"><Table>' + "".join(out) + "</Table></Worksheet></Workbook>")


def test_excel_2003_xml_saved_as_xls_imports(tmp_path, home, db):
    rows = table(5)
    city = HEADER.index("地市")
    path = tmp_path / "export2003.xls"
    path.write_text(spreadsheet_ml(rows, {(1, city): 4}), encoding="utf-8")
    run = import_file(home, db, path)
    assert run.returncode == 0, run
    s = summary(run)
    assert (s["header_row"], s["sites"], s["unchanged"]) == (1, 5, 5)
    assert [site["city"] for site in sites(home, db).values()] == ["济南市"] * 5


def test_a_web_page_without_a_table_says_what_it_is(tmp_path, home, db):
    path = tmp_path / "page.xls"
    path.write_text("<html><body><p>登录已过期，请重新登录</p></body></html>", encoding="utf-8")
    before = database_dump(db)
    assert_refused(import_file(home, db, path), db, before, "网页", "没有表格")
