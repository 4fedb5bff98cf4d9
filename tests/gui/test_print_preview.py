"""Print preview on real notices: the preview paints every page (the printer outlives the call)."""

from __future__ import annotations

import gc
import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtPrintSupport import QPrintPreviewWidget

from workbench.gui import printing
from workbench.gui.views.documents_view import DocumentsView, render_as_issued


def _dark_pixels(image, step: int = 3) -> int:
    return sum(1 for y in range(0, image.height(), step) for x in range(0, image.width(), step)
               if QColor(image.pixel(x, y)).lightness() < 128)


def test_preview_paints_every_page_of_a_real_notice(qtbot, demo_session, tmp_path):
    view = DocumentsView(demo_session)
    qtbot.addWidget(view)
    view.show()   # a screen reads its data when shown
    view.resize(1366, 768)
    view.notice_table.selectRow(0)
    qtbot.mouseClick(view.preview_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: view.print_dialog is not None, timeout=30000)   # drawn on a worker
    dialog = view.print_dialog
    gc.collect()   # the printer must not depend on a local that Python has already released
    preview = dialog.findChild(QPrintPreviewWidget)
    assert preview is not None
    painted = []
    dialog.paintRequested.connect(lambda printer: painted.append(printer))
    preview.updatePreview()
    qtbot.waitUntil(lambda: preview.pageCount() > 0, timeout=20000)
    pdf, = render_as_issued(view.session.ctx, [view.selected_notice().record.doc_number], tmp_path)
    assert preview.pageCount() == printing.page_count(pdf) >= 2
    preview.setViewMode(QPrintPreviewWidget.AllPagesView)
    dialog.resize(1366, 768)
    image = dialog.grab().toImage()
    assert painted and _dark_pixels(image) > 200
    if os.environ.get("WORKBENCH_SHOTS"):
        image.save(os.path.join(os.environ["WORKBENCH_SHOTS"], "print_preview.png"))
    dialog.close()


def test_print_dialog_paints_every_page_on_the_chosen_printer(qtbot, demo_session, monkeypatch, tmp_path):
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QDialog

    monkeypatch.setattr(printing, "has_printer", lambda: True)
    view = DocumentsView(demo_session)
    qtbot.addWidget(view)
    view.show()   # a screen reads its data when shown
    view.notice_table.selectRow(0)
    view.print_notice()
    qtbot.waitUntil(lambda: view.print_dialog is not None, timeout=30000)   # drawn on a worker
    dialog = view.print_dialog
    gc.collect()
    printer = dialog.printer()
    printer.setOutputFormat(QPrinter.PdfFormat)    # stands in for the printer the user chose
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.done(QDialog.Accepted)   # accept() without copying the offscreen dialog's own fields
    assert demo_session.dialogs.shown == []
    pdf, = render_as_issued(view.session.ctx, [view.selected_notice().record.doc_number], tmp_path)
    assert printing.page_count(tmp_path / "printed.pdf") == printing.page_count(pdf) >= 2
    assert _dark_pixels(next(printing.render_pages(tmp_path / "printed.pdf", 50))) > 100
