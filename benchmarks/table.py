"""The results table (Markdown) and `benchmarks/results.md`, whose notes outside the markers are kept."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from benchmarks.figures import Row

BEGIN = "<!-- results:begin (written by python -m benchmarks; edit outside these markers) -->"
END = "<!-- results:end -->"


def _number(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "sessions/s":
        return f"{value:,.0f}/s"
    return f"{value:,.2f} {unit}".strip()


def render_table(rows: list[Row]) -> str:
    lines = [
        "| figure | measured | baseline | ratio | budget | result | notes |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for row in rows:
        baseline = _number(row.baseline, row.unit) if row.baseline is not None else "—"
        ratio = f"{row.ratio:.2f}×" if row.ratio is not None else "—"
        result = "pass" if row.ok else "**MISS**"
        measured = _number(row.measured, row.unit) if row.unit else "—"
        lines.append(
            f"| {row.figure} | {measured} | {baseline} | {ratio} | {row.budget} | {result} | {row.note} |"
        )
    return "\n".join(lines)


def write_results(path: Path, machine: str, table: str, mode: str) -> None:
    """Put the machine and the table between the markers of `path` (created if missing)."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = f"{BEGIN}\n\nLast run: {when}, {mode} run.\n\n{machine}\n\n{table}\n\n{END}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    if BEGIN in text and END in text:
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
