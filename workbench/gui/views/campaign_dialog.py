"""The 新建/编辑检查任务 dialog: name, kind, authority, document-number prefix, period, and the
title of its notices (责令限期改正通知书 / 整改通知书, kept in the settings per campaign)."""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.campaign import KIND_LABELS, Campaign
from workbench.errors import WorkbenchError, os_reason
from workbench.gui.session import Session
from workbench.services import campaigns, document_settings


class CampaignDialog(QDialog):
    """Create a campaign, or edit one (``campaign`` given: its kind stays as it is); the service's
    validation errors are shown inside the dialog.

    Open with ``open()``; ``created(Campaign)`` is emitted (for an edit too) and the dialog closes
    on success.
    """

    created = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None, campaign: Campaign | None = None):
        super().__init__(parent)
        self.session = session
        self.editing = campaign
        self.setWindowTitle("编辑检查任务" if campaign else "新建检查任务")
        self.setMinimumWidth(460)
        self._build_ui()
        if campaign:
            self._fill(campaign)
        else:   # the user's unit (设置 › 所在单位) is usually the inspecting authority
            self.authority_edit.setText(session.ctx.settings.unit)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _fill(self, campaign: Campaign) -> None:
        self.name_edit.setText(campaign.name)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(campaign.kind))
        self.kind_combo.setEnabled(False)
        self.authority_edit.setText(campaign.authority)
        self.prefix_edit.setText(campaign.doc_prefix)
        self.title_combo.setCurrentText(self.session.ctx.settings.campaign_titles.get(campaign.name, ""))
        if campaign.period_start:
            self.start_edit.setDate(QDate(campaign.period_start))
        if campaign.period_end:
            self.end_edit.setDate(QDate(campaign.period_end))
        self.buttons.button(QDialogButtonBox.Ok).setText("保存")

    def _build_ui(self) -> None:
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("如：2026年第四季度网站备案信息准确性核查")
        self.kind_combo = QComboBox()
        for key, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, key)
        self.authority_edit = QLineEdit()
        self.authority_edit.setPlaceholderText("如：某市互联网信息办公室（印在整改通知书上）")
        self.prefix_edit = QLineEdit()
        self.prefix_edit.setPlaceholderText("如：鲁网信整改（文号形如 鲁网信整改〔2026〕1号）")
        self.title_combo = QComboBox(editable=True)
        self.title_combo.addItems(["", "责令限期改正通知书", "整改通知书"])
        self.title_combo.setCurrentText("")
        default = self.session.ctx.settings.notice_title or "责令限期改正通知书"
        self.title_combo.lineEdit().setPlaceholderText(f"默认：{default}（见“工具 → 设置”）")
        self.title_combo.setToolTip("依据条款责令改正的用“责令限期改正通知书”（印有复议、诉讼告知），"
                                    "提示性的用“整改通知书”；留空则用设置中的默认标题")
        today = QDate(self.session.ctx.today())
        self.start_edit = _date_edit(QDate(today.year(), today.month(), 1))
        self.end_edit = _date_edit(today.addMonths(3))
        period = QHBoxLayout()
        period.addWidget(self.start_edit)
        period.addWidget(QLabel("至"))
        period.addWidget(self.end_edit)
        form = QFormLayout()
        form.addRow("任务名称(&N)", self.name_edit)
        form.addRow("任务类型(&K)", self.kind_combo)
        form.addRow("检查机关(&A)", self.authority_edit)
        form.addRow("文号前缀(&P)", self.prefix_edit)
        form.addRow("通知书标题(&T)", self.title_combo)
        form.addRow("检查期间", period)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("创建")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        """Create or save the campaign (on the writer thread; 创建 waits meanwhile); on a
        validation error stay open and show it in red."""
        values = dict(authority=self.authority_edit.text(), doc_prefix=self.prefix_edit.text(),
                      period_start=self.start_edit.date().toPython(), period_end=self.end_edit.date().toPython())
        titles = self.session.ctx.settings.campaign_titles
        name, kind, editing = self.name_edit.text(), self.kind_combo.currentData(), self.editing
        try:
            document_settings.with_campaign_title(titles, name.strip(), self.title_combo.currentText())  # checked first
        except WorkbenchError as err:
            self._refused(err)
            return

        def save(ctx) -> Campaign:
            if editing:
                return campaigns.update_campaign(ctx, editing.id, name=name, **values)
            return campaigns.create_campaign(ctx, name, kind, **values)

        ok = self.buttons.button(QDialogButtonBox.Ok)
        ok.setEnabled(False)

        def failed(err: Exception) -> None:
            ok.setEnabled(True)
            self._refused(err)

        def saved(campaign: Campaign) -> None:
            ok.setEnabled(True)
            self._saved(campaign, titles)

        if not self.session.write("保存检查任务", save, saved, failed):
            ok.setEnabled(True)

    def _refused(self, err: Exception) -> None:
        if not isinstance(err, WorkbenchError):
            self.session.show_error("保存检查任务", err)
            return
        self.error_label.setText(str(err))
        self.error_label.show()

    def _saved(self, campaign: Campaign, titles) -> None:
        old_name = self.editing.name if self.editing else ""
        self.campaign: Campaign = campaign
        wanted = document_settings.with_campaign_title(titles, campaign.name, self.title_combo.currentText(),
                                                       old_name=old_name)
        if wanted != titles:
            settings = self.session.ctx.settings
            settings.campaign_titles = wanted
            try:
                self.session.save_settings()
            except OSError as err:  # the campaign is saved; its title stays as it was
                settings.campaign_titles = titles
                self.session.dialogs.warn("通知书标题未保存", f"检查任务已保存，但无法保存设置文件：{os_reason(err)}。"
                                          f"请检查配置文件夹（{self.session.paths.config_dir}）是否可写。")
        self.created.emit(campaign)
        super().accept()


def _date_edit(day: QDate) -> QDateEdit:
    edit = QDateEdit(day)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit
