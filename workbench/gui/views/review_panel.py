"""The ICP filing review screen (核查): filed values, observed values and verdicts, conclusion.

Keyboard: Alt+1/2/3 set the focused field's verdict to 一致/不一致/未核, Alt+A marks every untouched field
一致, Ctrl+Enter saves and opens the next unreviewed site, so a day's list needs no mouse.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.domain import finding_status as fs
from workbench.domain.deadline import term_text
from workbench.domain.review import (
    ACCURATE,
    CONCLUSIONS,
    REVIEW_FIELDS,
    VERDICT_LABELS,
    fill_untouched_as_match,
    suggest_conclusion,
)
from workbench.domain.review_record import FieldCheck
from workbench.gui.session import Session
from workbench.services import reviews, sites
from workbench.services.reviews import ReviewOutcome

VERDICT_KEYS = {"1": "match", "2": "mismatch", "3": "unchecked"}
SAVE_TEXT = "保存并核查下一个（Ctrl+Enter）"
BUSY_AFTER_MS = 150   # a save running longer than this says so on its button


class _FieldRow:
    """The widgets of one review field: filed value, observed value, verdict."""

    def __init__(self, code: str, label: str):
        self.code = code
        self.label = QLabel(label)
        self.filed = QLineEdit()
        self.filed.setReadOnly(True)
        self.filed.setFocusPolicy(Qt.ClickFocus)
        self.observed = QLineEdit()
        self.observed.setPlaceholderText("核查所见（与备案一致可不填）")
        self.verdict = QComboBox()
        for key, text in VERDICT_LABELS.items():
            self.verdict.addItem(text, key)
        self.label.setBuddy(self.observed)

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.filed, self.observed, self.verdict)

    def set_verdict(self, verdict: str) -> None:
        self.verdict.setCurrentIndex(self.verdict.findData(verdict))

    def check(self) -> FieldCheck:
        observed = self.observed.text().strip() or (
            self.filed.text() if self.verdict.currentData() == "match" else "")
        return FieldCheck(self.code, self.filed.text(), observed, self.verdict.currentData())


class ReviewPanel(QWidget):
    """Review one website at a time.

    Signals:
        status_message(str): a sentence for the main window's status bar.
        saved(object): the ReviewOutcome after a save.
    """

    status_message = Signal(str)
    saved = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.site_id: str | None = None
        self.detail = None
        self._conclusion_chosen = False
        self._dirty = False   # edited since loaded or saved: leaving asks 保存 / 放弃 / 取消
        self.rows = [_FieldRow(code, label) for code, label in REVIEW_FIELDS]
        self._build_ui()
        self._connect_signals()  # first read when first shown (session.watch)

    # --- building --------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.title = QLabel("未选择网站")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.extra = QLabel()
        self.extra.setStyleSheet("color: #555;")
        self.flags_label = QLabel()
        self.flags_label.setWordWrap(True)
        self.flags_label.setStyleSheet(
            "background: #fff4ce; border: 1px solid #e0c060; padding: 4px; color: #5c4500;")
        layout = QVBoxLayout(self)
        for w in (self.title, self.extra, self.flags_label):
            layout.addWidget(w)
        layout.addWidget(self._fields_box(), 1)
        layout.addLayout(self._conclusion_form())
        layout.addLayout(self._buttons())

    def _fields_box(self) -> QWidget:
        grid = QGridLayout()
        for col, text in enumerate(("核查项目", "备案信息", "核查所见", "判定")):
            head = QLabel(text)
            head.setStyleSheet("font-weight: bold;")
            grid.addWidget(head, 0, col)
        for r, row in enumerate(self.rows, start=1):
            grid.addWidget(row.label, r, 0)
            for c, w in enumerate(row.widgets(), start=1):
                grid.addWidget(w, r, c)
        grid.setRowStretch(len(self.rows) + 1, 1)  # spare height below the fields, not between
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 3)
        box = QGroupBox("逐项核对（Alt+1 一致 · Alt+2 不一致 · Alt+3 未核 · Alt+A 全部一致）")
        box.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(box)
        return scroll

    def _conclusion_form(self) -> QFormLayout:
        self.conclusion = QComboBox()
        self.conclusion.setPlaceholderText("（请先逐项核对，或直接选择结论）")
        for key, text in CONCLUSIONS.items():
            self.conclusion.addItem(text, key)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("备注：核查方式、所见情况等")
        self.notes.setFixedHeight(64)
        self.notes.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow("核查结论(&C)", self.conclusion)
        form.addRow("备注(&B)", self.notes)
        return form

    def _buttons(self) -> QHBoxLayout:
        self.all_match_button = QPushButton("全部一致(&A)")
        self.skip_button = QPushButton("跳过(&N)")
        self.skip_button.setToolTip("不保存，打开下一个未核查网站")
        self.save_button = QPushButton(SAVE_TEXT)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self._show_busy)
        self.save_button.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.all_match_button)
        row.addStretch(1)
        row.addWidget(self.skip_button)
        row.addWidget(self.save_button)
        return row

    def _connect_signals(self) -> None:
        for row in self.rows:
            row.verdict.activated.connect(self._verdicts_changed)
            row.verdict.activated.connect(self._edited)
            row.observed.textEdited.connect(lambda _t, r=row: self._observed_edited(r))
        self.conclusion.activated.connect(self._conclusion_activated)
        self.notes.textChanged.connect(self._edited)
        self.all_match_button.clicked.connect(self.mark_all_match)
        self.skip_button.clicked.connect(self.open_next)
        self.save_button.clicked.connect(self.save_and_next)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            self._shortcut(seq, self.save_and_next)
        for key, verdict in VERDICT_KEYS.items():
            self._shortcut(f"Alt+{key}", lambda v=verdict: self.set_focused_verdict(v))
        self.session.campaign_changed.connect(self._campaign_changed)
        self.refresher = self.session.watch(self, ("sites", "reviews"), self._data_changed, campaign=False)

    def _shortcut(self, seq: str, slot) -> None:
        shortcut = QShortcut(QKeySequence(seq), self)
        shortcut.setContext(Qt.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    # --- loading (on the reader thread) ----------------------------------------------------
    @Slot()
    def refresh(self, *_args) -> None:
        """After a campaign change: show its first unreviewed site (or nothing)."""
        cid = self.session.campaign_id
        self._fetch(lambda ctx: _shown_site(ctx, cid, sites.next_unreviewed(ctx, cid) if cid else None))
        self.session.prepare_writes()   # the first Ctrl+Enter finds the writer ready

    @Slot(object)
    def _campaign_changed(self, _campaign_id) -> None:
        """Another campaign: forget the shown site; its first unreviewed site comes when shown.
        Unsaved edits are asked about first (取消 keeps them on screen)."""
        if not self.settle("切换检查任务"):
            return
        self.site_id = None
        self.refresher.touch()

    @Slot()
    def _data_changed(self) -> None:
        """An import may have brought sites to an empty screen; a shown site is left as edited."""
        if self.site_id is None:
            self.refresh()

    def load_site(self, site_id: str | None) -> bool:
        """Show one site's filed values and its stored review, if any (read on the reader thread,
        shown when back). Never saves on its own: leaving unsaved edits of another site asks
        保存 / 放弃 / 取消 first (False: the user stayed, nothing changed)."""
        if site_id != self.site_id and not self.settle("切换网站"):
            return False
        cid = self.session.campaign_id
        self._dirty = False   # settled: saved or discarded
        self._fetch(lambda ctx: _shown_site(ctx, cid, site_id))
        return True

    def _fetch(self, fn) -> None:
        """Read ``fn(ctx) -> _Shown`` on the reader thread and show it (a newer fetch supersedes)."""
        self.loading = True
        self.session.read(fn, self._show, key=f"review-site:{id(self)}")

    def _show(self, shown: _Shown) -> None:
        """(GUI thread) Show a fetched site; edits typed meanwhile to another site are asked about."""
        self.loading = False
        if shown.site_id != self.site_id and not self.settle("切换网站"):
            return
        self.site_id = shown.site_id
        self.detail = shown.detail
        self._site_count = shown.site_count
        blockers = [w for row in self.rows for w in row.widgets()] + [self.conclusion, self.notes]
        for w in blockers:
            w.blockSignals(True)
        try:
            self._populate(shown.review)
        finally:
            for w in blockers:
                w.blockSignals(False)
        self._dirty = False
        self.setEnabled(self.detail is not None)
        if self.rows and self.detail is not None:
            self.rows[0].observed.setFocus(Qt.OtherFocusReason)

    #: True while a site is being read (the smoke run and tests wait for it)
    loading = False
    _site_count: int | None = None

    def has_unsaved(self) -> bool:
        """True when the review shown was edited and not saved."""
        return self._dirty and self.site_id is not None

    def settle(self, title: str) -> bool:
        """Before leaving the site shown: with unsaved edits ask 保存 / 放弃 / 取消. True when it
        is fine to go on (saved, discarded or nothing to save); False to stay (cancelled, or the
        save was refused with the reason shown)."""
        if not self.has_unsaved():
            return True
        name = self.detail.site_name if self.detail else ""
        answer = self.session.dialogs.ask_save(
            title, f"网站“{name or '（未填写名称）'}”的核查结果尚未保存。\n保存、放弃修改，还是取消（留在此网站）？")
        if answer == "discard":
            self._dirty = False
            return True
        if answer != "save" or not self._ready_to_save():
            return False
        site_id, args = self.site_id, self._form()
        ok, outcome = self.session.write_and_wait(
            "保存核查结果", lambda ctx: reviews.record_review(ctx, site_id, *args))
        if ok:
            self._saved(outcome, site_id, self._edits)
        return ok

    def _edited(self, *_args) -> None:
        self._dirty = True
        self._edits += 1

    _edits = 0   # counts edits: a save that ends clears the unsaved mark only if none came since

    def focus_first(self) -> None:
        """Put the keyboard focus in the first field's observed value (so the shortcuts work)."""
        if self.rows and self.detail is not None:
            self.rows[0].observed.setFocus(Qt.ShortcutFocusReason)
        else:
            self.setFocus(Qt.ShortcutFocusReason)

    @Slot()
    def review_next(self) -> None:
        """Ctrl+R: keep an unreviewed site on screen, else open the next unreviewed one; focus it."""
        site_id = self.site_id
        if site_id is None:
            self.refresh()
            self.focus_first()
            return

        def known(reviewed: bool) -> None:
            if reviewed and self.site_id == site_id:
                self.open_next()
            self.focus_first()

        self.session.read(lambda ctx: reviews.get_review(ctx, site_id) is not None, known)

    def _populate(self, stored) -> None:
        d = self.detail
        self.title.setText(f"{d.site_name or '（未填写网站名称）'}　{d.filed['site_filing_no']}" if d
                           else self._nothing_to_review())
        self.extra.setText(
            f"地市：{d.city or '—'}　IP：{d.ip or '—'}　公安备案号：{d.psb_filing_no or '—'}　"
            f"审核通过日期：{d.approved_on or '—'}　"
            + (f"已于 {stored.reviewed_on} 核查" if stored else "尚未核查") if d else "")
        flags = d.flags if d else ()
        self.flags_label.setText("导入提示：" + "；".join(sites.flag_labels(flags)) if flags else "")
        self.flags_label.setVisible(bool(flags))
        checks = {c.field: c for c in stored.fields} if stored else {}
        for row in self.rows:
            row.filed.setText(d.filed.get(row.code, "") if d else "")
            row.filed.setCursorPosition(0)
            check = checks.get(row.code)
            row.observed.setText(check.observed_value if check and check.verdict == "mismatch" else "")
            row.set_verdict(check.verdict if check else "unchecked")
        self._conclusion_chosen = stored is not None
        self._select_conclusion(stored.conclusion if stored else None)
        self.notes.setPlainText(stored.notes if stored else "")

    def _nothing_to_review(self) -> str:
        cid = self.session.campaign_id
        if cid is None:
            return "请先在工具栏新建或选择一个检查任务"
        if self._site_count == 0:
            return "此检查任务还没有网站：请先导入网站名单（Ctrl+O）"
        return "本检查任务的网站已全部核查完毕"

    # --- editing ---------------------------------------------------------------------------
    def verdicts(self) -> dict[str, str]:
        """Field code → verdict as shown now."""
        return {row.code: row.verdict.currentData() for row in self.rows}

    def conclusion_code(self) -> str:
        """The conclusion code chosen in the combo."""
        return self.conclusion.currentData()

    def _select_conclusion(self, code: str | None) -> None:
        """Show ``code``, or no conclusion (the placeholder) until a field has been compared."""
        self.conclusion.blockSignals(True)
        self.conclusion.setCurrentIndex(self.conclusion.findData(code) if code else -1)
        self.conclusion.blockSignals(False)

    @Slot()
    def _verdicts_changed(self, *_args) -> None:
        """Preselect the suggested conclusion until the user picks one."""
        if not self._conclusion_chosen:
            verdicts = self.verdicts()
            compared = any(v != "unchecked" for v in verdicts.values())
            self._select_conclusion(suggest_conclusion(verdicts) if compared else None)

    @Slot()
    def _conclusion_activated(self, *_args) -> None:
        self._conclusion_chosen = True
        self._dirty = True

    def _observed_edited(self, row: _FieldRow) -> None:
        text = row.observed.text().strip()
        row.set_verdict("unchecked" if not text else "match" if text == row.filed.text() else "mismatch")
        self._dirty = True
        self._verdicts_changed()

    def set_focused_verdict(self, verdict: str) -> None:
        """Set the verdict of the field whose widget has the keyboard focus (Alt+1/2/3)."""
        focus = self.focusWidget()
        for row in self.rows:
            if focus in row.widgets() or focus is row.label:
                row.set_verdict(verdict)
                self._dirty = True
                self._verdicts_changed()
                return

    @Slot()
    def mark_all_match(self) -> None:
        """全部一致 (Alt+A): 一致 for the fields not yet touched; typed differences stay as they are."""
        filled = fill_untouched_as_match(self.verdicts(), {row.code: row.observed.text() for row in self.rows})
        for row in self.rows:
            row.set_verdict(filled[row.code])
        self._dirty = True
        self._verdicts_changed()

    # --- saving (on the writer thread) ----------------------------------------------------
    @Slot()
    def save_and_next(self) -> bool:
        """Save the review shown (Ctrl+Enter), then open the next unreviewed site. False when
        refused at once (the reason is shown). The save and the read of the next site run as one
        job on the writer thread, so the next site never waits behind the reader's queue."""
        cid = self.session.campaign_id
        return self.save(then=lambda ctx, site_id: _next_shown(ctx, cid, site_id) if cid else None)

    def save(self, then=None) -> bool:
        """Start saving the review shown, on the writer thread, and stay on it; with ``then``,
        ``then(ctx, site_id) -> _Shown | None`` runs next in the same job and its site is shown.

        Returns:
            False when refused at once (no site, no conclusion yet, a save still running: the
            reason is shown), else True; the outcome comes by the ``saved`` signal, a failure
            as a message.
        """
        if self.saving or self.loading or not self._ready_to_save():
            return False
        site_id, args, edits = self.site_id, self._form(), self._edits

        def job(ctx):
            outcome = reviews.record_review(ctx, site_id, *args)
            return outcome, (then(ctx, site_id) if then is not None else None)

        def done(result) -> None:
            outcome, shown = result
            self._set_saving(False)
            self._saved(outcome, site_id, edits, notify=False)
            if then is not None:
                self._next_arrived(shown)
            self.session.notify("reviews", "findings")   # after the next site shows: its reads queue behind

        self._set_saving(True)
        if not self.session.write("保存核查结果", job, done, self._save_failed):
            self._set_saving(False)
            return False
        return True

    #: True while a save of this screen runs (Ctrl+Enter and the button wait for it)
    saving = False

    def _set_saving(self, on: bool) -> None:
        """The save button waits while a save runs; it reads 正在保存… when the save takes longer
        than :data:`BUSY_AFTER_MS` (a usual save is back before a repaint would show it)."""
        self.saving = on
        self.save_button.setEnabled(not on)
        self.skip_button.setEnabled(not on)
        if on:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self.save_button.setText(SAVE_TEXT)

    def _show_busy(self) -> None:
        if self.saving:
            self.save_button.setText("正在保存…")

    def _save_failed(self, err: Exception) -> None:
        self._set_saving(False)
        self.session.show_error("保存核查结果", err)

    def _ready_to_save(self) -> bool:
        if self.site_id is None:
            return False
        if self.conclusion_code() is None:
            self.session.dialogs.warn("保存核查", "请先逐项核对，或选择核查结论（如空壳网站、网站无法访问）后再保存。")
            return False
        return True

    def _form(self) -> tuple:
        """What record_review takes after the site: (checks, conclusion, notes) as shown now."""
        return [row.check() for row in self.rows], self.conclusion_code(), self.notes.toPlainText()

    def _saved(self, outcome: ReviewOutcome, site_id: str, edits: int, notify: bool = True) -> None:
        if self.site_id == site_id and self._edits == edits:
            self._dirty = False
        self.status_message.emit(_outcome_message(outcome))
        self.saved.emit(outcome)
        if notify:
            self.session.notify("reviews", "findings")

    @Slot()
    def open_next(self) -> None:
        """Open the next unreviewed site after the one shown (wrapping); say so when none is left."""
        cid, current = self.session.campaign_id, self.site_id
        if cid is None:
            return
        self._fetch_then(lambda ctx: _next_shown(ctx, cid, current), self._next_arrived)

    def _next_arrived(self, shown: _Shown | None) -> None:
        if shown is None or shown.site_id is None:
            self.status_message.emit("本检查任务的网站已全部核查。")
        if shown is None:
            self.loading = False
        else:
            self._show(shown)

    def _fetch_then(self, fn, on_done) -> None:
        self.loading = True
        self.session.read(fn, on_done, key=f"review-site:{id(self)}")


@dataclass(frozen=True)
class _Shown:
    """What the panel shows of a site (read on the reader thread)."""

    site_id: str | None
    detail: object | None = None
    review: object | None = None
    site_count: int | None = None   # the campaign's sites when no site is left (the message)


def _next_shown(ctx, campaign_id: str, current: str | None) -> _Shown | None:
    """(Worker thread) The next unreviewed site after ``current`` (wrapping); None when
    ``current`` is the last one left unreviewed (it stays on screen)."""
    next_id = sites.next_unreviewed(ctx, campaign_id, current)
    if next_id is None and current and reviews.get_review(ctx, current) is None:
        return None
    return _shown_site(ctx, campaign_id, next_id)


def _shown_site(ctx, campaign_id: str | None, site_id: str | None) -> _Shown:
    """(Reader thread) The site's detail and stored review; with no site, the campaign's count."""
    if site_id is None:
        return _Shown(None, site_count=sites.count(ctx, campaign_id) if campaign_id else None)
    return _Shown(site_id, sites.detail(ctx, site_id), reviews.get_review(ctx, site_id))


def _outcome_message(outcome: ReviewOutcome) -> str:
    """The status-bar sentence after a save: the finding raised, its deadline, calendar warnings."""
    text = f"已保存核查结论：{CONCLUSIONS[outcome.review.conclusion]}。"
    f = outcome.finding
    if f is not None and outcome.review.conclusion != ACCURATE and f.status == fs.PENDING:
        text += (f"已登记问题“{f.category}”，整改期限 {f.deadline:%Y年%m月%d日}"
                 f"（{term_text(f.term_days, f.term_unit)}）。")
    if outcome.warnings:
        text += "注意：" + "；".join(outcome.warnings)
    return text
