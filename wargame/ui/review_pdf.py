"""The after-action report written to a file: HTML (one self-contained page) or PDF (printed here)."""

from __future__ import annotations

import os

from wargame.report import Replay, write_report_html
from wargame.ui.report_pdf import write_report_pdf


def write_report(replay: Replay, path: str | os.PathLike[str], fmt: str) -> int:
    """Write the report as "html" (one self-contained file) or "pdf"; returns pages (1 for HTML)."""
    if fmt == "pdf":
        return write_report_pdf(replay, path)
    write_report_html(replay, path)
    return 1
