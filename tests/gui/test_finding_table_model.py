"""The ledger and history table models: Qt model contract, labels, overdue colouring, local times."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from workbench.domain import finding_status as fs
from workbench.domain.finding import Finding, FindingEvent, FindingView
from workbench.gui.models.finding_table_model import (
    HEADERS,
    OVERDUE_COLOR,
    FindingColumn,
    FindingTableModel,
)
from workbench.gui.models.history_model import HistoryColumn, HistoryModel, local_time_text

TODAY = date(2026, 11, 30)


def _view(deadline: date, status: str = fs.RECTIFYING, severity: str = "high", name: str = "某公司") -> FindingView:
    finding = Finding(
        id=f"id-{name}-{deadline}", campaign_id="c", sponsor_id="s", category="联系方式不准确",
        description="联系电话为空号", severity=severity, legal_basis="", requirement="",
        term_days=10, term_unit="working", start_on=date(2026, 11, 1), deadline=deadline, status=status,
    )
    return FindingView(finding, name, "鲁ICP备12345678号-1", "鲁网信整改〔2026〕1号")


def _model(qtmodeltester, views) -> FindingTableModel:
    model = FindingTableModel()
    model.set_rows(views, TODAY)
    qtmodeltester.check(model)
    return model


def test_ledger_model_contract_and_labels(qtmodeltester):
    model = _model(qtmodeltester, [_view(date(2026, 12, 3)), _view(date(2026, 11, 25), severity="low")])
    assert model.rowCount() == 2 and model.columnCount() == len(HEADERS)
    assert model.headerData(FindingColumn.DAYS_LEFT, Qt.Horizontal) == "剩余天数"
    cell = lambda r, c: model.data(model.index(r, c))  # noqa: E731
    assert cell(0, FindingColumn.SPONSOR) == "某公司"
    assert cell(0, FindingColumn.SEVERITY) == "高"
    assert cell(1, FindingColumn.SEVERITY) == "低"
    assert cell(0, FindingColumn.STATUS) == "整改中"
    assert cell(0, FindingColumn.DEADLINE) == "2026-12-03"
    assert cell(0, FindingColumn.DAYS_LEFT) == "3 天"
    assert cell(1, FindingColumn.DAYS_LEFT) == "逾期 5 天"
    assert cell(0, FindingColumn.NOTICE) == "鲁网信整改〔2026〕1号"


def test_overdue_is_red_and_sort_keys_are_raw(qtmodeltester):
    model = _model(qtmodeltester, [_view(date(2026, 12, 3)), _view(date(2026, 11, 25)),
                                   _view(date(2026, 11, 1), status=fs.CLOSED)])
    overdue = model.data(model.index(1, FindingColumn.DAYS_LEFT), Qt.ForegroundRole)
    assert overdue is not None and overdue.color() == OVERDUE_COLOR
    assert model.data(model.index(0, FindingColumn.DAYS_LEFT), Qt.ForegroundRole) is None
    # a closed finding is never overdue, whatever its deadline
    assert model.data(model.index(2, FindingColumn.DAYS_LEFT)) == "—"
    assert model.data(model.index(2, FindingColumn.DAYS_LEFT), Qt.ForegroundRole) is None
    assert model.data(model.index(1, FindingColumn.DAYS_LEFT), Qt.UserRole) == -5
    assert model.data(model.index(0, FindingColumn.SEVERITY), Qt.UserRole) == 0
    assert model.data(model.index(2, FindingColumn.DAYS_LEFT), Qt.UserRole) > 10_000


def test_due_today_label(qtmodeltester):
    model = _model(qtmodeltester, [_view(TODAY)])
    assert model.data(model.index(0, FindingColumn.DAYS_LEFT)) == "今日到期"
    assert model.row_of("id-某公司-2026-11-30") == 0 and model.row_of("nope") == -1


def test_history_model(qtmodeltester):
    events = [
        FindingEvent("create", None, fs.PENDING, "", date(2026, 12, 14), "2026-11-30T02:05:00+00:00", "张三", "pc1"),
        FindingEvent(fs.EXTEND, fs.RECTIFYING, fs.RECTIFYING, "单位申请延期", date(2026, 12, 28),
                     "2026-12-10T09:00:00+00:00", "李四", "pc2"),
    ]
    model = HistoryModel()
    model.set_events(events)
    qtmodeltester.check(model)
    cell = lambda r, c: model.data(model.index(r, c))  # noqa: E731
    assert cell(0, HistoryColumn.ACTION) == "登记问题"
    assert cell(0, HistoryColumn.STATUS) == "待整改"
    assert cell(1, HistoryColumn.ACTION) == "延期"
    assert cell(1, HistoryColumn.STATUS) == "整改中→整改中"
    assert cell(1, HistoryColumn.REASON) == "单位申请延期"
    assert cell(1, HistoryColumn.DEADLINE) == "2026-12-28"
    assert cell(1, HistoryColumn.INSPECTOR) == "李四"
    assert model.data(model.index(0, HistoryColumn.TIME), Qt.UserRole) == "2026-11-30T02:05:00+00:00"


def test_local_time_shows_offset(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    import time

    time.tzset()
    try:
        assert local_time_text("2026-11-30T02:05:00+00:00") == "2026-11-30 10:05 +08:00"
    finally:
        monkeypatch.undo()
        time.tzset()
    assert local_time_text("not a time") == "not a time"
