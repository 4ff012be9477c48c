"""Buttons that wrap onto the next line in a narrow pane, and stay on one in a wide one."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from desktop_app.ui.flow_layout import FlowLayout


def _row(qtbot, hidden: int | None = None) -> tuple[QWidget, list[QPushButton]]:
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = FlowLayout(holder)
    buttons = [QPushButton(f"Button number {n}") for n in range(4)]
    for button in buttons:
        layout.addWidget(button)
    if hidden is not None:
        buttons[hidden].setVisible(False)
    return holder, buttons


def test_the_row_wraps_where_the_next_button_would_not_fit(qtbot):
    holder, buttons = _row(qtbot)
    one_line = holder.layout().sizeHint()
    holder.resize(one_line.width(), one_line.height())
    holder.show()
    qtbot.waitExposed(holder)
    assert len({b.geometry().top() for b in buttons}) == 1
    narrow = buttons[0].sizeHint().width() * 2 + 10
    assert holder.layout().heightForWidth(narrow) > one_line.height()
    holder.resize(narrow, holder.layout().heightForWidth(narrow))
    qtbot.waitUntil(lambda: len({b.geometry().top() for b in buttons}) == 2)
    assert all(b.geometry().right() < narrow for b in buttons)


def test_a_hidden_button_takes_no_room(qtbot):
    holder, buttons = _row(qtbot, hidden=1)
    shown = [b for b in buttons if not b.isHidden()]
    assert holder.layout().sizeHint().width() == sum(b.sizeHint().width() for b in shown) + 12
    assert holder.layout().minimumSize().width() == max(b.minimumSizeHint().width()
                                                         for b in shown)
