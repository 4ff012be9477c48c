"""A payment plan for an overdue balance, previewed live before it is agreed; the agreement
letter opens once it is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop_app.domain.errors import PaidUpError
from desktop_app.services import activity, payment_plans
from desktop_app.services.books import Books
from desktop_app.services.payment_plans import PlanInstallmentView, PlanView
from desktop_app.services.records import InvoiceView
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.form import FormDialog
from desktop_app.ui.dialogs.invoice_actions import date_edit, picked
from desktop_app.ui.translate import N_, _, ngettext

PREVIEW_DELAY_MS = 200


def _spin(low: int, high: int, value: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin


class PaymentPlanDialog(FormDialog):
    ok_text = N_("Agree the plan")

    def __init__(self, ctx: Context, invoice: InvoiceView) -> None:
        super().__init__(ctx, _("Payment plan"))
        self.invoice = invoice
        self.say(_("{number} · {customer_name} · {money} open. What is open is split into new "
                   "installments; reminders follow the plan while it is kept and resume if an "
                   "installment is missed. An agreement letter is made to sign.").format(
                   number=invoice.number, customer_name=invoice.customer_name,
                   money=display.money(invoice.balance, invoice.currency)))
        self.monthly = QRadioButton(_("Equal monthly installments"))
        self.split = QRadioButton(_("Own split in percent"))
        self.monthly.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.monthly)
        group.addButton(self.split)
        self.count = _spin(2, 36, 3, _(" installments"))
        self.shares = QLineEdit("50/50")
        self.shares.setPlaceholderText(_("e.g. 40/30/30"))
        self.every = _spin(7, 120, 30, _(" days apart"))
        choice = QWidget()
        grid = QGridLayout(choice)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.monthly, 0, 0)
        grid.addWidget(self.count, 0, 1)
        grid.addWidget(self.split, 1, 0)
        grid.addWidget(self.shares, 1, 1)
        grid.addWidget(self.every, 1, 2)
        grid.setColumnStretch(3, 1)
        self.add_field(_("Split"), ("schedule", "every"), choice)
        self.start = self.add_field(_("First payment"), "start",
                                    date_edit(payment_plans.proposed_start(ctx.today())))
        self.grace = self.add_field(_("Grace days"), "grace-days",
                                    _spin(0, 60, payment_plans.DEFAULT_GRACE_DAYS))
        self.grace.setToolTip(_("A payment this many days late still counts as on time"))
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels((_("Installment"), _("Due"), _("Amount")))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setMinimumHeight(160)
        self.form.addRow(_("The plan"), self.table)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)
        for signal in (self.monthly.toggled, self.count.valueChanged,
                       self.shares.textChanged, self.every.valueChanged,
                       self.start.dateChanged):
            signal.connect(lambda *_: self._timer.start())
        self.monthly.toggled.connect(self._kind_changed)
        self._kind_changed(True)
        self.setMinimumWidth(620)
        self.update_preview()

    def _kind_changed(self, monthly: bool) -> None:
        self.count.setEnabled(monthly)
        self.shares.setEnabled(not monthly)
        self.every.setEnabled(not monthly)

    def spec(self) -> tuple[str, int | None]:
        if self.monthly.isChecked():
            return f"monthly:{self.count.value()}", None
        return self.shares.text().strip(), self.every.value()

    def update_preview(self) -> None:
        spec, every = self.spec()
        invoice_id, start = self.invoice.id, picked(self.start)
        self.ctx.ops.query(
            lambda books: payment_plans.preview_plan(books, invoice_id, spec, start,
                                                     every=every),
            self._previewed, on_refused=self._not_previewed, owner=self)

    def _previewed(self, rows: tuple[PlanInstallmentView, ...]) -> None:
        self.errors.clear()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            amount = QTableWidgetItem(display.money(row.amount, self.invoice.currency))
            amount.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for c, item in enumerate((QTableWidgetItem(display.installment(row.label)),
                                      QTableWidgetItem(display.day(row.due_date)), amount)):
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _not_previewed(self, exc: PaidUpError) -> None:
        self.table.setRowCount(0)
        self.errors.show(exc)

    def work(self) -> Callable[[Books], Any]:
        spec, every = self.spec()
        invoice_id, start, grace = self.invoice.id, picked(self.start), self.grace.value()
        return lambda books: _create(books, invoice_id, spec, start, every, grace)

    def succeeded(self, result: tuple[PlanView, tuple[str, bytes]]) -> None:
        plan, (filename, pdf) = result
        self.ctx.say(ngettext(
            "Payment plan agreed for {number}: {n} installment of {money} in all.",
            "Payment plan agreed for {number}: {n} installments of {money} in all.",
            len(plan.installments)).format(
                       number=plan.number, n=len(plan.installments),
                       money=display.money(plan.total, plan.currency)))
        self.ctx.show_pdf(pdf, _("Payment plan agreement — {number}").format(
                                 number=plan.number), filename)


def _create(books: Books, invoice_id: int, spec: str, start: date, every: int | None,
            grace: int) -> tuple[PlanView, tuple[str, bytes]]:
    plan = payment_plans.create_plan(books, invoice_id, spec, start, every=every,
                                     grace_days=grace)
    return plan, activity.stored_pdf(books, plan.agreement_document_id)
