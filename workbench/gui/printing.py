"""Printing generated PDFs: pages rendered by pypdfium2, painted on a QPrinter; preview; no-printer path.

PySide6 wheels carry no QtPdf, so pages are rasterised with pypdfium2 (PDFium, a maintained
renderer) at the printer's resolution and painted page by page.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from workbench.errors import WorkbenchError, os_reason
from workbench.gui.widgets.screen_fit import fit_to_screen

PDF_POINTS_PER_INCH = 72
# Rasterising above this many dots per inch makes A4 pages of several hundred MB for no visible gain.
MAX_DPI = 600


class PrintError(WorkbenchError):
    """A PDF could not be read or printed (Chinese message naming the file)."""


def page_count(pdf_path: Path) -> int:
    """Number of pages of a PDF.

    Raises:
        PrintError: the file is missing or not a PDF.
    """
    with _open_pdf(pdf_path) as pdf:
        return len(pdf)


def render_pages(pdf_path: Path, dpi: int) -> Iterator[QImage]:
    """The PDF's pages as images at ``dpi`` dots per inch (capped at MAX_DPI), first page first.

    Raises:
        PrintError: the file is missing or not a PDF.
    """
    scale = min(max(dpi, 36), MAX_DPI) / PDF_POINTS_PER_INCH
    with _open_pdf(pdf_path) as pdf:
        for index in range(len(pdf)):
            page = pdf[index]
            bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True, optimize_mode="print")
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format_RGBX8888).copy()  # copy: the bitmap's memory is freed below
            bitmap.close()
            page.close()
            yield image


def paint_pdf(pdf_path: Path | Sequence[Path], printer: QPrinter) -> int:
    """Paint every page of one PDF, or of several in order as one print job, on ``printer``
    (a real printer, a preview, or PDF output).

    Each page is rendered at the printer's resolution and scaled to fit the printable area,
    keeping its aspect ratio and centred. Returns the number of pages painted.

    Raises:
        PrintError: a PDF cannot be read, or the printer cannot be started.
    """
    paths = [pdf_path] if isinstance(pdf_path, (str, Path)) else list(pdf_path)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("无法启动打印机，请检查打印机是否连接并可用")
    painted = 0
    try:
        for path in paths:
            for image in render_pages(path, printer.resolution()):
                if painted:
                    printer.newPage()
                _draw_fitted(painter, image, QRectF(painter.viewport()))
                painted += 1
    finally:
        painter.end()
    return painted


def _draw_fitted(painter: QPainter, image: QImage, area: QRectF) -> None:
    """Draw ``image`` scaled into ``area``, aspect ratio kept, centred."""
    size = image.size().scaled(area.size().toSize(), Qt.KeepAspectRatio)
    x = area.x() + (area.width() - size.width()) / 2
    y = area.y() + (area.height() - size.height()) / 2
    painter.drawImage(QRectF(x, y, size.width(), size.height()), image)


def a4_printer(mode: QPrinter.PrinterMode = QPrinter.HighResolution) -> QPrinter:
    """A printer set to A4 portrait (GB/T 9704 documents are A4) and the default printer."""
    printer = QPrinter(mode)
    printer.setPageOrientation(QPageLayout.Portrait)
    printer.setFullPage(True)  # the PDF carries its own margins
    return printer


def has_printer() -> bool:
    """True when at least one printer is installed on this computer."""
    return bool(QPrinterInfo.availablePrinters())


def print_pdf(session, pdf_path: Path | Sequence[Path], parent: QWidget | None = None) -> QPrintDialog | None:
    """Print one PDF or several (one job): the print dialog is opened non-modally and pages are
    painted when accepted.

    Without any installed printer the user is told so and offered to save the PDFs elsewhere
    (for printing on another computer); None is returned then.
    """
    if not has_printer():
        if isinstance(pdf_path, (str, Path)):
            offer_save_instead(session, pdf_path)
        else:
            offer_folder_instead(session, list(pdf_path))
        return None
    printer = a4_printer()
    dialog = QPrintDialog(printer, parent)
    dialog.printer_keepalive = printer   # Qt holds only a raw pointer to the printer
    dialog.setWindowTitle("打印")
    dialog.accepted.connect(lambda: _paint_or_report(session, pdf_path, printer))
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    QDialog.open(dialog)   # QPrintDialog.open() is the (receiver, slot) overload in PySide6
    return dialog


def preview_pdf(session, pdf_path: Path | Sequence[Path], parent: QWidget | None = None) -> QPrintPreviewDialog:
    """Open a print preview of one PDF or several (non-modal ``open()``); printing from it paints
    the pages."""
    printer = a4_printer()
    dialog = QPrintPreviewDialog(printer, parent)
    # Qt keeps only a raw pointer to the printer: without this reference Python frees it while the
    # preview paints, and the process crashes.
    dialog.printer_keepalive = printer
    names = [pdf_path] if isinstance(pdf_path, (str, Path)) else list(pdf_path)
    title = Path(names[0]).name if len(names) == 1 else f"{len(names)} 份文书"
    dialog.setWindowTitle(f"打印预览 — {title}")
    dialog.paintRequested.connect(lambda target: _paint_or_report(session, pdf_path, target))
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    fit_to_screen(dialog, 900, 1000)   # never taller than a 768-pixel laptop screen
    dialog.open()
    return dialog


def offer_save_instead(session, pdf_path: Path) -> Path | None:
    """Tell the user no printer is installed and offer to save the PDF; the saved path or None."""
    if not session.dialogs.confirm(
            "未找到打印机", "本机没有安装打印机，无法直接打印。\n是否将 PDF 另存到其他位置，"
            "以便用 U 盘带到有打印机的电脑上打印？"):
        return None
    target = session.dialogs.save_file("另存 PDF", str(Path(session.last_folder) / pdf_path.name),
                                       "PDF 文件 (*.pdf)")
    if target is None:
        return None
    target = target if target.suffix.lower() == ".pdf" else target.with_suffix(".pdf")
    try:
        if target.resolve() != pdf_path.resolve():
            shutil.copyfile(pdf_path, target)
    except OSError as err:
        session.show_error("另存 PDF", PrintError(f"无法保存到“{target}”：{os_reason(err)}"))
        return None
    session.remember_folder(target)
    session.dialogs.info("另存 PDF", f"已保存：{target}")
    return target


def offer_folder_instead(session, pdf_paths: list[Path]) -> Path | None:
    """No printer: offer to copy several PDFs into a chosen folder; the folder or None."""
    if not session.dialogs.confirm(
            "未找到打印机", f"本机没有安装打印机，无法直接打印这 {len(pdf_paths)} 份文书。\n"
            "是否将 PDF 复制到一个文件夹，以便带到有打印机的电脑上打印？"):
        return None
    folder = session.dialogs.choose_folder("选择保存 PDF 的文件夹", session.last_folder)
    if folder is None:
        return None
    try:
        for path in pdf_paths:
            shutil.copyfile(path, folder / Path(path).name)
    except OSError as err:
        session.show_error("另存 PDF", PrintError(f"无法保存到“{folder}”：{os_reason(err)}"))
        return None
    session.remember_folder(folder)
    session.dialogs.info("另存 PDF", f"已将 {len(pdf_paths)} 份 PDF 保存到：{folder}")
    return folder


def _paint_or_report(session, pdf_path, printer: QPrinter) -> None:
    try:
        paint_pdf(pdf_path, printer)
    except WorkbenchError as err:
        session.show_error("打印", err)


class _open_pdf:  # noqa: N801 - used as a context manager like open()
    """Open a PDF with pypdfium2, turning failures into PrintError; closes on exit."""

    def __init__(self, pdf_path: Path):
        self.path = Path(pdf_path)

    def __enter__(self) -> pdfium.PdfDocument:
        if not self.path.is_file():
            raise PrintError(f"找不到要打印的文件：{self.path}")
        try:
            self.pdf = pdfium.PdfDocument(str(self.path))
        except pdfium.PdfiumError as err:
            raise PrintError(f"无法读取 PDF 文件“{self.path.name}”：{err}") from err
        return self.pdf

    def __exit__(self, *_exc) -> None:
        self.pdf.close()
