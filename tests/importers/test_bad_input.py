"""Site-list import of the bad input in the breaker report (A5, A6, A9–A12, B1, B2, B8, C1, D5, D14)."""

from __future__ import annotations

import os
import threading
from datetime import date

import pytest

from workbench.errors import InputFileError
from workbench.importers.site_list import read_site_list

HEADER = ["主办单位名称", "单位性质", "统一社会信用代码", "网站备案号", "网站域名", "审核通过日期"]


def _row(site: str, name: str = "甲公司", nature: str = "企业", uscc: str = "", domain: str = "a.com",
         approved: object = "2020-01-01") -> list:
    return [name, nature, uscc, site, domain, approved]


def _read(tmp_path, make_xlsx, rows):
    return read_site_list(make_xlsx(tmp_path / "list.xlsx", {"名单": [HEADER, *rows]}))


def _codes(result, code):
    return [(p.row, p.column, p.value) for p in result.problems if p.code == code]


# A5 ---------------------------------------------------------------------------------------


def test_same_subject_with_another_sponsor_name_is_flagged_on_the_later_rows(tmp_path, make_xlsx):
    rows = [_row("鲁ICP备2023000008号-1", "甲"), _row("鲁ICP备2023000009号-1", "乙", domain="b.com"),
            _row("鲁ICP备2023000008号-2", "丙", domain="c.com"),
            _row("鲁ICP备2023000008号-3", "丁", nature="个人", domain="d.com"),
            _row("鲁ICP备2023000008号-4", "甲", domain="e.com")]
    result = _read(tmp_path, make_xlsx, rows)
    problems = [p for p in result.problems if p.code == "sponsor_mismatch"]
    assert [(p.row, p.column, p.value, p.severity) for p in problems] == [
        (4, "主办单位名称", "丙", "warning"), (5, "主办单位名称", "丁", "warning")]
    assert problems[0].message == "与第 2 行的主体备案号相同，但主办单位名称不同，请核对（保存时以第 2 行为准，统一社会信用代码取校验通过的）"
    assert problems[1].message == "与第 2 行的主体备案号相同，但主办单位名称、主办单位性质不同，请核对（保存时以第 2 行为准，统一社会信用代码取校验通过的）"
    flags = {r.site_filing_no: r.flags for r in result.records}
    assert flags["鲁ICP备2023000008号-2"] == ("sponsor_mismatch",)
    assert flags["鲁ICP备2023000008号-3"] == ("sponsor_mismatch",)
    assert flags["鲁ICP备2023000008号-1"] == flags["鲁ICP备2023000008号-4"] == ()


def test_a_different_uscc_is_a_mismatch_but_a_blank_later_cell_is_not(tmp_path, make_xlsx):
    rows = [_row("鲁ICP备2023000008号-1", uscc="91370302008B2YR15M"),
            _row("鲁ICP备2023000008号-2", name="", nature="", domain="b.com"),  # merged-cell style
            _row("鲁ICP备2023000008号-3", uscc="9137130214578N7G70", domain="c.com")]
    result = _read(tmp_path, make_xlsx, rows)
    assert [(p.row, p.column) for p in result.problems if p.code == "sponsor_mismatch"] == [
        (4, "统一社会信用代码")]


def test_sponsor_mismatch_has_a_flag_label():
    from workbench.importers.cells import FLAG_LABELS, PROBLEMS

    assert PROBLEMS["sponsor_mismatch"][0] == "warning"
    assert "主办单位" in FLAG_LABELS["sponsor_mismatch"]


# A6 ---------------------------------------------------------------------------------------


def test_a_domain_with_a_space_is_refused_not_cut(tmp_path, make_xlsx):
    rows = [_row("鲁ICP备2023000008号-1", domain="exa mple.com"),
            _row("鲁ICP备2023000009号-1", domain="good.cn；exa mple.com")]
    result = _read(tmp_path, make_xlsx, rows)
    first, second = result.records
    assert first.domains == () and "domain_invalid" in first.flags
    assert [d.name for d in second.domains] == ["good.cn"]
    assert all(d.name != "mple.com" for r in result.records for d in r.domains)
    assert _codes(result, "domain_invalid") == [(2, "网站域名", "exa mple.com"),
                                                (3, "网站域名", "good.cn；exa mple.com")]


# A9 ---------------------------------------------------------------------------------------


def test_formula_without_a_saved_result_is_reported_not_silently_empty(tmp_path, make_xlsx):
    rows = [_row("鲁ICP备2023000008号-1", name='=HYPERLINK("http://x","甲公司")'),
            _row("鲁ICP备2023000009号-1", name="乙公司", domain="b.com")]
    result = _read(tmp_path, make_xlsx, rows)
    assert _codes(result, "formula_no_value") == [(2, "主办单位名称", '=HYPERLINK("http://x","甲公司")')]
    first, second = result.records
    assert first.sponsor_name == "" and "formula_no_value" in first.flags
    assert "formula_no_value" not in second.flags
    assert [p.row for p in result.problems] == sorted(p.row for p in result.problems)


def test_formula_cells_are_found_in_worksheet_xml():
    from workbench.importers.xlsx_formulas import formulas_without_value

    xml = (b'<worksheet><sheetData><row r="2">'
           b'<c r="A2"><f>1+1</f><v>2</v></c>'  # Excel: the result is saved
           b'<c r="B2" t="str"><f>A2&amp;"x"</f><v /></c>'  # openpyxl: no result
           b'<c r="C2"><f t="shared" ref="C2:C3" si="0">A2*2</f></c></row>'
           b'<row r="3"><c r="C3"><f t="shared" si="0"/></c>'
           b'<c r="AA3" t="inlineStr"><is><t>f&gt;</t></is></c></row>'
           b'<row r="4"><x:c r="D4"><x:f>NOW()</x:f></x:c></row></sheetData></worksheet>')
    assert formulas_without_value(xml) == {
        (2, 1): '=A2&"x"', (2, 2): "=A2*2", (3, 2): "=", (4, 3): "=NOW()"}


def test_csv_and_formula_free_xlsx_need_no_scan(tmp_path, make_xlsx):
    from workbench.importers.sheet_reader import open_workbook

    path = tmp_path / "a.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(map(str, _row("鲁ICP备2023000008号-1"))) + "\n",
                    encoding="utf-8")
    book = open_workbook(path)
    list(book.rows(book.sheets[0]))
    assert book.formula_scan(book.sheets[0]) is None
    result = _read(tmp_path, make_xlsx, [_row("鲁ICP备2023000008号-1")])
    assert not _codes(result, "formula_no_value")


# A10 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site", "code", "severity"),
    [("鲁ICP备2023000006号-0", "site_no_suffix_zero", "error"),
     ("鲁ICP备2023000006号-6号", "icp_misplaced_hao", "warning"),
     ("鲁ICP备2023000006号--1", "icp_dash", "warning"),
     ("鲁ICP备2023000006号-¹", "icp_odd_digits", "error"),
     ("鲁ICP备2023000006号-①", "icp_odd_digits", "error"),
     ("京ICP证000001号", "site_no_is_licence", "error"),
     ("鲁B2-20190001", "site_no_is_licence", "error"),
     ("鲁ICP备2023000006号", "site_no_without_suffix", "error")],
)
def test_odd_site_numbers_get_the_precise_reason(tmp_path, make_xlsx, site, code, severity):
    result = _read(tmp_path, make_xlsx, [_row(site)])
    found = [p for p in result.problems if p.code == code]
    assert [(p.row, p.column, p.severity, p.value) for p in found] == [(2, "网站备案号", severity, site)]
    assert bool(result.rejected_rows) is (severity == "error")
    assert not [p for p in result.problems if p.code in ("site_no_invalid", "site_no_missing")]


def test_icp_licence_message_says_it_is_no_site_number(tmp_path, make_xlsx):
    result = _read(tmp_path, make_xlsx, [_row("京ICP证000001号")])
    assert "经营许可证" in result.problems[0].message
    assert "只有主体备案号" not in result.problems[0].message


# A11 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("approved", "day", "flagged"),
    [("0001-01-01", date(1, 1, 1), True), ("9999-12-31", date(9999, 12, 31), True),
     (2958465, date(9999, 12, 31), True), (1, date(1899, 12, 31), True),
     ("1999-12-31", date(1999, 12, 31), True), ("2000-01-01", date(2000, 1, 1), False),
     ("2024-02-29", date(2024, 2, 29), False)],
)
def test_implausible_approval_dates_are_kept_but_warned(tmp_path, make_xlsx, approved, day, flagged):
    result = _read(tmp_path, make_xlsx, [_row("鲁ICP备2023000008号-1", approved=approved)])
    assert result.records[0].approved_on == day
    found = _codes(result, "date_implausible")
    assert found == ([(2, "审核通过日期", str(approved))] if flagged else [])


def test_a_date_after_today_is_implausible(tmp_path, make_xlsx):
    tomorrow = date.fromordinal(date.today().toordinal() + 1)
    result = _read(tmp_path, make_xlsx, [_row("鲁ICP备2023000008号-1", approved=tomorrow.isoformat())])
    assert "date_implausible" in result.records[0].flags


# A12 --------------------------------------------------------------------------------------


def test_control_characters_never_reach_a_stored_value(tmp_path):
    path = tmp_path / "ctl.csv"
    row = ["坏\x07单位\x1b[31m红", "企\x08业", "", "鲁ICP备2023000008号-1\x1b", "a.com", "2020-01-01"]
    path.write_text(",".join(HEADER + ["网站名称", "电子邮箱"]) + "\n"
                    + ",".join(row + ["站\x7f点\x9b", "ab\x07@c.com"]) + "\n", encoding="utf-8")
    record = read_site_list(path).records[0]
    assert (record.sponsor_name, record.sponsor_nature, record.site_name, record.email) == (
        "坏单位[31m红", "企业", "站点", "ab@c.com")
    assert record.site_filing_no == "鲁ICP备2023000008号-1"


# B1, B2, D5 -------------------------------------------------------------------------------


def _error(path, **kw) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        read_site_list(path, **kw)
    assert str(path) in str(info.value)
    return info.value


def test_utf16_with_an_odd_byte_count_is_an_input_error(tmp_path, csv_text):
    path = tmp_path / "cut.csv"
    path.write_bytes(csv_text.encode("utf-16") + b"a")
    err = _error(path)
    assert "UTF-16" in str(err) and "不完整" in str(err)


def test_a_csv_field_longer_than_the_default_limit_reads(tmp_path):
    path = tmp_path / "long.csv"
    name = "长" * 200_000
    path.write_text(",".join(HEADER) + "\n" + ",".join(map(str, _row("鲁ICP备2023000008号-1", name))) + "\n",
                    encoding="utf-8")
    assert read_site_list(path).records[0].sponsor_name == name


def test_a_runaway_csv_field_names_its_row(tmp_path):
    from workbench.importers.sheet_reader import CSV_FIELD_LIMIT

    path = tmp_path / "runaway.csv"
    good = ",".join(map(str, _row("鲁ICP备2023000008号-1")))
    path.write_text(",".join(HEADER) + "\n" + good + "\n" + '"' + "x" * (CSV_FIELD_LIMIT + 10) + "\n",
                    encoding="utf-8")
    err = _error(path)
    assert err.row == 3 and "个字符" in str(err)


@pytest.mark.parametrize("where", [10, 9000])
def test_a_nul_byte_anywhere_refuses_a_text_file_naming_its_row(tmp_path, where):
    body = (",".join(HEADER) + "\n" + ",".join(map(str, _row("鲁ICP备2023000008号-1"))) + "\n") * 200
    data = body.encode("utf-8")
    path = tmp_path / "nul.csv"
    path.write_bytes(data[:where] + b"\x00" + data[where:])
    err = _error(path)
    assert "空字符" in str(err)
    assert err.row == data[:where].count(b"\n") + 1


def test_a_nul_character_in_utf16_text_is_refused_too(tmp_path, csv_text):
    path = tmp_path / "nul16.csv"
    path.write_bytes((csv_text + "x\x00y\r\n").encode("utf-16"))
    err = _error(path)
    assert "空字符" in str(err) and err.row == csv_text.count("\n") + 1


# B8, D14 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("column", [6, 1_000_000_000])
def test_a_mapping_column_beyond_the_sheet_is_refused(tmp_path, make_xlsx, column):
    path = make_xlsx(tmp_path / "m.xlsx", {"S": [HEADER, _row("鲁ICP备2023000008号-1")]})
    err = _error(path, mapping={3: "site_filing_no", column: "remark"})
    assert "超出了表格的范围" in str(err) and "共 6 列" in str(err)
    assert read_site_list(path, mapping={3: "site_filing_no", 5: "remark"}).records


def test_an_unknown_sheet_lists_the_sheets_there_are(tmp_path, make_xlsx):
    path = make_xlsx(tmp_path / "s.xlsx", {"名单": [HEADER], "说明": [["x"]]})
    err = _error(path, sheet="nope")
    assert "nope" in str(err) and "“名单”、“说明”" in str(err)


# C1 ---------------------------------------------------------------------------------------


def _finishes(func, seconds: float = 10.0):
    """Run ``func`` in a thread; its exception, or fail when it is still running after ``seconds``."""
    outcome: list = []

    def target():
        try:
            func()
            outcome.append(None)
        except Exception as err:  # noqa: BLE001 - handed back to the test
            outcome.append(err)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    return outcome[0] if outcome else pytest.fail("the reader hung")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_a_named_pipe_is_refused_at_once(tmp_path):
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    try:
        err = _finishes(lambda: read_site_list(fifo))
    finally:  # release a reader blocked on the pipe, if any
        fd = None
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            pass
        if fd is not None:
            os.close(fd)
    assert isinstance(err, InputFileError) and "该路径不是普通文件" in str(err)


def test_a_folder_is_not_a_regular_file(tmp_path):
    folder = tmp_path / "名单.xlsx"
    folder.mkdir()
    assert "该路径不是普通文件" in str(_error(folder))
