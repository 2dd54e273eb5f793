"""A description of the machine the benchmarks ran on."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def describe_machine() -> str:
    try:
        import PySide6

        pyside = PySide6.__version__
    except ImportError:
        pyside = "not installed"
    import sqlite3

    return "\n".join(
        [
            f"- CPU: {_cpu_model()}, {os.cpu_count()} logical cores",
            f"- memory: {_memory()}",
            f"- system: {platform.system()} {platform.release()}",
            f"- Python {platform.python_version()}, PySide6 {pyside}, SQLite {sqlite3.sqlite_version}",
        ]
    )
