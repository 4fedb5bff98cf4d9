"""What the window loads and builds before its first rows show (issue 12: open ≤ 2 × a bare Qt
window). The PDF, workbook, packaging and printing libraries load when a screen or a worker
needs them; the window opens on 概览 and builds the other screens after its first rows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import workbench

ROOT = Path(workbench.__file__).resolve().parents[1]
#: Libraries the opening window must not wait for: PDFs (reportlab and its yaml wording, pypdfium2,
#: Qt's print module), workbooks (openpyxl, python-calamine), writes (sqlite-utils, numpy) and
#: work packages (multiprocessing).
HEAVY = ("reportlab", "yaml", "pypdfium2", "PySide6.QtPrintSupport", "openpyxl", "python_calamine",
         "sqlite_utils", "numpy", "multiprocessing")


def loaded_after(code: str) -> list[str]:
    """The :data:`HEAVY` modules loaded by ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if sys.modules.get(m) is not None]))"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=120, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_importing_the_window_loads_no_heavy_library():
    assert loaded_after("import workbench.gui.application, workbench.gui.main_window") == []


def test_the_probe_sees_a_heavy_library():
    assert loaded_after("import workbench.reports.notice") == ["reportlab", "yaml"]


def test_the_command_line_runs_without_numpy_like_the_bundle():
    """packaging/workbench.spec leaves numpy out; sqlite-utils must not load it from a Python
    that has it either (0.1–0.2 s of every start)."""
    code = ("from workbench import cli\n"
            "assert cli.main(['deadline', '2026-01-05', '10', '--working']) == 0\n"
            "import sqlite_utils")
    assert "numpy" not in loaded_after(code)


def test_the_window_opens_on_the_overview_and_builds_the_other_screens_after(qtbot, demo_session):
    from workbench.gui.main_window import LAZY_SCREENS, OVERVIEW, SCREENS, MainWindow
    from workbench.gui.views.overview_view import OverviewView

    window = MainWindow(demo_session)
    qtbot.addWidget(window)
    kinds = [type(window.stack.widget(i)).__name__ for i in range(len(SCREENS))]
    assert kinds[OVERVIEW] == OverviewView.__name__ and kinds.count("QWidget") == len(LAZY_SCREENS)
    window.show()
    qtbot.waitUntil(lambda: all(type(window.stack.widget(i)).__name__ == LAZY_SCREENS[i][1] for i in LAZY_SCREENS))
    assert window.stack.currentIndex() == OVERVIEW
    assert window.count_label.text() == "共 48 条，已核查 12"
    # every list of every screen has 右键 › 导出为 Excel once (wired as each screen was built)
    assert len(window.table_export_actions) == 6


def test_the_first_screen_is_read_once_ahead_of_the_window(qtbot, demo_session, monkeypatch):
    """run_gui starts 概览's read before building the window; the overview takes that answer."""
    from workbench.gui.main_window import MainWindow
    from workbench.gui.views import overview_view
    from workbench.services import summary

    calls = []
    real = summary.quick_figures
    monkeypatch.setattr(summary, "quick_figures", lambda *a, **k: calls.append(a) or real(*a, **k))
    demo_session.set_campaign(None)   # chosen on the reader as the window does: the newest
    overview_view.read_ahead(demo_session)
    assert len(calls) == 1
    window = MainWindow(demo_session)
    qtbot.addWidget(window)
    charts = (window.overview.provider_chart, window.overview.timeline_chart)
    assert [c.empty_text for c in charts] == ["正在统计…"] * 2   # not "尚无问题" while counting
    window.show()
    qtbot.waitUntil(lambda: window.overview.values["sites"].text() == "48")
    assert len(calls) == 1
    qtbot.waitUntil(lambda: not window.overview.busy)
    assert [c.empty_text for c in charts] == ["尚未核查任何网站", "尚无问题"]


def test_the_overview_waits_for_the_campaign_instead_of_saying_there_is_none(qtbot, app_paths, dialogs, tmp_path):
    """The selector's list comes from the reader: until it is in, 概览 shows its placeholders."""
    from workbench.app import open_context
    from workbench.gui.main_window import MainWindow
    from workbench.gui.session import Session
    from workbench.services.demo import build_demo

    db = tmp_path / "live.sqlite3"
    ctx = open_context(db, app_paths, inspector="测试")
    build_demo(ctx, lifecycle=False)
    window = MainWindow(Session(app_paths, db, dialogs, ctx=ctx))   # reads on the reader thread
    qtbot.addWidget(window)
    window.show()
    assert "尚无检查任务" not in window.overview.heading.text()
    assert window.count_label.text() == ""   # not 共 0 条 before the campaign is known
    qtbot.waitUntil(lambda: window.overview.values["sites"].text() == "48", timeout=10000)
    qtbot.waitUntil(lambda: window.count_label.text() == "共 48 条，已核查 12", timeout=10000)


def test_what_saves_need_is_imported_only_after_the_first_rows(qtbot, app_paths, dialogs, tmp_path, monkeypatch):
    """sqlite-utils (what the first save needs) is imported on the reader thread once 概览 shows
    its first figures, not while they are on their way: its Python held the GIL the GUI thread
    needed to show them (issue 12)."""
    from workbench.app import open_context
    from workbench.gui.main_window import MainWindow
    from workbench.gui.session import Session
    from workbench.gui.views import overview_view
    from workbench.services import context
    from workbench.services.demo import build_demo

    order: list[str] = []
    monkeypatch.setattr(context, "preload_for_writes", lambda: order.append("preload"))
    quick = overview_view.OverviewView._quick
    monkeypatch.setattr(overview_view.OverviewView, "_quick",
                        lambda self, *args: (order.append("figures"), quick(self, *args))[1])
    db = tmp_path / "live.sqlite3"
    ctx = open_context(db, app_paths, inspector="测试")
    made = build_demo(ctx, lifecycle=False)
    session = Session(app_paths, db, dialogs, ctx=ctx)   # the real reader thread, as run_gui
    session.set_campaign(made.campaign_id)
    overview_view.read_ahead(session)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "preload" in order, timeout=10000)
    assert order[:2] == ["figures", "preload"]
    assert window.overview.values["sites"].text() == "48"


def test_the_services_of_the_opening_are_imported_before_pyside6():
    """`workbench gui` imports the services the opening uses before PySide6 (whose import hook
    reads the source of every module imported after it): none of them loads Qt, and the window's
    own modules bring no other module of workbench outside gui/ afterwards."""
    probe = ("import json, sys\nfrom workbench import cli_commands\ncli_commands.import_window_services()\n"
             "qt = [m for m in sys.modules if m.startswith('PySide6')]\nbefore = set(sys.modules)\n"
             "import workbench.gui.application, workbench.gui.views.overview_view, workbench.gui.main_window\n"
             "later = [m for m in set(sys.modules) - before if m.startswith('workbench.')"
             " and not m.startswith('workbench.gui')]\nprint(json.dumps([qt, sorted(later)]))")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=120, check=True).stdout
    assert json.loads(out.strip().splitlines()[-1]) == [[], []]


def test_the_smoke_run_builds_no_screen_before_the_first_rows(app_paths, tmp_path):
    """`workbench gui --smoke` times the opening of the window a user gets: no screen is built
    before 概览's first figures (asking for 网站 or 核查 while queueing its steps built them
    first), and it waits for the window to build the others before visiting them. (Run in a
    child process, as `workbench gui --smoke` is: the smoke ends the application it drives.)"""
    from workbench.app import open_context
    from workbench.services.demo import build_demo

    db = tmp_path / "demo.sqlite3"
    ctx = open_context(db, app_paths, inspector="测试")
    build_demo(ctx, lifecycle=False)
    ctx.conn.close()
    probe = f"""
import json, sys
from workbench.gui.main_window import MainWindow
from workbench.gui.views import overview_view
order = []
quick, built = overview_view.OverviewView._quick, MainWindow._screen_built
overview_view.OverviewView._quick = lambda self, *a: (order.append("figures"), quick(self, *a))[1]
MainWindow._screen_built = lambda self, i, v: (order.append("built"), built(self, i, v))[1]
from workbench import cli
code = cli.main(["--data-dir", {str(tmp_path / "data")!r}, "gui", "--db", {str(db)!r}, "--smoke", "--inspector", "测试"])
print(json.dumps(order))
sys.exit(code)
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_SMOKE_REVIEW": "1"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    result, order = json.loads(lines[-2]), json.loads(lines[-1])
    assert order[0] == "figures" and order.count("built") == 5
    assert result["ok"] and result["screens_built_ms"] is not None and result["review_next_ms"] is not None


def test_the_window_builds_no_qt_namespace_before_its_first_rows_are_painted(app_paths, tmp_path):
    """PySide builds its whole ``Qt`` namespace (about 13 ms) at the first use of one of its enums
    (``Qt.AlignCenter``, a pen from a QColor, ``QAction(shortcut=…)``…). The bare window the opening
    is measured against never builds it; the window builds it only after its first rows are
    painted (the work after them starts then, gui/main_window._Deferred), as it starts the
    overview's full figures only then (their worker's Python held the GIL the paint needed).
    Run in a child process as `workbench gui --smoke` is: the namespace is built once per process."""
    from workbench.app import open_context
    from workbench.services.demo import build_demo

    db = tmp_path / "demo.sqlite3"
    ctx = open_context(db, app_paths, inspector="测试")
    build_demo(ctx, lifecycle=False)
    ctx.conn.close()
    probe = f"""
import json, sys
import PySide6.QtCore
from workbench.gui.main_window import MainWindow
from workbench.gui.views.overview_view import OverviewView
seen = {{}}
quick, after = OverviewView._quick, MainWindow._after_first_rows
def _quick(self, *args):
    quick(self, *args)
    seen.setdefault("first_rows", "Qt" in vars(PySide6.QtCore))
def _after(self):
    seen["after_first_rows"] = "Qt" in vars(PySide6.QtCore)
    seen["painted"] = self.overview.values["sites"].text()
    seen["full_figures_started"] = self.overview.worker is not None
    return after(self)
OverviewView._quick, MainWindow._after_first_rows = _quick, _after
from workbench import cli
code = cli.main(["--data-dir", {str(tmp_path / "data")!r}, "gui", "--db", {str(db)!r}, "--smoke", "--inspector", "测试"])
seen["end"] = "Qt" in vars(PySide6.QtCore)
print(json.dumps(seen))
sys.exit(code)
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"first_rows": False, "after_first_rows": False, "painted": "48", "full_figures_started": False,
                    "end": True}


def test_a_shortcut_works_right_after_the_first_rows(qtbot, demo_session):
    """The menus' keyboard shortcuts (made with gui/actions.keyed_action) work as soon as the
    first rows show, before the window has built its other screens."""
    from PySide6.QtCore import Qt

    from workbench.gui.main_window import REVIEW, SITES, MainWindow

    window = MainWindow(demo_session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.overview.values["sites"].text() == "48")
    assert not window.screens_built
    qtbot.keyClick(window, Qt.Key_2, Qt.ControlModifier)      # 视图 › 网站
    assert window.stack.currentIndex() == SITES
    qtbot.keyClick(window, Qt.Key_R, Qt.ControlModifier)      # 工具 › 核查下一个未核查网站
    assert window.stack.currentIndex() == REVIEW


def test_keyed_actions_have_their_shortcuts(qapp):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QWidget

    from workbench.gui.actions import keyed_action

    parent = QWidget()
    assert keyed_action("导出", parent, "Ctrl+E").shortcut() == QKeySequence("Ctrl+E")
    opened = keyed_action("打开", parent, QKeySequence.Open)
    assert opened.shortcuts() == QKeySequence.keyBindings(QKeySequence.Open) and opened.shortcut().toString() == "Ctrl+O"
