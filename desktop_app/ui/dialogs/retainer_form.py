"""A new retainer for a customer, a new price from a day, and the day one ends."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QLineEdit, QSpinBox, QWidget

from desktop_app.domain.errors import ValidationError
from desktop_app.services import retainers
from desktop_app.services.books import Books
from desktop_app.services.retainers import RetainerView
from desktop_app.ui import display
from desktop_app.ui.context import Context
from desktop_app.ui.dialogs.form import FormDialog
from desktop_app.ui.dialogs.invoice_actions import choice_box, date_edit, picked, ticked_day
from desktop_app.ui.translate import N_, Words, _, pgettext

EVERY_WORDS = Words({"month": N_("Every month"), "quarter": N_("Every quarter"),
                     "year": N_("Every year")})
DELIVER_WORDS = Words({"mail": N_("By email, as soon as it is issued"),
                 "today": N_("On Today, to look at before sending")})


class RetainerForm(FormDialog):
    """What the customer pays each period; the daily run issues the invoices."""

    def __init__(self, ctx: Context, customer_id: int, customer_name: str,
                 on_saved: Callable[[Any], None], parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("New retainer for {customer_name}").format(
                                customer_name=customer_name), parent)
        self.customer_id = customer_id
        self.on_saved = on_saved
        self.say(_("The invoice is issued on its day by the daily follow-up, once per period, "
                 "for whole calendar periods from the start."))
        self.description = self.add_field(_("Description"), ("line", "line 1",
                                                             "line 1 description"),
                                          QLineEdit())
        self.description.setPlaceholderText(_("Monthly support"))
        self.price = self.add_field(_("Price per period"), "line 1 unit price",
                                    QLineEdit())
        self.tax = self.add_field(_("VAT %"), ("line 1 tax percent", "line 1 category"),
                                  QLineEdit())
        self.tax.setPlaceholderText("0")
        self.every = self.add_field(_("Invoice"), "every", choice_box(EVERY_WORDS, "month"))
        self.day = self.add_field(_("On day"), "day", QSpinBox())
        self.day.setRange(1, 31)
        self.day.setToolTip(_("The day of the period's first month the invoice is issued (the "
                            "last day of a shorter month)"))
        self.start = self.add_field(_("Starting"), "start", date_edit(ctx.today()))
        self.ends, self.end, row = ticked_day(
            _("Ends on"), _("The last period invoiced is the one that holds this day; "
                            "unticked: the retainer runs until you end it, or for the "
                            "number of periods set below"), ctx.today())
        self.add_field(_("Ending"), "end", row)
        self.count = self.add_field(_("Periods in all"), "count", QSpinBox())
        self.count.setRange(0, 999)
        self.count.setSpecialValueText(_("Until ended"))
        self.deliver = self.add_field(_("Send"), "deliver", choice_box(DELIVER_WORDS, "mail"))

    def work(self) -> Callable[[Books], Any]:
        description = self.description.text().strip()
        if "|" in description:
            raise ValidationError("line 1", _("the description cannot hold a '|'"))
        spec = "|".join((description, "1",
                         display.plain_number(self.price.text(), "line 1 unit price"),
                         display.plain_number(self.tax.text(), "line 1 tax percent") or "0"))
        given = retainers.RetainerInput(
            customer_id=self.customer_id, lines=[spec], every=self.every.currentData(),
            day=self.day.value(), start=picked(self.start),
            end=picked(self.end) if self.ends.isChecked() else None,
            count=self.count.value() or None, deliver=self.deliver.currentData())
        return lambda books: retainers.add_retainer(books, given)

    def succeeded(self, result: Any) -> None:
        self.on_saved(result)


class PriceRetainerForm(FormDialog):
    """A new price from a day: the periods from then on are invoiced at it; what was invoiced
    keeps its price. Starts from the latest price set."""

    ok_text = N_("Set price")

    def __init__(self, ctx: Context, view: RetainerView, on_saved: Callable[[Any], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("New price for “{title}”").format(title=view.title), parent)
        self.retainer_id = view.id
        self.on_saved = on_saved
        latest = max(view.prices, key=lambda p: p.effective_from).lines if view.prices \
            else ("",)
        # DESC|QTY|UNIT_PRICE[|TAX_PERCENT[|UNIT[|CATEGORY]]]: the first line is priced here,
        # the others (a retainer set up with several) stay as they are.
        parts = latest[0].split("|")
        self.parts = [*parts, *[""] * (4 - len(parts))]
        self.others = latest[1:]
        self.say(" ".join(t for t in (
            _("The periods from this day on are invoiced at the new price; invoices already "
              "issued keep theirs."),
            _("Its other lines stay as they are.") if self.others else "") if t))
        self.description = self.add_field(_("Description"), ("line", "line 1",
                                                             "line 1 description"),
                                          QLineEdit(self.parts[0]))
        self.price = self.add_field(_("Price per period"), "line 1 unit price",
                                    QLineEdit(_typed(self.parts[2])))
        self.tax = self.add_field(_("VAT %"), ("line 1 tax percent", "line 1 category"),
                                  QLineEdit(_typed(self.parts[3])))
        self.tax.setPlaceholderText("0")
        first = view.coming[0].period_start if view.coming else ctx.today()
        self.start = self.add_field(pgettext("the day a new price applies from", "From"),
                                    "from", date_edit(first))
        self.start.setToolTip(_("The first period invoiced at the new price is the one that "
                                "starts on or after this day"))

    def work(self) -> Callable[[Books], Any]:
        description = self.description.text().strip()
        if "|" in description:
            raise ValidationError("line 1", _("the description cannot hold a '|'"))
        spec = "|".join((description, self.parts[1] or "1",
                         display.plain_number(self.price.text(), "line 1 unit price"),
                         display.plain_number(self.tax.text(), "line 1 tax percent") or "0",
                         *self.parts[4:]))
        retainer_id, lines, day = self.retainer_id, [spec, *self.others], picked(self.start)
        return lambda books: retainers.set_price(books, retainer_id, lines, day)

    def succeeded(self, result: Any) -> None:
        self.on_saved(result)


def _typed(number: str) -> str:
    """A number from a line as the user's locale writes it, to edit; as it is when it is not
    one."""
    try:
        return display.decimals(Decimal(number.strip())) if number.strip() else ""
    except ArithmeticError:
        return number


class EndRetainerForm(FormDialog):
    """Ending keeps what was invoiced; the period holding the day is the last."""

    ok_text = N_("End retainer")

    def __init__(self, ctx: Context, retainer_id: int, title: str,
                 on_saved: Callable[[Any], None], parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("End “{title}”").format(title=title), parent)
        self.retainer_id = retainer_id
        self.on_saved = on_saved
        self.say(_("The period that holds this day is the last one invoiced; nothing after it."))
        self.day = self.add_field(_("Last day"), "date", date_edit(ctx.today()))

    def work(self) -> Callable[[Books], Any]:
        retainer_id, day = self.retainer_id, picked(self.day)
        return lambda books: retainers.end_retainer(books, retainer_id, day)

    def succeeded(self, result: Any) -> None:
        self.on_saved(result)
