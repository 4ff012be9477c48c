"""The small dialogs behind Today's buttons: a call's outcome (with a promise, in one step),
a task done, a broken promise reviewed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from desktop_app.services import customers, promises
from desktop_app.services.books import Books
from desktop_app.services.followup import calls
from desktop_app.services.followup.calls import CallInput
from desktop_app.services.followup.today import TodayRow
from desktop_app.services.records import CustomerView
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.form import FormDialog
from desktop_app.ui.dialogs.invoice_actions import choice_box, date_edit, picked
from desktop_app.ui.translate import N_, _


def about(row: TodayRow) -> str:
    amount = f" · {display.money(row.amount, row.currency)}" if row.amount else ""
    return f"{row.customer_name} · {row.numbers}{amount}"


class CallDialog(FormDialog):
    """How the call went, and the promise if one was made: logged in one step."""

    ok_text = N_("Log call")

    def __init__(self, ctx: Context, row: TodayRow) -> None:
        super().__init__(ctx, _("Log a call"))
        self.row = row
        self.say(_("{about}. Ask for a date and an amount, and write them down.").format(
                   about=about(row)))
        self.reached = QRadioButton(display.OUTCOMES["reached"])
        self.no_answer = QRadioButton(display.OUTCOMES["no_answer"])
        self.reached.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.reached)
        group.addButton(self.no_answer)
        outcome = QWidget()
        outcome_row = QHBoxLayout(outcome)
        outcome_row.setContentsMargins(0, 0, 0, 0)
        outcome_row.addWidget(self.reached)
        outcome_row.addWidget(self.no_answer)
        outcome_row.addStretch(1)
        self.add_field(_("Outcome"), "outcome", outcome)
        self.promised = self.add_field("", "promise", QCheckBox(_("They promised to pay")))
        self.date = self.add_field(_("Will pay by"), ("promise-date", "date"),
                                   date_edit(promises.proposed_promise_day(ctx.today())))
        self.amount = self.add_field(_("Amount"), "amount", QLineEdit())
        self.amount.setPlaceholderText(_("All that is open"))
        self.by = self.add_field(_("Promised by"), "promised_by", QLineEdit())
        self.excuse = self.add_field(_("Reason given"), "excuse", choice_box(display.EXCUSES,
                                                                             "other"))
        self.note = self.add_field(_("Note"), "note", QPlainTextEdit())
        self.note.setMaximumHeight(70)
        self.next_step = self.add_field(_("Next step"), "next_step", QLineEdit())
        self.next_step.setPlaceholderText(_("e.g. Call again on Friday"))
        self.promised.toggled.connect(self._promise_shown)
        self.no_answer.toggled.connect(lambda on: on and self.promised.setChecked(False))
        self.reached.toggled.connect(self.promised.setEnabled)
        self._promise_shown(False)
        self.customer_id = row.customer_id
        ctx.ops.query(lambda books: customers.show_customer(books, self.customer_id),
                      self._customer_in, owner=self, on_refused=lambda _exc: None)

    def _customer_in(self, customer: CustomerView) -> None:
        """Who to call and on which number, from the customer's contacts."""
        payables = [c for c in customer.contacts if c.role == "accounts_payable"]
        who = payables[0].name if payables else ""
        phone = customer.phone or _("no phone number on file")
        call = (_("{about}. Call {who} at {customer}: {phone}.") if who
                else _("{about}. Call {customer}: {phone}.")).format(
            about=about(self.row), who=who, customer=customer.name, phone=phone)
        self.say(call + " " + _("Ask for a date and an amount, and write them down."))

    def _promise_shown(self, shown: bool) -> None:
        for widget in (self.date, self.amount, self.by, self.excuse):
            widget.setEnabled(shown)

    def work(self) -> Callable[[Books], Any]:
        promised = self.promised.isChecked()
        call = CallInput(
            invoice_id=self.row.invoice_ids[0],
            outcome="reached" if self.reached.isChecked() else "no_answer",
            on=self.ctx.today(), note=self.note.toPlainText(), next_step=self.next_step.text(),
            promise_date=picked(self.date) if promised else None,
            promise_amount=(display.plain_number(self.amount.text(), "amount") or None)
            if promised else None,
            excuse=self.excuse.currentData() if promised else "other",
            promised_by=self.by.text() if promised else "")
        return lambda books: calls.log_call(books, call)

    def succeeded(self, result: Any) -> None:
        promise = _(" and the promise") if self.promised.isChecked() else ""
        self.ctx.say(_("Call{promise} written down for {customer_name}.").format(
                       promise=promise, customer_name=self.row.customer_name))


class TaskDialog(FormDialog):
    """A task (a handover, say) marked as done, with what was done."""

    ok_text = N_("Done")

    def __init__(self, ctx: Context, row: TodayRow) -> None:
        super().__init__(ctx, _("Task done"))
        self.row = row
        what = _("Hand the debt over (collection agency or lawyer), with the dossier") \
            if row.stage == "handover" else display.stage(row.stage)
        self.say(f"{about(row)}. {what}.")
        self.note = self.add_field(_("What was done"), "note", QPlainTextEdit())
        self.note.setPlaceholderText(_("e.g. Dossier sent to the collection agency"))
        self.note.setMaximumHeight(80)

    def work(self) -> Callable[[Books], Any]:
        invoice_id, on, note = self.row.invoice_ids[0], self.ctx.today(), \
            self.note.toPlainText()
        return lambda books: calls.complete_task(books, invoice_id, on, note)

    def succeeded(self, result: Any) -> None:
        self.ctx.say(_("Task for {numbers} done.").format(numbers=self.row.numbers))


class BrokenPromiseDialog(FormDialog):
    """The customer went on cash only when the promise broke; keep that, or lift it."""

    ok_text = N_("Keep cash only")

    def __init__(self, ctx: Context, row: TodayRow) -> None:
        super().__init__(ctx, _("Broken promise"))
        self.row = row
        self.lift = False
        when = _("promised for {day}").format(day=display.day(row.promised_for)) \
            if row.promised_for else ""
        self.say(_("{customer_name} did not pay {numbers} as promised ({when}). Reminders have "
                   "started again and the customer is on cash only: no more credit until fully "
                   "paid. Keep it so, or lift it if you trust them.").format(
                   customer_name=row.customer_name, numbers=row.numbers, when=when))
        lift = self.buttons.addButton(_("Lift cash only"), self.buttons.ButtonRole.ActionRole)
        lift.clicked.connect(self._lift)

    def _lift(self) -> None:
        self.lift = True
        self.submit()

    def work(self) -> Callable[[Books], Any]:
        promise_id, on, lift = self.row.promise_id, self.ctx.today(), self.lift
        assert promise_id is not None
        return lambda books: promises.review_broken_promise(books, promise_id, on,
                                                            lift_cash_only=lift)

    def succeeded(self, result: Any) -> None:
        self.ctx.say(_("{customer_name}: cash only lifted.").format(
                       customer_name=self.row.customer_name) if self.lift
                     else _("{customer_name} stays on cash only.").format(
                            customer_name=self.row.customer_name))

    def _refused(self, exc: Any) -> None:
        self.lift = False
        super()._refused(exc)
