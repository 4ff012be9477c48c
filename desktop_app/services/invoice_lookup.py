"""Reading one invoice as the rules see it: found by id, its terms, its lines and tax bands,
what is still owed on it and its status. Shared by the use cases that change invoices and
those that print them, so neither needs the other."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import NotFound
from desktop_app.domain.lines import Line, TaxBand, band_key, bands_from, totals
from desktop_app.domain.status import InvoiceStatus, Lifecycle, invoice_status
from desktop_app.domain.terms import PaymentTerms
from desktop_app.domain.vat import VatCategory
from desktop_app.messages import N_
from desktop_app.services.credit_rule import pays_on_receipt
from desktop_app.services.terms import row_to_terms, terms_that_apply
from desktop_app.storage.models import Company, Customer, Invoice, PaymentTermsRow
from desktop_app.storage.tables import INVOICE_OPEN_MINOR


def status_of(inv: Invoice) -> InvoiceStatus:
    return invoice_status(Lifecycle(inv.state), inv.total_minor, inv.paid_minor,
                          inv.written_off_minor)


def require_invoice(session: Session, invoice_id: int, field: str = "invoice", *,
                    lock: bool = False) -> Invoice:
    """``lock``: a change that reads the invoice's amounts and writes them back holds the
    row until it commits, so two people recording money at once on a shared server queue
    instead of overwriting each other (SQLite's write lock does this for a file)."""
    inv = session.get(Invoice, invoice_id, with_for_update=lock or None,
                      populate_existing=lock)
    if inv is None:
        raise NotFound(field, N_("no invoice with id {id}"), id=str(invoice_id))
    return inv


def invoice_terms(session: Session, company: Company, inv: Invoice) -> PaymentTerms:
    """Frozen terms of an issued invoice; the chosen (or default) terms of a draft."""
    if inv.state != Lifecycle.DRAFT:
        return PaymentTerms(
            name=inv.terms_name, net_days=inv.net_days, discount_percent=inv.discount_percent,
            discount_days=inv.discount_days, late_fee_minor=inv.late_fee_minor,
            interest_annual_percent=inv.interest_annual_percent, grace_days=inv.grace_days,
            instructions=inv.instructions, late_rule=inv.late_rule, fee_rule=inv.fee_rule,
        )
    customer = session.get(Customer, inv.customer_id)
    if customer is None:
        return draft_terms(session, company, inv.terms_id)
    return customer_draft_terms(session, company, customer, inv.terms_id)


def draft_terms(session: Session, company: Company, chosen_id: int | None,
                customers_id: int | None = None, *, on_receipt: bool = False) -> PaymentTerms:
    """The terms a draft uses (``terms_that_apply``), looked up by id in the books."""
    def find(terms_id: int) -> PaymentTerms | None:
        row = session.get(PaymentTermsRow, terms_id)
        return row_to_terms(row) if row is not None else None
    return terms_that_apply(find, chosen_id, customers_id, company.default_terms_id,
                            on_receipt=on_receipt)


def customer_draft_terms(session: Session, company: Company, customer: Customer,
                         chosen_id: int | None) -> PaymentTerms:
    """The terms of a draft for this customer: due on receipt while its credit is not
    granted under the cash-only rule, unless terms are chosen for the draft."""
    return draft_terms(session, company, chosen_id, customer.terms_id,
                       on_receipt=pays_on_receipt(session, customer))


def stored_lines(inv: Invoice) -> list[Line]:
    return [Line(ln.description, ln.quantity, ln.unit_price, ln.tax_percent,
                 ln.discount_percent, ln.unit, VatCategory(ln.vat_category),
                 ln.exemption_reason, ln.period_start, ln.period_end) for ln in inv.lines]


def invoice_bands(inv: Invoice) -> tuple[TaxBand, ...]:
    """A draft's breakdown as the rules give it now; an issued invoice's as it was issued,
    read back from its frozen line figures (invoices issued before VAT was computed per
    rate keep their per-line figures)."""
    if inv.state == Lifecycle.DRAFT:
        return totals(stored_lines(inv), inv.currency).bands
    return bands_from((band_key(line), row.net_minor, row.tax_minor)
                      for line, row in zip(stored_lines(inv), inv.lines, strict=True))


def customer_open_minor(session: Session, customer_id: int) -> int:
    """What the customer owes on issued invoices now."""
    return int(session.execute(
        select(func.coalesce(func.sum(INVOICE_OPEN_MINOR), 0))
        .where(Invoice.customer_id == customer_id, Invoice.state == Lifecycle.ISSUED)).scalar_one())


def balance_minor(inv: Invoice) -> int:
    """What is still to be paid: nothing on a void invoice, nor what was written off."""
    if inv.state == Lifecycle.VOID:
        return 0
    return max(inv.total_minor - inv.paid_minor - inv.written_off_minor, 0)
