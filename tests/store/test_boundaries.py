"""The store stays free of Qt (architecture: the domain and storage never import PySide6)."""

from __future__ import annotations

import subprocess
import sys


def test_store_does_not_import_qt() -> None:
    code = (
        "import sys, wargame.store, wargame.store.schema;"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'));"
        "print(qt); sys.exit(1 if qt else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
