"""The one door to Qt: every Qt import of the app comes through here."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

ModelIndex = QModelIndex | QPersistentModelIndex

__all__ = [
    "ModelIndex",
    "QAbstractTableModel",
    "QAction",
    "QApplication",
    "QCloseEvent",
    "QFont",
    "QHeaderView",
    "QKeySequence",
    "QLabel",
    "QMainWindow",
    "QMessageBox",
    "QModelIndex",
    "QObject",
    "QPersistentModelIndex",
    "QPlainTextEdit",
    "QSettings",
    "QSplitter",
    "QTableView",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
]
