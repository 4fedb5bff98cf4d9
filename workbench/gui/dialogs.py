"""Every message box and file dialog goes through :class:`Dialogs`, so tests can replace it.

A modal dialog in a test would hang CI: tests pass a :class:`ScriptedDialogs` that answers from a
queue and records what was shown.
"""

from __future__ import annotations

from collections import deque
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

# The dialog classes are looked up when a dialog is shown: PySide builds a class at its first use,
# and every window imports this module before its first rows show (4 ms, issue 12).
from PySide6 import QtCore, QtWidgets

if TYPE_CHECKING:
    from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def overwrite_confirmed(dialogs: Dialogs, chosen: Path, out: Path) -> bool:
    """Whether ``out`` may be overwritten: the save dialog asked about ``chosen`` itself, so only
    a name the window changed after it (an added .xlsx/.pdf) that already exists is asked about
    here. Services get ``force=True`` only after this."""
    if out == chosen or not out.exists():
        return True
    return dialogs.confirm("文件已存在", f"{out}\n已存在，是否覆盖？")


class Dialogs:
    """Real Qt dialogs. Each method blocks until the user answers (only ever called from slots)."""

    def __init__(self, parent: QWidget | None = None):
        self.parent = parent

    def info(self, title: str, text: str) -> None:
        """Tell the user something."""
        QtWidgets.QMessageBox.information(self.parent, title, text)

    def warn(self, title: str, text: str) -> None:
        """Warn the user (an error they can fix)."""
        QtWidgets.QMessageBox.warning(self.parent, title, text)

    def confirm(self, title: str, text: str) -> bool:
        """Ask yes/no; True for yes. The default button is No (destructive actions ask first)."""
        box = QtWidgets.QMessageBox
        return box.question(self.parent, title, text, box.Yes | box.No, box.No) == box.Yes

    def ask_save(self, title: str, text: str) -> str:
        """Unsaved work: ``"save"`` (保存), ``"discard"`` (放弃) or ``"cancel"`` (取消, the default
        and what Esc gives: stay where you are)."""
        kind = QtWidgets.QMessageBox
        box = kind(kind.Warning, title, text, kind.NoButton, self.parent)
        save = box.addButton("保存", kind.AcceptRole)
        discard = box.addButton("放弃", kind.DestructiveRole)
        cancel = box.addButton("取消", kind.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return {save: "save", discard: "discard"}.get(box.clickedButton(), "cancel")

    def choose(self, title: str, text: str, choices: tuple[str, ...]) -> str:
        """Ask with one button per item of ``choices`` (Chinese labels); returns the label clicked.
        The first choice is the default and what Esc or closing the box gives (keep it harmless,
        e.g. 继续)."""
        box, buttons = choice_box(self.parent, title, text, choices)
        box.exec()
        return buttons.get(box.clickedButton(), choices[0])

    def open_file(self, title: str, folder: str, filters: str) -> Path | None:
        """Choose an existing file; None when cancelled."""
        names = self._run_file_dialog(title, folder, filters, QtWidgets.QFileDialog.ExistingFile)
        return Path(names[0]) if names else None

    def open_files(self, title: str, folder: str, filters: str) -> list[Path]:
        """Choose existing files; empty when cancelled."""
        return [Path(n) for n in self._run_file_dialog(title, folder, filters, QtWidgets.QFileDialog.ExistingFiles)]

    def save_file(self, title: str, suggested: str, filters: str) -> Path | None:
        """Choose where to save; None when cancelled."""
        names = self._run_file_dialog(title, suggested, filters, QtWidgets.QFileDialog.AnyFile, save=True)
        return Path(names[0]) if names else None

    def choose_folder(self, title: str, folder: str) -> Path | None:
        """Choose a folder; None when cancelled."""
        names = self._run_file_dialog(title, folder, "", QtWidgets.QFileDialog.Directory)
        return Path(names[0]) if names else None

    def _run_file_dialog(self, title, start, filters, mode, save=False) -> list[str]:
        dialog = file_dialog(self.parent, title, start, filters, mode, save)
        return dialog.selectedFiles() if dialog.exec() == QtWidgets.QDialog.Accepted else []

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        """Ask for one line of text; None when cancelled."""
        value, ok = QtWidgets.QInputDialog.getText(self.parent, title, label, text=text)
        return value if ok else None

    def ask_date(self, title: str, label: str, default: date, latest: date | None = None) -> date | None:
        """Ask for a day with a calendar picker (not after ``latest``); None when cancelled."""
        dialog = QtWidgets.QDialog(self.parent)
        dialog.setWindowTitle(title)
        edit = QtWidgets.QDateEdit(QtCore.QDate(default))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        if latest is not None:
            edit.setMaximumDate(QtCore.QDate(latest))
        button_box = QtWidgets.QDialogButtonBox
        buttons = button_box(button_box.Ok | button_box.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form = QtWidgets.QFormLayout(dialog)
        form.addRow(label, edit)
        form.addRow(buttons)
        return edit.date().toPython() if dialog.exec() == QtWidgets.QDialog.Accepted else None


def choice_box(parent: QWidget | None, title: str, text: str,
               choices: tuple[str, ...]) -> tuple[QMessageBox, dict]:
    """The question box of :meth:`Dialogs.choose` (not shown): the box and its buttons → labels."""
    kind = QtWidgets.QMessageBox
    box = kind(kind.Question, title, text, kind.NoButton, parent)
    buttons = {box.addButton(label, kind.RejectRole if i == 0 else kind.AcceptRole): label
               for i, label in enumerate(choices)}
    first = next(iter(buttons))
    box.setDefaultButton(first)
    box.setEscapeButton(first)
    return box, buttons


def file_dialog(parent: QWidget | None, title: str, start: str, filters: str,
                mode: QFileDialog.FileMode, save: bool = False) -> QFileDialog:
    """A file dialog (the system's own where there is one) whose two labels Qt's Chinese
    translation lacks (查找范围, 文件类型) are set in Chinese for Qt's own dialog."""
    kind = QtWidgets.QFileDialog
    dialog = kind(parent, title, start, filters)
    dialog.setFileMode(mode)
    if mode == kind.Directory:
        dialog.setOption(kind.ShowDirsOnly)
    if save:
        dialog.setAcceptMode(kind.AcceptSave)
        if start and not Path(start).is_dir():
            dialog.selectFile(start)
    dialog.setLabelText(kind.LookIn, "查找范围(&I)：")
    dialog.setLabelText(kind.FileType, "文件类型(&T)：")
    return dialog


class ScriptedDialogs(Dialogs):
    """Dialogs for tests: answers come from a queue, and everything shown is recorded in ``shown``.

    ``answers`` items are returned in order by the asking methods (confirm, ask_save, choose, open_file,
    open_files, save_file, choose_folder, ask_text, ask_date); confirm and ask_save record their text too. Asking with an empty queue raises AssertionError-free
    ``LookupError`` so a test fails loudly instead of hanging.
    """

    def __init__(self, *answers):
        super().__init__(None)
        self.answers = deque(answers)
        self.shown: list[tuple[str, str, str]] = []

    def _next(self, kind: str, title: str):
        self.shown.append((kind, title, ""))
        if not self.answers:
            raise LookupError(f"测试未准备对话框“{title}”的回答")
        return self.answers.popleft()

    def info(self, title: str, text: str) -> None:
        self.shown.append(("info", title, text))

    def warn(self, title: str, text: str) -> None:
        self.shown.append(("warn", title, text))

    def confirm(self, title, text):
        answer = self._next("confirm", title)
        self.shown[-1] = ("confirm", title, text)   # what the user was asked, for the test to read
        return answer

    def ask_save(self, title, text):
        self.shown.append(("ask_save", title, text))
        if not self.answers:
            raise LookupError(f"测试未准备对话框“{title}”的回答")
        return self.answers.popleft()

    def choose(self, title, text, choices):
        answer = self._next("choose", title)
        self.shown[-1] = ("choose", title, text)
        if answer not in choices:
            raise LookupError(f"测试的回答“{answer}”不在“{title}”的选项 {choices} 中")
        return answer

    def open_file(self, title, folder, filters):
        return self._next("open_file", title)

    def open_files(self, title, folder, filters):
        return self._next("open_files", title)

    def save_file(self, title, suggested, filters):
        return self._next("save_file", title)

    def choose_folder(self, title, folder):
        return self._next("choose_folder", title)

    def ask_text(self, title, label, text=""):
        return self._next("ask_text", title)

    def ask_date(self, title, label, default, latest=None):
        return self._next("ask_date", title)
