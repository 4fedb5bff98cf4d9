"""Printing generated PDFs: pages painted on a PDF-mode QPrinter and on images; the no-printer path."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtPrintSupport import QPrinter

from workbench.gui import printing
from workbench.services import notices


@pytest.fixture
def notice_pdf(demo_session, tmp_path):
    """A generated rectification notice (two pages in the demo data)."""
    sponsor = notices.sponsors_needing_notice(demo_session.ctx, demo_session.campaign_id)[0]
    out = tmp_path / "通知书.pdf"
    notices.write_notice(demo_session.ctx, sponsor.id, out)
    return out


def _dark_pixels(image, step: int = 4) -> int:
    return sum(1 for y in range(0, image.height(), step) for x in range(0, image.width(), step)
               if QColor(image.pixel(x, y)).lightness() < 128)


def test_rendered_pages_are_not_blank(notice_pdf):
    pages = list(printing.render_pages(notice_pdf, 60))
    assert len(pages) == printing.page_count(notice_pdf) >= 1
    first = pages[0]
    assert abs(first.width() / first.height() - 210 / 297) < 0.01  # A4 portrait
    assert _dark_pixels(first) > 100


def test_paint_on_pdf_printer_keeps_page_count(notice_pdf, tmp_path, qapp):
    printer = printing.a4_printer(QPrinter.ScreenResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    painted = printing.paint_pdf(notice_pdf, printer)
    assert painted == printing.page_count(notice_pdf)
    assert printing.page_count(tmp_path / "printed.pdf") == painted
    reprinted = next(printing.render_pages(tmp_path / "printed.pdf", 60))
    assert _dark_pixels(reprinted) > 100


def test_unreadable_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "坏文件.pdf"
    bad.write_bytes(b"not a pdf")
    with pytest.raises(printing.PrintError, match="坏文件.pdf"):
        printing.page_count(bad)
    with pytest.raises(printing.PrintError, match="找不到"):
        printing.page_count(tmp_path / "missing.pdf")


def test_no_printer_offers_to_save_the_pdf(demo_session, dialogs, notice_pdf, tmp_path, monkeypatch):
    monkeypatch.setattr(printing, "has_printer", lambda: False)
    dialogs.answers.extend([True, tmp_path / "另存"])
    assert printing.print_pdf(demo_session, notice_pdf) is None
    assert dialogs.shown[0][:2] == ("confirm", "未找到打印机")
    saved = tmp_path / "另存.pdf"
    assert saved.read_bytes() == notice_pdf.read_bytes()
    assert dialogs.shown[-1][0] == "info" and str(saved) in dialogs.shown[-1][2]


def test_no_printer_declined_saves_nothing(demo_session, dialogs, notice_pdf, tmp_path, monkeypatch):
    monkeypatch.setattr(printing, "has_printer", lambda: False)
    dialogs.answers.append(False)
    assert printing.offer_save_instead(demo_session, notice_pdf) is None
    assert [k for k, *_ in dialogs.shown] == ["confirm"]


def test_several_notices_print_as_one_job(demo_session, notice_pdf, tmp_path, qapp):
    printer = printing.a4_printer(QPrinter.ScreenResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "batch.pdf"))
    painted = printing.paint_pdf([notice_pdf, notice_pdf], printer)
    assert painted == 2 * printing.page_count(notice_pdf)
    assert printing.page_count(tmp_path / "batch.pdf") == painted


def test_no_printer_with_several_notices_copies_them_to_a_folder(demo_session, dialogs, notice_pdf, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setattr(printing, "has_printer", lambda: False)
    other = tmp_path / "另一份.pdf"
    other.write_bytes(notice_pdf.read_bytes())
    folder = tmp_path / "U盘"
    folder.mkdir()
    dialogs.answers.extend([True, folder])
    assert printing.print_pdf(demo_session, [notice_pdf, other]) is None
    assert sorted(p.name for p in folder.iterdir()) == sorted([notice_pdf.name, other.name])
