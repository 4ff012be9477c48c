"""A toolbar whose less used actions move into its More menu when the window is too narrow for
all of them, in the order given: German and Russian labels are longer than English ones, and
Qt's own overflow arrow hides whichever actions happen to be last."""

from __future__ import annotations

from PySide6.QtGui import QAction, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QMenu, QToolBar, QToolButton, QWidget


class SpillingToolBar(QToolBar):
    def __init__(self, more: str, more_tip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.menu = QMenu(self)
        self._bar: list[tuple[QAction, bool]] = []  # in the bar's order; a gap after it?
        self._gives_way: list[QAction] = []  # the first moves into the menu first
        self._kept: list[QAction] = []  # always in the menu, below what moved there
        self._spilled: list[QAction] = []
        self._bar_gaps: list[QAction] = []
        self._menu_gaps: list[QAction] = []
        self._widths: dict[QAction, int] = {}  # each action's room on the bar, once measured
        self._whole = 0  # the bar's width with every action on it
        button = QToolButton()
        button.setText(more)
        button.setToolTip(more_tip)
        button.setMenu(self.menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more = button
        self._more_gap = self.addSeparator()
        self.addWidget(button)

    def add(self, action: QAction, gap_after: bool = False) -> None:
        """An action on the bar, while there is room for it."""
        self._bar.append((action, gap_after))
        self._widths = {}
        self._place([])

    def keep_in_menu(self, action: QAction) -> None:
        self._kept.append(action)
        self.menu.addAction(action)

    def give_way(self, *actions: QAction) -> None:
        """The order in which actions of the bar move into the menu when room is short."""
        self._gives_way = list(actions)
        self.fit()

    def spilled(self) -> list[QAction]:
        return list(self._spilled)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event: QShowEvent) -> None:
        self._widths = {}  # measured again in the style and font the bar is shown in
        super().showEvent(event)
        self.fit()

    def fit(self) -> None:
        if not self._widths:
            self._place([])
            spacing = self.layout().spacing()
            self._widths = {action: self.widgetForAction(action).sizeHint().width() + spacing
                            for action, _gap in self._bar}
            self._whole = self.sizeHint().width()
        over, spilled = self._whole - self.width(), []
        for action in self._gives_way:
            if over <= 0:
                break
            spilled.append(action)
            over -= self._widths[action]
        if spilled != self._spilled:
            self._place(spilled)

    def _place(self, spilled: list[QAction]) -> None:
        for action, _gap in self._bar:
            self.removeAction(action)
            self.menu.removeAction(action)
        for gap in self._bar_gaps:
            self.removeAction(gap)
        for gap in self._menu_gaps:
            self.menu.removeAction(gap)
        self._bar_gaps, self._menu_gaps = [], []
        for action, gap in self._bar:
            if action not in spilled:
                self.insertAction(self._more_gap, action)
                if gap:
                    self._bar_gaps.append(self.insertSeparator(self._more_gap))
        first_kept = self._kept[0] if self._kept else None
        moved = [action for action, _gap in self._bar if action in spilled]
        for action in moved:
            self.menu.insertAction(first_kept, action)  # type: ignore[arg-type]
        if moved and first_kept is not None:
            self._menu_gaps.append(self.menu.insertSeparator(first_kept))
        self._spilled = list(spilled)
