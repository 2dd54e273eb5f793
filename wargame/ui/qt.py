"""The one door to Qt: every Qt import of the app comes through here.

Every name but the QtCore, QtGui and QtWidgets modules is looked up when first asked for
(`from wargame.ui.qt import QtCharts` imports QtCharts then), so the main window paints sooner.
"""

from __future__ import annotations

import html
import importlib
from typing import TYPE_CHECKING

from PySide6 import QtCore, QtGui, QtWidgets

if TYPE_CHECKING:
    from PySide6 import QtCharts, QtSvg
    from PySide6.QtCore import (
        QAbstractTableModel,
        QMarginsF,
        QModelIndex,
        QObject,
        QPersistentModelIndex,
        QRectF,
        QSettings,
        QSize,
        QSizeF,
        Qt,
        QTimer,
        Signal,
    )
    from PySide6.QtGui import (
        QAbstractTextDocumentLayout,
        QAction,
        QCloseEvent,
        QColor,
        QFont,
        QGuiApplication,
        QIcon,
        QImage,
        QKeySequence,
        QPageLayout,
        QPageSize,
        QPainter,
        QPalette,
        QPdfWriter,
        QPixmap,
        QTextBlock,
        QTextCursor,
        QTextDocument,
        QTextFormat,
        QTextFrame,
        QTextTable,
        QTextTableCell,
        QValidator,
    )
    from PySide6.QtWidgets import (
        QApplication,
        QCheckBox,
        QDialog,
        QDoubleSpinBox,
        QFileDialog,
        QFormLayout,
        QFrame,
        QGridLayout,
        QGroupBox,
        QHBoxLayout,
        QHeaderView,
        QLabel,
        QLineEdit,
        QListWidget,
        QListWidgetItem,
        QMainWindow,
        QMessageBox,
        QPlainTextEdit,
        QPushButton,
        QScrollArea,
        QSizePolicy,
        QSpinBox,
        QSplitter,
        QTableView,
        QVBoxLayout,
        QWidget,
        QWizard,
        QWizardPage,
    )

    ModelIndex = QModelIndex | QPersistentModelIndex

_LAZY_MODULES = {"QtCharts": "PySide6.QtCharts", "QtSvg": "PySide6.QtSvg"}


def set_shortcut(action: QtGui.QAction, key: QtGui.QKeySequence | QtGui.QKeySequence.StandardKey) -> None:
    """`action.setShortcut(key)`, without PySide6's cost: its `setShortcut` builds every enum of the
    `Qt` namespace on first call (about 10 ms, before the main window could paint); `setShortcuts`
    with a list sets the same and builds none. A standard key gets every binding of the platform
    (Redo: Ctrl+Y and Ctrl+Shift+Z on Linux)."""
    if isinstance(key, QtGui.QKeySequence.StandardKey):
        action.setShortcuts(QtGui.QKeySequence.keyBindings(key))
    else:
        action.setShortcuts([key])


def plain_label(text: str = "") -> QtWidgets.QLabel:
    """A label that shows its text as it is: a label left to guess reads text that looks like
    HTML (a class called "IR <b>A</b>", a team name with an unclosed "<") as rich text."""
    label = QtWidgets.QLabel(text)
    label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    return label


def plain_tip(text: str) -> str:
    """`text` as a tooltip that shows it as it is (tooltips, too, read HTML-like text as rich)."""
    if not QtGui.Qt.mightBeRichText(text):
        return text
    return f'<p style="white-space:pre-wrap">{html.escape(text)}</p>'


def size_within(room: QtCore.QSize, wanted: QtCore.QSize) -> QtCore.QSize:
    """`wanted`, or less to fit a screen's available `room` (a 1366×768 laptop) with a margin for
    the window's frame (not known before the window shows)."""
    return wanted.boundedTo(room - QtCore.QSize(16, 40))


def resize_within_screen(window: QtWidgets.QWidget, width: int, height: int) -> None:
    """Resize `window` to `width`×`height`, or less to fit its screen (see `size_within`)."""
    wanted = QtCore.QSize(width, height)
    screen = window.screen() or QtGui.QGuiApplication.primaryScreen()
    window.resize(wanted if screen is None else size_within(screen.availableGeometry().size(), wanted))


def __getattr__(name: str) -> object:
    """A name of `__all__`, looked up on first use (PEP 562) and then kept.

    PySide6 builds a class (and, for `Qt`, every enum of the namespace) the first time it is looked
    up, which adds up to tens of milliseconds: only what the app uses is built, when it is used.
    """
    if name in _LAZY_MODULES:
        value: object = importlib.import_module(_LAZY_MODULES[name])
    elif name == "ModelIndex":
        value = QtCore.QModelIndex | QtCore.QPersistentModelIndex
    elif name in __all__:
        value = next(getattr(m, name) for m in (QtCore, QtGui, QtWidgets) if hasattr(m, name))
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = [
    "ModelIndex",
    "QAbstractTableModel",
    "QAbstractTextDocumentLayout",
    "QAction",
    "QApplication",
    "QCheckBox",
    "QCloseEvent",
    "QColor",
    "QDialog",
    "QDoubleSpinBox",
    "QFileDialog",
    "QFont",
    "QFormLayout",
    "QFrame",
    "QGridLayout",
    "QGroupBox",
    "QGuiApplication",
    "QHBoxLayout",
    "QHeaderView",
    "QIcon",
    "QImage",
    "QKeySequence",
    "QLabel",
    "QLineEdit",
    "QListWidget",
    "QListWidgetItem",
    "QMainWindow",
    "QMarginsF",
    "QMessageBox",
    "QModelIndex",
    "QObject",
    "QPageLayout",
    "QPageSize",
    "QPainter",
    "QPalette",
    "QPdfWriter",
    "QPersistentModelIndex",
    "QPixmap",
    "QPlainTextEdit",
    "QPushButton",
    "QRectF",
    "QScrollArea",
    "QSettings",
    "QSize",
    "QSizeF",
    "QSizePolicy",
    "QSpinBox",
    "QSplitter",
    "QTableView",
    "QTextBlock",
    "QTextCursor",
    "QTextDocument",
    "QTextFormat",
    "QTextFrame",
    "QTextTable",
    "QTextTableCell",
    "QTimer",
    "QVBoxLayout",
    "QValidator",
    "QWidget",
    "QWizard",
    "QWizardPage",
    "Qt",
    "QtCharts",
    "QtCore",
    "QtGui",
    "QtSvg",
    "QtWidgets",
    "Signal",
    "set_shortcut",
]
