"""First run: a short wizard for books without a company, then an empty book or the demo.
It can be left and resumed: what was typed is kept in the window's settings (never a secret:
the company's public details) until the company is set up."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import PaidUpError, ValidationError
from desktop_app.services import company, demo
from desktop_app.services.books import Books
from desktop_app.services.records import CompanyView
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.invoice_actions import choice_box
from desktop_app.ui.ops import Progress
from desktop_app.ui.translate import _
from desktop_app.ui.widgets import ErrorLabel, FormErrors, NoteLabel, fit_to_screen, heading

DEMO_INVOICES = 60


def set_up(values: dict[str, Any], with_demo: bool, today: date
           ) -> Callable[[Books, Progress], CompanyView]:
    """The company first; the demo data fills the rest of the book around it, in the
    window's language, its days counted on the progress bar (stopped, it leaves none)."""
    def run(books: Books, progress: Progress) -> CompanyView:
        progress.step(0, 1)
        company.set_company(books, **values)
        if with_demo:
            demo.fill_demo(books, as_of=today, invoices=DEMO_INVOICES, words=_,
                           progress=lambda day, days: progress.step(day, days, _("demo data")))
        progress.step(1, 1)
        return company.get_company(books)
    return run


FIELD_STEP = {"name": 0, "address": 0, "email": 0, "phone": 1, "vat-id": 1, "vat_id": 1,
              "tax-id": 1, "tax_id": 1, "iban": 1, "bic": 1, "signer-name": 1,
              "signer_name": 1, "logo": 2, "currency": 3, "paper": 3}
DRAFT_KEY = "first_run/draft"  # what was typed, kept until the company is set up
TEXT_KEYS = ("name", "email", "phone", "vat_id", "tax_id", "iban", "bic", "signer_name",
             "currency")


def pictures_folder() -> str:
    """Where a user keeps a logo: their Pictures folder, else their home."""
    return (QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
            or QStandardPaths.writableLocation(QStandardPaths.StandardLocation.HomeLocation))


class FirstRun(QDialog):
    """Five short steps; a refusal sends the user back to the step with the field."""

    def __init__(self, ctx: Context, on_done: Callable[[CompanyView], None]) -> None:
        super().__init__(ctx.window)
        self.ctx, self.on_done = ctx, on_done
        self.setWindowTitle(_("Welcome to PaidUp"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.banner = ErrorLabel()
        self.errors = FormErrors(self.banner)
        self.steps = QStackedWidget()
        self.logo_path = ""

        company_page, form = self._step(_("Your company"),
                                        _("The name and address printed on your invoices."))
        self.name = self._field(form, _("Company name"), "name", QLineEdit())
        self.address = self._field(form, _("Address"), "address", QPlainTextEdit())
        self.address.setMaximumHeight(90)
        self.email = self._field(form, _("Email"), "email", QLineEdit())

        details_page, form = self._step(_("How you are paid, and who signs"),
                                        _("Printed on invoices and letters so customers can pay "
                                        "and reach you. All optional now; Settings › Company "
                                        "has more (bank account outside the IBAN area, register, "
                                        "directors)."))
        self.phone = self._field(form, _("Phone"), "phone", QLineEdit())
        self.vat_id = self._field(form, _("VAT ID"), ("vat-id", "vat_id"), QLineEdit())
        self.tax_id = self._field(form, _("Tax number"), ("tax-id", "tax_id"), QLineEdit())
        self.iban = self._field(form, _("IBAN"), "iban", QLineEdit())
        self.bic = self._field(form, _("BIC"), "bic", QLineEdit())
        self.signer_name = self._field(form, _("Letters signed by"),
                                       ("signer-name", "signer_name"), QLineEdit())

        logo_page, form = self._step(_("Your logo"), _("Optional: a PNG or JPEG shown at the top "
                                                  "of invoices and letters."))
        self.logo = QLabel(_("No logo chosen"))
        self.logo.setMinimumHeight(80)
        choose = QPushButton(_("Choose logo…"))
        choose.clicked.connect(self.choose_logo)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.logo, 1)
        row_layout.addWidget(choose)
        self._field(form, _("Logo"), "logo", row)

        money_page, form = self._step(_("Money and paper"), _("The currency of your invoices (it "
                                                         "cannot change once you have issued "
                                                         "some) and your printer's paper."))
        self.currency = self._field(form, _("Currency"), "currency", QLineEdit("EUR"))
        self.currency.setMaxLength(3)
        self.paper = self._field(form, _("Paper"), "paper", choice_box(display.PAPER, "a4"))

        start_page, _form = self._step(_("How to start"), "")
        self.empty = QRadioButton(_("An empty book: I will add my customers and invoices"))
        self.demo = QRadioButton(_("Demo data: ten customers and sixty invoices in every state, "
                                 "to try everything out first"))
        self.empty.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.empty)
        group.addButton(self.demo)
        start_page.layout().insertWidget(2, self.empty)
        start_page.layout().insertWidget(3, self.demo)

        for page in (company_page, details_page, logo_page, money_page, start_page):
            self.steps.addWidget(page)
        self.step_label = NoteLabel()
        self.resumed = NoteLabel(_("Welcome back: what you typed last time is kept. Continue "
                                 "where you left off."))
        self.resumed.setVisible(False)
        self.back = QPushButton(_("Back"))
        self.next = QPushButton(_("Next"))
        self.next.setDefault(True)
        self.back.clicked.connect(lambda: self.go(self.steps.currentIndex() - 1))
        self.next.clicked.connect(self.forward)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back)
        buttons.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.addWidget(self.resumed)
        layout.addWidget(self.step_label)
        layout.addWidget(self.steps, 1)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        fit_to_screen(self, 620, 480, ctx.window)
        self.busy = False
        self.ask: QMessageBox | None = None
        self.go(self._restore())

    def _step(self, title: str, intro: str) -> tuple[QWidget, QFormLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(heading(title, factor=1.4))
        layout.addWidget(NoteLabel(intro))
        form = QFormLayout()
        layout.addLayout(form)
        layout.addStretch(1)
        return page, form

    def _field(self, form: QFormLayout, label: str, name: str | tuple[str, ...],
               widget: Any) -> Any:
        form.addRow(label, self.errors.field(name, widget))
        return widget

    def go(self, index: int) -> None:
        self.steps.setCurrentIndex(max(0, min(index, self.steps.count() - 1)))
        last = self.steps.currentIndex() == self.steps.count() - 1
        self.back.setEnabled(self.steps.currentIndex() > 0 and not self.busy)
        self.next.setText(_("Start") if last else _("Next"))
        self.step_label.setText(_("Step {value} of {count}").format(
                                  value=self.steps.currentIndex() + 1, count=self.steps.count()))

    def forward(self) -> None:
        if self.steps.currentIndex() == 0 and not self.name.text().strip():
            self.errors.show(ValidationError("name", _("your company needs a name")))
            return
        if self.steps.currentIndex() < self.steps.count() - 1:
            self.go(self.steps.currentIndex() + 1)
            self._keep()
        else:
            self.finish()

    def choose_logo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose a logo"), pictures_folder(),
                                              _("Images (*.png *.jpg *.jpeg)"))
        if path:
            self.show_logo(path)

    def show_logo(self, path: str) -> None:
        self.logo_path = path
        pixmap = QPixmap(path)
        if not pixmap.isNull():
            self.logo.setPixmap(pixmap.scaledToHeight(
                72, Qt.TransformationMode.SmoothTransformation))

    def values(self) -> dict[str, Any]:
        typed = {key: getattr(self, key).text() for key in TEXT_KEYS}
        return dict(typed, address=self.address.toPlainText(),
                    currency=self.currency.text().strip().upper(),
                    paper=self.paper.currentData(), logo=self.logo_path or None)

    # -- leaving and coming back -------------------------------------------------------------

    def _keep(self) -> None:
        kept = dict(self.values())  # the logo as its file's path, read again on resuming
        kept["step"] = self.steps.currentIndex()
        self.ctx.settings.setValue(DRAFT_KEY, json.dumps(kept))

    def _restore(self) -> int:
        try:
            kept = json.loads(str(self.ctx.settings.value(DRAFT_KEY, "") or "{}"))
        except ValueError:
            kept = {}
        if not isinstance(kept, dict) or not kept:
            return 0
        for key in TEXT_KEYS:
            if isinstance(kept.get(key), str):
                getattr(self, key).setText(kept[key])
        if isinstance(kept.get("address"), str):
            self.address.setPlainText(kept["address"])
        if kept.get("paper"):
            self.paper.setCurrentIndex(max(self.paper.findData(kept["paper"]), 0))
        if isinstance(kept.get("logo"), str) and Path(kept["logo"]).is_file():
            self.show_logo(kept["logo"])
        self.resumed.setVisible(True)
        step = kept.get("step", 0)
        return step if isinstance(step, int) else 0

    def reject(self) -> None:
        """Escape or the close box: asked, never silently, and what was typed is kept."""
        if self.busy:
            return
        self.ask = QMessageBox(
            QMessageBox.Icon.Question, _("Leave the set-up?"),
            _("Without your company no invoice can be made. What you typed is kept, and PaidUp "
            "offers to continue the next time it starts (or from Today)."), parent=self)
        leave = self.ask.addButton(_("Leave for now"), QMessageBox.ButtonRole.DestructiveRole)
        stay = self.ask.addButton(_("Continue the set-up"), QMessageBox.ButtonRole.RejectRole)
        self.ask.setDefaultButton(stay)

        def answered() -> None:
            if self.ask is not None and self.ask.clickedButton() is leave:
                self._keep()
                super(FirstRun, self).reject()

        self.ask.finished.connect(lambda _result: answered())
        self.ask.open()

    def finish(self) -> None:
        if self.busy:
            return
        self.errors.clear()
        self.busy = True
        self.next.setEnabled(False)
        self.back.setEnabled(False)
        self.ctx.ops.long(set_up(self.values(), self.demo.isChecked(), self.ctx.today()),
                          _("Setting up your books"), self._done, on_refused=self._refused,
                          owner=self)

    def _refused(self, exc: PaidUpError) -> None:
        self.busy = False
        self.next.setEnabled(True)
        if isinstance(exc, ValidationError) and exc.field in FIELD_STEP:
            self.go(FIELD_STEP[exc.field])
        else:
            self.go(self.steps.currentIndex())
        self.errors.show(exc)

    def _done(self, view: CompanyView) -> None:
        self.busy = False
        self.ctx.settings.remove(DRAFT_KEY)
        self.on_done(view)
        self.accept()
