"""The 设置 dialog: the inspector's name, the contact printed on notices, the default review term."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.deadline import MAX_TERM_DAYS, UNIT_LABELS
from workbench.gui.session import Session


class SettingsDialog(QDialog):
    """Edit ``session.ctx.settings`` (inspector, contact, contact_phone, review term) and save them.

    Open with ``open()``. Accepting writes the settings file and updates ``session.ctx.author``
    so rows written from now on carry the new inspector name; ``saved()`` is emitted then. A
    settings file that cannot be written keeps the dialog open with the reason in red.
    """

    saved = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("设置")
        self.setMinimumWidth(480)
        self._build_ui()
        self._load()
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _build_ui(self) -> None:
        self.inspector_edit = QLineEdit(placeholderText="如：张三（印在文书上，并记入每条记录）")
        self.contact_edit = QLineEdit(placeholderText="整改通知书上的联系人")
        self.phone_edit = QLineEdit(placeholderText="如：0531-12345678")
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
        form.addRow("检查人员(&I)", self.inspector_edit)
        form.addRow("联系人(&C)", self.contact_edit)
        form.addRow("联系电话(&P)", self.phone_edit)
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
        for widget in (hint, self.error_label, self.buttons):
            layout.addWidget(widget)

    def _load(self) -> None:
        s = self.session.ctx.settings
        self.inspector_edit.setText(s.inspector)
        self.contact_edit.setText(s.contact)
        self.phone_edit.setText(s.contact_phone)
        self.term_spin.setValue(s.review_term_days)
        self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(s.review_term_unit)))

    def accept(self) -> None:
        """Store the values in the settings, save the file, update the author; close on success."""
        s = self.session.ctx.settings
        before = (s.inspector, s.contact, s.contact_phone, s.review_term_days, s.review_term_unit)
        s.inspector = self.inspector_edit.text().strip()
        s.contact = self.contact_edit.text().strip()
        s.contact_phone = self.phone_edit.text().strip()
        s.review_term_days = self.term_spin.value()
        s.review_term_unit = self.unit_combo.currentData()
        try:
            self.session.save_settings()
        except OSError as err:
            s.inspector, s.contact, s.contact_phone, s.review_term_days, s.review_term_unit = before
            self.error_label.setText(f"无法保存设置文件：{err.strerror or err}。请检查配置文件夹"
                                     f"（{self.session.paths.config_dir}）是否可写。")
            self.error_label.show()
            return
        author = self.session.ctx.author
        inspector = s.inspector or type(author).local().inspector  # no name: the login name, as at start
        self.session.ctx.author = replace(author, inspector=inspector)
        self.saved.emit()
        super().accept()
