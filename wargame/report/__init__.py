"""After-action material from a stored session: replay snapshots, comparisons, the HTML report.

Pure Python (no Qt): the review window and `wargame report` both build on it. Everything here
reads a session (its events and deck text) and never writes one.
"""

from __future__ import annotations

from wargame.report.compare import Comparison, Rise, compare
from wargame.report.html_report import report_html, write_report_html
from wargame.report.pseudonyms import pseudonym_map, pseudonymise_events
from wargame.report.replay import Replay, Snapshot, load_replay, snapshot

__all__ = [
    "Comparison",
    "Replay",
    "Rise",
    "Snapshot",
    "compare",
    "load_replay",
    "pseudonym_map",
    "pseudonymise_events",
    "report_html",
    "snapshot",
    "write_report_html",
]
