"""`wargame demo`: play a scripted session through the real windows, offscreen, with screenshots.

Docs and checks use it: every main screen (start page, wizard, each phase, a move being entered,
reveal, adjudication, outcome) is saved as a PNG in the output folder. Nothing touches the
user's database or settings: the demo uses its own database file and settings scope.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from wargame.deck import LoadedDeck, resolve_deck
from wargame.engine import commands as c
from wargame.engine.bots import choose_move
from wargame.errors import WargameError
from wargame.store import Store

DEMO_SIZE = (1440, 900)
SHARED_SIZES = ((1920, 1080), (1280, 720))  # the shared screen on a projector, large and small
OFFSCREEN_PLUGIN_NOTICES = frozenset(
    {
        "This plugin does not support propagateSizeHints()",  # whenever a window is shown
        "This plugin does not support raise()",
    }
)


def run_demo(
    deck: str | LoadedDeck, out_dir: Path, db_url: str | None = None, turns: int | None = None
) -> list[Path]:
    """Play the demo of `deck` (a loaded deck, a file or a built-in id); the screenshots written,
    in the order taken."""
    if "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from wargame.session import SessionController
    from wargame.ui.app import make_application
    from wargame.ui.dialogs import AdjudicationDialog, MoveDialog
    from wargame.ui.main_window import MainWindow
    from wargame.ui.qt import QtCore, QtWidgets
    from wargame.ui.wizard import NewSessionWizard

    loaded = deck if isinstance(deck, LoadedDeck) else resolve_deck(deck)  # (a broken one: no window)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WargameError(f"cannot save the screenshots in {out_dir}: {exc.strerror or exc}") from None
    app = make_application([sys.argv[0] if sys.argv else "wargame"])
    app.setApplicationName("wargame-demo")  # the demo's own settings, never the user's
    QtCore.QSettings().clear()
    saved: list[Path] = []

    def shoot(widget: QtWidgets.QWidget, name: str) -> None:
        for _ in range(3):
            app.processEvents()
        path = out_dir / f"{len(saved) + 1:02d}-{name}.png"
        if not widget.grab().save(str(path)):
            raise OSError(f"cannot write {path}")
        saved.append(path)

    with tempfile.TemporaryDirectory(prefix="wargame-demo-") as scratch, plugin_notices_dropped():
        store = Store(db_url or f"sqlite:///{Path(scratch) / 'demo.sqlite3'}")
        try:
            window = MainWindow(store)
            window.resize(*DEMO_SIZE)
            window.show()
            shoot(window, "start-page")

            wizard = NewSessionWizard(window)
            wizard.resize(980, 700)
            wizard.show()
            if not loaded.origin.startswith("builtin:"):
                wizard.deck_page.open_deck_file(loaded.origin)
            wizard.class_page.class_edit.setText("IR 210 — Crisis Management, group B")
            wizard.class_page.facilitator_edit.setText("Dr. Demo Facilitator")
            for page in ("deck", "class", "teams", "timing", "summary"):
                shoot(wizard, f"wizard-{page}")
                if page != "summary":
                    wizard.next()
            chosen, setup = wizard.session_setup()
            wizard.close()
            # Created here, not by window.start_session: its refusal would wait in a message box
            # that nobody offscreen can close. A refusal (a WargameError) ends the demo instead.
            session = SessionController.create(
                chosen,
                c.CreateSession(
                    seed=setup.seed,
                    teams=setup.teams,
                    class_label=setup.class_label or "Demo class",
                    facilitator=setup.facilitator or "Demo facilitator",
                    turns=turns if turns is not None else setup.turns,
                    phase_minutes=setup.phase_minutes,
                ),
                store,
            )
            window.show_console(session)
            if window.console is None:
                raise RuntimeError("the demo session could not be shown")
            console = window.console
            console.error_handler = _fail
            shared = window.open_shared_screen()
            if shared is None:
                raise RuntimeError("the demo could not open the shared screen")

            def shoot_shared(name: str) -> None:
                for width, height in SHARED_SIZES:
                    shared.resize(width, height)
                    shoot(shared, f"shared-{width}-{name}")

            rng = random.Random(f"demo:{setup.seed}")
            first_turn = True
            while not session.state.ended:
                console.advance()
                phase = session.state.phase
                if first_turn and not session.state.ended:
                    shoot(window, f"turn{session.state.turn}-{phase}")
                    shoot_shared(f"turn{session.state.turn}-{phase}")
                if phase == "moves" and first_turn:
                    shared.open_entry(session.state.active_teams()[0].id)
                    shoot_shared(f"turn{session.state.turn}-team-entry")
                    shared.close_entry()
                if phase == "moves":
                    _enter_moves(session, console, rng, MoveDialog, shoot if first_turn else None)
                    if first_turn:
                        shoot(window, f"turn{session.state.turn}-moves-submitted")
                        shoot_shared(f"turn{session.state.turn}-moves-submitted")
                if phase == "adjudication" and first_turn:
                    decision = session.state.decisions_in_turn(session.state.turn)[0]
                    dialog = AdjudicationDialog(
                        session.deck, session.state, decision.team, decision.seq, window
                    )
                    dialog.delta.setValue(2)
                    dialog.reason.setPlainText("The statement went further than the move it announced.")
                    dialog.show()
                    shoot(dialog, "adjudication-dialog")
                    console.run(dialog.command())
                    dialog.close()
                    shoot(window, f"turn{session.state.turn}-adjudicated")
                if phase == "scoring":
                    first_turn = False
            shoot(window, "outcome")
            shoot_shared("outcome")
            window.close()
        finally:
            store.close()
    return saved


@contextlib.contextmanager
def plugin_notices_dropped() -> Iterator[None]:
    """Drop the offscreen plugin's notices that a feature is missing (the demo needs neither), so
    that they do not bury the demo's own lines; every other Qt message goes where it went before."""
    from wargame.ui.qt import QtCore

    def handler(mode: QtCore.QtMsgType, context: QtCore.QMessageLogContext, message: str) -> None:
        if message in OFFSCREEN_PLUGIN_NOTICES:
            return
        if previous is not None:
            previous(mode, context, message)
        else:  # Qt's own handler, which Python cannot call: print as it does
            print(QtCore.qFormatLogMessage(mode, context, message), file=sys.stderr, flush=True)

    previous = QtCore.qInstallMessageHandler(handler)
    try:
        yield
    finally:
        QtCore.qInstallMessageHandler(previous)


def _enter_moves(
    session: object,
    console: object,
    rng: random.Random,
    dialog_type: type,
    shoot: Callable[..., None] | None,
) -> None:
    """Every team's move through the move dialog (the first one photographed), bots choosing."""
    from wargame.session import SessionController
    from wargame.ui.console import ConsoleView

    assert isinstance(session, SessionController) and isinstance(console, ConsoleView)
    for position, team in enumerate(session.state.active_teams()):
        wanted = choose_move(session.deck, session.state, team.id, "cooperative", rng)
        dialog = dialog_type(session.deck, session.state, team.id, console)
        index = dialog.action_box.findData(wanted.action) if wanted.action else dialog.action_box.count() - 1
        dialog.action_box.setCurrentIndex(index)
        if wanted.target is not None:
            dialog.target_box.setCurrentIndex(max(dialog.target_box.findData(wanted.target), 0))
        dialog.rationale.setPlainText("Keep the incident from becoming a crisis.")
        dialog.predict.setPlainText("They will answer in kind.")
        if shoot is not None and position == 0:
            dialog.show()
            shoot(dialog, "move-dialog")
        console.run(dialog.command())
        dialog.close()


def _fail(message: str) -> None:
    raise RuntimeError(f"the demo script was refused: {message}")
