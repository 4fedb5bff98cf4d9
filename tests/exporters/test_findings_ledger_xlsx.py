"""Tests for the findings ledger (整改台账) workbook writer."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest

from workbench.domain.progress import Cancelled
from workbench.exporters.findings_ledger import HEADERS, LedgerLine, write_findings_ledger


def _line(days_left, sponsor="济南某某网络科技有限公司", requirement="立即整改") -> LedgerLine:
    return LedgerLine(
        sponsor_name=sponsor, site_filing_no="鲁ICP备12345678号-2", site_name="某某官网",
        category="空壳网站", description="域名已不指向接入服务商", severity_label="高", legal_basis="",
        requirement=requirement, notice_number="鲁网信整改〔2026〕3号", served_on=date(2026, 4, 20),
        deadline=date(2026, 5, 6), days_left=days_left, status_label="整改中",
        reinspection="", history="2026-04-01 登记问题\n2026-04-20 送达整改通知",
    )


def test_ledger_layout_and_values(tmp_path, read_back):
    lines = [_line(10), _line(-1, sponsor="@某公司"), _line(None, requirement="长" * 120)]
    out = write_findings_ledger(iter(lines), tmp_path / "整改台账.xlsx", title="2026年专项检查整改台账",
                                info=[("个人信息", "已脱敏")])
    wb = read_back(out)
    assert wb.sheetnames == ["整改台账", "模板信息"]
    ws = wb["整改台账"]
    assert ws["A1"].value == "2026年专项检查整改台账" and ws["A1"].font.b
    assert tuple(c.value for c in ws[2]) == HEADERS and HEADERS[0] == "序号"
    assert [ws.cell(r, 1).value for r in (3, 4, 5)] == [1, 2, 3]
    assert ws["B4"].value == "@某公司" and ws["B4"].data_type == "s"
    assert ws["K3"].value == datetime(2026, 4, 20) and ws["L3"].number_format == "yyyy-mm-dd"
    assert ws["M4"].value == -1 and ws["M4"].font.b and not ws["M3"].font.b
    assert ws["I5"].alignment.wrap_text and ws.row_dimensions[5].height > 30
    assert ws["P3"].value.splitlines() == ["2026-04-01 登记问题", "2026-04-20 送达整改通知"]
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:P5"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$2:$2"
    assert wb["模板信息"]["B2"].value == "已脱敏"


def test_cancel_leaves_nothing(tmp_path):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        write_findings_ledger((_line(1) for _ in range(2500)), tmp_path / "x.xlsx", title="t", cancel=cancel)
    assert list(tmp_path.iterdir()) == []
