"""The main window: campaign selector, navigation, the chosen screen, menus and status bar."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QSettings,
    QStringListModel,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from workbench import __version__
from workbench.gui.actions import keyed_action
from workbench.gui.session import Session
from workbench.gui.views.overview_view import OverviewView
from workbench.gui.widgets.progress_panel import ProgressPanel
from workbench.gui.widgets.screen_fit import fit_to_screen
from workbench.services import campaigns, sites

if TYPE_CHECKING:   # loaded on demand, so the window opens without openpyxl and reportlab
    from workbench.gui.views.campaign_dialog import CampaignDialog
    from workbench.gui.views.documents_view import DocumentsView
    from workbench.gui.views.findings_view import FindingsView
    from workbench.gui.views.import_runs import ImportRunsDialog
    from workbench.gui.views.import_wizard import ImportWizard
    from workbench.gui.views.inspections_view import InspectionsView
    from workbench.gui.views.removal_actions import RecycleBinDialog
    from workbench.gui.views.review_panel import ReviewPanel
    from workbench.gui.views.sites_view import SitesView
    from workbench.gui.views.sync_views import SyncActions
    from workbench.gui.views.tools import ToolActions

#: The close prompt's answers while a task runs (Dialogs.choose; the first is the default)
CONTINUE_TASKS, CANCEL_TASKS_AND_CLOSE = "继续", "取消任务并关闭"
SCREENS = ("概览", "网站", "核查", "检查", "问题", "文书")
OVERVIEW, SITES, REVIEW, INSPECTIONS, FINDINGS, DOCUMENTS = range(len(SCREENS))
#: Screens built when first shown or first used; the window opens on 概览 and builds these one
#: per event-loop turn after its first rows show (:meth:`MainWindow._build_next_screen`), so
#: neither the opening nor any one step keeps the window frozen long. Their modules are imported
#: then, on the GUI thread (importing PySide6 modules on a background thread crashed the interpreter).
LAZY_SCREENS = {
    SITES: ("workbench.gui.views.sites_view", "SitesView"),
    REVIEW: ("workbench.gui.views.review_panel", "ReviewPanel"),
    INSPECTIONS: ("workbench.gui.views.inspections_view", "InspectionsView"),
    FINDINGS: ("workbench.gui.views.findings_view", "FindingsView"),
    DOCUMENTS: ("workbench.gui.views.documents_view", "DocumentsView"),
}


#: Qt::LowEventPriority (an int: naming it would build PySide's Qt namespace, 13 ms, before the first rows)
LOW_EVENT_PRIORITY = -1
#: How long the work after the first rows waits for their paint when none comes (a hidden window)
PAINT_WAIT_MS = 250


class _Deferred(QObject):
    """Runs the window's work that can wait, behind what the user is waiting to see.

    :meth:`after_paint`: after the window's next repaint. New rows are laid out (LayoutRequest)
    and then painted (the window's UpdateRequest, posted at low priority) only after work queued
    meanwhile with ``QTimer.singleShot(0, …)``: building the next screen first showed the first
    rows 40–55 ms after they arrived (issue 12). :meth:`post`: one event-loop turn later, at low
    priority (input and the repaints already asked for go first)."""

    _TYPE = QEvent.Type(QEvent.registerEventType())

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        self._waiting: list = []
        self._after_paint: list = []

    def post(self, fn) -> None:
        """Call ``fn()`` on a later event-loop turn, after the events posted before it."""
        self._waiting.append(fn)
        QCoreApplication.postEvent(self, QEvent(self._TYPE), LOW_EVENT_PRIORITY)

    def after_paint(self, fn) -> None:
        """Call ``fn()`` (:meth:`post`) once the window has repainted what changed so far, or after
        :data:`PAINT_WAIT_MS` when no repaint comes. The layouts waiting are done first: until
        then, new text is not yet part of what the next repaint paints."""
        QCoreApplication.sendPostedEvents(None, QEvent.LayoutRequest)
        if not self._after_paint:
            self.window.installEventFilter(self)
            QTimer.singleShot(PAINT_WAIT_MS, self, self._painted)
        self._after_paint.append(fn)

    def _painted(self) -> None:
        if self._after_paint:
            self.window.removeEventFilter(self)
        waiting, self._after_paint = self._after_paint, []
        for fn in waiting:
            self.post(fn)   # runs once the repaint under way is done

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """The window's repaint begins: what waited for it follows."""
        if watched is self.window and event.type() == QEvent.UpdateRequest:
            self._painted()
        return False

    def event(self, event) -> bool:  # noqa: D102 - Qt override
        if event.type() == self._TYPE:
            self._waiting.pop(0)()
            return True
        return super().event(event)


class MainWindow(QMainWindow):
    """The workbench window over one Session. Closing it cancels and waits for running tasks.

    Signals: campaigns_loaded(int count) each time the campaign selector has been filled.
    """

    campaigns_loaded = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.dialog = None  # the open CampaignDialog / ImportWizard (kept referenced)
        self._waiting_for_campaigns: list = []
        self._deferred = _Deferred(self)
        self.setWindowTitle("检查工作台")
        fit_to_screen(self, 1280, 760)  # a 1366×768 or 1280×720 laptop: the screen minus its task bar
        self._build_views()
        self._build_toolbar()
        self._build_status_bar()
        # 概览 reads once the campaign is known (the selector's list comes from the reader), not
        # at its Show event: it would say 尚无检查任务 meanwhile (_campaigns_read touches it)
        self.overview.refresher.wait()
        self.reload_campaigns()
        self._build_menus()
        self._connect_signals()
        self.show_screen(OVERVIEW)
        self._restore_geometry()

    # --- building --------------------------------------------------------------------------
    def _build_views(self) -> None:
        self.overview = OverviewView(self.session)
        self.overview.hold_full_figures = True   # until the first rows are painted (_after_first_rows)
        self._built: dict[int, QWidget] = {OVERVIEW: self.overview}
        self.stack = QStackedWidget()
        for index in range(len(SCREENS)):   # a placeholder for a screen built when first shown
            self.stack.addWidget(self._built.get(index) or QWidget())
        self.table_export_actions = []
        self.nav = QListView()
        self.nav.setModel(QStringListModel(list(SCREENS), self))
        self.nav.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.nav.setFixedWidth(96)
        self.nav.setStyleSheet("QListView { font-size: 15px; } QListView::item { padding: 8px 12px; }")
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _screen_built(self, index: int, view: QWidget) -> None:
        """Connect a screen just built to the window, and give its lists 右键 › 导出为 Excel
        (what they show: filter and sort)."""
        if index == SITES:
            view.site_activated.connect(self.open_review)
            view.counts_changed.connect(self._show_counts)
            tables = ((view.table, "网站 › 网站列表", view.filter_note),)
        elif index == REVIEW:
            view.status_message.connect(lambda text: self.statusBar().showMessage(text, 15000))
            tables = ()
        elif index == FINDINGS:
            view.export_ledger_requested.connect(lambda: self.export_file("ledger"))
            tables = ((view.table, "问题 › 问题台账", view.filter_note), (view.history_table, "问题 › 处理记录", None))
        elif index == INSPECTIONS:
            tables = ((view.table, "检查 › 检查列表", None),)
        else:   # DOCUMENTS
            tables = ((view.sponsor_table, "文书 › 单位", None), (view.notice_table, "文书 › 文书", None))
        from workbench.gui.widgets.table_export import install_table_export

        self.table_export_actions += [install_table_export(table, self.session, screen, note)
                                      for table, screen, note in tables]

    @property
    def sites_view(self) -> SitesView:
        """网站 (built on first use)."""
        return self.screen_view(SITES)

    @property
    def review_panel(self) -> ReviewPanel:
        """核查 (built on first use)."""
        return self.screen_view(REVIEW)

    @property
    def findings_view(self) -> FindingsView:
        """问题 (built on first use)."""
        return self.screen_view(FINDINGS)

    @property
    def inspections_view(self) -> InspectionsView:
        """检查 (built on first use)."""
        return self.screen_view(INSPECTIONS)

    @property
    def documents_view(self) -> DocumentsView:
        """文书 (built on first use)."""
        return self.screen_view(DOCUMENTS)

    def screen_view(self, index: int) -> QWidget:
        """The view of screen ``index``, building a lazy one (:data:`LAZY_SCREENS`) in place of its placeholder."""
        view = self._built.get(index)
        if view is None:
            module, name = LAZY_SCREENS[index]
            view = getattr(importlib.import_module(module), name)(self.session)
            placeholder, current = self.stack.widget(index), self.stack.currentIndex()
            self.stack.removeWidget(placeholder)
            self.stack.insertWidget(index, view)
            placeholder.deleteLater()
            self.stack.setCurrentIndex(current)
            self._built[index] = view
            self._screen_built(index, view)
        return view

    @property
    def screens_built(self) -> bool:
        """True once every screen is built (by the turns after the first rows, or when first used)."""
        return all(index in self._built for index in LAZY_SCREENS)

    def _build_next_screen(self) -> None:
        """Import the module of the next screen not built yet (:data:`LAZY_SCREENS` order), or
        build it when imported, then come back on the next event-loop turn for the following
        step, behind any repaint waiting (:class:`_Deferred`): the window answers input and
        paints between two steps. When all are built, the reader imports
        what the first save needs (:meth:`_preload_for_writes`)."""
        waiting = [index for index in LAZY_SCREENS if index not in self._built]
        if not waiting or self._closing:
            if not self._closing and not self._preloaded:
                self._preloaded = True
                self._preload_for_writes()
            return
        module = LAZY_SCREENS[waiting[0]][0]
        if module in sys.modules:
            self.screen_view(waiting[0])
        else:
            importlib.import_module(module)
        self._deferred.post(self._build_next_screen)

    _closing = False
    _preloaded = False

    def _build_toolbar(self) -> None:
        bar = QToolBar("检查任务")
        bar.setObjectName("campaign_toolbar")
        bar.setMovable(False)
        self.campaign_combo = QComboBox()
        self.campaign_combo.setMinimumWidth(360)
        self.campaign_combo.setToolTip("选择检查任务：所有界面都显示该任务的数据")
        bar.addWidget(QLabel(" 检查任务 "))
        bar.addWidget(self.campaign_combo)
        self.new_campaign_action = keyed_action("新建检查任务", self, "Ctrl+Shift+N")
        self.edit_campaign_action = QAction("编辑检查任务…", self)  # 检查机关, 文号前缀, period
        self.import_action = keyed_action("导入名单…", self, QKeySequence.Open)
        self.export_action = keyed_action("导出汇总表…", self, "Ctrl+E")
        bar.addActions([self.new_campaign_action, self.import_action, self.export_action])
        self.addToolBar(bar)

    def _build_menus(self) -> None:
        self.print_action = keyed_action("打印…", self, QKeySequence.Print)
        self.quit_action = keyed_action("退出", self, "Ctrl+Q")
        self.filter_action = keyed_action("筛选", self, QKeySequence.Find)
        self.refresh_action = keyed_action("刷新", self, "F5")
        self.next_site_action = keyed_action("核查下一个未核查网站", self, "Ctrl+R")
        self.about_action = QAction("关于检查工作台", self)
        self.ledger_action = QAction("导出整改台账…", self)
        self.report_action = QAction("导出汇总报告（PDF）…", self)
        self.personal_data_action = QAction("导出时包含完整个人信息", self, checkable=True)
        self.personal_data_action.setToolTip("默认脱敏（如 138****5678）；勾选后本次运行中的导出含完整联系人、电话、"
                                             "证件号码、电子邮箱，并在导出文件中注明")
        self.manual_action = keyed_action("使用手册", self, QKeySequence.HelpContents)   # F1
        self.remove_campaign_action = QAction("删除检查任务…", self)   # e.g. demo data in a real database
        self.recycle_action = QAction("回收站…", self)
        self.import_runs_action = QAction("导入批次（撤销导入）…", self)
        self.screen_actions = [keyed_action(name, self, f"Ctrl+{i + 1}") for i, name in enumerate(SCREENS)]
        # imported here, while the reader counts the first screen's figures (see __init__)
        from workbench.gui.views.sync_views import SyncActions
        from workbench.gui.views.tools import ToolActions

        self.tools: ToolActions = ToolActions(self.session, self)
        self.sync: SyncActions = SyncActions(self.session, self)   # 工作包, 合并冲突, 审计日志, 备份与恢复
        menus = (
            ("文件(&F)", (self.new_campaign_action, self.edit_campaign_action, self.import_action, self.export_action,
                         self.ledger_action, self.report_action, self.personal_data_action, None,
                         self.print_action, None, self.import_runs_action, self.remove_campaign_action, self.recycle_action, None,
                         self.quit_action)),
            ("编辑(&E)", (self.filter_action,)),
            ("视图(&V)", (*self.screen_actions, None, self.refresh_action)),
            ("工具(&T)", (self.next_site_action, None, *self.tools.actions)),
            ("协作与备份(&S)", self.sync.actions),
            ("帮助(&H)", (self.manual_action, None, self.about_action)),
        )
        for title, actions in menus:
            menu = self.menuBar().addMenu(title)
            for action in actions:
                menu.addSeparator() if action is None else menu.addAction(action)

    def _build_status_bar(self) -> None:
        self.count_label = QLabel()
        self.progress_panel = ProgressPanel(self.session)
        self.statusBar().addPermanentWidget(self.progress_panel)
        self.statusBar().addPermanentWidget(self.count_label)

    def _connect_signals(self) -> None:
        self.campaign_combo.activated.connect(self._campaign_chosen)
        self.session.campaign_changed.connect(self._sync_selector)
        self.session.changed.connect(self._data_changed)
        self.nav.selectionModel().currentChanged.connect(lambda cur, _prev: self.show_screen(cur.row()))
        self.new_campaign_action.triggered.connect(self.new_campaign)
        self.edit_campaign_action.triggered.connect(self.edit_campaign)
        self.import_action.triggered.connect(self.import_list)
        self.export_action.triggered.connect(self.export_summary)
        self.ledger_action.triggered.connect(lambda: self.export_file("ledger"))
        self.report_action.triggered.connect(lambda: self.export_file("report"))
        self.personal_data_action.toggled.connect(self._personal_data_toggled)
        self.overview.open_sites.connect(self.open_sites_filtered)
        self.overview.open_findings.connect(self.open_findings_filtered)
        self.print_action.triggered.connect(self.print_current)
        self.quit_action.triggered.connect(self.close)
        self.filter_action.triggered.connect(self.focus_filter)
        self.refresh_action.triggered.connect(self.refresh)
        self.next_site_action.triggered.connect(self.review_next)
        for index, action in enumerate(self.screen_actions):
            action.triggered.connect(lambda _=False, i=index: self.focus_screen(i))
        self.about_action.triggered.connect(self.about)
        self.remove_campaign_action.triggered.connect(self.remove_campaign)
        self.recycle_action.triggered.connect(self.open_recycle_bin)
        self.import_runs_action.triggered.connect(self.open_import_runs)
        self.manual_action.triggered.connect(self.open_manual)
        self.session.inspector_needed.connect(self.tools.open_settings)   # a write refused: no name yet

    # --- campaigns -------------------------------------------------------------------------
    def reload_campaigns(self) -> None:
        """Fill the selector (the list read on the reader thread); keep the session's campaign,
        else choose the newest. ``campaigns_loaded(count)`` follows."""
        self.session.read(campaigns.list_campaigns, self._campaigns_read, key=f"campaigns:{id(self)}")

    def when_campaigns_known(self, fn) -> None:
        """Call ``fn()`` once the selector has been filled the first time (at once if it was)."""
        if self.campaigns_known:
            fn()
        else:
            self._waiting_for_campaigns.append(fn)

    campaigns_known = False   # the selector was filled at least once

    _campaigns: dict = {}   # id -> Campaign, as last read

    def _campaigns_read(self, items) -> None:
        self._campaigns = {c.id: c for c in items}
        self.campaign_combo.blockSignals(True)
        self.campaign_combo.clear()
        for c in items:
            self.campaign_combo.addItem(f"{c.name}（{c.kind_label}）", c.id)
        self.campaign_combo.blockSignals(False)
        ids = [c.id for c in items]
        chosen = self.session.campaign_id if self.session.campaign_id in ids else (ids[0] if ids else None)
        self.campaign_combo.setCurrentIndex(ids.index(chosen) if chosen else -1)
        first, same = not self.campaigns_known, chosen == self.session.campaign_id
        self.campaigns_known = True
        self.session.set_campaign(chosen)
        if first and same:   # 概览 waited for this (a new campaign touched it already)
            self.overview.refresher.touch()
        self._show_counts()
        waiting, self._waiting_for_campaigns = self._waiting_for_campaigns, []
        for fn in waiting:
            fn()
        self.campaigns_loaded.emit(len(items))

    @Slot(int)
    def _campaign_chosen(self, index: int) -> None:
        self.session.set_campaign(self.campaign_combo.itemData(index))

    @Slot(object)
    def _sync_selector(self, campaign_id: str | None) -> None:
        """Keep the selector on the session's campaign when something else chose it."""
        index = self.campaign_combo.findData(campaign_id)
        if index >= 0 and index != self.campaign_combo.currentIndex():
            self.campaign_combo.setCurrentIndex(index)

    @Slot()
    def new_campaign(self) -> CampaignDialog:
        """Open the 新建检查任务 dialog (non-modal); the new campaign is chosen when created."""
        from workbench.gui.views.campaign_dialog import CampaignDialog  # on demand

        dialog = CampaignDialog(self.session, self)
        dialog.created.connect(self._campaign_created)
        self.dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def edit_campaign(self) -> CampaignDialog | None:
        """Open the chosen campaign in the 编辑检查任务 dialog (e.g. to set its 文号前缀)."""
        if self.session.campaign_id is None:
            return None
        from workbench.gui.views.campaign_dialog import CampaignDialog

        current = self._campaigns.get(self.session.campaign_id)   # as last read (reload_campaigns)
        if current is None:
            return None
        dialog = CampaignDialog(self.session, self, current)
        dialog.created.connect(self._campaign_created)
        self.dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def remove_campaign(self) -> bool:
        """删除检查任务: say what goes (counts), remove when confirmed (undo in 回收站)."""
        cid = self.session.campaign_id
        review = self._built.get(REVIEW)
        if cid is None or (review is not None and not review.settle("删除检查任务")):
            return False
        def choose_another() -> None:
            self.session.set_campaign(None)
            self.reload_campaigns()
            self.statusBar().showMessage("已删除检查任务；可在“文件 › 回收站”中撤销。", 15000)

        from workbench.gui.views import removal_actions  # on demand: the window opens without it
        from workbench.services import removals

        removal_actions.confirm_and_remove(self.session, "删除检查任务",   # then removed on a worker
                                           lambda ctx: removals.plan_campaign(ctx, cid), choose_another)
        return True

    @Slot()
    def open_import_runs(self) -> ImportRunsDialog:
        """文件 › 导入批次: the campaign's imports, with 撤销导入."""
        from workbench.gui.views import import_runs  # on demand

        dialog = import_runs.ImportRunsDialog(self.session, self)
        self.dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def open_recycle_bin(self) -> RecycleBinDialog:
        """文件 › 回收站: removed campaigns, inspections and evidence, with 撤销删除."""
        from workbench.gui.views import removal_actions

        dialog = removal_actions.RecycleBinDialog(self.session, self)
        dialog.finished.connect(lambda _r: self.reload_campaigns())
        self.dialog = dialog
        dialog.open()
        return dialog

    def _campaign_created(self, campaign) -> None:
        self.session.set_campaign(campaign.id)
        self.reload_campaigns()
        self.statusBar().showMessage(f"已保存检查任务：{campaign.name}", 10000)

    # --- file actions ----------------------------------------------------------------------
    @Slot()
    def import_list(self) -> ImportWizard | None:
        """Ctrl+O: choose a site list, then open the import wizard on it."""
        if self.session.campaign_id is None:
            self.session.dialogs.info("导入名单", "请先新建一个检查任务（文件 › 新建检查任务），再导入名单。")
            return None
        from workbench.gui.views.import_wizard import (  # on demand (importers)
            FILE_FILTERS,
            ImportWizard,
        )

        path = self.session.dialogs.open_file("选择网站名单", self.session.last_folder, FILE_FILTERS)
        if path is None:
            return None
        self.session.remember_folder(path)
        wizard = ImportWizard(self.session, path, self)
        wizard.imported.connect(lambda _r: self.show_screen(SITES))
        self.dialog = wizard
        wizard.open()
        return wizard

    @Slot()
    def export_summary(self) -> None:
        """Ctrl+E: write the campaign's summary workbook where the user chooses, then say where."""
        from workbench.gui.views import (
            summary_export,  # on demand: openpyxl and reportlab load here
        )

        summary_export.export_summary(self.session, self._summary_written)

    def _summary_written(self, path: Path) -> None:
        self.statusBar().showMessage(f"汇总表已保存到 {path}", 15000)
        self.session.dialogs.info("导出汇总表", f"汇总表已保存到：\n{path}")

    def export_file(self, kind: str):
        """文件 › 导出整改台账 / 导出汇总报告 (``kind`` ledger / report; see summary_export.KINDS)."""
        from workbench.gui.views import summary_export

        title, label = summary_export.KINDS[kind][0], summary_export.KINDS[kind][1]

        def written(path: Path) -> None:
            self.statusBar().showMessage(f"{label}已保存到 {path}", 15000)
            self.session.dialogs.info(title, f"{label}已保存到：\n{path}")

        return summary_export.export_campaign_file(self.session, kind, written)

    def _personal_data_toggled(self, checked: bool) -> None:
        self.session.include_personal_data = checked
        self.statusBar().showMessage("导出将包含完整个人信息（已在导出文件中注明）" if checked
                                     else "导出的个人信息将脱敏（默认）", 8000)

    def open_sites_filtered(self, text: str) -> None:
        """概览 bar → 网站 filtered by a provider or city."""
        self.show_screen(SITES)
        self.sites_view.show_filtered(text)

    def open_findings_filtered(self, status_key: str, text: str) -> None:
        """概览 card or bar → 问题 with a status filter (all/open/overdue/due_soon) and text."""
        self.show_screen(FINDINGS)
        self.findings_view.show_filtered(status_key, text)

    @Slot()
    def print_current(self) -> None:
        """Ctrl+P: print what the current screen offers (``print_current()`` of the view)."""
        view = self.stack.currentWidget()
        printer = getattr(view, "print_current", None) or getattr(view, "print_notice", None)
        if callable(printer):
            printer()
        else:
            self.statusBar().showMessage("当前界面没有可打印的文书；请到“文书”界面选择通知书后打印。", 8000)

    # --- navigation ------------------------------------------------------------------------
    def show_screen(self, index: int) -> None:
        """Show one of :data:`SCREENS` and keep the navigation list in step."""
        if not 0 <= index < len(SCREENS):
            return
        self.screen_view(index)
        self.stack.setCurrentIndex(index)
        if self.nav.currentIndex().row() != index:
            self.nav.setCurrentIndex(self.nav.model().index(index))

    def focus_screen(self, index: int) -> None:
        """Ctrl+1…6: show a screen and put the keyboard focus in it (its ``focus_first()`` if any)."""
        self.show_screen(index)
        view = self.stack.currentWidget()
        (getattr(view, "focus_first", None) or view.setFocus)()

    @Slot()
    def review_next(self) -> None:
        """Ctrl+R: the review screen on the next unreviewed site, focus in its first field."""
        self.show_screen(REVIEW)
        self.review_panel.review_next()

    @Slot(str)
    def open_review(self, site_id: str) -> None:
        """Open the review screen on one site."""
        self.review_panel.load_site(site_id)
        self.show_screen(REVIEW)

    @Slot()
    def focus_filter(self) -> None:
        """Ctrl+F: the current screen's filter box (the site list's when the screen has none)."""
        view = self.stack.currentWidget()
        if not hasattr(view, "focus_filter"):
            self.show_screen(SITES)
            view = self.sites_view
        view.focus_filter()

    @Slot()
    def refresh(self) -> None:
        """F5: re-read everything from the database."""
        self.reload_campaigns()
        self.session.notify_all()

    @Slot(object)
    def _data_changed(self, topics: frozenset) -> None:
        """Sites or reviews changed: the status bar's counts follow (the site list may be hidden)."""
        if topics & {"sites", "reviews"}:
            self._show_counts()

    def _show_counts(self, total: int | None = None, reviewed: int | None = None) -> None:
        """共 N 条，已核查 M in the status bar (counted on the reader thread when not given)."""
        cid = self.session.campaign_id
        if total is not None or (cid is None and self.campaigns_known):
            self.count_label.setText(f"共 {total or 0} 条，已核查 {reviewed or 0}")
            return
        if cid is None or not getattr(self, "_shown_once", False):
            return   # the campaign not known yet, or not shown yet: counted when first shown
        self.session.read(lambda ctx: (sites.count(ctx, cid), sites.reviewed_count(ctx, cid)),
                          lambda counts: self._show_counts(*counts), key="status-counts")

    @Slot()
    def open_manual(self):
        """F1: the user manual in its own window (one window, raised when already open)."""
        from workbench.gui.views.help_window import HelpWindow

        if getattr(self, "help_window", None) is None:
            self.help_window = HelpWindow(self)
        self.help_window.show()
        self.help_window.raise_()
        return self.help_window

    @Slot()
    def about(self) -> None:
        """帮助 › 关于."""
        self.session.dialogs.info(
            "关于检查工作台",
            f"检查工作台 {__version__}\n网站备案信息核查与网络安全检查的离线工具。\n"
            f"数据库：{self.session.db_path}\n日志：{self.session.paths.log_dir}")

    # --- window state ----------------------------------------------------------------------
    def _qsettings(self) -> QSettings:
        return QSettings(str(self.session.paths.config_dir / "window.ini"), QSettings.IniFormat)

    def _restore_geometry(self) -> None:
        qs = self._qsettings()
        if qs.value("geometry") is not None:
            self.restoreGeometry(qs.value("geometry"))
        if qs.value("state") is not None:
            self.restoreState(qs.value("state"))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        """First shown: behind the first screen's reads (queued by its Show event, which comes
        first) the reader is asked for nothing but a turn, whose answer (so, after the first
        screen's) starts the work that can wait for the first rows (:meth:`_after_first_rows`)
        once the window has painted them; then the status bar's counts (kept counts: an index
        lookup)."""
        super().showEvent(event)
        if not getattr(self, "_shown_once", False):
            self._shown_once = True
            self.session.read(lambda _ctx: None, lambda _none: self._deferred.after_paint(self._after_first_rows))
            self._show_counts()

    def _after_first_rows(self) -> None:
        """The first screen has its rows: build the other screens, one per event-loop turn, then
        import what the first save needs on the reader thread (sqlite-utils: no Qt). Its 0.1 s of
        Python holds the GIL: run beside the first rows or a screen being built, it stretched
        them (issue 12). Nothing once the window is closing (the session is closed)."""
        if self._closing or self.session.closed:
            return
        self.overview.after_first_rows()
        self._build_next_screen()

    def _preload_for_writes(self) -> None:
        """Import sqlite-utils on the reader thread (services.context.preload_for_writes)."""
        from workbench.services.context import preload_for_writes

        self.session.read(lambda _ctx: preload_for_writes(), lambda _done: None)

    def _tasks_may_stop(self) -> bool:
        """Before closing: when tasks the user started still run (an import, a document batch, an
        export), ask whether to stop them (继续 keeps the window open). A cancelled task leaves
        nothing half-written (each one's cancel path, e.g. site_import: all or nothing)."""
        running = self.session.user_tasks()
        if not running:
            return True
        names = "、".join(dict.fromkeys(running))
        answer = self.session.dialogs.choose(
            "正在执行的任务", f"“{names}”尚未完成。\n\n现在关闭窗口会取消该任务，未完成的部分不会保存。"
            f"\n选择“{CONTINUE_TASKS}”可等它完成。", (CONTINUE_TASKS, CANCEL_TASKS_AND_CLOSE))
        return answer == CANCEL_TASKS_AND_CLOSE

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        """Ask about unsaved review and inspection notes (取消 keeps the window open); then
        remember geometry, cancel and wait for running tasks, close the database."""
        review, inspections = self._built.get(REVIEW), self._built.get(INSPECTIONS)
        if not ((review is None or review.settle("退出")) and (inspections is None or inspections.panel.settle("退出"))):
            event.ignore()
            return
        if not self._tasks_may_stop():
            event.ignore()
            return
        self._closing = True
        qs = self._qsettings()
        qs.setValue("geometry", self.saveGeometry())
        qs.setValue("state", self.saveState())
        qs.sync()
        if self.dialog is not None:
            self.dialog.close()
        self.session.close()
        super().closeEvent(event)

