"""The steps of a credit application: a reference called, a document kept, the decision."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.credit_application import MAX_DOCUMENT_BYTES, REVIEW_MONTHS
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.schedule import add_months
from desktop_app.services import credit_applications, terms
from desktop_app.services.books import Books
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.form import FormDialog
from desktop_app.ui.dialogs.invoice_actions import choice_box, date_edit, picked, ticked_day
from desktop_app.ui.translate import N_, Words, _

DOCUMENT_WORDS = Words({"financial_statements": N_("Financial statements"),
                        "credit_report": N_("Credit report"), "other": N_("Other document")})


class ReferenceForm(FormDialog):
    """A credit reference called: who, where, what they said, when."""

    def __init__(self, ctx: Context, customer_id: int, customer_name: str,
                 on_saved: Callable[[Any], None], parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("Credit reference for {customer}").format(
            customer=customer_name), parent)
        self.customer_id, self.on_saved = customer_id, on_saved
        self.say(_("Call a company the customer buys from on credit and ask how it pays."))
        self.company = self.add_field(_("Company"), "company", QLineEdit())
        self.person = self.add_field(_("Person"), "person", QLineEdit())
        self.phone = self.add_field(_("Phone"), "phone", QLineEdit())
        self.said = self.add_field(_("What they said"), "said", QPlainTextEdit())
        self.said.setFixedHeight(80)
        self.called = self.add_field(_("Called on"), "date", date_edit(ctx.today()))

    def work(self) -> Callable[[Books], Any]:
        customer_id = self.customer_id
        company, person, phone = self.company.text(), self.person.text(), self.phone.text()
        said, called = self.said.toPlainText(), picked(self.called)
        return lambda books: credit_applications.add_reference(
            books, customer_id, company=company, person=person, phone=phone, said=said,
            called_on=called)

    def succeeded(self, result: Any) -> None:
        self.on_saved(result)


class DocumentForm(FormDialog):
    """A financial statement or credit report, kept in the books as it is."""

    ok_text = N_("Keep in the books")

    def __init__(self, ctx: Context, customer_id: int, customer_name: str,
                 on_saved: Callable[[Any], None], parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("Document for the credit of {customer}").format(
            customer=customer_name), parent)
        self.customer_id, self.on_saved = customer_id, on_saved
        self.say(_("A PDF, PNG or JPEG file of up to {size} MB. The books keep a copy; the "
                   "file itself stays where it is.").format(
                       size=MAX_DOCUMENT_BYTES // 1024 // 1024))
        self.kind = self.add_field(_("Kind"), "kind", choice_box(DOCUMENT_WORDS,
                                                              "financial_statements"))
        self.path = QLineEdit()
        self.path.setPlaceholderText(_("Choose a file…"))
        choose = QPushButton(_("Choose…"))
        choose.clicked.connect(self.choose)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.path, 1)
        line.addWidget(choose)
        self.add_field(_("File"), "file", row)

    def choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a document"), "", _("Documents") + " (*.pdf *.png *.jpg *.jpeg)")
        if path:
            self.path.setText(path)

    def work(self) -> Callable[[Books], Any]:
        text = self.path.text().strip()
        if not text:
            raise ValidationError("file", _("choose the file to keep"))
        path = Path(text)
        try:
            if path.stat().st_size > MAX_DOCUMENT_BYTES:
                raise ValidationError("file", _("{name} is larger than {size} MB").format(
                    name=path.name, size=MAX_DOCUMENT_BYTES // 1024 // 1024))
            content = path.read_bytes()
        except OSError as exc:
            raise ValidationError("file", _("cannot read {name}: {reason}").format(
                name=path.name, reason=exc.strerror)) from None
        customer_id, kind = self.customer_id, self.kind.currentData()
        return lambda books: credit_applications.add_document(
            books, customer_id, filename=path.name, content=content, kind=kind)

    def succeeded(self, result: Any) -> None:
        self.on_saved(result)


class DecideForm(FormDialog):
    """Approve with a limit and terms, or refuse; who decided and when it is reviewed."""

    ok_text = N_("Decide")

    def __init__(self, ctx: Context, customer_id: int, customer_name: str, currency: str,
                 on_saved: Callable[[Any], None], parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("Decide the credit of {customer}").format(
            customer=customer_name), parent)
        self.customer_id, self.on_saved = customer_id, on_saved
        self.approve = QRadioButton(_("Approve credit"))
        self.refuse = QRadioButton(_("Refuse: it goes on paying as new customers do"))
        self.approve.setChecked(True)
        choice = QWidget()
        line = QVBoxLayout(choice)  # one below the other: the refusal's words run long
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.approve)
        line.addWidget(self.refuse)
        self.add_field(_("Decision"), "refuse", choice)
        self.limit = self.add_field(_("Credit limit ({currency})").format(currency=currency),
                                    "limit", QLineEdit())
        self.terms = self.add_field(_("Payment terms"), "terms", QComboBox())
        self.by = self.add_field(_("Decided by"), "by", QLineEdit())
        self.by.setPlaceholderText(_("You"))
        self.reviewed, self.review, row = ticked_day(
            _("Review on"), _("Unticked: a year after the decision"),
            add_months(ctx.today(), REVIEW_MONTHS))
        self.add_field(_("Review"), "review", row)
        self.note = self.add_field(_("Note"), "note", QLineEdit())
        self.refuse.toggled.connect(self._chosen)
        ctx.ops.query(terms.list_terms, self._terms_loaded, owner=self)

    def _terms_loaded(self, rows: list[Any]) -> None:
        for row in rows:
            self.terms.addItem(row.name, row.name)

    def _chosen(self, refusing: bool) -> None:
        self.limit.setEnabled(not refusing)
        self.terms.setEnabled(not refusing)

    def work(self) -> Callable[[Books], Any]:
        refuse = self.refuse.isChecked()
        limit = None if refuse else display.plain_number(self.limit.text(), "limit")
        chosen = None if refuse else self.terms.currentData()
        by = self.by.text().strip() or None
        review = picked(self.review) if self.reviewed.isChecked() else None
        customer_id, note = self.customer_id, self.note.text()
        return lambda books: credit_applications.decide(
            books, customer_id, limit=limit, terms=chosen, by=by, review=review,
            refuse=refuse, note=note)

    def succeeded(self, result: Any) -> None:
        self.on_saved(result)
