"""One inspection on screen: checklist tree, the item's text, responses by number key, notes, evidence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.checklist import RESPONSES, SEVERITIES
from workbench.domain.progress import Progress, check_cancel
from workbench.errors import WorkbenchError
from workbench.gui.models.checklist_model import ChecklistModel, EvidenceTableModel
from workbench.gui.session import Session
from workbench.gui.widgets.tables import record_table
from workbench.services import inspection_findings
from workbench.services import inspection_service as service

#: Number keys for the responses, in RESPONSES order (1 符合 … 5 未检查).
RESPONSE_KEYS = dict(zip(RESPONSES, "12345", strict=True))
SCORE_RULE = ("评分规则：符合计 1 分，部分符合计 0.5 分，不符合计 0 分；不适用和未检查不计入；"
              "得分 = 得分合计 ÷ 适用项数 × 100。")
EVIDENCE_FILTER = "图片和文档 (*.png *.jpg *.jpeg *.gif *.bmp *.pdf *.doc *.docx *.xls *.xlsx *.txt);;所有文件 (*)"


class InspectionPanel(QWidget):
    """Works one inspection: answer items (keys 1–5, N = next unanswered), notes, evidence, scores.

    Signals:
        changed(): something of the inspection was written (the list refreshes its progress).

    Notes typed and not yet saved are kept as drafts per (inspection, item) while the window is
    open: switching item, inspection or screen shows them again; ``settle()`` asks 保存 / 放弃 /
    取消 before they would be lost (closing the window).
    """

    changed = Signal()
    evidence_added = Signal(int)    # files stored by add_evidence (on its worker)
    findings_raised = Signal(int)   # findings raised by 生成问题

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.inspection_id: str | None = None
        self.state = None
        self.drafts: dict[tuple[str, str], str] = {}   # (inspection id, item code) → unsaved notes
        self._shown: tuple[str, str, str] | None = None   # (inspection id, item code, stored notes)
        self.model = ChecklistModel(self)
        self.evidence_model = EvidenceTableModel(self)
        self.setAcceptDrops(True)
        self._build_ui()
        self._connect_signals()
        self._show_item()

    def _build_ui(self) -> None:
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.tree.setMinimumWidth(380)
        self.title_label, self.item_label, self.score_label = QLabel(), _rich_label(), _rich_label()
        self.response_group = QButtonGroup(self)
        self.response_buttons = {}
        responses = QHBoxLayout()
        for code, label in RESPONSES.items():
            button = QPushButton(f"{RESPONSE_KEYS[code]} {label}")
            button.setCheckable(True)
            button.setToolTip(f"快捷键 {RESPONSE_KEYS[code]}")
            self.response_group.addButton(button)
            self.response_buttons[code] = button
            responses.addWidget(button)
        self.next_button = QPushButton("下一个未检查项 (N)")
        responses.addWidget(self.next_button)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText("检查情况记录（随结论一并保存；改动后按“保存记录”）")
        self.notes_edit.setMaximumHeight(80)
        self.save_notes_button = QPushButton("保存记录")
        self.add_evidence_button = QPushButton("添加证据…")
        self.remove_evidence_button = QPushButton("删除证据…")
        self.remove_evidence_button.setToolTip("从本次检查中移除选中的证据文件（可在“文件 › 回收站”中撤销）")
        self.complete_button = QPushButton("完成检查")
        self.findings_button = QPushButton("生成问题…")
        self.evidence_table = record_table(self.evidence_model)
        self.preview_label = QLabel("（选中图片证据可预览；可将文件拖放到此界面添加证据）")
        self.preview_label.setAlignment(Qt.AlignCenter)
        self.preview_label.setWordWrap(True)   # the hint must not run off the screen at 1280 pixels
        self.preview_label.setMinimumSize(220, 160)
        self._lay_out(responses)

    def _lay_out(self, responses: QHBoxLayout) -> None:
        right = QWidget()
        box = QVBoxLayout(right)
        box.addWidget(self.title_label)
        box.addWidget(self.item_label, 1)
        box.addLayout(responses)
        box.addWidget(self.notes_edit)
        row = QHBoxLayout()
        for button in (self.save_notes_button, self.add_evidence_button, self.remove_evidence_button):
            row.addWidget(button)
        row.addStretch(1)
        for button in (self.complete_button, self.findings_button):
            row.addWidget(button)
        box.addLayout(row)
        evidence = QHBoxLayout()
        evidence.addWidget(self.evidence_table, 2)
        evidence.addWidget(self.preview_label, 1)
        box.addLayout(evidence, 1)
        box.addWidget(self.score_label)
        box.addWidget(QLabel(SCORE_RULE))
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        QVBoxLayout(self).addWidget(splitter)

    def _connect_signals(self) -> None:
        self.tree.selectionModel().currentChanged.connect(self._show_item)
        for code, button in self.response_buttons.items():
            button.clicked.connect(lambda _=False, c=code: self.respond(c))
            _shortcut(self, RESPONSE_KEYS[code], lambda c=code: self.respond(c))
        _shortcut(self, "N", self.next_unanswered)
        self.next_button.clicked.connect(self.next_unanswered)
        self.save_notes_button.clicked.connect(self.save_notes)
        self.add_evidence_button.clicked.connect(self.choose_evidence)
        self.remove_evidence_button.clicked.connect(self.remove_evidence)
        self.complete_button.clicked.connect(self.complete)
        self.findings_button.clicked.connect(self.raise_findings)
        self.evidence_table.selectionModel().currentRowChanged.connect(self._preview_evidence)

    # -- loading -------------------------------------------------------------------------------

    def load(self, inspection_id: str | None) -> None:
        """Show an inspection (None: nothing), keeping the current item when it is the same one.
        Its checklist, answers, scores and evidence are read on the reader thread."""
        keep = self.current_item_code() if inspection_id == self.inspection_id else None
        self.inspection_id = inspection_id
        if inspection_id is None:
            self._loaded(None, None, keep)
            return
        self.session.read(lambda ctx: _read_inspection(ctx, inspection_id),
                          lambda data: self._loaded(inspection_id, data, keep),
                          lambda err: self._load_failed(inspection_id, err), key=f"inspection:{id(self)}")

    def _load_failed(self, inspection_id: str, err: Exception) -> None:
        self.session.show_error("检查", err)
        self._loaded(inspection_id, None, None)

    def _loaded(self, inspection_id: str | None, data: _Inspection | None, keep: str | None) -> None:
        if inspection_id != self.inspection_id:
            return
        self.state = data.state if data else None
        self._data = data
        if data is not None:
            self.model.set_checklist(data.state, data.progress)
        else:
            self.model.clear()
        self.tree.expandAll()
        self.select_item(keep or self._first_open_item())
        self._show_scores()
        self._show_evidence(data.evidence if data else [])

    def _reload_answers(self) -> None:
        """Read the answers again (after a save) and show them; ``changed`` follows."""
        inspection_id = self.inspection_id
        if inspection_id is None:
            return

        def read(data: _Inspection) -> None:
            if inspection_id != self.inspection_id:
                return
            self.state, self._data = data.state, data
            answers = {code: a.response for code, a in data.state.answers.items()}
            self.model.update_answers(answers, data.progress)
            self._show_scores()
            self._show_item()
            self._show_evidence(data.evidence)
            self.changed.emit()

        self.session.read(lambda ctx: _read_inspection(ctx, inspection_id), read, key=f"inspection:{id(self)}")

    _data: _Inspection | None = None

    def current_item_code(self) -> str | None:
        """The code of the item selected in the tree, if any."""
        item = self.model.item_at(self.tree.currentIndex())
        return item.code if item else None

    def select_item(self, item_code: str | None) -> None:
        """Select an item in the tree (nothing happens for an unknown code)."""
        index = self.model.index_of(item_code) if item_code else None
        if index is not None and index.isValid():
            self.tree.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
            self.tree.scrollTo(index)

    def _first_open_item(self) -> str | None:
        codes = self.model.item_codes()
        return self._next_open(None) or (codes[0] if codes else None)

    def _next_open(self, after: str | None) -> str | None:
        """The next item of this round without a response (wrapping around), or None."""
        if self.state is None:
            return None
        codes = [c for c in self.model.item_codes() if self.model.is_to_check(c)]
        start = codes.index(after) + 1 if after in codes else 0
        for code in codes[start:] + codes[:start]:
            answer = self.state.answers.get(code)
            if answer is None or answer.response == "not_checked":
                return code
        return None

    # -- the current item ----------------------------------------------------------------------

    def _stash_notes(self) -> None:
        """Keep the notes shown as a draft when they differ from what is stored."""
        if self._shown is None or self.notes_edit.isReadOnly():
            return
        inspection_id, code, stored = self._shown
        text = self.notes_edit.toPlainText()
        if text != stored:
            self.drafts[(inspection_id, code)] = text
        else:
            self.drafts.pop((inspection_id, code), None)

    def _show_item(self, *_args) -> None:
        self._stash_notes()
        code = self.current_item_code()
        item = self.state.template.item(code) if code and self.state else None
        completed = self.state is not None and self.state.inspection.status == "completed"
        editable = item is not None and not completed and self.model.is_to_check(item.code)
        answer = self.state.answers.get(code) if item else None
        self.response_group.setExclusive(False)
        for resp, button in self.response_buttons.items():
            button.setChecked(answer is not None and answer.response == resp)
            button.setEnabled(editable and resp in item.responses)
        self.response_group.setExclusive(True)
        stored = answer.notes if answer else ""
        draft = self.drafts.get((self.inspection_id, code)) if item else None
        self.notes_edit.setPlainText(draft if draft is not None else stored)
        self.notes_edit.setReadOnly(not editable)
        self._shown = (self.inspection_id, code, stored) if item and editable else None
        self.save_notes_button.setEnabled(editable and answer is not None)
        self.add_evidence_button.setEnabled(self.state is not None and not completed)
        self.complete_button.setEnabled(self.state is not None and not completed)
        self.findings_button.setEnabled(self.state is not None)
        earlier = self.state.previous.get(code) if item else None
        self.item_label.setText(_item_html(item, earlier) if item else "请在左侧选择检查项。")
        self.title_label.setText(self._title_text())

    def _title_text(self) -> str:
        if self.state is None:
            return "未选择检查"
        ins = self.state.inspection
        rnd = "初次检查" if ins.current_round == 0 else f"第 {ins.current_round} 次复查"
        status = "已完成" if ins.status == "completed" else "检查中"
        return f"<b>{self.state.record.title}</b>（{self.state.record.version}）｜{rnd}｜{status}"

    def respond(self, response: str) -> None:
        """Record ``response`` for the current item with the notes typed (keys 1–5)."""
        code = self.current_item_code()
        if code is None or self.state is None or not self.response_buttons[response].isEnabled():
            return
        inspection_id, notes = self.inspection_id, self.notes_edit.toPlainText()

        def saved(_answer) -> None:
            self.drafts.pop((inspection_id, code), None)
            if self._shown is not None and self._shown[:2] == (inspection_id, code):
                self._shown = None   # saved: nothing to keep as a draft
            self._reload_answers()

        def failed(err: Exception) -> None:
            self.session.show_error("记录检查结论", err)
            self._reload_answers()

        self.session.write("记录检查结论", lambda ctx: service.answer_item(ctx, inspection_id, code, response, notes=notes),
                           saved, failed)

    def unsaved_notes(self) -> int:
        """How many items have notes typed and not saved (the one shown included)."""
        self._stash_notes()
        return len(self.drafts)

    def settle(self, title: str) -> bool:
        """Before unsaved notes would be lost: ask 保存 / 放弃 / 取消. Saving stores each draft with
        its item's recorded response (未检查 when it has none yet). True to go on, False to stay."""
        count = self.unsaved_notes()
        if not count:
            return True
        answer = self.session.dialogs.ask_save(
            title, f"有 {count} 个检查项的检查情况记录尚未保存。\n保存（未作结论的项记为“未检查”）、放弃，还是取消？")
        if answer == "discard":
            self.drafts.clear()
            self._shown = None
            self._show_item()
            return True
        return answer == "save" and self._save_drafts()

    def _save_drafts(self) -> bool:
        """Store every draft (on the writer thread; the user waits, having asked to save)."""
        drafts = dict(self.drafts)

        def save(ctx) -> None:
            for (inspection_id, code), text in drafts.items():
                answers = service.load_inspection(ctx, inspection_id).answers
                response = answers[code].response if code in answers else "not_checked"
                service.answer_item(ctx, inspection_id, code, response, notes=text)

        ok, _none = self.session.write_and_wait("保存检查情况记录", save)
        if not ok:
            return False
        for key in drafts:
            self.drafts.pop(key, None)
        self._shown = None
        if self.inspection_id is not None:
            self._reload_answers()
        return True

    def save_notes(self) -> None:
        """Save the notes of the current item with its recorded response."""
        answer = self.state.answers.get(self.current_item_code() or "") if self.state else None
        if answer is not None:
            self.respond(answer.response)

    def next_unanswered(self) -> None:
        """Select the next unanswered item of this round (N); say so when there is none."""
        code = self._next_open(self.current_item_code())
        if code is None:
            self.session.dialogs.info("检查", "本轮所有检查项均已作出结论。")
        else:
            self.select_item(code)

    def _show_scores(self) -> None:
        if self.state is None or self._data is None:
            self.score_label.setText("")
            return
        sheet = self._data.sheet
        parts = [f"{s.title} {_score_text(s.tally)}" for s in sheet.sections]
        checked = f"已检查 {sheet.overall.answered}/{sheet.overall.total}"
        if self.state.round.round > 0:   # a re-inspection: say how much has been re-checked
            rnd = self._data.progress.overall
            checked = (f"第 {self.state.round.round} 次复查：已复查 {rnd.answered}/{rnd.total} 项，"
                       "未复查的项按上次结论计分")
        self.score_label.setText(f"<b>总分 {_score_text(sheet.overall)}</b>（{checked}）<br>" + "；".join(parts))

    # -- evidence ------------------------------------------------------------------------------

    def choose_evidence(self) -> None:
        """Ask for evidence files and add them to the current item (or the whole inspection)."""
        paths = self.session.dialogs.open_files("添加证据", self.session.last_folder, EVIDENCE_FILTER)
        self.add_evidence(paths)

    def add_evidence(self, paths: list[Path]) -> int:
        """Copy files into the evidence store against the current item, hashing and copying on a
        worker (the progress panel shows it); returns how many files were handed to it.
        ``evidence_added(int)`` follows with how many were stored; each refused file is named."""
        if self.state is None or not paths:
            return 0
        inspection_id, item_code, paths = self.inspection_id, self.current_item_code() or "", list(paths)

        def task(ctx, cancel, on_progress):
            stored, refused = 0, []
            for n, path in enumerate(paths):
                check_cancel(cancel)
                on_progress(Progress(n, len(paths), f"复制证据文件 {Path(path).name}"))
                try:
                    service.add_evidence(ctx, inspection_id, path, item_code=item_code)
                    stored += 1
                except WorkbenchError as err:   # one bad file: the others are still added
                    refused.append(str(err))
            return stored, refused

        def done(result) -> None:
            stored, refused = result
            for message in refused:
                self.session.dialogs.warn("添加证据", message)
            self._reload_answers()
            self.evidence_added.emit(stored)

        self.session.remember_folder(Path(paths[0]))
        self.session.run_task("添加证据", task, done)
        return len(paths)

    def remove_evidence(self) -> bool:
        """删除证据: say which file goes, remove it when confirmed (the file stays in the evidence
        folder; 撤销删除 in the 回收站 brings it back)."""
        from workbench.gui.views.removal_actions import confirm_and_remove
        from workbench.services import removals

        index = self.evidence_table.currentIndex()
        ev = self.evidence_model.evidence_at(index.row()) if index.isValid() else None
        if ev is None:
            return False

        def removed() -> None:
            self._load_evidence()
            self.changed.emit()

        confirm_and_remove(self.session, "删除证据", lambda ctx: removals.plan_evidence(ctx, ev.id), removed)
        return True

    def _load_evidence(self) -> None:
        """Read the evidence list again (after a removal)."""
        self._reload_answers()

    def _show_evidence(self, rows) -> None:
        self.evidence_model.set_rows(rows)
        self.evidence_table.resizeColumnsToContents()
        self._preview_evidence()

    def _preview_evidence(self, *_args) -> None:
        index = self.evidence_table.currentIndex()
        ev = self.evidence_model.evidence_at(index.row()) if index.isValid() else None
        completed = self.state is not None and self.state.inspection.status == "completed"
        self.remove_evidence_button.setEnabled(ev is not None and not completed)
        pixmap = QPixmap()
        if ev is not None and ev.mime.startswith("image/") and self.session.ctx.evidence_dir:
            pixmap.load(str(Path(self.session.ctx.evidence_dir) / ev.stored_path))
        if pixmap.isNull():
            self.preview_label.setPixmap(QPixmap())
            self.preview_label.setText("（无预览）" if ev else "（选中图片证据可预览；可将文件拖放到此界面添加证据）")
        else:
            self.preview_label.setPixmap(pixmap.scaled(self.preview_label.size(), Qt.KeepAspectRatio,
                                                       Qt.SmoothTransformation))

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.state is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if self.add_evidence(paths):
            event.acceptProposedAction()

    # -- completing and findings ---------------------------------------------------------------

    def complete(self) -> None:
        """完成检查 (on the writer thread); when items are unanswered, ask before completing anyway."""
        self._complete(force=False)

    def _complete(self, force: bool) -> None:
        inspection_id = self.inspection_id

        def failed(err: Exception) -> None:
            if isinstance(err, service.UnansweredItemsError):
                if self.session.dialogs.confirm("完成检查", f"{err}。\n确定现在完成检查吗？"):
                    self._complete(force=True)
                return
            self.session.show_error("完成检查", err)

        def done(_result) -> None:
            self.load(inspection_id)
            self.changed.emit()

        self.session.write("完成检查", lambda ctx: service.complete_inspection(ctx, inspection_id, force=force),
                           done, failed)

    def raise_findings(self) -> None:
        """生成问题: raise a finding for each non-compliant or partial item not raised yet (the
        drafts read on the reader thread, the findings saved on the writer thread)."""
        inspection_id = self.inspection_id
        self.session.read(lambda ctx: inspection_findings.drafts(ctx, inspection_id), self._drafts_read)

    def _drafts_read(self, drafts) -> None:
        if not drafts:
            self.session.dialogs.info("生成问题", "没有需要登记的问题：本检查的“不符合”“部分符合”项均已登记，或没有此类项。")
            return
        codes = "、".join(d.item_code for d in drafts)
        if not self.session.dialogs.confirm("生成问题", f"将为 {len(drafts)} 个检查项登记问题：{codes}。确定吗？"):
            return

        def raised(result) -> None:
            findings, warnings = result
            self.session.notify("findings")
            extra = "\n" + "\n".join(warnings) if warnings else ""
            self.session.dialogs.info("生成问题", f"已登记 {len(findings)} 个问题，可在“问题”台账中跟踪整改。{extra}")
            self.findings_raised.emit(len(findings))

        self.session.write("生成问题", lambda ctx: inspection_findings.raise_from_drafts(ctx, drafts), raised)


@dataclass(frozen=True)
class _Inspection:
    """What the panel shows of an inspection (read on the reader thread)."""

    state: object
    progress: object
    sheet: object
    evidence: list


def _read_inspection(ctx, inspection_id: str) -> _Inspection:
    """(Reader thread) An inspection's checklist and answers, progress, scores and evidence."""
    return _Inspection(service.load_inspection(ctx, inspection_id), service.progress(ctx, inspection_id),
                       service.score_inspection(ctx, inspection_id), service.list_evidence(ctx, inspection_id))


def _score_text(tally) -> str:
    return "—" if tally.score is None else f"{tally.score:.1f}"


def _item_html(item, earlier=None) -> str:
    """The item's requirement, guidance and basis; in a re-inspection, what was found last time."""
    from html import escape

    basis = "<br>".join(escape(c.text) for c in item.basis) or "（无）"
    last = ""
    if earlier is not None:
        notes = f"（{escape(earlier.notes)}）" if earlier.notes else ""
        last = f"<br><b style='color:#b00020'>上次检查：</b>{RESPONSES.get(earlier.response, earlier.response)}{notes}"
    return (f"<b>{escape(item.code)}</b>　严重程度：{SEVERITIES.get(item.severity, item.severity)}<br>"
            f"<b>检查要求：</b>{escape(item.requirement)}<br><b>检查方法：</b>{escape(item.guidance)}<br>"
            f"<b>依据：</b>{basis}{last}")


def _rich_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.RichText)
    label.setAlignment(Qt.AlignLeft | Qt.AlignTop)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label



def _shortcut(parent: QWidget, key: str, slot) -> QShortcut:
    shortcut = QShortcut(QKeySequence(key), parent)
    shortcut.setContext(Qt.WidgetWithChildrenShortcut)
    shortcut.activated.connect(slot)
    return shortcut
