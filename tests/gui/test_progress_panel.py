"""The progress strip: rows per second, 预计剩余 per phase, and 取消 stopping the running task."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from workbench.domain.progress import Progress, check_cancel
from workbench.gui.widgets.progress_panel import ProgressPanel, duration_text, rate_text


@pytest.fixture
def panel(qtbot, session):
    widget = ProgressPanel(session)
    qtbot.addWidget(widget)
    return widget


def test_duration_and_rate_texts():
    assert duration_text(7.2) == "8 秒"
    assert duration_text(125) == "2 分 05 秒"
    assert duration_text(3780) == "1 小时 03 分"
    assert rate_text(200, 1000, 2.0) == "100 行/秒，预计剩余 8 秒"
    assert rate_text(5000, 0, 2.0) == "2,500 行/秒"  # total unknown: no ETA
    assert rate_text(0, 1000, 2.0) == ""


def test_rate_and_eta_are_measured_per_phase(panel):
    now = [100.0]
    panel.clock = lambda: now[0]
    panel.on_started("导入网站名单")
    assert not panel.isHidden()
    assert panel.bar.maximum() == 0  # indeterminate until a total is known
    panel.on_progress(Progress(0, 1000, "正在读取…"))
    now[0] = 102.0
    panel.on_progress(Progress(200, 1000, "正在读取…"))
    assert panel.rate_label.text() == "100 行/秒，预计剩余 8 秒"
    assert (panel.bar.maximum(), panel.bar.value()) == (1000, 200)
    panel.on_progress(Progress(0, 500, "正在写入数据库…"))  # a new phase restarts the clock
    now[0] = 103.0
    panel.on_progress(Progress(250, 500, "正在写入数据库…"))
    assert panel.rate_label.text() == "250 行/秒，预计剩余 1 秒"
    assert panel.message_label.text() == "正在写入数据库…"
    panel.on_ended("导入网站名单")
    assert panel.isHidden()


def test_cancel_stops_the_running_task(qtbot, panel, session, dialogs):
    def task(_ctx, cancel, on_progress):
        for done in range(100000):
            on_progress(Progress(done, 100000, "处理中"))
            cancel.wait(0.005)
            check_cancel(cancel)
        return "未取消"

    results = []
    session.run_task("长任务", task, results.append)
    assert not panel.isHidden() and panel.title_label.text() == "长任务"
    qtbot.waitUntil(lambda: panel.message_label.text() == "处理中", timeout=5000)
    with qtbot.waitSignal(session.task_ended, timeout=5000):
        qtbot.mouseClick(panel.cancel_button, Qt.LeftButton)
        assert not panel.cancel_button.isEnabled() and panel.message_label.text() == "正在取消…"
    assert results == [] and panel.isHidden() and panel.message_label.text() == "正在取消…"
    assert dialogs.shown[-1] == ("info", "长任务", "已取消，数据库未作任何改动。")
