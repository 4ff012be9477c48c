"""Small widgets every page uses: refusals beside fields, empty states, search fields."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaidUpError, ValidationError, ValidationErrors
from desktop_app.ui import display, theme
from desktop_app.ui.translate import _

# A customer's name as long as most are: the room a name column never gives up.
CUSTOMER_SAMPLE = "Bäckerei Sonnenschein"


class _Tinted(QLabel):
    """A label whose colour follows the system palette (light or dark)."""

    def __init__(self, colour: Callable[[], QColor], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._colour = colour
        self._applied = -1
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._apply()

    def _apply(self) -> None:
        # The colour goes into the label's own palette, not a style sheet: a label with a
        # style sheet is not told when the system turns dark, one with a palette is.
        colour = self._colour()
        if colour.rgba() != self._applied:
            self._applied = colour.rgba()
            pal = self.palette()
            pal.setColor(QPalette.ColorRole.WindowText, colour)
            self.setPalette(pal)

    def colour(self) -> QColor:
        """The colour the text is drawn in (for tests)."""
        return self.palette().color(QPalette.ColorRole.WindowText)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            self._apply()
        super().changeEvent(event)


class ErrorLabel(_Tinted):
    """Shows a refusal in words; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(theme.error_color, parent)
        self.setVisible(False)
        self.setAccessibleName(_("Error"))

    def say(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))


class NoteLabel(_Tinted):
    """A quiet line: confirmations, hints, counts."""

    def __init__(self, message: str = "", parent: QWidget | None = None) -> None:
        super().__init__(theme.muted_color, parent)
        self.setText(message)


class FormErrors:
    """Puts a service's refusal beside the field it names (``ValidationError.field``).

    Refusals without a field, or with one no widget claims, go to the banner. Nothing the user
    typed is touched: the form stays as it was, with the message beside the field.
    """

    def __init__(self, banner: ErrorLabel) -> None:
        self.banner = banner
        self._fields: list[tuple[Callable[[str], bool], QWidget | None, ErrorLabel]] = []
        self.edited: Callable[[], None] = lambda: None  # any claimed field was edited

    def field(self, names: str | Iterable[str], widget: QWidget) -> QWidget:
        """``widget`` with an error line beneath it, for a form layout row."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        label = ErrorLabel(box)
        layout.addWidget(label)
        layout.addStretch(1)  # a field with a maximum height stays at the top of its row
        self.claim(names, widget, label)
        return box

    def claim(self, names: str | Iterable[str] | Callable[[str], bool], widget: QWidget | None,
              label: ErrorLabel) -> None:
        if callable(names):
            match = names
        else:
            wanted = {names} if isinstance(names, str) else set(names)
            match = wanted.__contains__
        self._fields.append((match, widget, label))
        if widget is not None:
            on_edit(widget, lambda: (label.say(""), self.edited()))

    def clear(self) -> None:
        self.banner.say("")
        for _key, _widget, label in self._fields:
            label.say("")

    def show(self, exc: PaidUpError) -> None:
        """Every refusal beside its field at once (``ValidationErrors``); the first field
        refused gets the focus; what no field claims goes to the banner."""
        self.clear()
        refusals = exc.errors if isinstance(exc, ValidationErrors) else (exc,)
        unclaimed: list[str] = []
        focused = False
        for one in refusals:
            claimed = self._beside_field(one) if isinstance(one, ValidationError) else None
            if claimed is None:
                unclaimed.append(display.refusal(one))
            elif not focused and claimed is not False:
                claimed.setFocus(Qt.FocusReason.OtherFocusReason)
                reveal(claimed)
                focused = True
        self.banner.say(" ".join(unclaimed))

    def _beside_field(self, exc: ValidationError) -> QWidget | bool | None:
        for match, widget, label in self._fields:
            if match(exc.field):
                label.say(display.sentence(display.refused(exc)))
                return widget if widget is not None else False
        return None


def on_edit(widget: QWidget, then: Callable[[], None]) -> None:
    """Call ``then`` when the user changes the field (the form's own widgets, and the
    first of them inside a compound field)."""
    editors = [widget, *widget.findChildren(QWidget)]
    for editor in editors:
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _t: then())
        elif isinstance(editor, QPlainTextEdit):  # typed, not filled in by the form
            editor.textChanged.connect(
                lambda e=editor: then() if e.hasFocus() else None)
        elif isinstance(editor, QComboBox):
            editor.activated.connect(lambda _i: then())
        elif isinstance(editor, QDateEdit):
            editor.editingFinished.connect(then)
        elif isinstance(editor, QCheckBox):
            editor.clicked.connect(lambda _on: then())
        else:
            continue
        return


class EmptyState(QWidget):
    """A calm page that says what will appear here, and nothing made up."""

    def __init__(self, title: str, body: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        heading = QLabel(title)
        heading.setFont(theme.scaled_font(self.font(), 1.5, bold=True))
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(heading)
        self.body = NoteLabel(body)
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Wrapped text in a centred row gets no height for its width from the layout: give
        # it a fixed width and the height that width needs.
        width = min(520, max(self.body.fontMetrics().averageCharWidth() * 70, 320))
        self.body.setFixedWidth(width)
        self.body.setMinimumHeight(self.body.heightForWidth(width))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.body)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(3)


def heading(title: str, parent: QWidget | None = None, factor: float = 1.25) -> QLabel:
    label = QLabel(title, parent)
    label.setFont(theme.scaled_font(label.font(), factor, bold=True))
    return label


def rule() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


class SearchField(QLineEdit):
    """Search as you type: ``search`` fires once the user pauses, not on every key."""

    search = Signal(str)
    DELAY_MS = 250

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(lambda: self.search.emit(self.text().strip()))
        self.textChanged.connect(lambda _text: self._timer.start())
        self.returnPressed.connect(self._now)
        shortcut = QKeySequence(QKeySequence.StandardKey.Find).toString(
            QKeySequence.SequenceFormat.NativeText)
        self.setToolTip(f"{placeholder} ({shortcut})")

    def _now(self) -> None:
        self._timer.stop()
        self.search.emit(self.text().strip())


def list_view(parent: QWidget | None = None) -> QTableView:
    """A table for lists: whole rows, fixed row height (cheap to lay out at 100,000 rows)."""
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setSortingEnabled(True)
    vertical = view.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setStretchLastSection(False)
    return view


class ReadableColumn(QObject):
    """One column of a list takes the room the others leave, but never less than ``floor``
    pixels: on a narrow window the list scrolls sideways instead of cutting a customer's name
    to "Hans…" (Qt's Stretch mode has no floor of its own). The column ``yields`` names
    (its tooltip saying it whole) gives up width, down to its least, for this one to have
    ``want`` pixels (a longer name than most) before it has to scroll. On a wide window, the
    room beyond ``want`` goes to the ``spare`` column (free text, such as a reference), which
    would otherwise stay cut at its set width beside a half-empty name column."""

    def __init__(self, view: QTableView, column: int, floor: int,
                 yields: tuple[int, int] | None = None, want: int = 0,
                 spare: int | None = None) -> None:
        super().__init__(view)
        self.view, self.column, self.floor, self.yields = view, column, floor, yields
        self.want, self.spare = max(want, floor), spare
        self._yields_width = view.horizontalHeader().sectionSize(yields[0]) if yields else 0
        self._spare_width = view.horizontalHeader().sectionSize(spare) if spare is not None \
            else 0
        self._fitting = False
        header = view.horizontalHeader()
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._other_resized)
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _other_resized(self, column: int, _old: int, new: int) -> None:
        if self._fitting:
            return
        if self.yields and column == self.yields[0]:
            self._yields_width = new  # the person chose it
        if column == self.spare:
            self._spare_width = new
        if column != self.column:
            self.fit()

    def fit(self) -> None:
        if self._fitting:
            return
        self._fitting = True
        try:
            header = self.view.horizontalHeader()
            if self.yields:
                header.resizeSection(self.yields[0], self._yields_width)
            if self.spare is not None:
                header.resizeSection(self.spare, self._spare_width)
            others = sum(header.sectionSize(c) for c in range(header.count())
                         if c != self.column and not header.isSectionHidden(c))
            room = self.view.viewport().width() - others
            if self.yields and room < self.want:
                column, least = self.yields
                give = max(0, min(self.want - room, self._yields_width - least))
                header.resizeSection(column, self._yields_width - give)
                room += give
            if self.spare is not None and room > self.want:
                header.resizeSection(self.spare, self._spare_width + room - self.want)
                room = self.want
            header.resizeSection(self.column, max(self.floor, room))
        finally:
            self._fitting = False


def text_width(widget: QWidget, sample: str, padding: int = 16) -> int:
    """Room for ``sample`` in the widget's font, with a cell's margins and sort arrow."""
    return widget.fontMetrics().horizontalAdvance(sample) + padding


def free_area(window: QWidget, anchor: QWidget | None = None) -> tuple[QRect, QSize]:
    """The free area of the screen of ``anchor`` when given, else of ``window`` (the taskbar
    left out), and the largest size the window can have whole on it (its frame and title bar
    left out too)."""
    screen = (anchor or window).screen() or QGuiApplication.primaryScreen()
    free = screen.availableGeometry()
    title_bar = window.style().pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight) + 8
    return free, QSize(free.width() - 16, free.height() - title_bar)


def fit_to_screen(window: QWidget, width: int, height: int, anchor: QWidget | None = None
                  ) -> None:
    """Size a window to ``width`` x ``height`` but never beyond the screen's free area (the
    taskbar and a title bar left out), on the screen of ``anchor`` when given, and put it
    where it is whole on that screen: over the middle of ``anchor``'s window as far as it can
    be, else in the middle of the screen."""
    free, room = free_area(window, anchor)
    window.resize(min(width, room.width()), min(height, room.height()))
    side = (free.width() - room.width()) // 2  # room for the frame, each side
    frame = QSize(window.width() + 2 * side, window.height() + free.height() - room.height())
    middle = anchor.window().frameGeometry().center() if anchor is not None else free.center()
    window.move(side + max(free.left(), min(middle.x() - frame.width() // 2,
                                            free.right() + 1 - frame.width())),
                max(free.top(), min(middle.y() - frame.height() // 2,
                                    free.bottom() + 1 - frame.height())))


class ScrollingFields(QScrollArea):
    """A dialog's fields in a frameless scroll area that asks for their whole size: the dialog
    opens with every field in view, and grows when a refusal adds a line, as far as the
    screen has room; beyond it the fields scroll while the dialog's buttons, outside this
    area, stay on the screen. Give it the fields' layout or a widget holding them."""

    def __init__(self, fields: QWidget | QLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if isinstance(fields, QLayout):
            fields.setContentsMargins(0, 0, 0, 0)
            box = QWidget()
            box.setLayout(fields)
            fields = box
        self.setWidget(fields)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        fields.installEventFilter(self)
        self._growing = QTimer(self)  # once the layouts have settled
        self._growing.setSingleShot(True)
        self._growing.setInterval(0)
        self._growing.timeout.connect(self._grow)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # a line came or went
            self._growing.start()
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._growing.start()

    def _bar(self) -> int:
        return self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)

    def _least_height(self) -> int:
        """The fields' height without scrolling, at their width now (before they show, at
        the width they ask for)."""
        fields = self.widget()
        least = fields.minimumSizeHint()
        if fields.hasHeightForWidth():
            width = self.viewport().width() if self.isVisible() else fields.sizeHint().width()
            return max(least.height(), fields.heightForWidth(max(width, least.width())))
        return least.height()

    def sizeHint(self) -> QSize:
        """All the fields, with room beside them for a scroll bar (so that none is narrower
        when one shows)."""
        hint = self.widget().sizeHint()
        return QSize(hint.width() + self._bar(), max(hint.height(), self._least_height()))

    def minimumSizeHint(self) -> QSize:
        """The fields' least width beside a scroll bar, and a few lines of them."""
        return QSize(self.widget().minimumSizeHint().width() + self._bar(),
                     min(4 * self.fontMetrics().height(), self._least_height()))

    def _grow(self) -> None:
        """The dialog taller by what the fields lack, as far as its screen has room, its top
        moved up if its bottom would leave the screen."""
        window = self.window()
        short = self._least_height() - self.viewport().height()
        if window is self or not window.isVisible() or short <= 0:
            return
        free, room = free_area(window, window.parentWidget())
        height = min(window.height() + short, room.height())
        if height <= window.height():
            return
        window.resize(window.width(), height)
        bottom = free.bottom() + 1 - height - (free.height() - room.height())
        window.move(window.x(), max(free.top(), min(window.y(), bottom)))


def reveal(widget: QWidget) -> None:
    """Scroll the scroll area ``widget`` is in (if any) to bring it into view, once a line
    that appeared above it has taken its place."""
    area = widget.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    if area is not None:
        QTimer.singleShot(0, area, lambda: area.ensureWidgetVisible(widget))
