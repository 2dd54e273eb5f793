"""Reading the generated HTML back as text, the way a reader of the printout sees it."""

from __future__ import annotations

import html
import re


def plain(markup: str) -> str:
    """The text of `markup`: tags dropped, entities decoded, whitespace squeezed."""
    text = re.sub(r"<style>.*?</style>", " ", markup, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", text)
    return squeeze(html.unescape(text))


def squeeze(text: str) -> str:
    return " ".join(text.split())
