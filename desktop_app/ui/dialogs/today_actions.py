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


def about(row: TodayRow) -> str:
    amount = f" · {display.money(row.amount, row.currency)}" if row.amount else ""
    return f"{row.customer_name} · {row.numbers}{amount}"


class CallDialog(FormDialog):
    """How the call went, and the promise if one was made: logged in one step."""

    ok_text = "Log call"

    def __init__(self, ctx: Context, row: TodayRow) -> None:
        super().__init__(ctx, "Log a call")
        self.row = row
        self.say(f"{about(row)}. Ask for a date and an amount, and write them down.")
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
        self.add_field("Outcome", "outcome", outcome)
        self.promised = self.add_field("", "promise", QCheckBox("They promised to pay"))
        self.date = self.add_field("Will pay by", ("promise-date", "date"),
                                   date_edit(promises.proposed_promise_day(ctx.today())))
        self.amount = self.add_field("Amount", "amount", QLineEdit())
        self.amount.setPlaceholderText("All that is open")
        self.by = self.add_field("Promised by", "promised_by", QLineEdit())
        self.excuse = self.add_field("Reason given", "excuse", choice_box(display.EXCUSES, "other"))
        self.note = self.add_field("Note", "note", QPlainTextEdit())
        self.note.setMaximumHeight(70)
        self.next_step = self.add_field("Next step", "next_step", QLineEdit())
        self.next_step.setPlaceholderText("e.g. Call again on Friday")
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
        phone = customer.phone or "no phone number on file"
        self.say(f"{about(self.row)}. Call {who + ' at ' if who else ''}{customer.name}: "
                 f"{phone}. Ask for a date and an amount, and write them down.")

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
            promise_amount=display.plain_number(self.amount.text()) or None if promised else None,
            excuse=self.excuse.currentData() if promised else "other",
            promised_by=self.by.text() if promised else "")
        return lambda books: calls.log_call(books, call)

    def succeeded(self, result: Any) -> None:
        promise = " and the promise" if self.promised.isChecked() else ""
        self.ctx.say(f"Call{promise} written down for {self.row.customer_name}.")


class TaskDialog(FormDialog):
    """A task (a handover, say) marked as done, with what was done."""

    ok_text = "Done"

    def __init__(self, ctx: Context, row: TodayRow) -> None:
        super().__init__(ctx, "Task done")
        self.row = row
        what = "Hand the debt over (collection agency or lawyer), with the dossier" \
            if row.stage == "handover" else display.stage(row.stage)
        self.say(f"{about(row)}. {what}.")
        self.note = self.add_field("What was done", "note", QPlainTextEdit())
        self.note.setPlaceholderText("e.g. Dossier sent to the collection agency")
        self.note.setMaximumHeight(80)

    def work(self) -> Callable[[Books], Any]:
        invoice_id, on, note = self.row.invoice_ids[0], self.ctx.today(), \
            self.note.toPlainText()
        return lambda books: calls.complete_task(books, invoice_id, on, note)

    def succeeded(self, result: Any) -> None:
        self.ctx.say(f"Task for {self.row.numbers} done.")


class BrokenPromiseDialog(FormDialog):
    """The customer went on cash only when the promise broke; keep that, or lift it."""

    ok_text = "Keep cash only"

    def __init__(self, ctx: Context, row: TodayRow) -> None:
        super().__init__(ctx, "Broken promise")
        self.row = row
        self.lift = False
        when = row.detail.split(";")[0]
        self.say(f"{row.customer_name} did not pay {row.numbers} as promised ({when}). "
                 "Reminders have started again and the customer is on cash only: no more "
                 "credit until fully paid. Keep it so, or lift it if you trust them.")
        lift = self.buttons.addButton("Lift cash only", self.buttons.ButtonRole.ActionRole)
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
        self.ctx.say(f"{self.row.customer_name}: cash only lifted." if self.lift
                     else f"{self.row.customer_name} stays on cash only.")

    def _refused(self, exc: Any) -> None:
        self.lift = False
        super()._refused(exc)
