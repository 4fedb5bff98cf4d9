"""Tests for the summary workbook (汇总表): sheets, values, formats, progress, cancel, locking."""

from __future__ import annotations

import os
import threading
from datetime import date, datetime

import pytest

from workbench.domain.progress import Cancelled
from workbench.errors import WorkbenchError
from workbench.exporters.summary import (
    DAYS_LEFT_FORMAT,
    FINDING_HEADERS,
    REVIEW_HEADERS,
    AccuracyLine,
    FindingLine,
    ReviewLine,
    SummaryWorkbook,
    with_total,
    write_summary,
)


def _review(i: int, notes: str = "首页未悬挂备案号") -> ReviewLine:
    return ReviewLine(
        site_filing_no=f"鲁ICP备1234567{i % 10}号-1", site_name="某某科技官网",
        domains="example.com、例子.中国", sponsor_name="山东某某科技有限公司",
        uscc="91370100MA3C0XXXX1", city="济南市", access_provider="阿里云计算有限公司",
        conclusion_label="主办单位信息不准确", mismatched_fields="主办单位名称、负责人电话",
        notes=notes, reviewed_on=date(2026, 3, 2), inspector="张三",
    )


def _finding(days_left: int | None, notice: str = "鲁网信整改〔2026〕12号") -> FindingLine:
    return FindingLine(
        sponsor_name="山东某某科技有限公司", site_filing_no="鲁ICP备12345678号-1",
        category="网站内容不合格", description="未悬挂备案号或未链接工信部",
        severity_label="一般", legal_basis="《非经营性互联网信息服务备案管理办法》第十三条",
        requirement="在首页底部中央悬挂备案号并链接至 beian.miit.gov.cn",
        deadline=date(2026, 4, 1), status_label="待整改", days_left=days_left,
        notice_number=notice,
    )


def _data(reviews=None, findings=None, by_provider=None) -> SummaryWorkbook:
    return SummaryWorkbook(
        campaign_name="2026年网站备案信息准确性专项核查", authority="山东省互联网信息办公室",
        generated_on=date(2026, 3, 10),
        reviews=[_review(1), _review(2, notes="=HYPERLINK(\"http://x\")")] if reviews is None else reviews,
        findings=[_finding(5), _finding(-3), _finding(None)] if findings is None else findings,
        accuracy_by_provider=by_provider if by_provider is not None else [
            AccuracyLine("阿里云计算有限公司", 8, 6, 0.75),
            AccuracyLine("腾讯云计算（北京）有限责任公司", 2, 1, 0.5),
        ],
        accuracy_by_city=[
            AccuracyLine("济南市", 10, 7, 0.7), AccuracyLine("合计", 10, 7, 0.7),
        ],
        totals={"网站总数": 300, "已核查": 120, "逾期问题": 1},
    )


def test_sheets_and_headers(tmp_path, read_back):
    wb = read_back(write_summary(_data(), tmp_path / "汇总表.xlsx"))
    assert wb.sheetnames == ["概况", "核查明细", "问题清单", "准确率-接入商", "准确率-地市"]
    assert tuple(c.value for c in wb["核查明细"][1]) == REVIEW_HEADERS
    assert tuple(c.value for c in wb["问题清单"][1]) == FINDING_HEADERS
    assert [c.value for c in wb["准确率-接入商"][1]] == ["接入服务商", "核查数", "准确数", "准确率"]
    assert [c.value for c in wb["准确率-地市"][1]] == ["地市", "核查数", "准确数", "准确率"]


def test_overview_sheet(tmp_path, read_back):
    ws = read_back(write_summary(_data(), tmp_path / "汇总表.xlsx"))["概况"]
    assert ws["A1"].value == "2026年网站备案信息准确性专项核查 汇总表"
    pairs = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(3, ws.max_row + 1)}
    assert pairs["检查任务"] == "2026年网站备案信息准确性专项核查"
    assert pairs["检查机关"] == "山东省互联网信息办公室"
    assert pairs["生成日期"] == datetime(2026, 3, 10)
    assert (pairs["网站总数"], pairs["已核查"], pairs["逾期问题"]) == (300, 120, 1)
    assert ws["B5"].number_format == "yyyy-mm-dd"


def test_review_rows_keep_chinese_text_dates_and_neutralise_formulas(tmp_path, read_back):
    ws = read_back(write_summary(_data(), tmp_path / "汇总表.xlsx"))["核查明细"]
    first = [c.value for c in ws[2]]
    assert first[:4] == ["鲁ICP备12345671号-1", "某某科技官网", "example.com、例子.中国",
                         "山东某某科技有限公司"]
    assert first[7:10] == ["主办单位信息不准确", "主办单位名称、负责人电话", "首页未悬挂备案号"]
    assert first[10] == datetime(2026, 3, 2) and ws["K2"].number_format == "yyyy-mm-dd"
    assert ws["J3"].value == '=HYPERLINK("http://x")' and ws["J3"].data_type == "s"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:L3"


def test_findings_overdue_days_are_red(tmp_path, read_back):
    ws = read_back(write_summary(_data(), tmp_path / "汇总表.xlsx"))["问题清单"]
    days = {row: ws.cell(row, 10) for row in (2, 3, 4)}
    assert [c.value for c in days.values()] == [5, -3, None]
    assert days[3].font.color.rgb.endswith("9C0006") and days[3].fill.fgColor.rgb.endswith("FFC7CE")
    assert days[3].number_format == DAYS_LEFT_FORMAT and "[Red]" in DAYS_LEFT_FORMAT
    assert not days[2].font.b and days[3].font.b
    assert days[2].fill.fill_type is None
    assert ws["H2"].value == datetime(2026, 4, 1) and ws["H2"].number_format == "yyyy-mm-dd"
    assert ws["K2"].value == "鲁网信整改〔2026〕12号"


def test_accuracy_sheet_rate_format_and_bold_total(tmp_path, read_back):
    wb = read_back(write_summary(_data(), tmp_path / "汇总表.xlsx"))
    ws = wb["准确率-接入商"]
    assert [c.value for c in ws[2]] == ["阿里云计算有限公司", 8, 6, 0.75]
    assert "%" in ws["D2"].number_format and ws["D2"].number_format == "0.0%"
    assert [c.value for c in ws[4]] == ["合计", 10, 7, 0.7]  # computed: Σ7 ÷ Σ10
    assert all(c.font.b for c in ws[4]) and not ws["A2"].font.b
    city = wb["准确率-地市"]
    assert city.max_row == 3  # the given 合计 line is not doubled
    assert city["A3"].value == "合计" and city["A3"].font.b


def test_with_total_of_nothing_has_no_rate():
    assert with_total([]) == [AccuracyLine("合计", 0, 0, None)]


def test_empty_accuracy_rate_cell_is_blank(tmp_path, read_back):
    wb = read_back(write_summary(_data(by_provider=[]), tmp_path / "汇总表.xlsx"))
    ws = wb["准确率-接入商"]
    assert [c.value for c in ws[2]] == ["合计", 0, 0, None]


def test_progress_reaches_total_and_ends_saved(tmp_path):
    reports = []
    data = _data(reviews=[_review(i) for i in range(2500)])
    write_summary(data, tmp_path / "汇总表.xlsx", on_progress=reports.append)
    dones = [p.done for p in reports]
    assert dones == sorted(dones)
    assert reports[-1].message == "已保存"
    assert reports[-1].done == reports[-1].total == 2500 + 3 + 3 + 2
    assert any(p.message == "正在写入核查明细" and 0 < p.done < 2500 for p in reports)


def test_cancel_midway_leaves_previous_file_and_no_temp(tmp_path):
    out = tmp_path / "汇总表.xlsx"
    out.write_bytes(b"previous export")
    cancel = threading.Event()

    def on_progress(progress):
        if progress.done >= 1000:
            cancel.set()

    data = _data(reviews=[_review(i) for i in range(3000)])
    with pytest.raises(Cancelled):
        write_summary(data, out, cancel=cancel, on_progress=on_progress)
    assert out.read_bytes() == b"previous export"
    assert list(tmp_path.iterdir()) == [out]


def test_file_open_elsewhere_becomes_chinese_error(tmp_path, monkeypatch):
    def locked(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", locked)
    out = tmp_path / "汇总表.xlsx"
    with pytest.raises(WorkbenchError) as info:
        write_summary(_data(), out)
    assert "文件被其他程序占用，请关闭后重试" in str(info.value) and str(out) in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_every_table_sheet_prints_fitted_to_the_page_width(tmp_path):
    from openpyxl import load_workbook

    out = write_summary(_data(), tmp_path / "汇总表.xlsx")
    for ws in load_workbook(out).worksheets:
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.orientation == "landscape"
