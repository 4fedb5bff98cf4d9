"""Draw the workbench icon (a seal-red square with 检 and a tick) and write the files the app and
the installers use: resources/icons/workbench.png (256 px, window icon) and
packaging/windows/workbench.ico (16–256 px, the .exe and the installer).

    QT_QPA_PLATFORM=offscreen python3 packaging/make_icon.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPainterPath, QPen

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int) -> QImage:
    """The icon at ``size`` × ``size`` pixels (transparent corners)."""
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.Antialiasing)
    margin = size * 0.04
    box = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    path = QPainterPath()
    path.addRoundedRect(box, size * 0.18, size * 0.18)
    p.fillPath(path, QColor("#b3261e"))
    font = QFont(["Noto Serif SC", "WenQuanYi Micro Hei", "Noto Sans CJK SC"])
    font.setPixelSize(int(size * 0.62))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(box.adjusted(0, -size * 0.06, 0, 0), Qt.AlignCenter, "检")
    if size >= 32:   # a tick in the lower right corner: reviewed
        pen = QPen(QColor("#ffd54f"), size * 0.07, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin)
        p.setPen(pen)
        tick = QPainterPath()
        tick.moveTo(size * 0.62, size * 0.78)
        tick.lineTo(size * 0.70, size * 0.86)
        tick.lineTo(size * 0.86, size * 0.66)
        p.drawPath(tick)
    p.end()
    return image


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    png = ROOT / "resources" / "icons" / "workbench.png"
    png.parent.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(png))
    ico = ROOT / "packaging" / "windows" / "workbench.ico"
    ico.parent.mkdir(parents=True, exist_ok=True)
    # Qt's ico writer stores one image per file; write the sizes with Pillow when present.
    try:
        from PIL import Image
    except ImportError:
        draw(256).save(str(ico))
    else:
        big = draw(256)
        big.save(str(ico.with_suffix(".tmp.png")))
        Image.open(ico.with_suffix(".tmp.png")).save(ico, sizes=[(s, s) for s in SIZES])
        ico.with_suffix(".tmp.png").unlink()
    print(f"wrote {png} and {ico}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
