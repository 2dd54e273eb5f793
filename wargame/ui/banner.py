"""A coloured strip across the top of the console that says what is wrong and offers the fix."""

from __future__ import annotations

from collections.abc import Callable

from wargame.ui.qt import QtWidgets, plain_label

STYLES = {
    "warning": "background: #fff3cd; color: #5c4400; border: 2px solid #c99a06;",
    "error": "background: #f8d7da; color: #6b0f16; border: 2px solid #b02a37;",
    "info": "background: #dbe8f7; color: #1f3a5f; border: 2px solid #1f5fa8;",
}


class Banner(QtWidgets.QFrame):
    """Hidden until `show_message`; up to two buttons with their actions."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = plain_label()
        self.text.setWordWrap(True)
        self.buttons: list[QtWidgets.QPushButton] = []
        self.row = QtWidgets.QHBoxLayout(self)
        self.row.addWidget(self.text, 1)
        self.hide()

    def show_message(self, kind: str, message: str, actions: list[tuple[str, Callable[[], object]]]) -> None:
        self.setStyleSheet(f"Banner {{ {STYLES[kind]} border-radius: 6px; }} QLabel {{ font-weight: bold; }}")
        self.text.setText(message)
        for button in self.buttons:
            self.row.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        for label, action in actions:
            button = QtWidgets.QPushButton(label)
            button.clicked.connect(action)
            self.row.addWidget(button)
            self.buttons.append(button)
        self.show()

    def button(self, label: str) -> QtWidgets.QPushButton:
        return next(button for button in self.buttons if button.text() == label)
