"""The after-action report as PDF: the report's HTML with its SVG chart rendered to a PNG.

Qt's rich-text engine cannot draw inline SVG, so the chart is painted with QtSvg into an image
and embedded as a data: URI; `wargame.ui.pdf.write_pdf` then lays the pages out (no browser).
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from wargame.errors import WargameError
from wargame.report import Replay, report_html
from wargame.report.svg_chart import escalation_svg
from wargame.ui.pdf import ensure_gui_application, write_pdf
from wargame.ui.qt import QtCore, QtGui, QtSvg

CHART_SCALE = 3  # device pixels per SVG unit: sharp at print resolution


def svg_to_png(svg: str, scale: int = CHART_SCALE) -> bytes:
    """Paint an SVG document on white and return PNG bytes."""
    ensure_gui_application()
    renderer = QtSvg.QSvgRenderer(QtCore.QByteArray(svg.encode("utf-8")))
    size = renderer.defaultSize()
    image = QtGui.QImage(size.width() * scale, size.height() * scale, QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(image)
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def chart_data_uri(replay: Replay) -> str:
    png = svg_to_png(escalation_svg(replay.deck, replay.state))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def write_report_pdf(replay: Replay, path: str | os.PathLike[str]) -> int:
    """Write the report of `replay` as a PDF; returns the page count (WargameError if not writable)."""
    ensure_gui_application()
    html = report_html(replay, chart_image=chart_data_uri(replay))
    return write_pdf(html, path, f"After-action report — {replay.deck.title}")


def write_report(replay: Replay, path: str | os.PathLike[str], fmt: str) -> int:
    """Write the report as "html" (one self-contained file) or "pdf"; returns pages (1 for HTML)."""
    if fmt == "pdf":
        return write_report_pdf(replay, path)
    target = Path(path)
    try:
        target.write_text(report_html(replay), encoding="utf-8")
    except OSError as exc:
        raise WargameError(f"cannot write {target}: {exc.strerror or exc}") from None
    return 1
