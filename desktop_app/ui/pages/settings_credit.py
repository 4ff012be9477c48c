"""Settings › Credit: how a customer whose credit is not decided yet (or was refused) is
invoiced: cash only, or a deposit of at least a share of the invoice due on issue."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from desktop_app.domain.credit_application import NewCustomerRule
from desktop_app.domain.errors import PaidUpError
from desktop_app.services import credit_applications
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.invoice_actions import choice_box
from desktop_app.ui.ops import Changes
from desktop_app.ui.pages.section import Section
from desktop_app.ui.translate import N_, Words, _

RULE_WORDS = Words({
    "cash_only": N_("Cash only: every invoice due on receipt"),
    "deposit": N_("Deposit: a share of each invoice due on issue"),
})


class CreditSection(Section):
    watches = Changes.SETTINGS

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx, _("Credit for new customers"), _(
            "Until a customer's credit application is approved (or after it was refused), its "
            "invoices are issued only as this rule allows. A credit application is started "
            "on the customer's page."))
        self.rule = self.add_field(_("New customers pay"), "new-customers",
                                   choice_box(RULE_WORDS, "cash_only"))
        self.deposit = self.add_field(_("Minimum deposit, %"), "deposit-percent", QLineEdit())
        self.deposit.setToolTip(_("The share of the invoice due on issue, e.g. 30 for a "
                                  "30/30/40 schedule"))
        self.rule.currentIndexChanged.connect(lambda _index: self._rule_chosen())
        self.current: NewCustomerRule | None = None
        self.button(_("Save"), self.save, _("Keep this rule for customers without credit"))
        self._rule_chosen()

    def refresh(self) -> None:
        self.ctx.ops.query(credit_applications.get_new_customer_rule, self._show, owner=self,
                           on_refused=lambda _exc: None)

    def _show(self, rule: NewCustomerRule) -> None:
        self.current = rule
        self.rule.setCurrentIndex(max(self.rule.findData(rule.rule), 0))
        self.deposit.setText(display.number(rule.deposit_percent))
        self._rule_chosen()

    def _rule_chosen(self) -> None:
        """The percentage matters only when a deposit is asked."""
        self.deposit.setEnabled(self.rule.currentData() == "deposit")

    def save(self) -> None:
        rule = self.rule.currentData()
        percent = None  # cash only: the percentage set stays for a later deposit rule
        if rule == "deposit":
            try:
                percent = display.plain_number(self.deposit.text(), "deposit-percent") or None
            except PaidUpError as exc:
                self.errors.clear()
                self.errors.show(exc)
                return
        self.run(lambda books: credit_applications.set_new_customer_rule(
            books, rule, percent), self._saved)

    def _saved(self, rule: NewCustomerRule) -> None:
        self._show(rule)
        self.note.setText(_("Saved: customers without credit pay on receipt.")
                          if rule.rule == "cash_only" else
                          _("Saved: customers without credit pay a deposit of at least "
                            "{percent} % on issue.").format(
                                percent=display.number(rule.deposit_percent)))
