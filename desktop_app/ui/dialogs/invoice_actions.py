"""Small dialogs for what is done to one invoice: issue, payment, promise, void, letter."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QStringListModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from desktop_app.domain.errors import PaidUpError, ValidationError
from desktop_app.services import (
    decisions,
    disputes,
    documents,
    invoices,
    payments,
    promises,
    receipts,
    undo,
    writeoffs,
)
from desktop_app.services.books import Books
from desktop_app.services.invoices import InvoiceQuery
from desktop_app.services.payments import PaymentInput, PaymentPreview
from desktop_app.services.promises import PromiseInput
from desktop_app.services.records import (
    CreditNoteView,
    InvoiceRow,
    InvoiceView,
    IssuedView,
    PaymentView,
)
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.form import FormDialog
from desktop_app.ui.translate import N_, Words, _


def date_edit(value: date) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(display.date_entry_format())
    return edit


def ticked_day(label: str, tip: str, value: date) -> tuple[QCheckBox, QDateEdit, QWidget]:
    """A day that applies only when its box is ticked (a review, an end): the box, the day,
    and the row that holds both."""
    box = QCheckBox(label)
    box.setToolTip(tip)
    day = date_edit(value)
    day.setEnabled(False)
    box.toggled.connect(day.setEnabled)
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(box)
    line.addWidget(day, 1)
    return box, day, row


def picked(edit: QDateEdit) -> date:
    return edit.date().toPython()  # type: ignore[return-value]


def choice_box(words: Mapping[str, str], current: str | None = None) -> QComboBox:
    box = QComboBox()
    for key, word in words.items():
        box.addItem(word, key)
    if current is not None:
        box.setCurrentIndex(max(box.findData(current), 0))
    return box


def describe(row: InvoiceRow) -> str:
    return _("{number} · {customer} · {money} open").format(
        number=row.number or _("Draft"), customer=row.customer_name,
        money=display.money(row.balance, row.currency))


class IssueDialog(FormDialog):
    ok_text = N_("Issue")

    def __init__(self, ctx: Context, row: InvoiceRow, on_issued: Callable[[IssuedView], None]
                 ) -> None:
        super().__init__(ctx, _("Issue invoice"))
        self.invoice, self.on_issued = row, on_issued
        self.say(_("Issuing gives this draft for {customer_name} ({money}) the next invoice "
                   "number and freezes it: afterwards it can only be corrected by a credit "
                   "note.").format(
                   customer_name=row.customer_name, money=display.money(row.total, row.currency)))
        self.date = self.add_field(_("Issue date"), ("date", "issue_date"), date_edit(ctx.today()))
        self.anyway = self.add_field("", "payment-details", QCheckBox(
            _("Issue it anyway: the invoice will not say how to pay")))
        self.anyway.setVisible(False)

    def work(self) -> Callable[[Books], Any]:
        invoice_id, on, anyway = self.invoice.id, picked(self.date), self.anyway.isChecked()
        return lambda books: invoices.issue_invoice(books, invoice_id, on,
                                                    without_payment_details=anyway)

    def _refused(self, exc: PaidUpError) -> None:
        super()._refused(exc)
        if isinstance(exc, invoices.NoWayToPay):  # asked first, as the issue wants
            self.anyway.setVisible(True)

    def succeeded(self, result: IssuedView) -> None:
        self.ctx.say(_("Issued {number}, due {day}.").format(
                       number=result.number, day=display.day(result.due_date)))
        self.on_issued(result)


class InvoicePicker(QLineEdit):
    """Type a number or a customer; open invoices that match are offered (searched off the UI
    thread)."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setPlaceholderText(_("Invoice number or customer"))
        self._rows: dict[str, InvoiceRow] = {}
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self.textEdited.connect(self._search)

    def _search(self, typed: str) -> None:
        query = InvoiceQuery(search=typed.strip(), open_only=True)
        self.ctx.ops.query(lambda books: invoices.list_invoices(books, query, limit=30),
                           self._offer, owner=self)

    def _offer(self, rows: list[InvoiceRow]) -> None:
        self._rows = {describe(r): r for r in rows}
        self._model.setStringList(list(self._rows))

    def set_row(self, row: InvoiceRow) -> None:
        self._rows[describe(row)] = row
        self.setText(describe(row))
        self.setCursorPosition(0)

    def chosen(self) -> InvoiceRow:
        row = self._rows.get(self.text())
        if row is None:
            raise ValidationError("invoice", _("choose an open invoice from the list"))
        return row


class PaymentDialog(FormDialog):
    ok_text = N_("Record payment")

    def __init__(self, ctx: Context, row: InvoiceRow | None,
                 on_recorded: Callable[[PaymentView], None] | None = None) -> None:
        super().__init__(ctx, _("Record a payment"))
        self.on_recorded = on_recorded
        self.picker = self.add_field(_("Invoice"), "invoice", InvoicePicker(ctx))
        self.amount = self.add_field(_("Amount"), "amount", QLineEdit())
        self.date = self.add_field(_("Received on"), "date", date_edit(ctx.today()))
        self.method = self.add_field(_("Method"), "method",
                                     choice_box(display.METHODS, "bank_transfer"))
        self.reference = self.add_field(_("Reference"), "reference", QLineEdit())
        self.reference.setPlaceholderText(_("Bank reference, cheque number…"))
        self.confirmed: PaymentInput | None = None  # the input whose credit the user accepted
        self.ask: QMessageBox | None = None
        if row is not None:
            self.picker.set_row(row)
            self.picker.setReadOnly(True)
            self.amount.setText(display.typed_money(row.due, row.currency))
            self.amount.setFocus()

    def data(self) -> PaymentInput:
        return PaymentInput(
            invoice_id=self.picker.chosen().id, amount=display.plain_number(self.amount.text(),
                                                                            "amount"),
            paid_on=picked(self.date), method=self.method.currentData(),
            reference=self.reference.text(),
        )

    def work(self) -> Callable[[Books], Any]:
        data = self.data()
        return lambda books: payments.record_payment(books, data)

    def submit(self) -> None:
        """More than is open becomes the customer's credit: asked first, with the figures
        the books would record (services.payments.preview_payment)."""
        if self.busy:
            return
        self.errors.clear()
        try:
            data = self.data()
        except PaidUpError as exc:
            self.errors.show(exc)
            return
        if data == self.confirmed:
            super().submit()
            return
        self._set_busy(True)
        self.ctx.ops.query(lambda books: payments.preview_payment(books, data),
                           lambda preview: self._previewed(data, preview),
                           on_refused=self._refused, owner=self)

    def _previewed(self, data: PaymentInput, preview: PaymentPreview) -> None:
        self._set_busy(False)
        if preview.credit <= 0:
            self.confirmed = data
            super().submit()
            return
        cur = preview.currency
        self.ask = QMessageBox(
            QMessageBox.Icon.Question, _("More than is open"),
            _("{money} is more than the {money2} open on {invoice_number}. The other {money3} "
              "would be kept as {customer_name}'s credit, for their next invoices.").format(
              money=display.money(preview.amount, cur), money2=display.money(preview.settles, cur),
              invoice_number=preview.invoice_number, money3=display.money(preview.credit, cur),
              customer_name=preview.customer_name), parent=self)
        book = self.ask.addButton(_("Book {money} as credit").format(
                                    money=display.money(preview.credit, cur)),
                                  QMessageBox.ButtonRole.AcceptRole)
        self.ask.addButton(_("Change the amount"), QMessageBox.ButtonRole.RejectRole)
        self.ask.setDefaultButton(book)

        def answered() -> None:
            if self.ask is not None and self.ask.clickedButton() is book:
                self.confirmed = data
                super(PaymentDialog, self).submit()
            else:
                self.amount.setFocus()
                self.amount.selectAll()

        self.ask.finished.connect(lambda _result: answered())
        self.ask.open()

    def succeeded(self, result: PaymentView) -> None:
        inv = result.invoice
        parts = [_("Payment of {money} recorded on {number}; open now {money2}.").format(
                   money=display.money(result.amount,
                                       inv.currency), number=inv.number,
                                       money2=display.money(inv.due, inv.currency))]
        if result.discount:
            parts.append(_("Early-payment discount granted: {money}.").format(
                           money=display.money(result.discount, inv.currency)))
        if result.credit:
            parts.append(_("{money} kept as the customer's credit.").format(
                           money=display.money(result.credit, inv.currency)))
        self.ctx.say(" ".join(parts))
        self.ctx.offer_undo(undo.Undoable(
            "payment", result.id, _("the payment of {money} on {number}").format(
                                    money=display.money(result.amount, inv.currency),
                                    number=inv.number)))
        if self.on_recorded is not None:
            self.on_recorded(result)


class PromiseDialog(FormDialog):
    ok_text = N_("Save promise")

    def __init__(self, ctx: Context, row: InvoiceRow) -> None:
        super().__init__(ctx, _("Promise to pay"))
        self.invoice = row
        self.say(_("{describe}. Reminders for this invoice wait until the promised day.").format(
                   describe=describe(row)))
        self.date = self.add_field(_("Will pay by"), "date",
                                   date_edit(promises.proposed_promise_day(ctx.today())))
        self.amount = self.add_field(_("Amount"), "amount", QLineEdit())
        self.amount.setPlaceholderText(_("All that is open ({number})").format(
                                         number=display.typed_money(row.balance,
                                                                    row.currency)))
        self.by = self.add_field(_("Promised by"), "promised_by", QLineEdit())
        self.excuse = self.add_field(_("Reason given"), "excuse", choice_box(display.EXCUSES,
                                                                             "other"))
        self.note = self.add_field(_("Note"), "note", QPlainTextEdit())
        self.note.setMaximumHeight(80)

    def work(self) -> Callable[[Books], Any]:
        data = PromiseInput(
            invoice_id=self.invoice.id, promised_for=picked(self.date), made_on=self.ctx.today(),
            amount=display.plain_number(self.amount.text(), "amount") or None,
            excuse=self.excuse.currentData(), note=self.note.toPlainText(),
            promised_by=self.by.text(),
        )
        return lambda books: promises.add_promise(books, data)

    def succeeded(self, result: Any) -> None:
        self.ctx.say(_("Promise noted: {number} to be paid by {day}.").format(
                       number=self.invoice.number, day=display.day(result.promised_for)))


RECEIVED_VIA = Words({"email": N_("By email"), "phone": N_("By phone"),
                     "letter": N_("By letter")})


class ReceiptDialog(FormDialog):
    """The customer's word that the invoice arrived: on which day, who said so, and how
    (seed 003: it answers "we never got it" later)."""

    ok_text = N_("Record receipt")

    def __init__(self, ctx: Context, row: InvoiceRow) -> None:
        super().__init__(ctx, _("Invoice received"))
        self.invoice = row
        self.say(_("{describe}. The customer confirmed that the invoice arrived: the "
                   "follow-up no longer asks whether it did.").format(describe=describe(row)))
        self.date = self.add_field(_("Received on"), "date", date_edit(ctx.today()))
        self.by = self.add_field(_("Confirmed by"), "by", QLineEdit())
        self.via = self.add_field(_("How"), "via", choice_box(RECEIVED_VIA, "email"))
        invoice_id = row.id
        ctx.ops.query(lambda books: receipts.witness_of(books, invoice_id), self._witness,
                      on_refused=lambda _exc: None, owner=self)

    def _witness(self, name: str) -> None:
        if not self.by.text():  # what the user typed meanwhile stays
            self.by.setText(name)

    def work(self) -> Callable[[Books], Any]:
        invoice_id, by, via, on = (self.invoice.id, self.by.text(), self.via.currentData(),
                                   picked(self.date))
        return lambda books: receipts.record_receipt(books, invoice_id, by=by, via=via, on=on)

    def succeeded(self, result: Any) -> None:
        self.ctx.say(_("{number} confirmed received by {name} on {day}.").format(
                       number=result.number, name=result.received_by,
                       day=display.day(result.received_on)))


class VoidDialog(FormDialog):
    ok_text = N_("Void with a credit note")

    def __init__(self, ctx: Context, row: InvoiceRow) -> None:
        super().__init__(ctx, _("Void invoice"))
        self.invoice = row
        self.say(_("A numbered credit note for the open {money} cancels {number}. The invoice "
                   "stays in the books, marked void.").format(
                   money=display.money(row.balance, row.currency), number=row.number))
        self.reason = self.add_field(_("Reason"), "reason", QLineEdit())
        self.reason.setPlaceholderText(_("e.g. Order cancelled by the customer"))
        self.date = self.add_field(_("Credit note date"), "date", date_edit(ctx.today()))

    def work(self) -> Callable[[Books], Any]:
        invoice_id, reason, on = self.invoice.id, self.reason.text(), picked(self.date)
        return lambda books: invoices.void_invoice(books, invoice_id, reason, on)

    def succeeded(self, result: CreditNoteView) -> None:
        self.ctx.say(_("{invoice_number} voided by credit note {number} ({money}).").format(
                       invoice_number=result.invoice_number, number=result.number,
                       money=display.money(result.amount, result.currency)))


class DeleteDraftDialog(FormDialog):
    ok_text = N_("Delete draft")

    def __init__(self, ctx: Context, row: InvoiceRow) -> None:
        super().__init__(ctx, _("Delete draft"))
        self.invoice = row
        self.say(_("Delete the draft for {customer_name} ({money})? It has no number yet, so no "
                   "gap is left in the series.").format(
                   customer_name=row.customer_name, money=display.money(row.total, row.currency)))

    def work(self) -> Callable[[Books], Any]:
        invoice_id = self.invoice.id
        return lambda books: invoices.delete_draft(books, invoice_id)

    def succeeded(self, result: Any) -> None:
        self.ctx.say(_("Draft deleted."))


DEPOSIT = "deposit_request"
LETTERS = Words({**{key: display.LETTER_STAGES.msgid(key) for key in display.LETTER_STAGES},
                 DEPOSIT: N_("Deposit request (asks for the first installment)")})


class LetterDialog(FormDialog):
    """Choose which letter to print; it opens in the preview, ready to print."""

    ok_text = N_("Preview letter")

    def __init__(self, ctx: Context, row: InvoiceRow) -> None:
        super().__init__(ctx, _("Reminder letter"))
        self.invoice = row
        self.say(_("{describe}. The letter is addressed for a window envelope.").format(
                   describe=describe(row)))
        self.stage = self.add_field(_("Letter"), "stage", choice_box(LETTERS, "reminder_1"))

    def work(self) -> Callable[[Books], Any]:
        invoice_id, stage, on = self.invoice.id, self.stage.currentData(), self.ctx.today()
        if stage == DEPOSIT:
            return lambda books: documents.deposit_request_pdf(books, invoice_id, on)
        return lambda books: documents.letter_pdf(books, invoice_id, stage, on)

    def succeeded(self, pdf: bytes) -> None:
        stage = self.stage.currentData()
        self.ctx.show_pdf(pdf, f"{LETTERS[stage]} — {self.invoice.number}",
                          f"{self.invoice.number}-{stage}.pdf")


class WriteOffDialog(FormDialog):
    """Write off what costs more to chase than it can bring; it stays in the log."""

    ok_text = N_("Write off")

    def __init__(self, ctx: Context, invoice_id: int, number: str, customer: str,
                 open_amount: Decimal, currency: str, suggested: Decimal | None = None,
                 waiting_step: str = "") -> None:
        super().__init__(ctx, _("Write off"))
        self.invoice_id, self.number = invoice_id, number
        if waiting_step:
            # The other answer to a step that costs more than it brings: take it anyway.
            go = self.buttons.addButton(_("Send the {waiting_step} anyway").format(
                                          waiting_step=waiting_step),
                                        QDialogButtonBox.ButtonRole.ActionRole)
            go.clicked.connect(self._go_ahead)
        self.say(_("{number} · {customer} · {money} open. What is written off leaves the open "
                   "lists and the reminders; the reason stays in the customer's log.").format(
                   number=number, customer=customer, money=display.money(open_amount, currency)))
        self.amount = self.add_field(_("Amount"), "amount", QLineEdit())
        self.amount.setPlaceholderText(_("All that is open ({number})").format(
                                         number=display.typed_money(open_amount, currency)))
        if suggested is not None and suggested != open_amount:
            self.amount.setText(display.typed_money(suggested, currency))
        self.reason = self.add_field(_("Reason"), "reason", QLineEdit())
        self.reason.setPlaceholderText(_("e.g. Customer insolvent; not worth a collection agency"))
        self.date = self.add_field(_("Date"), "date", date_edit(ctx.today()))

    def work(self) -> Callable[[Books], Any]:
        invoice_id, reason, on = self.invoice_id, self.reason.text(), picked(self.date)
        amount = display.plain_number(self.amount.text(), "amount") or None
        return lambda books: writeoffs.write_off(books, invoice_id, reason, on, amount)

    def succeeded(self, result: InvoiceView) -> None:
        self.ctx.say(_("{number}: written off; {money} still open.").format(
                       number=self.number, money=display.money(result.balance, result.currency)))

    def _go_ahead(self) -> None:
        invoice_id, day = self.invoice_id, self.ctx.today()
        self.ctx.ops.change(lambda books: decisions.approve_step(books, invoice_id, day),
                            lambda _planned: self._approved(),
                            on_refused=self.errors.show, owner=self)

    def _approved(self) -> None:
        self.ctx.say(_("{number}: the step goes out with today's follow-up.").format(
                       number=self.number))
        self.accept()


class HoldDialog(FormDialog):
    """Hold one invoice out of the reminders: a dispute, or a pause agreed with the customer."""

    ok_text = N_("Hold reminders")

    def __init__(self, ctx: Context, row: InvoiceRow) -> None:
        super().__init__(ctx, _("Dispute or pause"))
        self.invoice = row
        self.say(_("{describe}. Nothing goes out for this invoice until you release it.").format(
                   describe=describe(row)))
        self.kind = self.add_field(_("Why"), "kind", choice_box(display.HOLD_KINDS, "dispute"))
        self.reason = self.add_field(_("Reason"), "reason", QLineEdit())
        self.reason.setPlaceholderText(_("e.g. Customer says two pipes were damaged"))
        self.date = self.add_field(_("Since"), "date", date_edit(ctx.today()))

    def work(self) -> Callable[[Books], Any]:
        invoice_id, reason, on = self.invoice.id, self.reason.text(), picked(self.date)
        kind = self.kind.currentData()
        return lambda books: disputes.hold(books, invoice_id, reason, on, kind)

    def succeeded(self, result: InvoiceView) -> None:
        self.ctx.say(_("{number}: reminders held ({hold}).").format(
                       number=result.number, hold=result.hold))
        self.ctx.offer_undo(undo.Undoable("hold", result.id, _("the hold on {number}").format(
                                                               number=result.number)))


class ReleaseDialog(FormDialog):
    ok_text = N_("Release")

    def __init__(self, ctx: Context, row: InvoiceRow, kind: str) -> None:
        super().__init__(ctx, _("Release the invoice"))
        self.invoice = row
        ends = {"dispute": _("{invoice}. The dispute ends and reminders resume from where "
                             "they stopped."),
                "pause": _("{invoice}. The pause ends and reminders resume from where they "
                           "stopped.")}.get(kind, _("{invoice}. The hold ends and reminders "
                                                    "resume from where they stopped."))
        self.say(ends.format(invoice=describe(row)))
        self.resolution = self.add_field(_("How it was resolved"), "resolution", QLineEdit())
        self.resolution.setPlaceholderText(_("e.g. Credit note for the damaged pipes agreed"))
        self.date = self.add_field(_("On"), "date", date_edit(ctx.today()))

    def work(self) -> Callable[[Books], Any]:
        invoice_id, resolution, on = self.invoice.id, self.resolution.text(), picked(self.date)
        return lambda books: disputes.release(books, invoice_id, on, resolution)

    def succeeded(self, result: InvoiceView) -> None:
        self.ctx.say(_("{number}: released; reminders resume.").format(number=result.number))
