"""The after-action report written to a file: HTML (one self-contained page) or PDF (printed here)."""

from __future__ import annotations

import os
from pathlib import Path

from wargame.errors import WargameError
from wargame.report import Replay, report_html
from wargame.ui.report_pdf import write_report_pdf


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


__all__ = ["write_report", "write_report_pdf"]
