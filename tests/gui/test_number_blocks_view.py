"""协作与备份 → 文号段: the blocks and void numbers are listed; the lead assigns a block."""

from __future__ import annotations

from workbench.gui.views.number_blocks_view import NumberBlocksDialog
from workbench.gui.views.sync_views import SyncActions
from workbench.reports import format_doc_number
from workbench.services import notices
from workbench.storage import doc_number_repo


def _cells(table, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_assign_a_block_and_see_void_numbers(qtbot, demo_session, tmp_path):
    ctx = demo_session.ctx
    sponsor = notices.sponsors_needing_notice(ctx, demo_session.campaign_id)[0]
    with ctx.conn:
        entries = [doc_number_repo.reserve(ctx.conn, demo_session.campaign_id, sponsor.id, "rectification",
                                           "演示整改", ctx.today().year, format_doc_number, ctx.author)]
        doc_number_repo.void(ctx.conn, entries[0].doc_number, "生成时停电，文件未保存", ctx.author)
    dialog = SyncActions(demo_session, None).open_numbers()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, NumberBlocksDialog)
    assert dialog.blocks.rowCount() == 0 and "还没有分配文号段" in dialog.summary.text()
    assert _cells(dialog.voided, 0)[0] == entries[0].doc_number
    assert _cells(dialog.voided, 0)[1:2] == ["测试检查员"] and _cells(dialog.voided, 0)[3] == "生成时停电，文件未保存"
    assert dialog.holder.count() == 1 and "本机" in dialog.holder.currentText()
    assert [dialog.prefix.itemData(i) for i in range(dialog.prefix.count())] == ["演示整改", "演示复查"]
    dialog.count.setValue(20)
    dialog.assign()
    qtbot.waitUntil(lambda: not demo_session.workers, timeout=10000)
    kind, _title, text = demo_session.dialogs.shown[-1]
    year = entries[0].year
    first = entries[0].seq + 1
    label = f"{format_doc_number('演示整改', year, first)[:-1]}–{first + 19}号"
    assert kind == "info" and label in text, demo_session.dialogs.shown
    row = _cells(dialog.blocks, 0)
    assert row[0] == label and "本机" in row[1] and row[5] == "20" and row[6] == f"{first}号"
    assert "还剩 20 个" in dialog.summary.text()
    dialog.resize(1366 // 1, 600)
    dialog.grab().save(str(tmp_path / "number_blocks.png"))
