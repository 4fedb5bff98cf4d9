"""The documents screen (文书): rectification notices, delivery receipts, re-inspection opinions, printing."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.progress import Cancelled
from workbench.errors import MissingSettingsError, ValidationError, WorkbenchError, os_reason
from workbench.gui.dialogs import overwrite_confirmed
from workbench.gui.models.record_table_model import (  # noqa: F401 - RecordTableModel: tests use these columns
    Column,
    PagedRecordModel,
    RecordTableModel,
)
from workbench.gui.session import Session
from workbench.gui.widgets.tables import decisive_first, fit_columns, record_table, remember_columns
from workbench.reports import safe_file_name
from workbench.services import campaigns, document_settings, notices, reinspection
from workbench.services.notices import SponsorNoticeState

if TYPE_CHECKING:
    from workbench.domain.notice_record import NoticeRecord
    from workbench.services.context import Context

PDF_FILTER = "PDF 文件 (*.pdf)"

SponsorLine = SponsorNoticeState


@dataclass(frozen=True)
class NoticeLine:
    """An issued rectification notice with its recipient's name."""

    record: NoticeRecord
    sponsor_name: str


SPONSOR_COLUMNS = (
    Column("主办单位", lambda r: r.sponsor.name),
    Column("统一社会信用代码", lambda r: r.sponsor.uscc),
    Column("地市", lambda r: r.sponsor.city),
    Column("未结问题", lambda r: str(r.open_findings), lambda r: r.open_findings),
    Column("最近通知书", lambda r: r.latest_notice or "（未下发）"),
    Column("生成时", lambda r: "编新文号" if r.needs_new_notice else "重印原文号"),
)
NOTICE_COLUMNS = (
    Column("文号", lambda r: r.record.doc_number, lambda r: (r.record.year, r.record.seq)),
    Column("主办单位", lambda r: r.sponsor_name),
    Column("签发日期", lambda r: r.record.issued_on.isoformat()),
    Column("送达日期", lambda r: r.record.served_on.isoformat() if r.record.served_on else "未送达",
           lambda r: r.record.served_on.isoformat() if r.record.served_on else ""),
    Column("涉及问题", lambda r: str(len(r.record.finding_ids)), lambda r: len(r.record.finding_ids)),
    Column("文书", lambda r: DOCUMENT_KINDS.get(r.record.kind, r.record.kind)),
)
DOCUMENT_KINDS = {"rectification": "整改通知书", "reinspection": "复查意见书"}
BATCH_TITLE = "批量生成整改通知书"


class DocumentsView(QWidget):
    """文书: sponsors with findings awaiting rectification, issued notices, and the actions that make and print them.

    Attributes:
        last_written: every PDF written by this view, newest last (tests read it).
        print_dialog: the print or preview dialog while open.

    Signals: done(str title) after a document was written (on a worker) or a service recorded
    (on the writer thread) and the user told; the PDFs are drawn off the GUI thread.
    """

    done = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        # Both lists are read a page at a time on the reader thread (a province: tens of thousands).
        self.sponsor_model = PagedRecordModel(session, SPONSOR_COLUMNS, _count_sponsors, _read_sponsors, self)
        self.notice_model = PagedRecordModel(session, NOTICE_COLUMNS, _count_documents, _read_documents, self)
        self.last_written: list[Path] = []
        self.print_dialog = None
        self._wanted_notice: str | None = None   # selected once the notices' first page is in
        self._scratch = tempfile.TemporaryDirectory(prefix="workbench-print-")
        self._build_ui()
        self._connect_signals()  # first read when first shown (session.watch)

    def _build_ui(self) -> None:
        self.generate_button = QPushButton("生成整改通知书…")
        self.batch_button = QPushButton("批量生成…")
        self.receipt_button = QPushButton("送达回证…")
        self.served_button = QPushButton("登记送达…")
        self.served_button.setToolTip("按签收的送达回证登记送达日期；所涉问题转为“整改中”，整改期限自送达之日起算")
        self.opinion_button = QPushButton("复查意见书…")
        self.opinion_button.setToolTip("为右侧选中的通知书出具整改复查意见书（所涉问题均须已登记复查结果）")
        self.print_button = QPushButton("打印…")
        self.preview_button = QPushButton("打印预览…")
        self.generate_button.setToolTip("为左侧选中的单位生成整改通知书（已下发的则重新打印原文号）")
        self.print_button.setToolTip("打印右侧选中的通知书（可按住 Ctrl 或 Shift 选择多份）(Ctrl+P)")
        bar = QHBoxLayout()
        for button in (self.generate_button, self.batch_button, self.receipt_button, self.served_button,
                       self.opinion_button, self.print_button, self.preview_button):
            bar.addWidget(button)
        bar.addStretch(1)
        self.sponsor_table = record_table(self.sponsor_model)
        self.notice_table = record_table(self.notice_model, several=True)   # print several at once
        decisive_first(self.sponsor_table, ("未结问题", "生成时", "最近通知书"))
        decisive_first(self.notice_table, ("文书", "送达日期"))
        remember_columns(self.sponsor_table, self.session.paths.config_dir, "documents_sponsors")
        remember_columns(self.notice_table, self.session.paths.config_dir, "documents_notices")
        self.sponsor_label, self.notice_label = QLabel(), QLabel()
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(_titled(self.sponsor_label, self.sponsor_table))
        splitter.addWidget(_titled(self.notice_label, self.notice_table))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

    def _connect_signals(self) -> None:
        self.refresher = self.session.watch(self, ("documents", "findings", "settings"), self.refresh)
        self.generate_button.clicked.connect(self.generate_notice)
        self.batch_button.clicked.connect(self.generate_all)
        self.receipt_button.clicked.connect(self.write_receipt)
        self.served_button.clicked.connect(self.record_service)
        self.opinion_button.clicked.connect(self.write_opinion)
        self.print_button.clicked.connect(self.print_notice)
        self.preview_button.clicked.connect(self.preview_notice)
        self.sponsor_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.notice_table.selectionModel().selectionChanged.connect(self._update_buttons)
        for model, table in ((self.sponsor_model, self.sponsor_table), (self.notice_model, self.notice_table)):
            model.first_rows.connect(lambda t=table: self._first_rows(t))
            model.counted.connect(self._update_labels)

    @property
    def loading(self) -> bool:
        """True until both lists show their first page."""
        return self.sponsor_model.loading or self.notice_model.loading

    def refresh(self, *_args) -> None:
        """Read both lists again (first pages, then counts, on the reader thread)."""
        campaign_id = self.session.campaign_id
        self.sponsor_model.set_key(campaign_id)
        self.notice_model.set_key(campaign_id)
        self._update_labels()

    def _first_rows(self, table: QTableView) -> None:
        if table.model().rowCount() and not table.property("wb_fitted"):   # once, not on every refresh
            fit_columns(table)
            table.setProperty("wb_fitted", True)
        self._update_labels()
        if table is self.notice_table and self._wanted_notice:
            self.select_notice(self._wanted_notice)
        self._update_buttons()

    def _update_labels(self, *_args) -> None:
        for label, model, text in ((self.sponsor_label, self.sponsor_model, "有待整改问题的单位"),
                                   (self.notice_label, self.notice_model, "已下发的文书")):
            counting = "，正在计数…" if model.counting else ""
            label.setText(f"{text}（{'…' if model.loading else model.rowCount()}{counting}）")

    def _update_buttons(self, *_args) -> None:
        has_campaign = self.session.campaign_id is not None
        self.generate_button.setEnabled(self.selected_sponsor() is not None)
        self.batch_button.setEnabled(has_campaign and self.sponsor_model.rowCount() > 0)
        selected = self.selected_notice()
        rectification = selected is not None and selected.record.kind == "rectification"
        for button in (self.receipt_button, self.served_button, self.opinion_button):
            button.setEnabled(rectification)   # receipts, service and opinions follow a notice
        for button in (self.print_button, self.preview_button):
            button.setEnabled(selected is not None)

    def selected_sponsor(self) -> SponsorLine | None:
        """The sponsor line selected on the left, if any."""
        rows = self.sponsor_table.selectionModel().selectedRows()
        return self.sponsor_model.record_at(rows[0].row()) if rows else None

    def selected_notice(self) -> NoticeLine | None:
        """The document line selected on the right, if any (a notice or an opinion)."""
        rows = self.notice_table.selectionModel().selectedRows()
        return self.notice_model.record_at(rows[0].row()) if rows else None

    def _selected_rectification(self) -> NoticeLine | None:
        """The selected line when it is a rectification notice (receipts, service and opinions
        follow a notice, never an opinion)."""
        line = self.selected_notice()
        return line if line is not None and line.record.kind == "rectification" else None

    def select_notice(self, doc_number: str) -> None:
        """Select an issued document by its number (no change when it is not listed); one
        beyond the rows in memory is looked up on the reader thread."""
        if self.notice_model.loading:
            self._wanted_notice = doc_number
            return
        self._wanted_notice = None
        row = self.notice_model.find_cached(lambda line: line.record.doc_number == doc_number)
        if row >= 0:
            self.notice_table.selectRow(row)
            return
        campaign_id = self.session.campaign_id
        if campaign_id is None:
            return

        def found(at: int) -> None:
            if at >= 0 and self.notice_model.key == campaign_id:
                self.notice_table.selectRow(at)
                self.notice_table.scrollTo(self.notice_model.index(at, 0))

        self.session.read(lambda ctx: notices.document_position(ctx, campaign_id, doc_number), found,
                          key=f"select-notice-{id(self)}")

    # -- actions -------------------------------------------------------------------------------

    def generate_notice(self) -> None:
        """Issue (or re-print) the selected sponsor's notice and save it where the user chooses:
        the campaign's 文号前缀 and the settings the notice prints are checked first (the campaign
        read on the reader thread, a missing value asked for), then the notice is drawn and
        numbered on a worker; ``done`` follows. A cancelled question starts nothing."""
        line = self.selected_sponsor()
        if line is None or (line.needs_new_notice and self._batch_running("生成整改通知书")):
            return

        def ask_where() -> None:
            out = self._ask_pdf("保存整改通知书", f"整改通知书_{line.sponsor.name}")
            if out is not None:
                self._settings_ready(line.sponsor.campaign_id, lambda: start(out))

        def start(out: Path) -> None:
            if line.needs_new_notice and self._batch_running("生成整改通知书"):   # started meanwhile
                return
            sponsor_id = line.sponsor.id
            self.session.run_task(
                "生成整改通知书", _noting_fonts(lambda ctx: notices.write_notice(ctx, sponsor_id, out, force=True)),
                lambda done: self._written(out, done[0].record.doc_number, done[0].reprint, done[1]),
                lambda err: self.session.show_error("生成整改通知书", _as_workbench_error(err, out)))

        if line.needs_new_notice:
            self.ensure_doc_prefix("生成整改通知书", ask_where)
        else:
            ask_where()

    def _settings_ready(self, campaign_id: str, then: Callable[[], None]) -> None:
        """Printing stops when a setting the notice must print is empty (联系人, 联系电话, the
        复议/诉讼 bodies): ask for each, save them, then ``then()``; nothing when the user cancels.
        The campaign's name (its notice title decides which are needed) is read on the reader."""
        self.session.read(lambda ctx: campaigns.get_campaign(ctx, campaign_id).name,
                          lambda name: self._ask_missing_settings(name, then),
                          lambda err: self.session.show_error("打印前检查设置", err))

    def _ask_missing_settings(self, campaign_name: str, then: Callable[[], None]) -> None:
        while True:
            try:
                notices.require_settings_named(self.session.ctx, campaign_name)   # the settings only
                break
            except MissingSettingsError as err:
                for name in err.fields:
                    label = document_settings.REQUIRED_LABELS[name]
                    value = self.session.dialogs.ask_text(
                        "打印前请补充", f"整改通知书须印明{label}（保存到“设置”）：", "")
                    if value is None or not value.strip():
                        return
                    setattr(self.session.ctx.settings, name, value.strip())
                try:
                    self.session.save_settings()
                except OSError as save_error:
                    self.session.show_error("保存设置", WorkbenchError(f"无法保存设置：{save_error}"))
        then()

    def ensure_doc_prefix(self, title: str, then: Callable[[], None]) -> None:
        """Before a document is numbered: read the campaign on the reader thread; when it has no
        文号前缀, ask for it (saved to the campaign on the writer thread, so it is asked once); then
        ``then()``. Nothing more when the user cancels."""
        campaign_id = self.session.campaign_id
        self.session.read(lambda ctx: campaigns.get_campaign(ctx, campaign_id),
                          lambda campaign: self._prefix_known(title, campaign, then),
                          lambda err: self.session.show_error(title, err))

    def _prefix_known(self, title: str, campaign, then: Callable[[], None]) -> None:
        if campaign.doc_prefix:
            then()
            return
        label = (f"检查任务“{campaign.name}”还没有设置文号前缀，整改通知书和复查意见书编号时需要它。\n"
                 "请填写机关代字，如“鲁网信整改”（文号形如 鲁网信整改〔2026〕1号；复查意见书自动用“鲁网信复查”）：")
        typed = self.session.dialogs.ask_text(f"{title}：设置文号前缀", label)
        if typed is None:
            return
        if not typed.strip():
            self.session.dialogs.warn("文号前缀", str(ValidationError("文号前缀不能为空")))
            self._prefix_known(title, campaign, then)
            return

        def saved(updated) -> None:
            self.session.notify("campaigns")   # the overview shows the prefix
            self._prefix_known(title, updated, then)

        def refused(err: Exception) -> None:
            if not isinstance(err, WorkbenchError):
                self.session.show_error("文号前缀", err)
                return
            self.session.dialogs.warn("文号前缀", str(err))   # e.g. 〔年份〕 typed: asked again
            self._prefix_known(title, campaign, then)

        self.session.write("文号前缀", lambda ctx: campaigns.update_campaign(ctx, campaign.id, doc_prefix=typed),
                           saved, refused)

    def _ask_pdf(self, title: str, stem: str) -> Path | None:
        """Ask where to save a PDF (starting in the last folder, named from ``stem``); None if cancelled."""
        suggested = Path(self.session.last_folder) / safe_file_name(f"{stem}.pdf")
        chosen = self.session.dialogs.save_file(title, str(suggested), PDF_FILTER)
        if chosen is None:
            return None
        out = _with_pdf_suffix(chosen)
        return out if overwrite_confirmed(self.session.dialogs, chosen, out) else None

    def _written(self, out: Path, doc_number: str, reprint: bool, font_note: str) -> Path:
        self.last_written.append(out)
        self.session.remember_folder(out)
        self.session.notify("documents", "findings")
        self.select_notice(doc_number)
        note = "（该单位的问题均已编入此通知书，本次为重新打印）" if reprint else ""
        self.session.dialogs.info("生成整改通知书", f"已生成 {doc_number}{note}：\n{out}{font_note}")
        self.done.emit("生成整改通知书")
        return out

    def generate_all(self) -> None:
        """Issue a notice for every sponsor awaiting one, into a chosen folder, in the background."""
        campaign_id = self.session.campaign_id
        if campaign_id is None:
            return
        if self._batch_running(BATCH_TITLE):   # a shortcut while the button is disabled
            return

        def ask_folder() -> None:
            folder = self.session.dialogs.choose_folder("选择保存整改通知书的文件夹", self.session.last_folder)
            if folder is not None:
                self._settings_ready(campaign_id, lambda: start(folder))

        def start(folder: Path) -> None:
            if self._batch_running(BATCH_TITLE):   # started meanwhile (the questions took a while)
                return
            self._start_batch(campaign_id, folder)

        self.ensure_doc_prefix(BATCH_TITLE, ask_folder)

    def _batch_running(self, title: str) -> bool:
        """True (and the user told so) while a batch runs: it holds reserved numbers that a second
        batch, or a single new notice, would take up as an interrupted run's
        (notice_issuing.claim_numbers reconciles them). Re-prints take no number and may run."""
        if BATCH_TITLE not in self.session.user_tasks():
            return False
        self.session.dialogs.info(title, "批量生成整改通知书正在进行，请等它完成后再生成新的通知书。")
        return True

    def _start_batch(self, campaign_id: str, folder: Path) -> None:
        """Two batches at once would each take the other's reserved numbers for an interrupted
        run's (notice_issuing.write_notices reconciles them): one runs at a time."""
        self.batch_button.setEnabled(False)

        def task(ctx, cancel, on_progress):
            paths = notices.write_notices(ctx, campaign_id, folder, cancel=cancel, on_progress=on_progress)
            return paths, font_note(ctx)

        self.session.run_task(BATCH_TITLE, task, lambda done: self._batch_done(folder, *done), self._batch_failed)

    def _batch_done(self, folder: Path, paths: list[Path], font_note: str = "") -> None:
        self.last_written.extend(paths)
        self.session.remember_folder(folder)
        self.session.notify("documents", "findings")
        self.session.dialogs.info("批量生成整改通知书",
                                  f"已生成 {len(paths)} 份整改通知书，保存在：\n{folder}{font_note}")

    def _batch_failed(self, err: Exception) -> None:
        self.session.notify("documents", "findings")   # notices written before the stop stay issued
        if isinstance(err, Cancelled):   # services.notice_issuing.write_notices
            self.session.dialogs.info("批量生成整改通知书", "已取消：已生成的通知书保留在文件夹中并已登记文号；"
                                      "其余单位未生成，也未占用文号。")
        else:
            self.session.show_error("批量生成整改通知书", err)

    def write_receipt(self) -> bool:
        """Write the delivery receipt (送达回证) of the selected notice where the user chooses (on
        a worker; ``done`` follows). False when nothing was started."""
        line = self._selected_rectification()
        if line is None:
            return False
        number = line.record.doc_number
        out = self._ask_pdf("保存送达回证", f"送达回证_{number}_{line.sponsor_name}")
        if out is None:
            return False

        def written(done) -> None:
            self.last_written.append(out)
            self.session.remember_folder(out)
            self.session.dialogs.info("送达回证", f"已生成 {number} 的送达回证：\n{out}{done[1]}")
            self.done.emit("送达回证")

        self.session.run_task("送达回证", _noting_fonts(lambda ctx: notices.write_receipt(ctx, number, out, force=True)),
                              written, lambda err: self.session.show_error("送达回证", _as_workbench_error(err, out)))
        return True

    def write_opinion(self) -> bool:
        """Issue (or re-print) the re-inspection opinion (复查意见书) of the selected notice, dated
        today, and save it where the user chooses (the 文号前缀 checked first, the campaign read on
        the reader thread); explains when findings await re-inspection. False when no notice is
        selected; a cancelled question starts nothing."""
        line = self._selected_rectification()
        if line is None:
            return False
        self.ensure_doc_prefix("复查意见书", lambda: self._opinion_where(line))
        return True

    def _opinion_where(self, line: NoticeLine) -> None:
        number = line.record.doc_number
        out = self._ask_pdf("保存复查意见书", f"复查意见书_{number}_{line.sponsor_name}")
        if out is None:
            return
        today = self.session.ctx.today()

        def failed(err: Exception) -> None:
            if isinstance(err, ValidationError):
                self.session.dialogs.warn("复查意见书", f"{err}。\n\n请先在“问题”界面为该通知书所涉的每个问题"
                                          "登记复查结果（复查通过或复查未通过），再出具复查意见书。")
            else:
                self.session.show_error("复查意见书", _as_workbench_error(err, out))

        self.session.run_task(
            "复查意见书",
            _noting_fonts(lambda ctx: reinspection.write_opinion(ctx, number, out, reinspected_on=today, force=True)),
            lambda done: self._opinion_written(out, number, *done), failed)

    def _opinion_written(self, out: Path, number: str, issued, font_note: str) -> None:
        self.last_written.append(out)
        self.session.remember_folder(out)
        self.session.notify("documents", "findings")   # a new opinion (and its 文号) joins the list at once
        self.select_notice(number)
        note = "（所涉问题自上次出具后未变，本次为重新打印）" if issued.reprint else ""
        self.session.dialogs.info("复查意见书", f"已生成复查意见书 {issued.record.doc_number}{note}：\n{out}"
                                  f"{font_note}")
        self.done.emit("复查意见书")

    def record_service(self) -> bool:
        """登记送达: ask the service date of the selected notice and record it on the writer thread
        (``done`` follows); False when nothing was started."""
        line = self._selected_rectification()
        if line is None:
            return False
        today = self.session.ctx.today()
        served_on = self.session.dialogs.ask_date("登记送达", f"{line.record.doc_number} 的送达日期（以送达回证为准）：",
                                                  today, latest=today)
        if served_on is None:
            return False
        number = line.record.doc_number

        def recorded(warnings) -> None:
            self.session.notify("documents", "findings")
            extra = "\n" + "\n".join(warnings) if warnings else ""
            self.session.dialogs.info("登记送达", f"已登记 {number} 于 {served_on.isoformat()} 送达，"
                                      f"所涉问题的整改期限已自送达之日起重新计算。{extra}")
            self.done.emit("登记送达")

        return self.session.write("登记送达", lambda ctx: notices.record_service(ctx, number, served_on), recorded)

    def print_notice(self) -> None:
        """Print the selected notice (Ctrl+P); without a printer, offer to save the PDF."""
        from workbench.gui import printing  # pdfium, QtPrintSupport: loaded on the first print

        self._with_pdf(lambda pdf: printing.print_pdf(self.session, pdf, self))

    def print_current(self) -> None:
        """Ctrl+P from the main window: print the selected notice."""
        self.print_notice()

    def preview_notice(self) -> None:
        """Show the print preview of the selected notice."""
        from workbench.gui import printing

        self._with_pdf(lambda pdf: printing.preview_pdf(self.session, pdf, self))

    def selected_notices(self) -> list[NoticeLine]:
        """Every notice line selected on the right (Ctrl/Shift-click selects several to print)."""
        rows = sorted(i.row() for i in self.notice_table.selectionModel().selectedRows())
        return [line for line in (self.notice_model.record_at(r) for r in rows) if line is not None]

    def _with_pdf(self, show: Callable[[Path | list[Path]], object]) -> None:
        """Render the selected documents as issued on a worker, then ``show`` them (print or
        preview dialog, kept in :attr:`print_dialog`)."""
        lines = self.selected_notices()
        if not lines:
            return
        numbers, folder = [line.record.doc_number for line in lines], Path(self._scratch.name)
        self.print_dialog = None

        def rendered(pdfs: list[Path]) -> None:
            self.print_dialog = show(pdfs[0] if len(pdfs) == 1 else pdfs)

        def start() -> None:
            self.session.run_task(
                "准备打印", lambda ctx, _cancel, _progress: render_as_issued(ctx, numbers, folder), rendered,
                lambda err: self.session.show_error("打印", _as_workbench_error(err, None)))

        self._settings_ready(lines[0].record.campaign_id, start)


def font_note(ctx: Context) -> str:
    """Which roles free stand-in fonts served in the documents just written ('' when none), said
    once per batch in the closing message (reports/fonts.py); found on the worker that drew them."""
    try:
        notes = document_settings.stand_in_notes(ctx)
    except WorkbenchError as err:
        return f"\n\n字体：{err}"
    return ("\n\n以下字体以免费字体代替（可在“工具 → 设置”中为各用途选择字体）：\n"
            + "\n".join(notes)) if notes else ""


def _noting_fonts(write: Callable[[Context], object]):
    """The task ``(ctx, cancel, progress) -> (write(ctx), font_note(ctx))`` for a worker."""
    return lambda ctx, _cancel, _progress: (write(ctx), font_note(ctx))


def render_as_issued(ctx: Context, doc_numbers: list[str], folder: Path) -> list[Path]:
    """Each document (notice or opinion) of ``doc_numbers`` rendered as issued to a PDF in
    ``folder`` (named by its 文号), in order; runs on a worker.

    Raises:
        WorkbenchError: a document cannot be found or rendered. OSError: ``folder`` is not writable.
    """
    out = []
    for number in doc_numbers:
        pdf = folder / safe_file_name(f"{number}.pdf")
        notices.render_existing(ctx, number, pdf)
        out.append(pdf)
    return out


def _with_pdf_suffix(path: Path) -> Path:
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


def _as_workbench_error(err: Exception, path: Path | None) -> Exception:
    if isinstance(err, OSError):
        where = f"“{path}”" if path else "文件"
        return WorkbenchError(f"无法写入{where}：{os_reason(err)}。")
    return err



def _titled(label: QLabel, table: QTableView) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(label)
    layout.addWidget(table, 1)
    return box


def _count_sponsors(ctx, campaign_id: str) -> int:
    return notices.count_sponsors_overview(ctx, campaign_id)


def _read_sponsors(ctx, campaign_id: str, offset: int, limit: int, total: int | None) -> list[SponsorLine]:
    return notices.sponsors_overview_page(ctx, campaign_id, offset=offset, limit=limit, total=total)


def _count_documents(ctx, campaign_id: str) -> int:
    return notices.count_documents(ctx, campaign_id)


def _read_documents(ctx, campaign_id: str, offset: int, limit: int, total: int | None) -> list[NoticeLine]:
    return [NoticeLine(record, name) for record, name in
            notices.documents_page(ctx, campaign_id, offset=offset, limit=limit, total=total)]
