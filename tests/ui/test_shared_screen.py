"""The shared screen follows the session live, hides moves until the reveal, and takes team entries."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import BALTIC_DECK, MINI_DECK
from wargame.deck import load_deck_file
from wargame.engine import commands as c
from wargame.session import SessionController
from wargame.store import Store
from wargame.ui.dialogs import MoveDialog
from wargame.ui.main_window import MainWindow
from wargame.ui.map_labels import place_label
from wargame.ui.map_view import MapView, Marker
from wargame.ui.qt import QtCore, QtGui, QtWidgets
from wargame.ui.shared_screen import BoardRow, FitText, SharedScreen, TeamBoard, band_text
from wargame.ui.widgets import PhaseTimer

TEAMS = tuple(c.TeamSetup(t, t.title(), (t,)) for t in ("red", "blue", "green"))


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'shared.sqlite3'}"


@pytest.fixture
def session() -> SessionController:
    setup = c.CreateSession(seed=4, teams=TEAMS, phase_minutes={"moves": 3})
    return SessionController.create(load_deck_file(MINI_DECK), setup, None)


@pytest.fixture
def timer(qtbot: QtBot) -> PhaseTimer:
    widget = PhaseTimer()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def screen(qtbot: QtBot, session: SessionController, timer: PhaseTimer) -> SharedScreen:
    shared = SharedScreen(session, timer)
    qtbot.addWidget(shared)
    shared.resize(1920, 1080)
    shared.show()
    qtbot.waitExposed(shared)
    return shared


def visible_texts(screen: SharedScreen) -> str:
    """Every text a person in the room could read on the shared screen now."""
    texts: list[str] = []
    for widget in screen.findChildren(QtWidgets.QWidget):
        if not widget.isVisibleTo(screen):
            continue
        if isinstance(widget, QtWidgets.QLabel | QtWidgets.QPushButton | FitText):
            texts.append(widget.text())
        elif isinstance(widget, TeamBoard):
            texts.extend(widget.texts())
        elif isinstance(widget, QtWidgets.QComboBox):
            texts.append(widget.currentText())
        elif isinstance(widget, QtWidgets.QPlainTextEdit):
            texts.append(widget.toPlainText())
    return "\n".join(texts)


def open_form(screen: SharedScreen) -> MoveDialog:
    """The team's form now open on the screen (read afresh: an entry opens and closes with moves)."""
    assert screen.entry is not None
    return screen.entry


def to_phase(session: SessionController, phase: str) -> None:
    while session.state.phase != phase:
        session.execute(c.Advance())


def test_the_screen_follows_injects_submissions_the_reveal_and_the_outcome(
    qtbot: QtBot, session: SessionController, screen: SharedScreen
) -> None:
    assert screen.card_title.text() == "No inject yet"
    assert screen.map.markers == []
    session.execute(c.Advance())  # turn 1, inject: the opening card has a place
    assert screen.card_title.text() == "Drones over the harbour"
    assert screen.position.text() == "Turn 1 of 3 · Inject"
    assert [m.place.id for m in screen.map.markers] == ["harbour"]
    assert screen.map.markers[0].newest
    assert "Escalation index" in screen.band_label.text() and "band" in screen.band_label.text()

    to_phase(session, "moves")
    session.execute(c.SubmitDecision("red", action="posture", target="blue", rationale="Show strength"))
    assert "Red: ✔ moved" in screen.board.texts()
    assert "Blue: … waiting" in screen.board.texts()
    shown = visible_texts(screen)
    assert "Exercise near the border" not in shown and "Show strength" not in shown
    assert "1 of 3 submitted" in screen.board_heading.text()
    session.execute(c.SubmitDecision("blue", action="talk"))
    session.execute(c.SubmitDecision("green"))
    assert "Exercise near the border" not in visible_texts(screen)

    session.execute(c.Advance())  # reveal
    assert screen.board.texts() == [
        "Red: Exercise near the border → Blue",
        "Blue: Propose a channel",
        "Green: Pass",
    ]
    assert "Moves of turn 1" in screen.board_heading.text()

    while not session.state.ended:
        if session.state.phase == "moves" and session.state.turn not in session.state.revealed_turns:
            for team in ("red", "blue", "green"):
                session.execute(c.SubmitDecision(team))
        session.execute(c.Advance())
    assert screen.pages.currentWidget() is screen.outcome_page
    outcome = session.deck.outcome(session.state.outcome or "")
    assert screen.outcome_title.text() == outcome.title
    for question in outcome.debrief:
        assert question in screen.debrief_text.text()
    assert outcome.description in screen.outcome_text.text()
    assert len(screen.map.markers) >= 1 and sum(m.newest for m in screen.map.markers) == 1


def test_a_team_enters_its_move_alone_and_the_entry_disappears_on_submit(
    qtbot: QtBot, session: SessionController, screen: SharedScreen
) -> None:
    assert not screen.open_entry("red")  # not started: no entry
    assert not screen.entry_bar.isVisible()
    session.execute(c.Advance())
    assert screen.entry_bar.isVisible() and set(screen.entry_buttons) == {"red", "blue", "green"}
    to_phase(session, "moves")

    with qtbot.waitSignal(screen.entry_opened) as opened:
        qtbot.mouseClick(screen.entry_buttons["red"], QtCore.Qt.MouseButton.LeftButton)
    assert opened.args == ["red"]
    assert screen.pages.currentWidget() is screen.entry_page
    forms = [f for f in screen.findChildren(MoveDialog) if f.isVisibleTo(screen)]
    assert [f.team_id for f in forms] == ["red"]  # only this team's form, nobody else's
    assert "Red" in screen.entry_title.text()
    assert not screen.board.isVisibleTo(screen)  # the room view (and its board) is hidden meanwhile
    form = forms[0]
    form.action_box.setCurrentIndex(form.action_box.findData("posture"))
    form.target_box.setCurrentIndex(form.target_box.findData("green"))
    form.rationale.setPlainText("A secret reason")
    with qtbot.waitSignal(screen.entry_closed):
        qtbot.mouseClick(
            form.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok),
            QtCore.Qt.MouseButton.LeftButton,
        )
    decision = session.state.decisions_in_turn(1, "red")[0]
    assert (decision.action, decision.target, decision.rationale) == ("posture", "green", "A secret reason")
    assert screen.pages.currentWidget() is screen.room and screen.entry is None
    assert not [f for f in screen.findChildren(MoveDialog) if f.isVisibleTo(screen)]
    shown = visible_texts(screen)
    assert "A secret reason" not in shown and "Exercise near the border" not in shown
    assert set(screen.entry_buttons) == {"blue", "green"}

    # Cancel leaves nothing behind; a move entered from the console closes an open entry.
    assert screen.open_entry("blue")
    open_form(screen).reject()
    assert screen.entry is None and session.state.decisions_in_turn(1, "blue") == []
    assert screen.open_entry("blue")
    session.execute(c.SubmitDecision("blue", action="talk"))
    assert screen.entry is None and screen.pages.currentWidget() is screen.room

    session.execute(c.SubmitDecision("green"))
    session.execute(c.Advance())  # reveal: entry closes for good
    assert not screen.entry_bar.isVisible() and not screen.open_entry("green")


def test_the_countdown_mirrors_the_console_timer(
    qtbot: QtBot, session: SessionController, screen: SharedScreen, timer: PhaseTimer
) -> None:
    session.execute(c.Advance())
    timer.reset(3)
    timer.start()
    qtbot.waitUntil(lambda: screen.countdown.text() == "03:00", timeout=2000)
    assert screen.timer_state.text() == "running"
    timer.remaining = 1
    timer.tick()
    qtbot.waitUntil(lambda: screen.timer_state.text() == "TIME IS UP", timeout=2000)
    assert screen.countdown.text() == "00:00" and screen.countdown.property("state") == "alert"


def test_full_screen_with_f11_and_esc_and_send_to_a_screen(qtbot: QtBot, screen: SharedScreen) -> None:
    screen.activateWindow()
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is screen, timeout=2000)
    qtbot.keyClick(screen, QtCore.Qt.Key.Key_F11)
    qtbot.waitUntil(screen.isFullScreen, timeout=2000)
    qtbot.keyClick(screen, QtCore.Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not screen.isFullScreen(), timeout=2000)

    screens = QtGui.QGuiApplication.screens()
    menu = screen.screen_menu()
    send = next(a.menu() for a in menu.actions() if a.menu() is not None)
    assert isinstance(send, QtWidgets.QMenu)
    assert len(send.actions()) == len(screens)
    send.actions()[0].trigger()
    assert screen.screen() is screens[0]
    assert screens[0].availableGeometry().contains(screen.geometry().topLeft())


@pytest.mark.parametrize(
    ("width", "height"), [(1280, 720), (1920, 1080), (3840, 2160), (1280, 800), (1024, 768), (1366, 768)]
)
def test_the_layout_fits_and_the_type_scales(
    qtbot: QtBot, session: SessionController, screen: SharedScreen, width: int, height: int
) -> None:
    session.execute(c.Advance())
    to_phase(session, "moves")
    session.execute(c.SubmitDecision("red", action="talk"))
    screen.resize(width, height)
    qtbot.waitUntil(lambda: screen.size() == QtCore.QSize(width, height), timeout=2000)
    QtWidgets.QApplication.processEvents()
    assert screen.card_title.font().pixelSize() == screen.px("card_title")
    scale = min(height / 1080, width / 1920)  # a 4:3 or 16:10 screen: its width sets the type
    assert screen.px("body") == round(28 * scale)
    assert screen.countdown.font().pixelSize() == round(104 * scale)
    window = screen.rect()
    for widget in screen.findChildren(QtWidgets.QWidget):
        if not widget.isVisibleTo(screen) or widget.isWindow():
            continue
        rect = QtCore.QRect(widget.mapTo(screen, QtCore.QPoint(0, 0)), widget.size())
        assert window.contains(rect), f"{type(widget).__name__} {widget.objectName()} {rect} > {window}"
        if isinstance(widget, QtWidgets.QLabel) and widget.wordWrap() and widget.text():
            needed = widget.heightForWidth(widget.contentsRect().width())
            assert widget.contentsRect().height() >= needed, f"{widget.text()!r} is cut at {width}×{height}"


def test_at_the_reveal_the_board_takes_the_card_s_room_and_the_chart_keeps_its_size(
    qtbot: QtBot, session: SessionController, screen: SharedScreen
) -> None:
    session.execute(c.Advance())
    to_phase(session, "moves")
    for team in ("red", "blue", "green"):
        session.execute(c.SubmitDecision(team, action="talk"))
    QtWidgets.QApplication.processEvents()
    chart, board = screen.chart.size(), screen.board.height()
    session.execute(c.Advance())  # reveal
    QtWidgets.QApplication.processEvents()
    assert not screen.card_text.isVisible()
    assert screen.board.height() > board
    assert screen.chart.size() == chart  # resizing a chart costs a frame at every reveal


def test_board_rows_get_smaller_type_rather_than_be_cut(qtbot: QtBot) -> None:
    board = TeamBoard()
    qtbot.addWidget(board)
    board.resize(600, 240)  # eight rows of one line each
    board.max_px, board.min_px = 30, 10
    talk = [BoardRow("#3366cc", f"Team {n}", "Talk") for n in range(7)]
    board.set_rows([BoardRow("#cc3333", "Red", "Pass"), *talk])
    largest = board.text_px()
    assert largest == int(240 / 8 * 0.62)  # short rows: as large as a row allows
    long_move = "Propose a military-to-military channel with the neighbours → Estonia"
    board.set_rows([BoardRow("#cc3333", "Red", long_move), *talk])
    size = board.text_px()
    assert 10 <= size < largest and board.line_counts() == [1] * 8
    bold, plain = QtGui.QFont(board.font()), QtGui.QFont(board.font())
    bold.setBold(True)
    bold.setPixelSize(size)
    plain.setPixelSize(size)
    name = QtGui.QFontMetricsF(bold).horizontalAdvance("Red: ")
    assert 2 + 2 * size + name + QtGui.QFontMetricsF(plain).horizontalAdvance(long_move) <= 600


def test_a_long_move_wraps_and_takes_the_room_it_needs_rather_than_be_cut(qtbot: QtBot) -> None:
    """A free-text move is what the room debates at the reveal: all of it, on several lines."""
    board = TeamBoard()
    qtbot.addWidget(board)
    board.resize(900, 480)  # eight rows of 60 pixels
    board.max_px, board.min_px = 30, 14
    free_text = (
        "Free text: " + "Russia's defence ministry announces that it will treat any drone as hostile. " * 3
    )
    rows = [BoardRow("#cc3333", "Russia", free_text)] + [
        BoardRow("#3366cc", f"T{n}", "Talk") for n in range(7)
    ]
    board.set_rows(rows)
    size = board.text_px()
    counts = board.line_counts()
    assert size >= 14 and counts[0] > 60 // (size * board.LINE_HEIGHT)  # more lines than an even share
    assert counts[1:] == [1] * 7
    assert sum(counts) * size * board.LINE_HEIGHT <= 480  # every row whole
    assert not board.grab().isNull()
    board.set_rows([BoardRow("#cc3333", "Russia", free_text * 20), *rows[1:]])  # more than the board holds
    assert board.text_px() == 14  # the smallest type, and the row cut short
    assert not board.grab().isNull()


def test_map_markers_sit_on_the_map(qtbot: QtBot, session: SessionController) -> None:
    view = MapView(session.deck)
    qtbot.addWidget(view)
    view.resize(800, 600)
    session.execute(c.Advance())
    view.update_from(session.state)
    point, inside = view.marker_point(view.markers[0].place)
    assert inside and view.map_rect().contains(point)
    assert view.renderer.isValid()
    image = view.grab().toImage()
    assert image.pixelColor(point.toPoint()) != image.pixelColor(QtCore.QPoint(2, 2))
    view.resize(400, 300)  # the map, drawn once per size, is drawn again at the new size
    fresh = MapView(session.deck)
    qtbot.addWidget(fresh)
    fresh.resize(400, 300)
    fresh.update_from(session.state)
    assert view.grab().toImage() == fresh.grab().toImage()


def test_a_label_goes_above_its_marker_unless_that_covers_something(qtbot: QtBot) -> None:
    size, point = QtCore.QSizeF(100, 20), QtCore.QPointF(200, 200)
    bounds = QtCore.QRectF(0, 0, 400, 400)
    above = place_label(size, point, 10, bounds, [])
    assert above == QtCore.QRectF(150, 170, 100, 20)
    below = place_label(size, point, 10, bounds, [(above, 1.0)])
    assert below == QtCore.QRectF(150, 210, 100, 20)
    at_the_top = place_label(size, QtCore.QPointF(200, 5), 10, bounds, [])
    assert bounds.contains(at_the_top) and at_the_top.top() >= 15  # below: no room above


def test_map_labels_keep_clear_of_the_map_s_names_and_of_each_other(qtbot: QtBot) -> None:
    deck = load_deck_file(BALTIC_DECK).deck
    view = MapView(deck)
    qtbot.addWidget(view)
    view.resize(840, 800)
    places = {place.id: place for place in deck.places}
    names = view.map_text_rects()
    assert len(names) == len(view.texts) > 10 and all(view.map_rect().intersects(box) for box in names)

    view.markers = [Marker(places["eastern_latvia"], "Drones crash in Latvia", 1, True)]
    ((_, label),) = view.labels()
    assert not any(label.intersects(name) for name in names)  # above it was "Latvia"

    used = list(dict.fromkeys(card.place for card in deck.cards if card.place))
    off_map = [p for p in used if not view.marker_point(places[p])[1]]
    assert len(off_map) >= 3 and len(used) >= 12  # several off the map, at the same corner
    view.markers = [Marker(places[p], p, 1, i == len(used) - 1) for i, p in enumerate(used)]
    labelled = view.labels()
    labels = [label for _, label in labelled]
    assert sorted(marker.place.id for group, _ in labelled for marker in group) == sorted(used)
    # off the map at one corner, one arrow and one label: "New York, Brussels (off map)"
    corner = [group for group, _ in labelled if len({marker.place.id for marker in group}) > 1]
    assert len(corner) == 1 and {m.place.id for m in corner[0]} <= set(off_map)
    assert all(view.map_rect().contains(label) for label in labels)
    assert not any(a.intersects(b) for a, b in combinations(labels, 2))
    assert not view.grab().isNull()


def test_the_map_is_drawn_again_when_the_screen_s_pixel_ratio_changes(
    qtbot: QtBot, session: SessionController
) -> None:
    """On another monitor the same pixel size can mean half the widget (4K at 100% vs at 200%)."""

    class OnTwoScreens(MapView):
        ratio = 1.0

        def devicePixelRatioF(self) -> float:
            return self.ratio

    view = OnTwoScreens(session.deck)
    qtbot.addWidget(view)
    view.resize(400, 400)
    first = view._map_pixmap()
    assert first.devicePixelRatio() == 1.0
    view.ratio = 2.0
    view.resize(200, 200)  # the same 400 x 400 pixels
    drawn = view._map_pixmap()
    assert drawn.devicePixelRatio() == 2.0 and drawn.size() == first.size()
    assert drawn.size().width() == round(view.map_rect().width() * 2)


def test_the_map_moving_in_its_widget_is_not_drawn_or_labelled_again(
    qtbot: QtBot, session: SessionController
) -> None:
    """The shared screen's entry bar goes at the reveal: the map widget grows taller, but the
    map (as wide as it was) keeps its size, its rendering and its labels, moved with it."""
    view = MapView(session.deck)
    qtbot.addWidget(view)
    place = session.deck.places[0]
    view.markers = [Marker(place, "A card", 1, True)]
    view.resize(400, 500)
    pixmap, labels = view._map_pixmap(), view.labels()
    view.resize(400, 560)
    assert view._map_pixmap() is pixmap
    moved = view.labels()
    assert [label.translated(0, 30) for _, label in labels] == [label for _, label in moved]


@pytest.mark.qt_log_ignore("^This plugin does not support raise\\(\\)$")  # offscreen: raise_() is a no-op
def test_view_menu_opens_the_shared_screen_and_closes_it_with_the_session(qtbot: QtBot, store: Store) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.shared_screen_action.trigger()
    assert window.shared_screen is None  # no session open yet
    assert window.shared_screen_action.shortcut().toString() == "Ctrl+Shift+S"
    first = window.start_session(load_deck_file(MINI_DECK), c.CreateSession(seed=1, teams=TEAMS))
    window.shared_screen_action.trigger()
    shared = window.shared_screen
    assert shared is not None and shared.isVisible() and shared.session is first
    window.shared_screen_action.trigger()
    assert window.shared_screen is shared  # raised, not opened twice
    assert window.console is not None
    window.console.advance()
    assert shared.position.text().startswith("Turn 1 of")
    with qtbot.waitSignal(shared.closed):
        window.start_session(load_deck_file(MINI_DECK), c.CreateSession(seed=2, teams=TEAMS))
    assert window.shared_screen is None
    window.shared_screen_action.trigger()
    assert window.shared_screen is not None and window.shared_screen.session is not first
    window.show_start_page()
    assert window.shared_screen is None


@pytest.mark.qt_log_ignore("^This plugin does not support raise\\(\\)$")  # offscreen: raise_() is a no-op
def test_a_shared_screen_closed_by_its_window_follows_the_session_when_opened_again(
    qtbot: QtBot, store: Store
) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    session = window.start_session(load_deck_file(MINI_DECK), c.CreateSession(seed=1, teams=TEAMS))
    assert session is not None
    shared = window.open_shared_screen()
    assert shared is not None
    shared.close()  # the window's close button, on the projector
    session.execute(c.Advance())
    assert window.open_shared_screen() is shared
    assert shared.position.text() == "Turn 1 of 3 · Inject"  # where the session is now
    session.execute(c.Advance())
    assert shared.position.text() == "Turn 1 of 3 · Deliberation"  # and it follows again
    assert shared.timer is not None
    shared.timer.add_minute()
    minutes, seconds = divmod(shared.timer.remaining, 60)
    assert shared.countdown.text() == f"{minutes:02d}:{seconds:02d}"  # its clock follows too


@pytest.mark.qt_log_ignore("^This plugin does not support raise\\(\\)$")  # offscreen: raise_() is a no-op
def test_view_menu_sends_the_shared_screen_to_a_monitor(qtbot: QtBot, store: Store) -> None:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.start_session(load_deck_file(MINI_DECK), c.CreateSession(seed=1, teams=TEAMS))
    window.send_menu.aboutToShow.emit()
    monitors = window.send_menu.actions()
    assert len(monitors) == len(QtGui.QGuiApplication.screens()) >= 1
    monitors[0].trigger()
    shared = window.shared_screen
    assert shared is not None and shared.screen() is QtGui.QGuiApplication.screens()[0]


def test_a_band_too_narrow_for_its_name_shows_its_number(qtbot: QtBot) -> None:
    metrics = QtGui.QFontMetrics(QtGui.QFont())
    name = "Traditional crisis: hardening of positions"
    assert band_text(metrics, 1, name, 10_000) == f"2. {name}"
    assert band_text(metrics, 1, name, metrics.horizontalAdvance("2. Trad")) == "2"
    assert band_text(metrics, 1, name, 0) == ""


def test_a_band_name_drops_its_bracketed_remark_before_it_gives_way_to_the_number(qtbot: QtBot) -> None:
    metrics = QtGui.QFontMetrics(QtGui.QFont())
    name = "Intense crisis (rungs 10–12)"
    room = metrics.horizontalAdvance("5. Intense crisis")
    assert metrics.horizontalAdvance(f"5. {name}") > room
    assert band_text(metrics, 4, name, room) == "5. Intense crisis"


def test_a_long_team_name_gets_a_wider_entry_button_not_a_cut_one(
    qtbot: QtBot, session: SessionController, screen: SharedScreen
) -> None:
    session.execute(c.MergeTeams(("red", "blue"), "coalition", "Red and Blue Coalition of the Willing"))
    to_phase(session, "moves")
    screen.resize(1024, 768)
    qtbot.waitUntil(lambda: set(screen.entry_buttons) == {"green", "coalition"})
    long, short = screen.entry_buttons["coalition"], screen.entry_buttons["green"]
    qtbot.waitUntil(lambda: long.width() > short.width())
    for button in (long, short):
        assert button.fontMetrics().horizontalAdvance(button.text()) < button.width(), button.text()
