"""A clickable horizontal bar chart drawn with QPainter (the dashboard's charts).

Why not Qt Charts: it ships in PySide6-Addons (a further 59 MB download, 160 MB installed, for
a 2 MB chart library) and is deprecated since Qt 6.10 in favour of Qt Graphs, which is Qt Quick
based and needs GPU/QML — neither suits an offline laptop bundle. Labelled bars are a few lines
of QPainter, print and grab offscreen like any widget, and follow the palette and font.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6 import QtCore
from PySide6.QtCore import QRectF, QSize, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

_BAR = QColor("#5b7fa6")
_ALERT = QColor("#c0392b")
_TRACK = QColor("#eceff3")
_ROW = 24  # px per bar
_TITLE = 24  # px for the title line
#: Qt.AlignLeft | Qt.AlignVCenter as an int, and the opacity that draws the palette's text colour
#: as the grey of "nothing to draw" (#777 on the window's #efefef, as a #777 pen drew it). The charts are painted before the window's
#: first rows, saying 正在统计…; drawn with Qt's enums or a pen from a QColor, that first paint
#: built PySide's whole Qt namespace (13 ms of the opening, issue 12), which the bars need later.
_LEFT_VCENTER = 0x0001 | 0x0080
_EMPTY_OPACITY = 0.5


def _paint_frame(widget: QWidget, painter: QPainter, title: str, empty_text: str | None) -> None:
    """The title in bold, and ``empty_text`` in grey below it unless None (the palette's pen and
    font, no Qt enum: see :data:`_LEFT_VCENTER`)."""
    painter.setRenderHint(QPainter.Antialiasing)
    bold = widget.font()
    bold.setBold(True)
    painter.setFont(bold)
    painter.drawText(QRectF(0, 0, widget.width(), _TITLE), _LEFT_VCENTER, title)
    painter.setFont(widget.font())
    if empty_text is not None:
        painter.setOpacity(_EMPTY_OPACITY)
        painter.drawText(QRectF(0, _TITLE, widget.width(), _ROW * 2), _LEFT_VCENTER, empty_text)
        painter.setOpacity(1.0)


@dataclass(frozen=True)
class Bar:
    """One bar: ``label`` at its left, ``value`` (0..maximum) as its length, ``text`` at its end,
    ``key`` emitted when it is clicked, ``alert`` drawn in red (e.g. 准确率 below the target)."""

    label: str
    value: float
    text: str
    key: str
    alert: bool = False
    tip: str = ""


class BarChart(QWidget):
    """Horizontal bars with labels; ``bar_clicked(key)`` when the user clicks one.

    ``set_bars(bars, maximum)``: ``maximum`` is the value of a full-length bar (e.g. 1.0 for
    rates); None scales to the largest value. Shows ``empty_text`` when there is nothing to draw.
    """

    bar_clicked = Signal(str)

    def __init__(self, title: str, empty_text: str = "暂无数据", parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.empty_text = empty_text
        self.bars: list[Bar] = []
        self.maximum = 1.0
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)

    def set_bars(self, bars: Sequence[Bar], maximum: float | None = None) -> None:
        """Replace the bars and repaint."""
        self.bars = list(bars)
        largest = max((b.value for b in self.bars), default=0.0)
        self.maximum = maximum if maximum is not None else (largest or 1.0)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(320, _TITLE + max(len(self.bars), 2) * _ROW + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(200, _TITLE + max(len(self.bars), 1) * _ROW + 8)

    def bar_at(self, y: float) -> Bar | None:
        """The bar drawn at height ``y`` (widget coordinates), if any."""
        index = int((y - _TITLE) // _ROW)
        return self.bars[index] if y >= _TITLE and 0 <= index < len(self.bars) else None

    def bar_rect(self, index: int) -> QRectF:
        """Where bar ``index`` is drawn (for tests and tooltips)."""
        left = self._label_width()
        room = max(self.width() - left - self._text_width() - 12, 10)
        length = room * max(0.0, min(self.bars[index].value / self.maximum, 1.0)) if self.maximum else 0
        return QRectF(left, _TITLE + index * _ROW + 4, max(length, 1), _ROW - 8)

    def _label_width(self) -> int:
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(b.label) for b in self.bars), default=0)
        return min(widest + 10, int(self.width() * 0.4))

    def _text_width(self) -> int:
        metrics = QFontMetrics(self.font())
        return max((metrics.horizontalAdvance(b.text) for b in self.bars), default=0) + 6

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        _paint_frame(self, painter, self.title, None if self.bars else self.empty_text)
        if not self.bars:
            return
        Qt = QtCore.Qt   # noqa: N806 - Qt's namespace, built once there is something to draw
        palette_text = self.palette().windowText().color()
        left = self._label_width()
        metrics = QFontMetrics(self.font())
        for i, bar in enumerate(self.bars):
            top = _TITLE + i * _ROW
            label = metrics.elidedText(bar.label, Qt.ElideMiddle, left - 8)
            painter.setPen(palette_text)
            painter.drawText(QRectF(0, top, left - 6, _ROW), Qt.AlignRight | Qt.AlignVCenter, label)
            rect = self.bar_rect(i)
            track = QRectF(left, rect.top(), max(self.width() - left - self._text_width() - 12, 10),
                           rect.height())
            painter.fillRect(track, _TRACK)
            painter.fillRect(rect, _ALERT if bar.alert else _BAR)
            painter.setPen(QPen(_ALERT if bar.alert else palette_text))
            painter.drawText(QRectF(rect.right() + 4, top, self._text_width() + 8, _ROW),
                             Qt.AlignLeft | Qt.AlignVCenter, bar.text)
        painter.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        bar = self.bar_at(event.position().y()) if event.button() == QtCore.Qt.LeftButton else None
        if bar is not None:
            self.bar_clicked.emit(bar.key)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        bar = self.bar_at(event.position().y())
        self.setCursor(QtCore.Qt.PointingHandCursor if bar else QtCore.Qt.ArrowCursor)
        if bar is not None:
            QToolTip.showText(event.globalPosition().toPoint(), bar.tip or f"{bar.label}：{bar.text}（单击查看）", self)
        super().mouseMoveEvent(event)


_LINE_STYLES = ("SolidLine", "DashLine", "DotLine", "DashDotLine", "DashDotDotLine")   # Qt.PenStyle names
_LINE_COLOURS = ("#1f4e79", "#c0392b", "#2e7d32", "#8e44ad", "#b7950b", "#555555")


class LineChart(QWidget):
    """Lines over categories (e.g. findings per status at each week's end), QPainter-drawn.

    ``set_series(categories, series)``: ``series`` is a list of (name, values), one value per
    category; the legend names each line with its colour and dash pattern.
    """

    def __init__(self, title: str, empty_text: str = "暂无数据", parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.empty_text = empty_text
        self.categories: list[str] = []
        self.series: list[tuple[str, list[float]]] = []
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)

    def set_series(self, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]]) -> None:
        """Replace the data and repaint."""
        self.categories = list(categories)
        self.series = [(name, list(values)) for name, values in series]
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(320, 190)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        empty = not self.categories or not self.series
        _paint_frame(self, painter, self.title, self.empty_text if empty else None)
        if empty:
            return
        Qt = QtCore.Qt   # noqa: N806 - Qt's namespace, built once there is something to draw
        text = self.palette().windowText().color()
        metrics = QFontMetrics(self.font())
        legend_w = max(metrics.horizontalAdvance(name) for name, _ in self.series) + 40
        top_value = max((max(values, default=0) for _, values in self.series), default=0) or 1
        # room for the largest value's label (100000 at province scale was cut to 00000)
        top, left = _TITLE + 6, max(36, metrics.horizontalAdvance(f"{top_value:g}") + 8)
        bottom = self.height() - metrics.height() - 6
        right = self.width() - legend_w - 8
        painter.setPen(QPen(QColor("#999")))
        painter.drawLine(left, bottom, right, bottom)
        painter.drawLine(left, top, left, bottom)
        painter.setPen(text)
        painter.drawText(QRectF(0, top - 8, left - 4, 16), Qt.AlignRight | Qt.AlignVCenter, f"{top_value:g}")
        painter.drawText(QRectF(0, bottom - 8, left - 4, 16), Qt.AlignRight | Qt.AlignVCenter, "0")
        step = (right - left) / max(len(self.categories) - 1, 1)
        every = max(1, int(len(self.categories) * metrics.horizontalAdvance("00-00 ") / max(right - left, 1)) + 1)
        for i, label in enumerate(self.categories):
            if i % every == 0:
                x = left + i * step if len(self.categories) > 1 else (left + right) / 2
                painter.drawText(QRectF(x - 30, bottom + 2, 60, metrics.height()), Qt.AlignCenter, label)
        for n, (name, values) in enumerate(self.series):
            pen = QPen(QColor(_LINE_COLOURS[n % len(_LINE_COLOURS)]), 2, getattr(Qt, _LINE_STYLES[n % len(_LINE_STYLES)]))
            painter.setPen(pen)
            points = [((left + i * step) if len(values) > 1 else (left + right) / 2,
                       bottom - (bottom - top) * v / top_value) for i, v in enumerate(values)]
            for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
                painter.drawLine(int(x1), int(y1), int(x2), int(y2))
            colour = QColor(_LINE_COLOURS[n % len(_LINE_COLOURS)])
            painter.setPen(QPen(colour, 1))
            painter.setBrush(colour)
            for x, y in points:
                painter.drawEllipse(QRectF(x - 3.5, y - 3.5, 7, 7))
            painter.setBrush(Qt.NoBrush)
            painter.setPen(pen)
            y = top + n * (metrics.height() + 4) + metrics.height() / 2
            painter.drawLine(int(right + 12), int(y), int(right + 34), int(y))
            painter.setPen(text)
            painter.drawText(QRectF(right + 38, y - metrics.height() / 2, legend_w, metrics.height()),
                             Qt.AlignLeft | Qt.AlignVCenter, name)
        painter.end()
