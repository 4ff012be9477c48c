"""The invoice PDF: letterhead, window address, lines, tax per rate, terms, how to pay."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from desktop_app.documents.data import Invoice
from desktop_app.documents.i18n import FEE_RULE_SENTENCES, Lang
from desktop_app.documents.payment import payment_block
from desktop_app.documents.pdf import Part, build
from desktop_app.documents.text import cell, para, table_style
from desktop_app.domain.terms import PaymentTerms


def render_invoice(invoice: Invoice) -> bytes:
    return build([invoice_part(invoice)], title=f"Invoice {invoice.number}")


def lang_of(invoice: Invoice) -> Lang:
    return Lang(invoice.customer.language, invoice.customer.babel_locale)


def invoice_part(invoice: Invoice, note: str = "") -> Part:
    """The invoice as one part of a PDF (also used inside the dossier)."""
    t = lang_of(invoice)
    title = f"{t('Invoice')} {invoice.number}"
    info = (
        (t("Invoice number"), invoice.number),
        (t("Invoice date"), t.date(invoice.issue_date)),
        (t("Due date"), t.date(invoice.due_date)),
        (t("Payment reference"), invoice.reference),
    )
    story: list[Flowable] = [para(title, "title"), _lines_table(invoice, t), Spacer(1, 3 * mm),
                             _totals(invoice, t), *_terms(invoice, t)]
    if len(invoice.installments) > 1:
        story.append(_schedule(invoice, t))
    story.append(payment_block(invoice.company, t, amount_minor=_first_open(invoice),
                               currency=invoice.currency, reference=invoice.reference))
    return Part(invoice.company, t, title, story, invoice.customer, info, note)


def _first_open(invoice: Invoice) -> int:
    """The amount the QR code asks for: the next open installment, else the total."""
    for inst in invoice.installments:
        if inst.amount_minor > inst.paid_minor:
            return inst.amount_minor - inst.paid_minor
    return invoice.total_minor


def _lines_table(invoice: Invoice, t: Lang) -> Table:
    cur = invoice.currency
    has_discount = any(line.discount_percent for line in invoice.lines)
    header = [t("Pos."), t("Description"), t("Quantity"), t("Unit price"), t("Tax")]
    header += [t("Discount")] if has_discount else []
    header += [t("Net")]
    rows: list[list] = [[cell(h) for h in header]]
    for pos, line in enumerate(invoice.lines, start=1):
        row = [str(pos), para(line.description, "cell"), cell(t.number(line.quantity)),
               cell(t.price(line.unit_price, cur)), cell(t.percent(line.tax_percent))]
        row += [cell(t.percent(line.discount_percent))] if has_discount else []
        row += [cell(t.money(line.net_minor, cur))]
        rows.append(row)
    widths = [10 * mm, None, 18 * mm, 24 * mm, 14 * mm] + ([18 * mm] if has_discount else [])
    widths += [27 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1, splitByRow=1, hAlign="LEFT")
    table.setStyle(table_style(2))
    return table


def _totals(invoice: Invoice, t: Lang) -> Flowable:
    cur = invoice.currency
    rows: list[list] = [["", cell(t("Subtotal")), cell(t.money(invoice.subtotal_minor, cur))]]
    for band in invoice.bands:
        label = t("Tax %(rate)s on %(net)s", rate=t.percent(band.rate),
                  net=t.money(band.net_minor, cur))
        rows.append(["", cell(label), cell(t.money(band.tax_minor, cur))])
    rows.append(["", cell(t("Total"), bold=True),
                 cell(t.money(invoice.total_minor, cur), right=True, bold=True)])
    table = Table(rows, colWidths=[None, 70 * mm, 32 * mm], hAlign="RIGHT")
    table.setStyle(table_style(2, header=False, total_rows=1))
    return KeepTogether([table])


def fee_rule_sentence(terms: PaymentTerms, currency: str, t: Lang) -> str:
    """The fee and how it is charged, as the invoice states it and a reminder repeats it."""
    return t(FEE_RULE_SENTENCES[terms.fee_rule], fee=t.money(terms.late_fee_minor, currency))


def _terms(invoice: Invoice, t: Lang) -> list[Flowable]:
    """The terms in words (seed 001): due date, early discount, late charges, instructions."""
    terms, cur = invoice.terms, invoice.currency
    out: list[Flowable] = [para(t("Payment terms"), "heading"), para(t(
        "%(terms)s: please pay %(amount)s by %(date)s.", terms=terms.name,
        amount=t.money(invoice.total_minor, cur), date=t.date(invoice.due_date)))]
    deadline = terms.discount_deadline(invoice.issue_date)
    if deadline is not None:
        discount = terms.discount_minor(invoice.total_minor, cur)
        out.append(para(t(
            "If paid by %(date)s, you may deduct an early-payment discount of %(percent)s "
            "(%(discount)s) and pay %(amount)s.", date=t.date(deadline),
            percent=t.percent(terms.discount_percent), discount=t.money(discount, cur),
            amount=t.money(invoice.total_minor - discount, cur))))
    if terms.late_fee_minor:
        out.append(para(fee_rule_sentence(terms, cur, t)))
    if terms.interest_annual_percent:
        rate = t.percent(terms.interest_annual_percent)
        out.append(para(t(
            "Late payment: interest of %(rate)s a year on the open amount from %(days)s days "
            "after the due date.", rate=rate, days=terms.grace_days) if terms.grace_days else t(
            "Late payment: interest of %(rate)s a year on the open amount from the due date.",
            rate=rate)))
    if terms.instructions.strip():
        out.append(para(terms.instructions))
    return out


def _schedule(invoice: Invoice, t: Lang) -> Flowable:
    cur = invoice.currency
    rows: list[list] = [[cell(t("Installment")), cell(t("Due date")), cell(t("Amount")),
                         cell(t("Paid"))]]
    for inst in invoice.installments:
        rows.append([para(t.label(inst.label), "cell"), cell(t.date(inst.due_date)),
                     cell(t.money(inst.amount_minor, cur)), cell(t.money(inst.paid_minor, cur))])
    table = Table(rows, colWidths=[None, 35 * mm, 32 * mm, 32 * mm], repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(table_style(2))
    return KeepTogether([para(t("Installment schedule"), "heading"), table])
