"""The first-run welcome page: who the inspector is, and where to start (demo, list, campaign)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from workbench.gui.session import Session
from workbench.gui.views.settings_dialog import PROFILE_LABELS, profile_fields, save_settings
from workbench.settings import missing_identity

# (action key, button text, description) in the order shown.
START_CHOICES = (
    ("demo", "打开演示数据", "生成一个示例检查任务（48 个网站、几条核查记录、问题和整改通知书），先熟悉操作"),
    ("import", "导入网站名单", "从主管部门下发的 Excel 或 CSV 名单开始：先建立检查任务，再选择名单文件"),
    ("campaign", "新建检查任务", "先建立检查任务（名称、检查机关、文号前缀），稍后再导入名单"),
)


class WelcomeDialog(QDialog):
    """Asks once for the inspector's name, unit, contact and phone (later in 工具 › 设置) and
    offers the first step. Open with ``open()``.

    Every way out (a start choice, 稍后) saves what was typed and marks the settings ``welcomed``;
    ``chosen(str)`` then carries ``demo``, ``import``, ``campaign`` or ``""`` (稍后). A settings
    file that cannot be written keeps the dialog open with the reason in red.

    Args:
        with_start: show the start choices (False when the database already has campaigns).
    """

    chosen = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None, with_start: bool = True):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("欢迎使用检查工作台")
        self.setMinimumWidth(560)
        self.fields = profile_fields()
        self.buttons: dict[str, QCommandLinkButton] = {}

        title = QLabel("欢迎使用检查工作台")
        title.setStyleSheet("font-size: 20px; font-weight: bold;")
        intro = QLabel("网站备案信息核查与网络安全检查的离线工具：导入名单、逐个核查、登记问题、"
                       "打印整改通知书、跟踪整改直到销号。按 F1 可随时打开使用手册。")
        intro.setWordWrap(True)
        profile = QGroupBox("您的信息（印在文书上；以后可在 工具 › 设置 中修改）")
        form = QFormLayout(profile)
        for name, edit in self.fields.items():
            edit.setText(getattr(session.ctx.settings, name))
            form.addRow(PROFILE_LABELS[name], edit)
        if not self.fields["inspector"].text():
            self.fields["inspector"].setText(session.ctx.author.name)   # e.g. gui --inspector
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(profile)
        if with_start:
            start = QGroupBox("从哪里开始")
            start_layout = QVBoxLayout(start)
            for key, text, description in START_CHOICES:
                button = QCommandLinkButton(text, description)
                button.clicked.connect(lambda _=False, k=key: self.choose(k))
                start_layout.addWidget(button)
                self.buttons[key] = button
            layout.addWidget(start)
        self.error_label = QLabel(styleSheet="color: #b00020;", wordWrap=True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        box = QDialogButtonBox()
        self.later_button = box.addButton("稍后" if with_start else "保存", QDialogButtonBox.AcceptRole)
        self.later_button.clicked.connect(lambda: self.choose(""))
        layout.addWidget(box)
        self.fields["inspector"].setFocus()

    def choose(self, action: str) -> bool:
        """Save the typed values, close and emit ``chosen(action)``; False (dialog stays) when the
        settings file cannot be written, or when real work (``import``, ``campaign``) would start
        without the inspector's name and unit. The demo and 稍后 need neither (demo rows carry a
        demo name; without a name the page is shown again at the next start)."""
        typed = {name: edit.text() for name, edit in self.fields.items()}
        missing = missing_identity(typed["inspector"], typed["unit"])
        if action in ("import", "campaign") and missing:
            self.error_label.setText(missing)
            self.error_label.show()
            self.fields["inspector" if not typed["inspector"].strip() else "unit"].setFocus()
            return False
        error = save_settings(self.session, welcomed=True,
                              **{name: edit.text() for name, edit in self.fields.items()})
        if error:
            self.error_label.setText(error)
            self.error_label.show()
            return False
        self.accept()
        self.chosen.emit(action)
        return True

    def reject(self) -> None:
        """Esc or the close button: like 稍后 (what was typed is kept; not asked again)."""
        if not self.choose(""):
            super().reject()
