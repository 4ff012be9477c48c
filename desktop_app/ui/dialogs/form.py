"""A dialog whose OK runs a service call in the background and stays open on a refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaidUpError
from desktop_app.services.books import Books
from desktop_app.ui.context import Context
from desktop_app.ui.translate import N_, _
from desktop_app.ui.widgets import ErrorLabel, FormErrors, NoteLabel, ScrollingFields, fit_to_screen


def ask_to_save(dialog: QDialog, save_text: str, save: Callable[[], None],
                discard: Callable[[], None]) -> QMessageBox:
    """Asks whether to save a changed form being closed (Save, Discard, or stay: Cancel);
    returned so that a test can answer it."""
    ask = QMessageBox(QMessageBox.Icon.Question, dialog.windowTitle(),
                      _("Save your changes before closing?"), parent=dialog)
    saving = ask.addButton(save_text, QMessageBox.ButtonRole.AcceptRole)
    discarding = ask.addButton(_("Discard"), QMessageBox.ButtonRole.DestructiveRole)
    ask.addButton(QMessageBox.StandardButton.Cancel)
    ask.setDefaultButton(saving)

    def answered() -> None:
        clicked = ask.clickedButton()
        if clicked is saving:
            save()
        elif clicked is discarding:
            discard()

    ask.finished.connect(lambda _result: answered())
    ask.open()
    return ask


class FormDialog(QDialog):
    """Subclasses fill ``self.form`` and implement :meth:`work` and :meth:`succeeded`.

    On a refusal the message appears beside the field it names and every value stays as the
    user typed it; on success the dialog closes.
    """

    ok_text = N_("Save")

    def __init__(self, ctx: Context, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent or ctx.window)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.intro = NoteLabel()
        self.intro.setVisible(False)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.banner = ErrorLabel()
        self.errors = FormErrors(self.banner)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button.setText(_(self.ok_text))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.fields = ScrollingFields(self.form)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.intro)
        self.body.addWidget(self.fields, 1)
        self.body.addWidget(self.banner)
        self.body.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self._fitted = False  # sized and placed on the screen when first shown
        self.busy = False
        self.dirty = False  # the user changed a field since the form opened
        self.errors.edited = self._edited
        self.ask: QMessageBox | None = None

    def opening_size(self) -> QSize:
        """The size the form opens at if the screen has it: all of it, or what a subclass
        resized it to."""
        hint = self.sizeHint().expandedTo(self.minimumSize())
        if self.testAttribute(Qt.WidgetAttribute.WA_Resized):
            hint = hint.expandedTo(self.size())
        if self.hasHeightForWidth():  # an intro of several lines at that width
            hint.setHeight(max(hint.height(), self.heightForWidth(hint.width())))
        return hint

    def setVisible(self, visible: bool) -> None:
        if visible and not self._fitted:
            self._fitted = True
            self.ensurePolished()
            size = self.opening_size()
            fit_to_screen(self, size.width(), size.height(), self.parentWidget())
        super().setVisible(visible)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def say(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.setVisible(bool(text))

    def add_field(self, label: str, names: str | tuple[str, ...], widget: QWidget) -> QWidget:
        """A form row whose error line shows refusals of the named fields."""
        box = self.errors.field(names, widget)
        self.form.addRow(label, box)
        return widget

    def work(self) -> Callable[[Books], Any]:
        """The service call, built from the form's values now (on the UI thread)."""
        raise NotImplementedError

    def succeeded(self, result: Any) -> None:
        """Called with the service's result before the dialog closes."""

    def submit(self) -> None:
        if self.busy:
            return
        self.errors.clear()
        try:
            call = self.work()
        except PaidUpError as exc:  # a value the form itself could not read
            self.errors.show(exc)
            return
        self._set_busy(True)
        self.ctx.ops.change(call, self._done, on_refused=self._refused, owner=self)

    def _edited(self) -> None:
        self.dirty = True

    def reject(self) -> None:
        """Cancel, Escape or the close box: what was typed is not dropped unasked."""
        if not self.dirty or self.busy:
            super().reject()
            return

        def discard() -> None:
            self.dirty = False
            super(FormDialog, self).reject()

        self.ask = ask_to_save(self, self.ok_button.text(), self.submit, discard)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dirty and not self.busy:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.ok_button.setEnabled(not busy)

    def _refused(self, exc: PaidUpError) -> None:
        self._set_busy(False)
        self.errors.show(exc)

    def _done(self, result: Any) -> None:
        self._set_busy(False)
        self.succeeded(result)
        self.accept()
