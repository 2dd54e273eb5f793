"""Inject cards to print and cut out, with their ground truths kept apart for the debrief."""

from __future__ import annotations

from wargame.briefing.markup import PAGE_BREAK, Markup, document, esc, prose, table
from wargame.briefing.words import timing_words
from wargame.deck.models import Card, Deck, Source

GROUND_TRUTH_HEADING = "Ground truth (for the debrief only)"
CARD_HEAD = "#2f2f2f"


def source_line(deck: Deck, source_id: str) -> str:
    """Who a card (or outcome) comes from: the source's title and author, or "Hypothetical"."""
    source = next((s for s in deck.sources if s.id == source_id), None)
    if source is None:
        return "Hypothetical" if source_id == "hypothetical" else source_id
    return describe_source(source)


def describe_source(source: Source) -> str:
    byline = ", ".join(part for part in (source.author, source.outlet, source.date) if part)
    return f"“{source.title}”" + (f", {byline}" if byline else "")


def cards_sheet(deck: Deck) -> Markup:
    """Every card as a printable card (no ground truth), then the ground truths on separate pages."""
    intro = (
        f'<h1>Inject cards</h1><p class="muted">{esc(deck.title)} · {len(deck.cards)} cards</p>'
        '<p class="small">Cut along the lines and keep the cards face down. Read a card out, or hand it to '
        "the teams, when it comes into play: the app says which card is injected in each inject phase, and "
        "each card says when it can appear. The ground truths are on the last pages: keep those away from "
        "the players until the debrief.</p>"
    )
    if not deck.cards:
        return document(f"{deck.title}: cards", intro + "<p>This deck has no cards.</p>")
    rows = []
    for index in range(0, len(deck.cards), 2):
        pair = deck.cards[index : index + 2]
        cells = [
            f'<td width="50%" valign="top">{_card(deck, card, index + offset + 1)}</td>'
            for offset, card in enumerate(pair)
        ]
        if len(pair) == 1:
            cells.append('<td width="50%"></td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    # One grid; the PDF writer moves a row of cards that would straddle a page to the next page.
    parts = [
        intro,
        '<table width="100%" cellspacing="8" cellpadding="0" border="0">' + "".join(rows) + "</table>",
    ]
    parts.append(_ground_truths(deck))
    return document(f"{deck.title}: cards", "\n".join(parts))


def _card(deck: Deck, card: Card, number: int) -> Markup:
    meta = []
    if card.place is not None:
        place = next((p.name for p in deck.places if p.id == card.place), card.place)
        meta.append(f"<b>Where:</b> {esc(place)}")
    meta.append(f"<b>When:</b> {esc(timing_words(deck, card.when))}")
    meta.append(f"<b>Source:</b> {esc(source_line(deck, card.source))}")
    return (
        '<table width="100%" cellspacing="0" cellpadding="7" border="1" '
        'style="border-collapse: collapse; border-color: #555555; border-style: dashed;">'
        f'<tr><td bgcolor="{CARD_HEAD}" style="color: #ffffff;">'
        f'<span style="font-size: 8pt;">INJECT CARD {number} OF {len(deck.cards)}</span><br>'
        f'<span style="font-size: 12.5pt; font-weight: bold;">{esc(card.title)}</span></td></tr>'
        f'<tr><td style="font-size: 10.5pt;">{prose(card.text)}'
        f'<p style="font-size: 8pt; color: #555555; margin-top: 6px;">{"<br>".join(meta)}</p></td></tr>'
        "</table>"
    )


def _ground_truths(deck: Deck) -> Markup:
    rows = [
        [
            f"{number}",
            f"<b>{esc(card.title)}</b>",
            prose(card.ground_truth or "")
            if card.ground_truth and card.ground_truth.strip()
            else '<span class="muted">(no ground truth given)</span>',
        ]
        for number, card in enumerate(deck.cards, start=1)
    ]
    return (
        PAGE_BREAK
        + f"<h1>{esc(GROUND_TRUTH_HEADING)}</h1>"
        + '<p class="small">What the cards did not tell the players: where each card comes from, '
        "what the sources "
        "do and do not establish, and why a hypothetical card was added. Read these at the debrief.</p>"
        + table(["#", "Card", "Ground truth"], rows, widths=[5, 28, 67], font_pt=9.5)
    )
