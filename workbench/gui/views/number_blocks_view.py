"""协作与备份 → 文号段: the blocks of 文号 handed to the laptops, their use, and void numbers.

The lead assigns a block to a laptop here (services/number_blocks.py); every laptop sees how
many numbers of its blocks are left. Reading is quick and runs on the window's connection like
the conflicts dialog; assigning runs in the background (Session.run_task).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.number_block import laptop_label
from workbench.gui.session import Session
from workbench.gui.views.sync_views import _local_zone, _when
from workbench.services import campaigns, notices, number_blocks
from workbench.services.reinspection import opinion_prefix

BLOCK_HEADERS = ("文号段", "分给", "已签发", "作废", "预留", "剩余", "下一个", f"分配人、时间（{_local_zone()}）")
VOID_HEADERS = ("作废的文号", "作废人", f"时间（{_local_zone()}）", "原因")


def _table(headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QTableWidget.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(str(value)))
    table.resizeColumnsToContents()


class NumberBlocksDialog(QDialog):
    """文号段: each block (range, holder, issued / void / reserved / left, next number, who
    assigned it and when), the void numbers (who, when, why), and 分配 for the lead: the next
    ``count`` numbers of the notice or the re-inspection opinion prefix to a chosen laptop."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("文号段")
        self.resize(1000, 520)
        self.blocks = _table(BLOCK_HEADERS)
        self.voided = _table(VOID_HEADERS)
        self.holder = QComboBox()
        self.prefix = QComboBox()
        self.prefix.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.count = QSpinBox()
        self.count.setRange(1, number_blocks.MAX_BLOCK)
        self.count.setValue(50)
        self.assign_button = QPushButton("分配")
        self.assign_button.clicked.connect(self.assign)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("把"))
        row.addWidget(self.prefix)
        row.addWidget(QLabel("接下来的"))
        row.addWidget(self.count)
        row.addWidget(QLabel("个文号分给"))
        row.addWidget(self.holder, 1)
        row.addWidget(self.assign_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("负责人把文号分段分给各台电脑，各台电脑只用自己的文号段编号，合并时不会出现同一文号。"
                                "分配后，文号段随下一个发给该电脑的工作包送达；只能分给本机或导入过其工作包的电脑。"))
        layout.addWidget(self.blocks, 3)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(QLabel("作废的文号（不再使用）"))
        layout.addWidget(self.voided, 2)
        self.reload()

    def reload(self) -> None:
        """Read the chosen campaign's blocks, void numbers and the known laptops again (on the
        reader thread; shown when back)."""
        campaign_id = self.session.campaign_id

        def read(ctx):
            uses = number_blocks.list_blocks(ctx, campaign_id) if campaign_id else []
            voided = [e for e in notices.number_ledger(ctx, campaign_id) if e.status == "void"] if campaign_id else []
            doc_prefix = next((c.doc_prefix for c in campaigns.list_campaigns(ctx) if c.id == campaign_id), "")
            return uses, voided, number_blocks.holders(ctx), doc_prefix

        self.session.read(read, lambda result: self._show(campaign_id, *result), key=f"number-blocks:{id(self)}")

    def _show(self, campaign_id, uses, voided, holders, doc_prefix) -> None:
        _fill(self.blocks, [(
            u.block.label, laptop_label(u.block.holder_device, u.block.holder_inspector, u.block.holder_replica,
                                        this_one=u.mine),
            u.issued, u.void, u.reserved, u.free, f"{u.next}号" if u.next else "已用完",
            f"{u.block.lead_label}，{_when(u.block.assigned_at)}",
        ) for u in uses])
        _fill(self.voided, [(e.doc_number, e.inspector or e.device, _when(e.updated_at), e.reason)
                            for e in voided])
        self.holder.clear()
        for holder in holders:
            self.holder.addItem(holder.label, holder.replica)
        self.prefix.clear()
        if doc_prefix:
            self.prefix.addItem(f"整改通知书 {doc_prefix}", doc_prefix)
            self.prefix.addItem(f"复查意见书 {opinion_prefix(doc_prefix)}", opinion_prefix(doc_prefix))
        mine = [u for u in uses if u.mine]
        if not uses:
            self.summary.setText("此检查任务还没有分配文号段：本机按顺序自行编号。多台电脑同时出文书前，请先分配文号段。")
        elif mine:
            self.summary.setText(f"本机的文号段还剩 {sum(u.free for u in mine)} 个文号。")
        else:
            self.summary.setText("本机没有文号段。")
        if not doc_prefix and campaign_id:
            self.summary.setText(self.summary.text() + "检查任务未设置文号前缀，请先在“文件 → 编辑检查任务”中设置。")
        self.assign_button.setEnabled(bool(campaign_id and doc_prefix))

    def assign(self) -> None:
        """Assign the next ``count`` numbers to the chosen laptop (in the background)."""
        campaign_id, holder, count = self.session.campaign_id, self.holder.currentData(), self.count.value()
        prefix = self.prefix.currentData()
        if not campaign_id or not holder or not prefix:
            return

        def work(ctx, _cancel, _progress):
            return number_blocks.assign(ctx, campaign_id, holder, count=count, prefix=prefix)

        def done(block) -> None:
            self.session.notify_all()
            self.reload()
            later = ("本机现在即可使用。" if block.holder_replica == block.assigned_by_replica else
                     "请导出工作包给该电脑（协作与备份 → 导出工作包），导入后即可使用。")
            self.session.dialogs.info("文号段", f"已把 {block.label}（{block.size} 个）分给 {block.holder_label}。{later}")

        self.session.run_task("分配文号段", work, done)
