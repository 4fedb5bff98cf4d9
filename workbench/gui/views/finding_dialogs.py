"""The dialog that collects what a finding action needs: service day, new term or deadline, reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.domain import finding_status as fs
from workbench.domain.deadline import MAX_TERM_DAYS, UNIT_LABELS, compute_deadline
from workbench.domain.finding import Finding
from workbench.errors import WorkbenchError

_WEEKDAYS = "一二三四五六日"
_DAY_LABELS = {fs.NOTIFY: "送达日期", fs.RESUME: "起算日", fs.EXTEND: "起算日"}
_REASON_LABELS = {fs.EXTEND: "延期理由", fs.WITHDRAW: "撤销理由",
                  fs.PASS_REINSPECTION: "复查意见", fs.FAIL_REINSPECTION: "复查意见"}


@dataclass(frozen=True)
class ActionRequest:
    """What the user entered: the keyword arguments of ``services.findings.apply_action``.

    ``on`` is the service day or the day a new term is counted from (local calendar day);
    either ``new_deadline`` or ``term_days``/``term_unit`` is set for actions that need a deadline.
    """

    action: str
    reason: str = ""
    on: date | None = None
    new_deadline: date | None = None
    term_days: int | None = None
    term_unit: str | None = None

    def kwargs(self) -> dict:
        """The keyword arguments for ``apply_action`` (without ctx, finding id and action)."""
        return {"reason": self.reason, "on": self.on, "new_deadline": self.new_deadline,
                "term_days": self.term_days, "term_unit": self.term_unit}


def to_qdate(day: date) -> QDate:
    """A Python date as a QDate."""
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    """A QDate as a Python date."""
    return date(day.year(), day.month(), day.day())


def day_text(day: date) -> str:
    """``2026-12-14（星期一）``."""
    return f"{day.isoformat()}（星期{_WEEKDAYS[day.weekday()]}）"


class FindingActionDialog(QDialog):
    """Asks for the details of one action on a finding; open it with ``open()``.

    Shows only what the action needs: the service day and term (送达), a new deadline as a term
    or a date (重新整改, 延期), a reason (required for 延期 and 撤销, optional otherwise). The
    deadline preview uses the same rule as the service (:func:`compute_deadline`) and shows its
    calendar warnings. ``request()`` gives the values once accepted.
    """

    def __init__(self, finding: Finding, action: str, calendar, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.finding, self.action, self.calendar = finding, action, calendar
        self.setWindowTitle(fs.ACTION_LABELS[action])
        self.setMinimumWidth(560)
        self.needs_day = action in _DAY_LABELS
        self.needs_deadline = fs.requires_deadline(action)
        self.needs_reason = fs.requires_reason(action)
        self._build_ui(today)
        self._connect_signals()
        self._update()

    def _build_ui(self, today: date) -> None:
        form = QFormLayout()
        self.day_edit = date_edit(today)
        self.term_radio = QRadioButton("按期限计算")
        self.date_radio = QRadioButton("指定日期")
        self.mode_group = QButtonGroup(self)
        self.mode_group.addButton(self.term_radio)
        self.mode_group.addButton(self.date_radio)
        self.term_radio.setChecked(True)
        self.term_spin = QSpinBox()
        self.term_spin.setRange(1, MAX_TERM_DAYS)
        self.term_spin.setValue(self.finding.term_days)
        self.unit_combo = QComboBox()
        for code, label in UNIT_LABELS.items():
            self.unit_combo.addItem(label, code)
        self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(self.finding.term_unit)))
        self.deadline_edit = date_edit(max(today, self.finding.deadline))
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText("必填" if self.needs_reason else "可不填")
        self.reason_edit.setMaximumHeight(90)
        self._fill_form(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        layout = QVBoxLayout(self)
        summary = QLabel(f"问题：{self.finding.description}")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _fill_form(self, form: QFormLayout) -> None:
        if self.needs_day:
            form.addRow(_DAY_LABELS[self.action], self.day_edit)
        if self.needs_day or self.needs_deadline:
            term = QHBoxLayout()
            term.addWidget(self.term_spin)
            term.addWidget(self.unit_combo)
            if self.needs_deadline:
                term.addWidget(self.term_radio)
                term.addWidget(self.date_radio)
            form.addRow("整改期限", term)
        if self.needs_deadline:
            form.addRow("指定日期", self.deadline_edit)
        if self.needs_day or self.needs_deadline:
            form.addRow("期限预览", self.preview)
        form.addRow(_REASON_LABELS.get(self.action, "备注"), self.reason_edit)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for signal in (self.day_edit.dateChanged, self.term_spin.valueChanged,
                       self.unit_combo.currentIndexChanged, self.deadline_edit.dateChanged,
                       self.term_radio.toggled, self.reason_edit.textChanged):
            signal.connect(self._update)

    def uses_term(self) -> bool:
        """True when the new deadline is counted from a term, False when a date is given."""
        return not self.needs_deadline or self.term_radio.isChecked()

    def preview_deadline(self) -> tuple[date | None, list[str]]:
        """The deadline the entered values give and the calendar warnings (``None`` if invalid)."""
        if not self.uses_term():
            return from_qdate(self.deadline_edit.date()), []
        try:
            d = compute_deadline(from_qdate(self.day_edit.date()), self.term_spin.value(),
                                 self.unit_combo.currentData(), self.calendar)
        except WorkbenchError as err:
            return None, [str(err)]
        return d.date, list(d.warnings)

    def _update(self, *_args) -> None:
        term = self.uses_term()
        self.term_spin.setEnabled(term)
        self.unit_combo.setEnabled(term)
        self.deadline_edit.setEnabled(not term)
        deadline, warnings = self.preview_deadline()
        lines = [f"新的整改期限：{day_text(deadline)}"] if deadline else []
        if self.action == fs.EXTEND:
            lines.append(f"原整改期限：{day_text(self.finding.deadline)}")
        lines += [f"⚠ {w}" for w in warnings]
        self.preview.setText("\n".join(lines))
        ok = bool(self.reason_edit.toPlainText().strip()) or not self.needs_reason
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(ok)

    def request(self) -> ActionRequest:
        """The entered values as keyword arguments for the findings service."""
        reason = self.reason_edit.toPlainText().strip()
        if not (self.needs_day or self.needs_deadline):
            return ActionRequest(self.action, reason)
        on = from_qdate(self.day_edit.date())
        if self.uses_term():
            return ActionRequest(self.action, reason, on, None, self.term_spin.value(),
                                 self.unit_combo.currentData())
        return ActionRequest(self.action, reason, on, from_qdate(self.deadline_edit.date()))


def date_edit(day: date) -> QDateEdit:
    """A date field with a calendar pop-up showing ``day`` as yyyy-MM-dd."""
    edit = QDateEdit(to_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit
