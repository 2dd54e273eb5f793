"""The after-action report as one self-contained HTML file (inline CSS, inline SVG chart, no script).

The report's content comes as blocks from `wargame.report.sections`; this module only writes
them as HTML. Every string, from the deck or typed by people, goes through `html.escape`.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from wargame.errors import WargameError
from wargame.report.blocks import (
    BOLD,
    CODE,
    ITALIC,
    LINE_BREAK,
    Block,
    Cell,
    Chart,
    Heading,
    ItemList,
    Paragraph,
    Span,
    Table,
)
from wargame.report.replay import Replay
from wargame.report.sections import report_blocks, report_title

CSS = """
body { font-family: 'DejaVu Sans', 'Noto Sans', Arial, sans-serif; color: #222; max-width: 60em;
       margin: 1.5em auto; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 20pt; margin-bottom: 2px; }
h2 { font-size: 14pt; margin-top: 18px; margin-bottom: 6px; border-bottom: 1px solid #bbb; }
h3 { font-size: 12pt; margin-top: 12px; margin-bottom: 4px; }
table { border-collapse: collapse; margin-bottom: 8px; }
th { background-color: #ececec; text-align: left; white-space: nowrap; }
th, td { border: 1px solid #aaa; padding: 3px 6px; vertical-align: top; }
.num { text-align: right; }
.muted { color: #5a5a5a; }
.small { font-size: 9pt; }
.truth { color: #1f5f2f; }
"""

_WRAPPERS = ((CODE, "code"), (ITALIC, "i"), (BOLD, "b"))


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def report_html(replay: Replay) -> str:
    """The whole report as one HTML document."""
    title = report_title(replay)
    body = "".join(_block(block) for block in report_blocks(replay))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n"
    )


def write_report_html(replay: Replay, path: str | os.PathLike[str]) -> None:
    """Write the report to `path` as one HTML file (WargameError, in one line, if it cannot)."""
    target = Path(path)
    try:
        target.write_text(report_html(replay), encoding="utf-8")
    except OSError as exc:
        raise WargameError(f"cannot write {target}: {exc.strerror or exc}") from None


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        style = " style='page-break-before: always'" if block.new_page else ""
        return f"<h{block.level}{style}>{esc(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        attribute = f" class='{block.style}'" if block.style else ""
        return f"<p{attribute}>{_cell(block.spans)}</p>"
    if isinstance(block, ItemList):
        tag = "ol" if block.ordered else "ul"
        return f"<{tag}>" + "".join(f"<li>{_cell(item)}</li>" for item in block.items) + f"</{tag}>"
    if isinstance(block, Table):
        return _table(block)
    return _chart(block)


def _span(span: Span) -> str:
    if span == LINE_BREAK:
        return "<br>"
    words = span.style.split()
    text = esc(span.text)
    for word, tag in _WRAPPERS:
        if word in words:
            text = f"<{tag}>{text}</{tag}>"
    classes = " ".join(word for word in words if word not in (CODE, ITALIC, BOLD))
    return f"<span class='{classes}'>{text}</span>" if classes else text


def _cell(cell: Cell) -> str:
    return "".join(_span(span) for span in cell)


def _table(table: Table) -> str:
    if table.label_column:
        body = "".join(
            f"<tr><th>{_cell(label)}</th><td>{_cell(value)}</td></tr>" for label, value in table.rows
        )
        return f"<table border='1' cellspacing='0' cellpadding='4'>{body}</table>"
    head = "".join(
        f"<th width='{width}%'>{esc(header)}</th>"
        for header, width in zip(table.headers, table.widths, strict=True)
    )
    numeric = set(table.numeric)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='num' align='right'>{_cell(cell)}</td>"
            if column in numeric
            else f"<td>{_cell(cell)}</td>"
            for column, cell in enumerate(row)
        )
        + "</tr>"
        for row in table.rows
    )
    return (
        "<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _chart(chart: Chart) -> str:
    return f"<p role='img' aria-label='{esc(chart.description)}'>{chart.svg}</p>"
