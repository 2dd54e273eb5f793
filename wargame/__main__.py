"""`python -m wargame` is the `wargame` command."""

from __future__ import annotations

import sys

from wargame.cli import main

sys.exit(main())
