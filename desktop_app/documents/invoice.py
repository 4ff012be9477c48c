"""The invoice PDF: letterhead, window address, what the law asks an invoice to say (EU VAT
Art. 226, UStG § 14), lines, VAT per category and rate, terms, how to pay. Also the credit
note that cancels one."""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from desktop_app.documents.data import CreditNote, Invoice, Mark
from desktop_app.documents.grid import Carry, Column, Foot, Grid
from desktop_app.documents.i18n import UNIT_LABELS, Lang
from desktop_app.documents.legal import band_label, category_notes
from desktop_app.documents.payment import payment_block
from desktop_app.documents.pdf import Part, build
from desktop_app.documents.terms_text import terms_sentences
from desktop_app.documents.typesetting import para


def render_invoice(invoice: Invoice) -> bytes:
    t = lang_of(invoice)
    return build([invoice_part(invoice)], title=f"{t('Invoice')} {invoice.number}")


def render_credit_note(note: CreditNote) -> bytes:
    t = Lang(note.customer.language, note.customer.babel_locale)
    return build([credit_note_part(note)], title=f"{t('Credit note')} {note.number}")


def lang_of(invoice: Invoice) -> Lang:
    return Lang(invoice.customer.language, invoice.customer.babel_locale)


def supply_info(t: Lang, supply_date: date | None, start: date | None, end: date | None
                ) -> tuple[str, str] | None:
    """BT-72 or BG-14, as the reader's words."""
    if start and end:
        return t("Service period"), t("%(start)s to %(end)s", start=t.date(start),
                                      end=t.date(end))
    if supply_date:
        return t("Delivery date"), t.date(supply_date)
    return None


def reference_rows(t: Lang, order: str, buyer: str) -> list[tuple[str, str] | None]:
    """BT-13 and BT-10: the buyer's order number and reference, when given."""
    return [(t("Your order"), order) if order else None,
            (t("Your reference"), buyer) if buyer else None]


def _info(invoice: Invoice, t: Lang) -> tuple[tuple[str, str], ...]:
    customer = invoice.customer
    rows = [(t("Invoice number"), invoice.number), (t("Invoice date"), t.date(invoice.issue_date)),
            supply_info(t, invoice.supply_date, invoice.period_start, invoice.period_end),
            (t("Customer number"), customer.number) if customer.number else None,
            *reference_rows(t, invoice.order_reference, invoice.buyer_reference),
            (t("Your VAT ID"), customer.vat_id) if customer.vat_id else None]
    if invoice.asks_for_money:
        rows += [(t("Due date"), t.date(invoice.due_date)),
                 (t("Payment reference"), invoice.reference)]
    return tuple(row for row in rows if row)


def invoice_part(invoice: Invoice, note: str = "") -> Part:
    """The invoice as one part of a PDF (also used inside the dossier)."""
    t = lang_of(invoice)
    title = f"{t('Invoice')} {invoice.number}"
    story: list[Flowable] = [para(title, "title")]
    if invoice.mark is Mark.VOID and invoice.cancelled_by:
        story.append(para(f"{t('VOID')}: " + t(
            "Cancelled by credit note %(number)s of %(date)s. Nothing is to be paid on this "
            "invoice.", number=invoice.cancelled_by.number,
            date=t.date(invoice.cancelled_by.issue_date)), bold=True))
    story.append(_lines(invoice, t))
    notes = category_notes(t, invoice.company, ((ln.category, ln.exemption_reason)
                                                 for ln in invoice.lines))
    story += [para(n, "note") for n in notes]
    if invoice.asks_for_money:
        story += _terms(invoice, t)
        if len(invoice.installments) > 1:
            story.append(_schedule(invoice, t))
        block = payment_block(invoice.company, t, amount_minor=_first_open(invoice),
                              currency=invoice.currency, reference=invoice.reference)
        if block is not None:
            story.append(block)
    return Part(invoice.company, t, title, story, invoice.customer, _info(invoice, t), note)


def _first_open(invoice: Invoice) -> int:
    """The amount the QR code asks for: the next open installment, else the total."""
    for inst in invoice.installments:
        if inst.amount_minor > inst.paid_minor:
            return inst.amount_minor - inst.paid_minor
    return invoice.total_minor


def _lines(invoice: Invoice, t: Lang) -> Flowable:
    cur = invoice.currency
    has_discount = any(line.discount_percent for line in invoice.lines)
    columns = [Column(t("Pos."), numeric=True), Column(t("Description"), flex=True),
               Column(t("Quantity"), numeric=True, decimal=True), Column(t("Unit")),
               Column(t("Unit price"), numeric=True), Column(t("Tax"), numeric=True)]
    columns += [Column(t("Discount"), numeric=True)] if has_discount else []
    columns += [Column(t("Net"), numeric=True)]
    body = []
    for pos, line in enumerate(invoice.lines, start=1):
        description = line.description
        if line.period_start and line.period_end:
            description += "\n" + t("%(start)s to %(end)s", start=t.date(line.period_start),
                                    end=t.date(line.period_end))
        row = [str(pos), description, t.number(line.quantity), unit_name(t, line.unit),
               t.price(line.unit_price, cur), t.percent(line.tax_percent)]
        row += [t.percent(line.discount_percent)] if has_discount else []
        row += [t.money(line.net_minor, cur)]
        body.append(row)
    foot = [Foot(t("Subtotal"), t.money(invoice.subtotal_minor, cur))]
    for band in invoice.bands:
        foot.append(Foot(band_label(t, band.category, t.percent(band.rate),
                                    t.money(band.net_minor, cur)),
                         t.money(band.tax_minor, cur)))
    foot.append(Foot(t("Total"), t.money(invoice.total_minor, cur), bold=True))
    carry = Carry([line.net_minor for line in invoice.lines],
                  t("Carried forward"), t("Brought forward"), lambda m: t.money(m, cur))
    return Grid(columns, body, foot, carry)


def unit_name(t: Lang, code: str) -> str:
    """A Rec. 20 unit in the reader's words (the code itself when PaidUp has no name)."""
    return t(UNIT_LABELS[code]) if code in UNIT_LABELS else code


def _terms(invoice: Invoice, t: Lang) -> list[Flowable]:
    return [para(t("Payment terms"), "heading"),
            *(para(x, "note") for x in terms_sentences(invoice, t))]


def _schedule(invoice: Invoice, t: Lang) -> Flowable:
    cur = invoice.currency
    columns = [Column(t("Installment"), flex=True), Column(t("Due date"), numeric=True),
               Column(t("Amount"), numeric=True), Column(t("Paid"), numeric=True)]
    body = [[t.label(inst.label), t.date(inst.due_date), t.money(inst.amount_minor, cur),
             t.money(inst.paid_minor, cur)] for inst in invoice.installments]
    return KeepTogether([Spacer(1, 2 * mm), Grid(columns, body)])


def credit_note_part(note: CreditNote) -> Part:
    """A credit note of its own: what it cancels, why, and the amounts per VAT band."""
    t = Lang(note.customer.language, note.customer.babel_locale)
    cur = note.currency
    title = f"{t('Credit note')} {note.number}"
    info = [(t("Credit note number"), note.number),
            (t("Credit note date"), t.date(note.issue_date)),
            (t("Corrects invoice"), note.invoice_number),
            supply_info(t, note.supply_date, note.period_start, note.period_end),
            (t("Customer number"), note.customer.number) if note.customer.number else None,
            *reference_rows(t, note.order_reference, note.buyer_reference),
            (t("Your VAT ID"), note.customer.vat_id) if note.customer.vat_id else None]
    columns = [Column(t("Description"), flex=True), Column(t("Net"), numeric=True),
               Column(t("Tax"), numeric=True)]
    body = [[band_label(t, b.category, t.percent(b.rate), t.money(b.net_minor, cur)),
             t.money(b.net_minor, cur), t.money(b.tax_minor, cur)] for b in note.bands]
    foot = [Foot(t("Credited net"), t.money(note.net_minor, cur)),
            Foot(t("Total credited"), t.money(note.total_minor, cur), bold=True)]
    story: list[Flowable] = [
        para(title, "title"),
        para(t("This credit note cancels the open amount of invoice %(number)s of %(date)s.",
               number=note.invoice_number, date=t.date(note.invoice_date))),
        para(t("Reason: %(reason)s", reason=note.reason)), Spacer(1, 3 * mm),
        Grid(columns, body, foot),
        *[para(n, "small") for n in category_notes(
            t, note.company, ((b.category, b.exemption_reason) for b in note.bands))],
        Spacer(1, 3 * mm), para(t("Nothing is to be paid on this credit note.")),
    ]
    return Part(note.company, t, title, story, note.customer,
                tuple(row for row in info if row))
