"""The 设置 dialog: the inspector's name and unit, the contact printed on notices, the default term."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.deadline import MAX_TERM_DAYS, UNIT_LABELS
from workbench.errors import os_reason
from workbench.gui.session import Session
from workbench.reports.fonts import PREFERRED, ROLE_LABELS
from workbench.services import document_settings
from workbench.settings import missing_identity

FONT_FILTERS = "TrueType 字体 (*.ttf *.ttc *.TTF *.TTC);;所有文件 (*)"

PROFILE_FIELDS = ("inspector", "unit", "contact", "contact_phone")


def save_settings(session: Session, **values) -> str | None:
    """Set ``values`` (Settings field → value) on the session's settings, save the file, and let
    rows written from now on carry the inspector name.

    Returns:
        None on success; otherwise a Chinese sentence saying why the file could not be written
        and where (the settings are then left as they were).
    """
    s = session.ctx.settings
    before = {name: getattr(s, name) for name in values}
    for name, value in values.items():
        setattr(s, name, value.strip() if isinstance(value, str) else value)
    try:
        session.save_settings()
    except OSError as err:
        for name, value in before.items():
            setattr(s, name, value)
        return (f"无法保存设置文件：{os_reason(err)}。请检查配置文件夹"
                f"（{session.paths.config_dir}）是否可写，或用 --data-dir 把数据放到可写的文件夹。")
    session.ctx.author = replace(session.ctx.author, name=s.inspector)   # never a login name
    return None


def profile_fields() -> dict[str, QLineEdit]:
    """Line edits for the inspector's name, unit, contact and phone (keys: :data:`PROFILE_FIELDS`)."""
    return {
        "inspector": QLineEdit(placeholderText="如：张三（印在文书上，并记入每条记录）"),
        "unit": QLineEdit(placeholderText="如：某市互联网信息办公室（新建检查任务时作为检查机关）"),
        "contact": QLineEdit(placeholderText="整改通知书上的联系人"),
        "contact_phone": QLineEdit(placeholderText="如：0531-12345678"),
    }


PROFILE_LABELS = {"inspector": "检查人员(&I)", "unit": "所在单位(&U)", "contact": "联系人(&C)",
                  "contact_phone": "联系电话(&P)"}


class SettingsDialog(QDialog):
    """Edit ``session.ctx.settings`` (inspector, unit, contact, phone, review term) and save them.

    Open with ``open()``. Accepting writes the settings file and updates ``session.ctx.author``
    so rows written from now on carry the new inspector name; ``saved()`` is emitted then. A
    settings file that cannot be written keeps the dialog open with the reason in red.

    Font files (one per role) are chosen with 选择… (``session.dialogs.open_file``) or typed;
    each is checked off the GUI thread (document_settings.check_fonts: TrueType outlines, the
    role's characters) when chosen and again before saving: a bad file keeps the dialog open
    with the reason in red. ``checking`` is the running check's worker, if any.
    """

    saved = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.checking = None
        self.font_checked: dict[str, str] = {}  # spec → family of files that passed the check
        self.setWindowTitle("设置")
        self.setMinimumWidth(560)
        self._build_ui()
        self._load()
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _build_ui(self) -> None:
        self.fields = profile_fields()
        self.inspector_edit = self.fields["inspector"]
        self.contact_edit = self.fields["contact"]
        self.phone_edit = self.fields["contact_phone"]
        self.term_spin = QSpinBox()
        self.term_spin.setRange(1, MAX_TERM_DAYS)
        self.unit_combo = QComboBox()
        for key, label in UNIT_LABELS.items():
            self.unit_combo.addItem(label, key)
        term = QHBoxLayout()
        term.addWidget(self.term_spin)
        term.addWidget(self.unit_combo)
        term.addStretch(1)
        form = QFormLayout()
        for name, edit in self.fields.items():
            form.addRow(PROFILE_LABELS[name], edit)
        term_label = QLabel("默认整改期限(&T)")
        term_label.setBuddy(self.term_spin)
        form.addRow(term_label, term)
        hint = QLabel("默认整改期限用于备案信息核查发现的问题；联系人和联系电话印在整改通知书上，供被检查单位反馈整改情况。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.error_label = QLabel(styleSheet="color: #b00020;", wordWrap=True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("保存")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._documents_box())
        for widget in (hint, self.error_label, self.buttons):
            layout.addWidget(widget)

    def _documents_box(self) -> QGroupBox:
        """What notices print (issue 10): self-reference, title, legal basis, the 复议/诉讼 bodies,
        from when terms run, pre-printed letterhead, and a font file per role."""
        self.self_edit = QLineEdit(placeholderText="如：我办、我局（文书中的自称，不用“我单位”）")
        self.title_combo = QComboBox(editable=True)
        self.title_combo.addItems(["责令限期改正通知书", "整改通知书"])
        self.title_combo.setToolTip("依据条款责令改正的用“责令限期改正通知书”，提示性的用“整改通知书”；"
                                    "含“责令”的通知书印有复议、诉讼告知")
        self.basis_edit = QLineEdit(placeholderText="如：《中华人民共和国网络安全法》")
        self.review_edit = QLineEdit(placeholderText="如：某市人民政府（行政复议机关）")
        self.court_edit = QLineEdit(placeholderText="如：某市某区人民法院")
        self.receipt_check = QCheckBox("整改期限自收到通知书之日起计算")
        self.receipt_check.setToolTip("不勾选时，签发时即确定具体日期，印为“请于某年某月某日前（含当日）”")
        self.letterhead_check = QCheckBox("使用预印红头纸")
        self.letterhead_check.setToolTip("不印红色发文机关标志和红色双线，其余内容位置不变")
        self.font_edits = {role: QLineEdit(placeholderText=f"自动（{PREFERRED[role]}，无则用免费替代字体）")
                           for role in ROLE_LABELS}
        box = QGroupBox("文书")
        form = QFormLayout(box)
        form.addRow("自称(&S)", self.self_edit)
        form.addRow("通知书标题(&N)", self.title_combo)
        form.addRow("检查依据(&B)", self.basis_edit)
        form.addRow("行政复议机关(&R)", self.review_edit)
        form.addRow("人民法院(&J)", self.court_edit)
        form.addRow("", self.receipt_check)
        form.addRow("", self.letterhead_check)
        self.font_buttons: dict[str, QPushButton] = {}
        self.font_notes: dict[str, QLabel] = {}
        for role, edit in self.font_edits.items():
            edit.setToolTip("字体文件（.ttf 或 .ttc）的路径；.ttc 中的第 n 个字体写作 路径#n（从 0 起）；"
                            "留空则自动查找")
            button = QPushButton("选择…")
            button.setToolTip(f"选择{ROLE_LABELS[role]}所用的 TrueType 字体文件")
            button.clicked.connect(lambda _checked=False, r=role: self.choose_font(r))
            note = QLabel(styleSheet="color: #555;", wordWrap=True)
            note.hide()
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(button)
            self.font_buttons[role], self.font_notes[role] = button, note
            form.addRow(f"{ROLE_LABELS[role]}字体", row)
            form.addRow("", note)  # its own row: a wrapped reason gets the height it needs
        return box

    def choose_font(self, role: str) -> None:
        """选择…: pick a font file for ``role`` and check it (off the GUI thread)."""
        current = self.font_edits[role].text().partition("#")[0].strip()
        folder = str(Path(current).parent) if current else ""
        chosen = self.session.dialogs.open_file(f"选择{ROLE_LABELS[role]}字体文件", folder, FONT_FILTERS)
        if chosen is None:
            return
        self.font_edits[role].setText(str(chosen))
        self._check_fonts({role: str(chosen)}, then_save=False)

    def _check_fonts(self, files: dict[str, str], *, then_save: bool) -> None:
        """Check ``files`` (role → spec) in the background; show each font's name under its
        field, or the first problem in red; save afterwards when ``then_save``."""
        for button in self.font_buttons.values():
            button.setEnabled(False)
        self.buttons.setEnabled(False)
        self.error_label.hide()

        def task(_ctx, _cancel, _progress):
            return document_settings.check_fonts(files)

        def done(results: dict[str, tuple[bool, str]]) -> None:
            self.checking = None
            self._checks_ended()
            for role, (usable, text) in results.items():
                note = self.font_notes[role]
                if usable:
                    self.font_checked[files[role].strip()] = text
                note.setText(f"✓ {text}：TrueType，含所需字形" if usable else text)
                note.setStyleSheet("color: #555;" if usable else "color: #b00020;")
                note.show()
            for role, note in self.font_notes.items():
                # a form row does not grow for a wrapped label by itself: give it its height
                width = self.font_edits[role].width() + self.font_buttons[role].width() - 24
                note.setMinimumHeight(note.heightForWidth(width) if note.isVisible() else 0)
            self.layout().activate()
            self.adjustSize()
            if not all(usable for usable, _ in results.values()):
                self.error_label.setText("有字体文件无法使用，见该栏下的说明；请重新选择，或清空该栏以自动查找。")
                self.error_label.show()
            elif then_save:
                self.accept()

        def failed(err: Exception) -> None:
            self.checking = None
            self._checks_ended()
            self.error_label.setText(str(err))
            self.error_label.show()

        self.checking = self.session.run_task("检查字体文件", task, done, failed, background=True)

    def _checks_ended(self) -> None:
        for button in self.font_buttons.values():
            button.setEnabled(True)
        self.buttons.setEnabled(True)

    def _load(self) -> None:
        s = self.session.ctx.settings
        for name, edit in self.fields.items():
            edit.setText(getattr(s, name))
        self.term_spin.setValue(s.review_term_days)
        self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(s.review_term_unit)))
        self.self_edit.setText(s.self_reference)
        self.title_combo.setCurrentText(s.notice_title)
        self.basis_edit.setText(s.inspection_basis)
        self.review_edit.setText(s.review_body)
        self.court_edit.setText(s.court)
        self.receipt_check.setChecked(s.deadline_from_receipt)
        self.letterhead_check.setChecked(s.preprinted_letterhead)
        for role, edit in self.font_edits.items():
            edit.setText(s.fonts.get(role, ""))

    def accept(self) -> None:
        """Store the values in the settings, save the file, update the author; close on success.
        The inspector's name and unit are required (``settings.missing_identity``); font files
        not checked yet are checked first (in the background), and saving follows if they pass."""
        unchecked = {role: edit.text().strip() for role, edit in self.font_edits.items()
                     if edit.text().strip() and edit.text().strip() not in self.font_checked}
        if unchecked:
            self._check_fonts(unchecked, then_save=True)
            return
        error = missing_identity(self.inspector_edit.text(), self.fields["unit"].text()) or save_settings(self.session, review_term_days=self.term_spin.value(),
                              review_term_unit=self.unit_combo.currentData(),
                              self_reference=self.self_edit.text() or "我办",
                              notice_title=self.title_combo.currentText() or "责令限期改正通知书",
                              inspection_basis=self.basis_edit.text(), review_body=self.review_edit.text(),
                              court=self.court_edit.text(), deadline_from_receipt=self.receipt_check.isChecked(),
                              preprinted_letterhead=self.letterhead_check.isChecked(),
                              fonts={role: edit.text().strip() for role, edit in self.font_edits.items()
                                     if edit.text().strip()},
                              **{name: edit.text() for name, edit in self.fields.items()})
        if error:
            self.error_label.setText(error)
            self.error_label.show()
            return
        self.saved.emit()
        super().accept()
