"""Starting the window: QApplication setup, Chinese UI font, excepthook, opening the database."""

from __future__ import annotations

import logging
import os
import sys
import time
from datetime import date
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QLockFile, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from workbench.errors import WorkbenchError, describe_os_error, os_reason
from workbench.gui import main_thread_gc
from workbench.gui.dialogs import Dialogs
from workbench.paths import APP_NAME, AppPaths, resources_dir
from workbench.services.context import explain_database_error

log = logging.getLogger(__name__)

ORGANIZATION = "InspectionWorkbench"
DESKTOP_FILE = "inspection-workbench"
# Chinese UI fonts by platform, best first: Windows, macOS, Linux (Noto/Source Han, WenQuanYi).
UI_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB",
            "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "SimSun")
EXIT_BAD_DATABASE = 2
# Set (to anything) by scripts/try-fresh and CI: open the window, then close it at once (exit 0).
SMOKE_ENV = "WORKBENCH_SMOKE"


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (the running one if any) with names, desktop file and a Chinese UI font."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("检查工作台")
    app.setOrganizationName(ORGANIZATION)
    app.setDesktopFileName(DESKTOP_FILE)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "workbench.png")))
    apply_ui_font(app)
    install_qt_translation(app)
    main_thread_gc.install(app)   # a collection in a worker thread can crash PySide (segfault)
    return app


def install_qt_translation(app: QApplication) -> bool:
    """Load Qt's own Chinese strings (按钮“是/否/取消”, file dialogs, print dialogs) shipped with
    PySide6 as ``qtbase_zh_CN.qm``; returns False (English Qt strings) when it is missing."""
    translator = QTranslator(app)
    if translator.load(QLocale(QLocale.Chinese, QLocale.China), "qtbase", "_",
                       QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        app.installTranslator(translator)
        app._qt_translator = translator   # keep it alive as long as the application
        return True
    log.warning("Qt's Chinese translation (qtbase_zh_CN.qm) not found")
    return False


def apply_ui_font(app: QApplication) -> list[str]:
    """Put the installed Chinese fonts of :data:`UI_FONTS` first in the application font's families.

    Returns the families set (empty when none is installed: Qt's own fallback then applies).
    """
    installed = set(QFontDatabase.families())
    chosen = [name for name in UI_FONTS if name in installed]
    if chosen:
        font = QFont(app.font())
        font.setFamilies(chosen + [app.font().family()])
        app.setFont(font)
    else:
        log.warning("no Chinese UI font found among %s", ", ".join(UI_FONTS))
    return chosen


def install_excepthook(dialogs: Dialogs, log_dir: Path):
    """Log uncaught exceptions and tell the user in one sentence instead of a traceback.

    Returns:
        The previous ``sys.excepthook`` (tests put it back).
    """
    previous = sys.excepthook

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        log.error("uncaught exception", exc_info=(exc_type, exc, tb))
        if isinstance(exc, WorkbenchError):
            text = str(exc)
        elif (explained := explain_database_error(exc)) is not None:   # locked, read-only, disk full, damaged
            text = explained
        elif isinstance(exc, OSError):         # a file: missing, in use, no permission, disk full
            text = describe_os_error(exc)
        else:
            log_file = log_dir / "workbench.log"
            text = (f"程序遇到意外错误（{exc_type.__name__}）。已保存的数据不受影响；刚才的操作可能没有完成，"
                    f"请检查后重试。\n\n详细情况已记录在日志文件：\n{log_file}\n"
                    "如果问题反复出现，请把这个文件发给维护人员。")
        try:
            dialogs.warn("意外错误", text)
        except Exception as err:  # a broken dialog must not hide the original error
            log.error("could not show the error message: %s", err)

    sys.excepthook = hook
    return previous


def open_session(paths: AppPaths, db_path: Path, dialogs: Dialogs, today: date | None = None,
                 inspector: str | None = None):
    """Open the database as a Session; on failure show why and return None.

    A file that is not a workbench database, a database written by a newer version, or a
    folder that cannot be written all end here with a message naming the file.
    """
    from workbench.app import open_context
    from workbench.gui.session import Session

    deferred = _check_later(db_path)
    if not deferred and not _sound_or_restored(db_path, dialogs):
        return None
    lock = QLockFile(str(db_path) + ".lock")
    lock.setStaleLockTime(0)          # a lock left by a crashed window is recognised by its process id
    read_only = db_path.is_file() and not lock.tryLock(0)
    if read_only:
        pid, host = lock.getLockInfo()[-3:-1]   # (pid, host, app); some bindings put a bool first
        dialogs.warn("数据库已在使用中", f"数据库 {db_path} 已在另一个检查工作台窗口中打开（{host}，进程 {pid}）。\n"
                     "本窗口以只读方式打开：可以查看，不能修改。要修改，请关闭另一个窗口后重新打开。")
    try:
        if not read_only:
            from workbench.gui.upgrade_notice import upgrade_first

            upgrade_first(db_path)   # an older schema: backed up and upgraded off the GUI thread
        ctx = open_context(db_path, paths, today=today, inspector=inspector, read_only=read_only)
    except WorkbenchError as err:
        dialogs.warn("无法打开数据库", f"{err}\n\n数据库文件：{db_path}")
        return None
    except OSError as err:
        dialogs.warn("无法打开数据库", f"无法读写数据库文件 {db_path}：{os_reason(err)}。")
        return None
    except Exception as err:   # cannot open, locked, damaged (a database error); anything else goes on
        explained = explain_database_error(err)
        if explained is None:
            raise
        log.warning("cannot open %s: %s", db_path, err)
        dialogs.warn("无法打开数据库", f"{explained}。\n\n数据库文件：{db_path}")
        return None
    session = Session(paths, db_path, dialogs, ctx=ctx)
    session.read_only, session.lock = read_only, (None if read_only else lock)
    if deferred and not read_only:
        session.check_integrity(_check_failed_marker(db_path))
    return session


#: A database larger than this is checked (PRAGMA quick_check, seconds at province scale) after
#: the window opens, writing nothing until it passes; a smaller one before the window opens.
CHECK_LATER_BYTES = 64 * 1024 * 1024


def _check_failed_marker(db_path: Path) -> Path:
    """Left beside a database whose check after opening failed: the next start checks first and
    offers the newest good backup (``_sound_or_restored``)."""
    return db_path.with_name(db_path.name + ".check-failed")


def _check_later(db_path: Path) -> bool:
    """True when the quick check of ``db_path`` runs after the window opens (a large file whose
    last check after opening did not fail)."""
    try:
        large = db_path.is_file() and db_path.stat().st_size > CHECK_LATER_BYTES
    except OSError:
        return False
    return large and not _check_failed_marker(db_path).exists()


def _sound_or_restored(db_path: Path, dialogs: Dialogs) -> bool:
    """Run the quick check on an existing database. A failing file is never written: offer the
    newest good backup (the damaged file is kept aside); False when the window must not open it."""
    from workbench.services import integrity

    if not db_path.is_file():
        return True
    with open(db_path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            return True    # not a database at all: open_context says so, naming the file
    problems = integrity.quick_check(db_path)
    if not problems:
        _check_failed_marker(db_path).unlink(missing_ok=True)
        return True
    log.warning("quick_check of %s failed: %s", db_path, problems[:3])
    newest = integrity.newest_good_backup(db_path)
    if newest is None:
        dialogs.warn("数据库已损坏", f"数据库 {db_path} 未通过完整性检查（{problems[0]}），为免损坏扩大，不会写入它。\n"
                     "没有找到完好的自动备份；如有其他备份，请用“workbench restore 备份文件 --db 数据库”恢复。")
        return False
    when = newest.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
    if not dialogs.confirm("数据库已损坏", f"数据库 {db_path} 未通过完整性检查（{problems[0]}），为免损坏扩大，不会写入它。\n\n"
                           f"最新的完好备份是 {when} 的（{newest.path.name}）。要用它恢复吗？"
                           "损坏的文件会改名保留在原文件夹。"):
        return False
    kept = integrity.restore(db_path, newest.path)
    _check_failed_marker(db_path).unlink(missing_ok=True)
    dialogs.info("数据库已恢复", f"已用 {when} 的备份恢复数据库；损坏的文件保留为 {kept}。此后的修改需要重新录入。")
    return True


def start_window(session):
    """Show the main window; on first run (or with no campaign yet) the welcome page over it."""
    from workbench.gui.main_window import MainWindow

    window = MainWindow(session)
    session.dialogs.parent = window
    if session.read_only:
        window.setWindowTitle(window.windowTitle() + "（只读：数据库已在另一个窗口中打开）")
    else:   # a rotating backup on every start, in the background (storage/backup.py)
        from workbench.services import integrity

        session.after_check(lambda: session.run_task(
            "启动时备份", lambda ctx, _c, _p: integrity.take_backup(ctx, session.db_path, "start"), lambda _path: None,
            background=True))
    window.show()
    if session.ctx.settings.load_problem:    # a damaged settings file: say so before asking again
        session.dialogs.warn("设置文件有问题", session.ctx.settings.load_problem)

    def welcome_if_needed() -> None:   # once the campaigns are read (on the reader thread)
        no_campaign = window.campaign_combo.count() == 0
        unnamed = not session.ctx.settings.inspector.strip()   # rows are never stamped with a login name
        if no_campaign or unnamed or not session.ctx.settings.welcomed:
            show_welcome(window, with_start=no_campaign)

    window.when_campaigns_known(welcome_if_needed)
    return window


def show_welcome(window, with_start: bool = True):
    """Open the welcome page (non-modal) over ``window`` and carry out the start it offers.

    Returns:
        The WelcomeDialog (also kept as ``window.welcome``).
    """
    from workbench.gui.views.welcome_dialog import WelcomeDialog

    dialog = WelcomeDialog(window.session, window, with_start=with_start)
    dialog.chosen.connect(lambda action: start_with(window, action))
    window.welcome = dialog
    dialog.open()
    return dialog


def start_with(window, action: str) -> None:
    """Carry out a welcome-page choice: ``demo``, ``import``, ``campaign`` or ``""`` (nothing)."""
    from workbench.services.demo import build_demo

    session = window.session
    if action == "demo":
        def done(made) -> None:
            session.set_campaign(made.campaign_id)
            window.reload_campaigns()
            session.notify_all()

        session.run_task("生成演示数据", lambda ctx, _cancel, _progress: build_demo(ctx), done)
    elif action == "campaign":
        window.new_campaign()
    elif action == "import":
        if session.campaign_id is not None:
            window.import_list()
        else:   # a list is imported into a campaign: make one first, then choose the file
            window.new_campaign().created.connect(lambda _c: window.import_list())


def run_gui(paths: AppPaths, db_path: Path, dialogs: Dialogs | None = None, smoke: bool = False,
            inspector: str | None = None) -> int:
    """Run the window on the database at ``db_path`` until it closes.

    With ``smoke`` the window is driven by gui/smoke.py (every screen, filter, sort, scroll),
    one JSON line of timings is printed and the window closes by itself; no dialog is shown.

    Returns:
        The exit code: 0 after a normal close, 2 when the database cannot be opened, 1 when a
        smoke step timed out.
    """
    started = time.perf_counter()
    app = create_application()
    if smoke:
        from workbench.gui.dialogs import ScriptedDialogs

        dialogs = ScriptedDialogs()
    dialogs = dialogs or Dialogs()
    previous = install_excepthook(dialogs, paths.log_dir)
    try:
        session = open_session(paths, Path(db_path), dialogs, inspector=inspector)
        if session is None:
            return EXIT_BAD_DATABASE
        from workbench.gui.views import overview_view

        overview_view.read_ahead(session)   # the first screen's figures, read while the window is built
        if smoke:
            from workbench.gui.main_window import MainWindow
            from workbench.gui.smoke import run_smoke

            window = MainWindow(session)
            window.show()
            run = run_smoke(app, window, started)
            code = app.exec()
            del run, window
            return code
        window = start_window(session)
        if os.environ.get(SMOKE_ENV):
            QTimer.singleShot(0, window.close)
        code = app.exec()
        del window
        return code
    finally:
        sys.excepthook = previous
