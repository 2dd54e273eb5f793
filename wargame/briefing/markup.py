"""Small HTML builders for printable material, kept within the subset Qt's rich-text engine supports.

Deck text is data: every deck string goes through `esc` (or `prose`, which escapes too) before
it is put into markup. The builders here take already-escaped markup (`Markup`) for cells and
bodies, so escaping happens once, where the deck text is read.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

Markup = str  # HTML that is safe to insert (deck strings already escaped)

INK = "#222222"
MUTED = "#5a5a5a"
RULE = "#9a9a9a"
HEAD_BG = "#ececec"

STYLE = f"""
body {{ color: {INK}; }}
h1 {{ font-size: 20pt; margin-top: 0px; margin-bottom: 6px; }}
h2 {{ font-size: 14pt; margin-top: 14px; margin-bottom: 5px; }}
h3 {{ font-size: 12pt; margin-top: 10px; margin-bottom: 4px; }}
h4 {{ font-size: 11pt; margin-top: 6px; margin-bottom: 2px; }}
p {{ margin-top: 0px; margin-bottom: 6px; }}
th {{ background-color: {HEAD_BG}; text-align: left; font-weight: bold; }}
.muted {{ color: {MUTED}; }}
.small {{ font-size: 9pt; }}
.note {{ font-size: 9pt; color: {MUTED}; }}
.mono {{ font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace; font-size: 8.5pt; }}
.num {{ text-align: right; }}
"""

PAGE_BREAK = '<div style="page-break-before: always;"></div>'

_LABEL_LINE = re.compile(r"^(?P<label>[A-Z][\w’'\- ,()]{0,38}):\s+(?P<rest>\S.*)$")
_BULLET_LINE = re.compile(r"^\s*[-*•]\s+(?P<rest>.+)$")


def esc(text: object) -> Markup:
    """Escape any deck value for HTML text or attribute use."""
    return html.escape(str(text), quote=True)


def prose(text: str) -> Markup:
    """Deck prose (YAML block text) as paragraphs.

    Blank lines separate paragraphs; other line breaks are soft wraps, except a line that starts
    with a short "Label:" (as in "What we know: ...") or a bullet ("- "), which starts a new line.
    """
    blocks = [_paragraph(paragraph) for paragraph in re.split(r"\n\s*\n", text.strip())]
    return "\n".join(f"<p>{block}</p>" for block in blocks if block)


def _paragraph(paragraph: str) -> Markup:
    """One paragraph: its logical lines (soft wraps joined), bullets marked, joined by <br>."""
    lines: list[tuple[str, str]] = []  # (kind, text) with kind "text" or "bullet"
    for raw in paragraph.splitlines():
        line = raw.strip()
        if not line:
            continue
        bullet = _BULLET_LINE.match(line)
        if bullet:
            lines.append(("bullet", bullet.group("rest")))
        elif lines and not _LABEL_LINE.match(line):
            kind, previous = lines[-1]
            lines[-1] = (kind, f"{previous} {line}")
        else:
            lines.append(("text", line))
    return "<br>".join(("• " if kind == "bullet" else "") + _inline(line) for kind, line in lines)


def _inline(line: str) -> Markup:
    """One line of prose; a leading "Label:" is set in bold."""
    match = _LABEL_LINE.match(line)
    if match:
        return f"<b>{esc(match.group('label'))}:</b> {esc(match.group('rest'))}"
    return esc(line)


def one_line(text: str) -> Markup:
    """Deck text squeezed onto one line (for table cells)."""
    return esc(" ".join(text.split()))


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Markup]],
    *,
    widths: Sequence[int] | None = None,
    font_pt: float | None = None,
    padding: int = 4,
    header_bg: str = HEAD_BG,
) -> Markup:
    """A ruled table that spans the page; `widths` are percentages; cells are markup."""
    style = "border-collapse: collapse;"
    if font_pt:
        style += f" font-size: {font_pt:g}pt;"
    head = "".join(
        f'<th bgcolor="{header_bg}"{_width(widths, i)} align="left" valign="bottom">{esc(h)}</th>'
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(f'<td valign="top"{_width(widths, i)}>{cell}</td>' for i, cell in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return (
        f'<table width="100%" border="1" cellspacing="0" cellpadding="{padding}" '
        f'style="{style} border-color: {RULE};">'
        f"<thead><tr>{head}</tr></thead>{body}</table>"
    )


def _width(widths: Sequence[int] | None, index: int) -> str:
    if not widths or index >= len(widths):
        return ""
    return f' width="{widths[index]}%"'


def band(colour: str, content: Markup, *, padding: int = 8, new_page: bool = False) -> Markup:
    """A full-width block of colour with text in black or white, whichever reads better on it.

    `new_page` starts a page with it (a page break on the table itself: an empty block with a page
    break right before a table makes Qt draw a sliver of the table at the foot of the page before).
    """
    style = ' style="page-break-before: always;"' if new_page else ""
    return (
        f'<table width="100%" cellspacing="0" cellpadding="{padding}" border="0"{style}>'
        f'<tr><td bgcolor="{esc(colour)}" style="color: {text_colour(colour)};">{content}</td></tr></table>'
    )


def colour_strip(items: Sequence[tuple[str, Markup]], *, padding: int = 3) -> Markup:
    """A row of coloured cells (team colours with their names)."""
    cells = "".join(
        f'<td bgcolor="{esc(colour)}" style="color: {text_colour(colour)};" align="center">{content}</td>'
        for colour, content in items
    )
    return f'<table width="100%" cellspacing="2" cellpadding="{padding}" border="0"><tr>{cells}</tr></table>'


def swatch(colour: str, text: Markup = "&nbsp;&nbsp;&nbsp;&nbsp;") -> Markup:
    """An inline colour chip (a one-cell table would break the line, so a coloured span)."""
    style = f"background-color: {esc(colour)}; color: {text_colour(colour)};"
    return f'<span style="{style}">&nbsp;{text}&nbsp;</span>'


def tint(colour: str, amount: float = 0.85) -> str:
    """`colour` mixed with white (`amount` of white), for light backgrounds."""
    red, green, blue = _rgb(colour)
    mix = [round(c + (255 - c) * amount) for c in (red, green, blue)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with `background` (WCAG relative luminance)."""
    luminance = _luminance(background)
    contrast_white = 1.05 / (luminance + 0.05)
    contrast_black = (luminance + 0.05) / 0.05
    return "#ffffff" if contrast_white >= contrast_black else "#000000"


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    red, green, blue = _rgb(colour)
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def document(title: str, body: Markup) -> Markup:
    """A whole HTML document with the shared style sheet; `title` is plain text."""
    return (
        '<html><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )
