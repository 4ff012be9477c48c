"""The quote PDF, in the customer's language.

A quote states its date and how long it holds, the stock or lead time of each line ("limited
stock", "3 weeks if ordered"), and what is asked on acceptance: the deposit and how the rest
falls due. Every sentence reads whole when an optional part (a note, the deposit) is absent.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from desktop_app.documents.grid import Column, Foot, Grid
from desktop_app.documents.i18n import Lang
from desktop_app.documents.invoice import unit_name
from desktop_app.documents.legal import band_label, category_notes
from desktop_app.documents.pdf import Part, build
from desktop_app.documents.quote_data import Quote, deposit_of, lang_of
from desktop_app.documents.typesetting import para
from desktop_app.domain.schedule import When


def render_quote(quote: Quote) -> bytes:
    t = lang_of(quote)
    return build([quote_part(quote)], title=t("Quote %(number)s", number=quote.number))


def quote_part(quote: Quote) -> Part:
    t = lang_of(quote)
    title = t("Quote %(number)s", number=quote.number)
    story: list[Flowable] = [
        para(title, "title"),
        para(t("Thank you for your enquiry. We are pleased to quote as follows.")),
        Spacer(1, 2 * mm), _lines(quote, t),
    ]
    notes = category_notes(t, quote.company, ((ln.line.category, ln.line.exemption_reason)
                                               for ln in quote.lines))
    story += [para(n, "note") for n in notes]
    if quote.note:
        story += [Spacer(1, 2 * mm), para(quote.note)]
    story += [Spacer(1, 3 * mm), para(t(
        "This quote is valid until %(date)s. Prices and availability may change after that "
        "day.", date=t.date(quote.valid_until)), bold=True)]
    story += _on_acceptance(quote, t)
    story += [Spacer(1, 3 * mm),
              para(t("To accept, please reply to this quote or return it signed.")),
              _signature(t, quote.customer.name)]
    info = ((t("Quote number"), quote.number), (t("Quote date"), t.date(quote.quote_date)),
            (t("Valid until"), t.date(quote.valid_until)),
            (t("Customer number"), quote.customer.number) if quote.customer.number else None,
            (t("Your VAT ID"), quote.customer.vat_id) if quote.customer.vat_id else None)
    return Part(quote.company, t, title, story, quote.customer,
                tuple(row for row in info if row))


def _lines(quote: Quote, t: Lang) -> Flowable:
    cur = quote.currency
    has_discount = any(q.line.discount_percent for q in quote.lines)
    columns = [Column(t("Pos."), numeric=True), Column(t("Description"), flex=True),
               Column(t("Quantity"), numeric=True, decimal=True), Column(t("Unit")),
               Column(t("Unit price"), numeric=True), Column(t("Tax"), numeric=True)]
    columns += [Column(t("Discount"), numeric=True)] if has_discount else []
    columns += [Column(t("Net"), numeric=True)]
    body = []
    for pos, q in enumerate(quote.lines, start=1):
        line = q.line
        description = line.description
        if q.availability:
            description += f"\n{t('Availability')}: {q.availability}"
        row = [str(pos), description, t.number(line.quantity), unit_name(t, line.unit),
               t.price(line.unit_price, cur), t.percent(line.tax_percent)]
        row += [t.percent(line.discount_percent)] if has_discount else []
        row += [t.money(line.net_minor, cur)]
        body.append(row)
    foot = [Foot(t("Subtotal"), t.money(quote.subtotal_minor, cur))]
    foot += [Foot(band_label(t, b.category, t.percent(b.rate), t.money(b.net_minor, cur)),
                  t.money(b.tax_minor, cur)) for b in quote.bands]
    foot.append(Foot(t("Total"), t.money(quote.total_minor, cur), bold=True))
    return Grid(columns, body, foot)


def _on_acceptance(quote: Quote, t: Lang) -> list[Flowable]:
    """What is asked on acceptance and when each share falls due: the invoice is made on
    acceptance, so its installments are counted from that day."""
    cur = quote.currency
    heading = para(t("Payment on acceptance"), "heading")
    if len(quote.schedule) < 2:
        return [heading, para(t("On acceptance we send the invoice for the full amount; no "
                                "deposit is asked."))]
    columns = [Column(t("Installment"), flex=True), Column(t("Due")),
               Column(t("Share"), numeric=True), Column(t("Amount"), numeric=True)]
    body = [[t.label(p.label), falls_due(t, p.when), t.percent(p.percent),
             t.money(p.amount_minor, cur)] for p in quote.schedule]
    deposit = deposit_of(quote.schedule)
    if deposit is None:
        said = t("On acceptance we send the invoice; no deposit is asked, and the amount "
                 "falls due in the installments shown below.")
    else:
        said = t("On acceptance we ask for a deposit of %(percent)s (%(amount)s); the rest "
                 "falls due as shown below.", percent=t.percent(deposit.percent),
                 amount=t.money(deposit.amount_minor, cur))
    return [heading, para(said), KeepTogether([Spacer(1, 2 * mm), Grid(columns, body)])]


def falls_due(t: Lang, when: When) -> str:
    """When a share falls due, in words that hold on whatever day the quote is accepted."""
    if when.day is not None:
        return t.date(when.day)
    if when.after_first:
        return t("One month after the first installment") if when.months == 1 else t(
            "%(months)s months after the first installment", months=when.months)
    if when.months:
        return t("One month after acceptance") if when.months == 1 else t(
            "%(months)s months after acceptance", months=when.months)
    if when.days:
        return t("One day after acceptance") if when.days == 1 else t(
            "%(days)s days after acceptance", days=when.days)
    return t("On acceptance")


def _signature(t: Lang, name: str) -> Flowable:
    """The customer's acceptance: a line to sign on, with place and date."""
    rows = [[""], [para("_" * 40, "small")],
            [para(f"{t('Place, date')} / {t('Signature')}", "small")],
            [para(f"{t('Accepted')}: {t('For %(name)s', name=name)}", "small")]]
    table = Table(rows, colWidths=["60%"], rowHeights=[12 * mm, None, None, None], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([table])


