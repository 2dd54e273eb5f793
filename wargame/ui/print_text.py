"""Text of report blocks laid out for print: fonts for span styles, and boxes of wrapped lines.

A `TextBox` is one cell's text laid out in a width on the PDF writer. Most cells are one plain
line: those are measured with the font's metrics and drawn with one `drawText`; the others are
laid out with a QTextLayout (wrapping, mixed styles, forced breaks). Lengths are device pixels
of the PDF writer.
"""

from __future__ import annotations

from wargame.report.blocks import BOLD, CODE, ITALIC, LINE_BREAK, MUTED, SMALL, TRUTH, Cell
from wargame.ui.pdf import font_of
from wargame.ui.qt import QColor, QFont, QPainter, Qt, QtCore, QtGui

QPointF = QtCore.QPointF

MONO_FAMILIES = ["DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono", "Courier New", "monospace"]
SMALL_SCALE = 0.85
TEXT_COLOUR = "#222222"
COLOURS = {MUTED: "#5a5a5a", TRUTH: "#1f5f2f"}
LINE_SEPARATOR = "\u2028"  # QTextLayout breaks the line here
_WHITESPACE = str.maketrans({"\n": " ", "\r": " ", "\t": " "})  # as HTML shows typed text


class Fonts:
    """Fonts and their metrics by size and span style, made once per printed document."""

    def __init__(self, device: QtGui.QPaintDevice) -> None:
        self.device = device
        self._fonts: dict[tuple[float, str], QFont] = {}
        self._metrics: dict[tuple[float, str], QtGui.QFontMetricsF] = {}
        self._formats: dict[tuple[float, str], QtGui.QTextCharFormat] = {}

    def font(self, points: float, style: str = "") -> QFont:
        key = (points, style)
        font = self._fonts.get(key)
        if font is None:
            words = style.split()
            font = font_of(points * SMALL_SCALE if SMALL in words else points)
            if CODE in words:
                font.setFamilies(MONO_FAMILIES)
                font.setStyleHint(QFont.StyleHint.Monospace)
            font.setBold(BOLD in words)
            font.setItalic(ITALIC in words)
            self._fonts[key] = font
        return font

    def metrics(self, points: float, style: str = "") -> QtGui.QFontMetricsF:
        key = (points, style)
        metrics = self._metrics.get(key)
        if metrics is None:
            metrics = self._metrics[key] = QtGui.QFontMetricsF(self.font(points, style), self.device)
        return metrics

    def char_format(self, points: float, style: str) -> QtGui.QTextCharFormat:
        key = (points, style)
        char_format = self._formats.get(key)
        if char_format is None:
            char_format = QtGui.QTextCharFormat()
            char_format.setFont(self.font(points, style))
            char_format.setForeground(QColor(colour_of(style)))
            self._formats[key] = char_format
        return char_format


def colour_of(style: str) -> str:
    return next((COLOURS[word] for word in style.split() if word in COLOURS), TEXT_COLOUR)


class TextBox:
    """A cell's spans laid out in `width`: its height, where its lines end, and how to draw it."""

    def __init__(self, fonts: Fonts, cell: Cell, points: float, width: float, *, right: bool = False) -> None:
        self.width = width
        self.right = right
        self.layout: QtGui.QTextLayout | None = None
        self.line_bottoms: list[float] = []
        if len(cell) == 1 and cell[0] != LINE_BREAK and "\n" not in cell[0].text and "\t" not in cell[0].text:
            text, style = cell[0]
            metrics = fonts.metrics(points, style)
            advance = metrics.horizontalAdvance(text)
            if advance <= width:  # one plain line: measured and drawn without a layout
                self.text, self.font, self.colour = text, fonts.font(points, style), colour_of(style)
                self.ascent, self.advance = metrics.ascent(), advance
                self.height = metrics.ascent() + metrics.descent()
                self.line_bottoms = [self.height]
                return
        self._lay_out(fonts, cell, points)

    def _lay_out(self, fonts: Fonts, cell: Cell, points: float) -> None:
        pieces: list[str] = []
        ranges: list[QtGui.QTextLayout.FormatRange] = []
        at = 0
        for span in cell:
            text = LINE_SEPARATOR if span == LINE_BREAK else span.text.translate(_WHITESPACE)
            if span.style and span != LINE_BREAK:
                format_range = QtGui.QTextLayout.FormatRange()
                format_range.start, format_range.length = at, len(text)
                format_range.format = fonts.char_format(points, span.style)
                ranges.append(format_range)
            pieces.append(text)
            at += len(text)
        layout = QtGui.QTextLayout("".join(pieces), fonts.font(points), fonts.device)
        option = QtGui.QTextOption()
        option.setWrapMode(QtGui.QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        if self.right:
            option.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.setTextOption(option)
        if ranges:
            layout.setFormats(ranges)
        layout.beginLayout()
        y = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(self.width)
            line.setPosition(QPointF(0, y))
            y += line.height()
            self.line_bottoms.append(y)
        layout.endLayout()
        self.layout, self.height = layout, y

    def cut(self, limit: float) -> float:
        """The lowest line end at or above `limit` (0 when not even the first line fits)."""
        best = 0.0
        for bottom in self.line_bottoms:
            if bottom > limit:
                break
            best = bottom
        return best

    def next_bottom(self, start: float) -> float:
        """The end of the line after `start` (`start` when the box has no more lines)."""
        return next((bottom for bottom in self.line_bottoms if bottom > start), start)

    def draw(self, painter: QPainter, x: float, y: float, start: float = 0, end: float | None = None) -> None:
        """Draw the box's lines from `start` to `end` (all by default), with `start` at height `y`."""
        if self.layout is None:
            painter.setFont(self.font)
            painter.setPen(QColor(self.colour))
            left = x + self.width - self.advance if self.right else x
            painter.drawText(QPointF(left, y + self.ascent), self.text)
            return
        painter.setPen(QColor(TEXT_COLOUR))
        if start == 0 and (end is None or end >= self.height):
            self.layout.draw(painter, QPointF(x, y))
            return
        stop = self.height if end is None else end
        for number in range(self.layout.lineCount()):
            line = self.layout.lineAt(number)
            top = line.position().y()
            if top >= start and top + line.height() <= stop + 0.01:
                line.draw(painter, QPointF(x, y - start))
