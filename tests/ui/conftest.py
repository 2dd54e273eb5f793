"""Qt test fixtures: settings live in a temporary folder, never in the user's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from wargame.ui.style import application_arguments, apply_style


@pytest.fixture(scope="session")
def qapp_args() -> list[str]:
    """The app's own Qt style (see `application_arguments`): the windows tested look as users see them."""
    return application_arguments(["pytest-qt"])


@pytest.fixture(scope="session", autouse=True)
def styled(qapp: QApplication) -> None:
    """The app's stylesheet: sizes measured here (what fits a 1024 × 768 screen) are the real ones."""
    apply_style(qapp)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[None]:
    QCoreApplication.setOrganizationName("wargame-tests")
    QCoreApplication.setApplicationName("wargame-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield
    QSettings().clear()
