"""Tests for the findings ledger (问题台账) workbook."""

from __future__ import annotations

from datetime import date, datetime

from workbench.exporters.findings_ledger import HEADERS, write_findings_ledger
from workbench.exporters.summary import FindingLine


def _line(days_left, sponsor="济南某某网络科技有限公司", requirement="立即整改") -> FindingLine:
    return FindingLine(
        sponsor_name=sponsor, site_filing_no="鲁ICP备12345678号-2", category="空壳网站",
        description="域名已不指向接入服务商", severity_label="严重", legal_basis="",
        requirement=requirement, deadline=date(2026, 5, 6), status_label="已下发通知",
        days_left=days_left, notice_number="",
    )


def test_ledger_layout_and_values(tmp_path, read_back):
    lines = [_line(10), _line(-1, sponsor="@某公司"), _line(None, requirement="长" * 120)]
    out = write_findings_ledger(lines, tmp_path / "问题台账.xlsx", title="2026年专项检查问题台账")
    wb = read_back(out)
    assert wb.sheetnames == ["问题台账"]
    ws = wb["问题台账"]
    assert ws["A1"].value == "2026年专项检查问题台账" and ws["A1"].font.b
    assert tuple(c.value for c in ws[2]) == HEADERS and HEADERS[0] == "序号"
    assert [ws.cell(r, 1).value for r in (3, 4, 5)] == [1, 2, 3]
    assert ws["B4"].value == "@某公司" and ws["B4"].data_type == "s"
    assert ws["I3"].value == datetime(2026, 5, 6) and ws["I3"].number_format == "yyyy-mm-dd"
    assert ws["K4"].value == -1 and ws["K4"].font.b and not ws["K3"].font.b
    assert ws["H5"].alignment.wrap_text
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:L5"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$2:$2"
