"""A settings section: a titled form whose refusals appear beside their fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from desktop_app.services.books import Books
from desktop_app.ui.context import Context
from desktop_app.ui.ops import Changes
from desktop_app.ui.widgets import ErrorLabel, FormErrors, NoteLabel, heading


class Section(QWidget):
    """A titled form with a banner for refusals that name no field.

    A section loads when Settings is first shown, and again only for changes it ``watches``
    (made elsewhere): a save in one section never overwrites what is being typed in another.
    """

    watches = Changes.NONE

    def __init__(self, ctx: Context, title: str, intro: str = "") -> None:
        super().__init__()
        self.ctx = ctx
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.banner = ErrorLabel()
        self.errors = FormErrors(self.banner)
        self.note = NoteLabel()
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(heading(title))
        if intro:
            self.layout_.addWidget(NoteLabel(intro))
        self.layout_.addLayout(self.form)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.layout_.addLayout(self.buttons)
        self.layout_.addWidget(self.banner)
        self.layout_.addWidget(self.note)
        self.layout_.addStretch(1)

    def add_field(self, label: str, names: str | tuple[str, ...], widget: QWidget) -> Any:
        self.form.addRow(label, self.errors.field(names, widget))
        return widget

    def button(self, label: str, handler: Callable[[], None], tip: str = "") -> QPushButton:
        button = QPushButton(label)
        button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: handler())
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        return button

    def run(self, call: Callable[[Books], Any], done: Callable[[Any], None]) -> None:
        self.errors.clear()
        self.note.setText("")
        self.ctx.ops.change(call, done, on_refused=self.errors.show, owner=self)

    def refresh(self) -> None:
        """Load what the section shows."""
