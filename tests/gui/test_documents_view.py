"""The documents screen: notices and receipts to scripted paths, batch generation, printing entry."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from workbench.gui import printing
from workbench.gui.views.documents_view import (
    NOTICE_COLUMNS,
    SPONSOR_COLUMNS,
    DocumentsView,
    RecordTableModel,
    render_as_issued,
)
from workbench.services import thread_guard


@pytest.fixture
def view(qtbot, demo_session):
    widget = DocumentsView(demo_session)
    qtbot.addWidget(widget)
    widget.show()  # a screen reads its data when shown
    return widget


def _unnoticed_row(view) -> int:
    return next(r for r in range(view.sponsor_model.rowCount())
                if not view.sponsor_model.record_at(r).latest_notice)


def test_models_pass_the_model_tester(qtmodeltester, view):
    qtmodeltester.check(view.sponsor_model)
    qtmodeltester.check(view.notice_model)
    assert view.notice_model.rowCount() == 2  # the demo issues two notices
    assert view.notice_model.headerData(0, Qt.Horizontal) == "文号"
    number = view.notice_model.data(view.notice_model.index(0, 0))
    assert number.startswith("演示整改〔2026〕") and number.endswith("号")
    assert view.notice_model.data(view.notice_model.index(0, 3)) == "未送达"


def test_record_model_sort_key(qtmodeltester, view):
    model = RecordTableModel(SPONSOR_COLUMNS)
    model.set_rows([view.sponsor_model.record_at(r) for r in range(view.sponsor_model.rowCount())])
    qtmodeltester.check(model)
    counts = [model.data(model.index(r, 3), Qt.UserRole) for r in range(model.rowCount())]
    assert all(isinstance(c, int) and c >= 1 for c in counts)
    assert len(NOTICE_COLUMNS) == 6


def test_generate_notice_to_scripted_path(qtbot, view, dialogs, tmp_path):
    view.sponsor_table.selectRow(_unnoticed_row(view))
    name = view.selected_sponsor().sponsor.name
    out = tmp_path / "输出" / "整改通知书"
    out.parent.mkdir()
    dialogs.answers.append(out)
    with qtbot.waitSignal(view.done, timeout=30000):   # drawn and numbered on a worker
        qtbot.mouseClick(view.generate_button, Qt.LeftButton)
    pdf = out.with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert view.notice_model.rowCount() == 3
    chosen = view.selected_notice()
    assert chosen is not None and chosen.sponsor_name == name and chosen.record.seq == 3
    assert dialogs.shown[-1][0] == "info" and "〔2026〕3号" in dialogs.shown[-1][2]


def test_cancelled_save_writes_nothing(qtbot, view, dialogs):
    view.sponsor_table.selectRow(0)
    dialogs.answers.append(None)
    assert not view.generate_notice()
    assert view.notice_model.rowCount() == 2 and view.last_written == []


def test_receipt_for_selected_notice(qtbot, view, dialogs, tmp_path):
    view.notice_table.selectRow(0)
    dialogs.answers.append(tmp_path / "回证.pdf")
    with qtbot.waitSignal(view.done, timeout=30000):
        qtbot.mouseClick(view.receipt_button, Qt.LeftButton)
    assert (tmp_path / "回证.pdf").read_bytes().startswith(b"%PDF")


def test_batch_generation_runs_in_background(qtbot, view, dialogs, tmp_path, demo_session):
    before = view.sponsor_model.rowCount()
    dialogs.answers.append(tmp_path / "批量")
    with qtbot.waitSignal(demo_session.task_ended, timeout=30000):
        qtbot.mouseClick(view.batch_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: any(kind == "info" for kind, *_ in dialogs.shown))
    pdfs = sorted((tmp_path / "批量").glob("*.pdf"))
    assert len(pdfs) == before
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert "已生成" in dialogs.shown[-1][2]
    numbers = {view.notice_model.record_at(r).record.doc_number for r in range(view.notice_model.rowCount())}
    assert all(any(n in p.name for n in numbers) for p in pdfs)


def test_print_without_printer_offers_pdf(qtbot, view, dialogs, tmp_path, monkeypatch):
    monkeypatch.setattr(printing, "has_printer", lambda: False)
    view.notice_table.selectRow(0)
    dialogs.answers.extend([True, tmp_path / "带走打印.pdf"])
    view.print_current()  # Ctrl+P in the main window calls this; the PDF is drawn on a worker
    qtbot.waitUntil(lambda: (tmp_path / "带走打印.pdf").exists(), timeout=30000)
    kinds = [(kind, title) for kind, title, _ in dialogs.shown]
    assert ("confirm", "未找到打印机") in kinds
    assert (tmp_path / "带走打印.pdf").read_bytes().startswith(b"%PDF")
    assert printing.page_count(tmp_path / "带走打印.pdf") >= 1


def test_preview_opens_without_blocking(qtbot, view):
    view.notice_table.selectRow(0)
    qtbot.mouseClick(view.preview_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: view.print_dialog is not None, timeout=30000)
    dialog = view.print_dialog
    assert dialog.isVisible() and "打印预览" in dialog.windowTitle()
    dialog.close()


def test_record_service_from_the_documents_screen(qtbot, view, dialogs):
    from datetime import date

    from workbench.services import findings

    view.notice_table.selectRow(0)
    line = view.selected_notice()
    dialogs.answers.append(None)                       # cancelled: nothing recorded
    qtbot.mouseClick(view.served_button, Qt.LeftButton)
    assert view.notice_model.data(view.notice_model.index(0, 3)) == "未送达"
    dialogs.answers.append(date(2026, 11, 30))
    assert view.record_service()
    view.notice_table.selectRow(0)
    assert view.notice_model.data(view.notice_model.index(0, 3)) == "2026-11-30"
    for fid in line.record.finding_ids:
        assert findings.get_finding(view.session.ctx, fid).status == "rectifying"


def _reinspect(ctx, finding_id, action, reason):
    from datetime import date

    from workbench.services import findings

    if findings.get_finding(ctx, finding_id).status == "pending":
        findings.apply_action(ctx, finding_id, "notify", on=date(2026, 11, 30))
    findings.apply_action(ctx, finding_id, action, reason=reason)


def test_opinion_needs_every_finding_reinspected_then_is_written(qtbot, view, dialogs, tmp_path):
    view.notice_table.selectRow(0)
    ctx = view.session.ctx
    first, *rest = view.selected_notice().record.finding_ids
    dialogs.answers.append(tmp_path / "early.pdf")  # nothing re-inspected yet: refused, with what to do
    assert view.write_opinion()
    qtbot.waitUntil(lambda: not view.session.workers, timeout=30000)
    kind, title, text = dialogs.shown[-1]
    assert (kind, title) == ("warn", "复查意见书") and "尚未复查" in text and "问题”界面" in text
    assert not (tmp_path / "early.pdf").exists()
    _reinspect(ctx, first, "pass_reinspection", "已整改到位")
    for fid in rest:
        _reinspect(ctx, fid, "fail_reinspection", "仍未整改")
    dialogs.answers.append(tmp_path / "复查意见书")
    with qtbot.waitSignal(view.done, timeout=30000):   # drawn on a worker
        qtbot.mouseClick(view.opinion_button, Qt.LeftButton)
    pdf = tmp_path / "复查意见书.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf in view.last_written
    kind, _title, text = dialogs.shown[-1]
    assert kind == "info" and "演示复查〔2026〕1号" in text and "重新打印" not in text
    dialogs.answers.append(tmp_path / "again.pdf")
    with qtbot.waitSignal(view.done, timeout=30000):
        view.write_opinion()
    assert "重新打印" in dialogs.shown[-1][2] and "演示复查〔2026〕1号" in dialogs.shown[-1][2]


def test_opinion_button_needs_a_selected_notice(view, dialogs):
    view.notice_table.clearSelection()
    assert not view.opinion_button.isEnabled()
    assert not view.write_opinion() and dialogs.shown == []


def test_cancelled_batch_says_nothing_was_numbered(view, dialogs):
    from workbench.domain.progress import Cancelled

    before = view.notice_model.rowCount()
    view._batch_failed(Cancelled("用户已取消"))
    assert dialogs.shown[-1][0] == "info" and "未占用文号" in dialogs.shown[-1][2]
    assert view.notice_model.rowCount() == before


def test_issued_opinions_are_listed_and_print_but_take_no_receipt(qtbot, view, dialogs, tmp_path):
    view.notice_table.selectRow(0)
    line = view.selected_notice()
    for fid in line.record.finding_ids:
        _reinspect(view.session.ctx, fid, "pass_reinspection", "已整改")
    dialogs.answers.append(tmp_path / "意见书")
    with qtbot.waitSignal(view.done, timeout=30000):
        view.write_opinion()
    view.refresh()
    rows = [view.notice_model.record_at(r) for r in range(view.notice_model.rowCount())]
    opinion = next(r for r in rows if r.record.kind == "reinspection")
    assert view.notice_model.data(view.notice_model.index(rows.index(opinion), 5)) == "复查意见书"
    view.notice_table.selectRow(rows.index(opinion))
    assert not view.receipt_button.isEnabled() and not view.opinion_button.isEnabled()
    assert view.print_button.isEnabled()
    pdf, = render_as_issued(view.session.ctx, [opinion.record.doc_number], tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert not view.write_receipt()


def test_printing_stops_and_asks_for_missing_contact(qtbot, view, dialogs, tmp_path, demo_session):
    """Issue 10: 联系人/联系电话 are always printed; when missing, printing stops and asks for
    them (saved to the settings); cancelling takes no number and writes nothing."""
    demo_session.ctx.settings.contact = ""
    demo_session.ctx.settings.contact_phone = ""
    row = _unnoticed_row(view)
    view.sponsor_table.selectRow(row)
    numbers_before = view.notice_model.rowCount()
    dialogs.answers.extend([tmp_path / "取消.pdf", None])  # save where; then cancel the question
    assert not view.generate_notice()
    assert not (tmp_path / "取消.pdf").exists() and view.notice_model.rowCount() == numbers_before
    dialogs.answers.extend([tmp_path / "通知书.pdf", "赵六", "0531-87654321"])
    with qtbot.waitSignal(view.done, timeout=30000):
        view.generate_notice()
    assert view.last_written[-1] == tmp_path / "通知书.pdf"
    assert demo_session.ctx.settings.contact == "赵六"
    assert demo_session.ctx.settings.contact_phone == "0531-87654321"
    assert [kind for kind, *_ in dialogs.shown].count("ask_text") == 3  # 1 cancelled + 2 answered


def test_print_preview_draws_the_pdf_off_the_gui_thread(qtbot, view):
    """Rendering the document for print or preview (reportlab, fonts, the notice's rows) runs on a
    worker, and the settings check reads the campaign on the reader: the GUI thread runs no SQL
    for it (services/thread_guard.py)."""
    thread_guard.reset()
    view.notice_table.selectRow(0)
    view.preview_notice()
    qtbot.waitUntil(lambda: view.print_dialog is not None, timeout=30000)
    assert sorted({o.where for o in thread_guard.offences()}) == []
    view.print_dialog.close()


def test_numbering_prompts_read_and_save_the_campaign_off_the_gui_thread(qtbot, view, dialogs, tmp_path,
                                                                          demo_session):
    """The 文号前缀 and 打印前请补充 prompts keep asking as before, but the campaign is read on the
    reader thread and the prefix saved on the writer thread: no SQL on the GUI thread."""
    from workbench.services import campaigns

    campaigns.update_campaign(demo_session.ctx, demo_session.campaign_id, doc_prefix="")
    demo_session.ctx.settings.contact = ""
    thread_guard.reset()
    view.sponsor_table.selectRow(_unnoticed_row(view))
    dialogs.answers.extend(["鲁网信整改", tmp_path / "通知书.pdf", "赵六"])
    with qtbot.waitSignal(view.done, timeout=30000):
        view.generate_notice()
    asked = [title for kind, title, _text in dialogs.shown if kind == "ask_text"]
    assert asked == ["生成整改通知书：设置文号前缀", "打印前请补充"]
    assert "鲁网信整改〔2026〕" in dialogs.shown[-1][2] and demo_session.ctx.settings.contact == "赵六"
    assert sorted({o.where for o in thread_guard.offences()}) == []


def test_a_single_new_notice_waits_for_a_running_batch(qtbot, view, dialogs, tmp_path, demo_session, monkeypatch):
    """A batch holds reserved numbers; a single new notice started meanwhile would take one up as
    an interrupted run's and both would draw the same number. It is refused until the batch ends;
    a re-print (no new number) still runs."""
    import threading

    from workbench.services import notices

    view.sponsor_table.selectRow(_unnoticed_row(view))
    assert view.selected_sponsor().needs_new_notice
    gate, release = threading.Event(), threading.Event()
    real = notices.write_notices

    def held(*args, on_progress, **kwargs):   # hold once the numbers are reserved
        def progress(p):
            gate.set()
            release.wait(30)
            on_progress(p)
        return real(*args, on_progress=progress, **kwargs)

    monkeypatch.setattr(notices, "write_notices", held)
    dialogs.answers.append(tmp_path / "批量")
    view.generate_all()
    qtbot.waitUntil(gate.is_set, timeout=30000)
    shown = len(dialogs.shown)
    view.generate_notice()                      # no file dialog is asked: the answer queue is empty
    assert dialogs.shown[shown:] == [("info", "生成整改通知书", "批量生成整改通知书正在进行，请等它完成后再生成新的通知书。")]
    view.generate_all()                         # nor a second batch
    assert dialogs.shown[-1][:2] == ("info", "批量生成整改通知书") and "正在进行" in dialogs.shown[-1][2]
    with qtbot.waitSignal(demo_session.task_ended, timeout=30000):
        release.set()
    numbers = [view.notice_model.record_at(r).record.doc_number for r in range(view.notice_model.rowCount())]
    assert len(numbers) == len(set(numbers))
