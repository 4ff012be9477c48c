"""A narrow toolbar moves its actions into More in the order given, and takes them back."""

from __future__ import annotations

from PySide6.QtGui import QAction

from desktop_app.ui.spilling_toolbar import SpillingToolBar


def test_actions_move_into_the_menu_in_order_and_come_back(qtbot):
    bar = SpillingToolBar("More", "the rest")
    qtbot.addWidget(bar)
    actions = [QAction(f"Action with a long name {n}", bar) for n in range(4)]
    kept = QAction("Always in the menu", bar)
    for action in actions:
        bar.add(action, gap_after=action is actions[1])
    bar.keep_in_menu(kept)
    bar.give_way(actions[3], actions[0])
    bar.resize(3000, bar.sizeHint().height())
    bar.show()
    qtbot.waitExposed(bar)
    whole = bar.sizeHint().width()
    bar.resize(whole, bar.height())
    qtbot.waitUntil(lambda: bar.width() == whole)
    assert bar.spilled() == []
    assert bar.menu.actions() == [kept]

    bar.resize(whole - 10, bar.height())
    qtbot.waitUntil(lambda: bar.spilled() == [actions[3]])
    assert actions[3] not in bar.actions() and bar.menu.actions()[0] is actions[3]
    assert bar.menu.actions()[-1] is kept

    bar.resize(whole // 3, bar.height())
    qtbot.waitUntil(lambda: bar.spilled() == [actions[3], actions[0]])
    assert [a for a in bar.menu.actions() if not a.isSeparator()] == [actions[0], actions[3],
                                                                      kept]
    assert actions[1] in bar.actions() and actions[2] in bar.actions()  # they never give way

    bar.resize(whole, bar.height())
    qtbot.waitUntil(lambda: bar.spilled() == [])
    assert [a for a in bar.actions() if a in actions] == actions
    assert bar.menu.actions() == [kept]
