"""Issue 9: what an export cell may never carry (bidi controls, C0 controls) and cut text marked."""

from __future__ import annotations

import zipfile

import pytest

from workbench.exporters.cells import (
    MAX_CELL_CHARS,
    cut_text,
    safe_cell,
    write_table,
    write_workbook,
)


@pytest.mark.parametrize("text", ["moc.elpmaxe\u202e", "\u2066甲\u2069", "\u202a乙\u202c", "丙\u200f", "丁\x07\x1b"])
def test_bidi_and_control_characters_never_reach_a_cell(text):
    value = str(safe_cell(text))
    assert value == "".join(ch for ch in text if ch.isprintable())


def test_text_over_the_cell_limit_is_cut_with_a_marker_saying_so():
    value = safe_cell("长" * 40000)
    assert len(value) == MAX_CELL_CHARS
    assert value.endswith("…[已截断，原文 40,000 字]")
    assert value.startswith("长" * 30000)
    assert cut_text("短") == "短"
    assert cut_text("x" * MAX_CELL_CHARS) == "x" * MAX_CELL_CHARS


def test_a_written_workbook_holds_neither(tmp_path):
    out = tmp_path / "out.xlsx"
    write_workbook(out, lambda wb: write_table(wb.create_sheet("表"), ["名称"], [["\u202e反向"], ["长" * 33000]]))
    with zipfile.ZipFile(out) as archive:
        xml = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))
    assert "\u202e" not in xml and "反向" in xml
    assert "已截断，原文 33,000 字" in xml
