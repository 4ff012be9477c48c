"""The books as objects: ORM classes mapped onto the tables of ``storage.tables``.

The columns are declared once, there; a class adds what objects need besides (relationships
and a few derived values). Reads that need no objects use the tables directly and never load
the ORM.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from desktop_app.storage import tables


class Base(DeclarativeBase):
    metadata = tables.metadata


class Company(Base):
    __table__ = tables.companies

    id: Mapped[int]
    name: Mapped[str]
    address: Mapped[str]
    email: Mapped[str]
    phone: Mapped[str]
    tax_id: Mapped[str]
    iban: Mapped[str]
    bic: Mapped[str]
    currency: Mapped[str]
    paper: Mapped[str]
    number_format: Mapped[str]
    credit_note_format: Mapped[str]
    envelope_dx_mm: Mapped[Decimal]
    envelope_dy_mm: Mapped[Decimal]
    logo: Mapped[bytes | None]
    default_terms_id: Mapped[int | None]
    peppol_id: Mapped[str]
    country: Mapped[str]
    vat_id: Mapped[str]
    register: Mapped[str]
    directors: Mapped[str]
    signer_name: Mapped[str]
    signer_title: Mapped[str]
    small_business: Mapped[bool]
    bank_name: Mapped[str]
    account_holder: Mapped[str]
    account_number: Mapped[str]
    routing_number: Mapped[str]
    correspondent_account: Mapped[str]
    kpp: Mapped[str]
    checks_payable_to: Mapped[str]
    remit_to: Mapped[str]


class PaymentTermsRow(Base):
    __table__ = tables.payment_terms

    id: Mapped[int]
    company_id: Mapped[int]
    name: Mapped[str]
    net_days: Mapped[int]
    discount_percent: Mapped[Decimal]
    discount_days: Mapped[int]
    late_fee_minor: Mapped[int]
    interest_annual_percent: Mapped[Decimal]
    grace_days: Mapped[int]
    instructions: Mapped[str]
    late_rule: Mapped[str]
    fee_rule: Mapped[str]


class Customer(Base):
    __table__ = tables.customers

    id: Mapped[int]
    company_id: Mapped[int]
    name: Mapped[str]
    name_key: Mapped[str]  # kept by the name (tables.sort_name), never set by hand
    address: Mapped[str]
    email: Mapped[str]
    phone: Mapped[str]
    language: Mapped[str]
    terms_id: Mapped[int | None]
    credit_limit_minor: Mapped[int | None]
    credit_status: Mapped[str]
    notes: Mapped[str]
    created_at: Mapped[datetime]
    policy_name: Mapped[str | None]
    exempt: Mapped[bool]
    einvoice_format: Mapped[str | None]
    leitweg_id: Mapped[str]
    peppol_id: Mapped[str]
    vat_id: Mapped[str]
    number: Mapped[str]
    country: Mapped[str]
    consumer: Mapped[bool]
    read_receipt: Mapped[bool | None]
    receipt_by_call: Mapped[bool]
    credit_granted: Mapped[bool]

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Contact.id"
    )


class Contact(Base):
    __table__ = tables.contacts

    id: Mapped[int]
    customer_id: Mapped[int]
    role: Mapped[str]
    name: Mapped[str]
    email: Mapped[str]
    phone: Mapped[str]

    customer: Mapped[Customer] = relationship(back_populates="contacts")


class Invoice(Base):
    """A draft until issued; then its number, amounts, terms and customer snapshot freeze."""

    __table__ = tables.invoices

    id: Mapped[int]
    company_id: Mapped[int]
    customer_id: Mapped[int]
    state: Mapped[str]
    number: Mapped[str | None]
    issue_date: Mapped[date | None]
    due_date: Mapped[date | None]
    currency: Mapped[str]
    subtotal_minor: Mapped[int]
    tax_minor: Mapped[int]
    total_minor: Mapped[int]
    paid_minor: Mapped[int]
    discount_minor: Mapped[int]
    written_off_minor: Mapped[int]
    terms_id: Mapped[int | None]
    terms_name: Mapped[str]
    net_days: Mapped[int]
    discount_percent: Mapped[Decimal]
    discount_days: Mapped[int]
    late_fee_minor: Mapped[int]
    interest_annual_percent: Mapped[Decimal]
    grace_days: Mapped[int]
    instructions: Mapped[str]
    customer_name: Mapped[str]
    customer_name_key: Mapped[str]  # kept by the name (tables.sort_name), never set by hand
    customer_address: Mapped[str]
    customer_language: Mapped[str]
    schedule_spec: Mapped[str]
    schedule_every: Mapped[int | None]
    pdf_sha256: Mapped[str | None]
    fee_rule: Mapped[str]
    created_at: Mapped[datetime]
    issued_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str]
    payment_reference: Mapped[str | None]
    supply_date: Mapped[date | None]
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    buyer_reference: Mapped[str]
    order_reference: Mapped[str]
    customer_vat_id: Mapped[str]
    customer_number: Mapped[str]
    customer_country: Mapped[str]
    customer_consumer: Mapped[bool]
    late_rule: Mapped[str]

    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="InvoiceLine.position"
    )
    installments: Mapped[list[Installment]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="Installment.position"
    )


@event.listens_for(Customer.name, "set")
def _customer_renamed(target: Customer, value: str, _old: object, _by: object) -> None:
    """A name set on an object takes its sort key along: a customer renamed, a draft that
    takes its customer's name again (on edit, on issue). The column's insert default keeps
    it for rows inserted without objects; see ``tables._sort_name_of`` for why neither is
    left to the services."""
    target.name_key = tables.sort_name(value or "")


@event.listens_for(Invoice.customer_name, "set")
def _invoice_named(target: Invoice, value: str, _old: object, _by: object) -> None:
    target.customer_name_key = tables.sort_name(value or "")


class InvoiceLine(Base):
    __table__ = tables.invoice_lines

    id: Mapped[int]
    invoice_id: Mapped[int]
    position: Mapped[int]
    description: Mapped[str]
    quantity: Mapped[Decimal]
    unit_price: Mapped[Decimal]
    tax_percent: Mapped[Decimal]
    discount_percent: Mapped[Decimal]
    net_minor: Mapped[int]
    tax_minor: Mapped[int]
    unit: Mapped[str]
    vat_category: Mapped[str]
    exemption_reason: Mapped[str]
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class Installment(Base):
    __table__ = tables.installments

    id: Mapped[int]
    invoice_id: Mapped[int]
    position: Mapped[int]
    label: Mapped[str]
    due_date: Mapped[date]
    amount_minor: Mapped[int]
    paid_minor: Mapped[int]
    written_off_minor: Mapped[int]
    plan_id: Mapped[int | None]
    replaced_by_plan_id: Mapped[int | None]
    reached_stage: Mapped[str | None]

    invoice: Mapped[Invoice] = relationship(back_populates="installments")

    @property
    def open_minor(self) -> int:
        if self.replaced_by_plan_id is not None:
            return 0
        return max(self.amount_minor - self.paid_minor - self.written_off_minor, 0)


class Payment(Base):
    __table__ = tables.payments

    id: Mapped[int]
    customer_id: Mapped[int]
    invoice_id: Mapped[int | None]
    paid_on: Mapped[date]
    amount_minor: Mapped[int]
    currency: Mapped[str]
    method: Mapped[str]
    reference: Mapped[str]
    created_at: Mapped[datetime]
    settles: Mapped[str]


class BankImport(Base):
    __table__ = tables.bank_imports

    id: Mapped[int]
    at: Mapped[datetime]
    actor: Mapped[str]
    filename: Mapped[str]
    sha256: Mapped[str]
    format: Mapped[str]
    transactions: Mapped[int]
    duplicates: Mapped[int]
    booked: Mapped[int]
    waiting: Mapped[int]


class BankTransaction(Base):
    __table__ = tables.bank_transactions

    id: Mapped[int]
    import_id: Mapped[int]
    account: Mapped[str]
    booked_on: Mapped[date]
    value_on: Mapped[date]
    amount_minor: Mapped[int]
    currency: Mapped[str]
    counterparty: Mapped[str]
    counterparty_account: Mapped[str]
    remittance: Mapped[str]
    creditor_reference: Mapped[str]
    bank_reference: Mapped[str]
    dedupe_key: Mapped[str]
    content_key: Mapped[str]
    status: Mapped[str]
    rule: Mapped[str]
    reason: Mapped[str]
    reason_message: Mapped[str]
    reason_params: Mapped[str]
    suggestion: Mapped[str]
    decided_on: Mapped[date | None]


class CustomerBankAccount(Base):
    __table__ = tables.customer_bank_accounts

    id: Mapped[int]
    customer_id: Mapped[int]
    account: Mapped[str]
    first_seen: Mapped[date]


class Allocation(Base):
    """Part of a payment (or of a granted discount) applied to one installment."""

    __table__ = tables.allocations

    id: Mapped[int]
    payment_id: Mapped[int | None]
    write_off_id: Mapped[int | None]
    installment_id: Mapped[int]
    charge_id: Mapped[int | None]
    kind: Mapped[str]
    amount_minor: Mapped[int]
    on_day: Mapped[date]


class CustomerCredit(Base):
    """Credit ledger: an overpayment adds, a use of credit subtracts."""

    __table__ = tables.customer_credits

    id: Mapped[int]
    customer_id: Mapped[int]
    payment_id: Mapped[int | None]
    amount_minor: Mapped[int]
    currency: Mapped[str]
    note: Mapped[str]


class CreditNote(Base):
    """The correction of an issued invoice (EU VAT: issued invoices are never edited)."""

    __table__ = tables.credit_notes

    id: Mapped[int]
    company_id: Mapped[int]
    invoice_id: Mapped[int]
    number: Mapped[str]
    issue_date: Mapped[date]
    amount_minor: Mapped[int]
    currency: Mapped[str]
    reason: Mapped[str]


class Promise(Base):
    __table__ = tables.promises

    id: Mapped[int]
    invoice_id: Mapped[int]
    promised_for: Mapped[date]
    amount_minor: Mapped[int | None]
    excuse: Mapped[str]
    note: Mapped[str]
    promised_by: Mapped[str]
    created_on: Mapped[date]
    created_at: Mapped[datetime]
    installment_id: Mapped[int | None]
    status: Mapped[str]
    resolved_on: Mapped[date | None]
    reviewed_on: Mapped[date | None]


class NumberCounter(Base):
    """Last number used per company, kind and year (never a database sequence)."""

    __table__ = tables.number_counters

    company_id: Mapped[int]
    kind: Mapped[str]
    year: Mapped[int]
    last_value: Mapped[int]


class AuditEntry(Base):
    """Append-only: triggers refuse updates and deletes."""

    __table__ = tables.audit_log

    id: Mapped[int]
    at: Mapped[datetime]
    actor: Mapped[str]
    action: Mapped[str]
    entity: Mapped[str]
    entity_id: Mapped[int | None]
    detail: Mapped[str]
    sha256: Mapped[str | None]


class Setting(Base):
    """Small JSON settings of the books (never a secret: secrets live in the keyring)."""

    __table__ = tables.settings

    key: Mapped[str]
    value: Mapped[str]


class FollowupRecord(Base):
    """A stage done or skipped for one installment: the unique key makes it happen once."""

    __table__ = tables.followup_records

    id: Mapped[int]
    installment_id: Mapped[int]
    stage: Mapped[str]
    outcome: Mapped[str]
    recorded_on: Mapped[date]
    at: Mapped[datetime]
    actor: Mapped[str]
    channels: Mapped[str]


class Charge(Base):
    """A late fee or interest charged on an installment when a stage was carried out."""

    __table__ = tables.charges

    id: Mapped[int]
    installment_id: Mapped[int]
    kind: Mapped[str]
    stage: Mapped[str]
    charged_on: Mapped[date]
    amount_minor: Mapped[int]
    settled_minor: Mapped[int]
    claimed_minor: Mapped[int]
    written_off_minor: Mapped[int]
    covers: Mapped[str]
    replaced_by_plan_id: Mapped[int | None]


class FollowupApproval(Base):
    """A step held for its cost that a person decided to take all the same."""

    __table__ = tables.followup_approvals

    id: Mapped[int]
    installment_id: Mapped[int]
    stage: Mapped[str]
    approved_on: Mapped[date]
    actor: Mapped[str]


class CallTask(Base):
    """A phone call or another task that stays on the day's list until its outcome is
    logged."""

    __table__ = tables.call_tasks

    id: Mapped[int]
    installment_id: Mapped[int]
    customer_id: Mapped[int]
    stage: Mapped[str]
    channel: Mapped[str]
    created_on: Mapped[date]
    outcome: Mapped[str | None]
    outcome_on: Mapped[date | None]
    note: Mapped[str]
    next_step: Mapped[str]


class InvoiceHold(Base):
    """A dispute or a manual pause: reminders for the invoice wait until it is released."""

    __table__ = tables.invoice_holds

    id: Mapped[int]
    invoice_id: Mapped[int]
    kind: Mapped[str]
    reason: Mapped[str]
    opened_on: Mapped[date]
    released_on: Mapped[date | None]
    resolution: Mapped[str]


class PaymentPlanRow(Base):
    __table__ = tables.payment_plans

    id: Mapped[int]
    invoice_id: Mapped[int]
    customer_id: Mapped[int]
    agreed_on: Mapped[date]
    grace_days: Mapped[int]
    schedule_spec: Mapped[str]
    status: Mapped[str]
    last_payment_id: Mapped[int | None]
    last_write_off_id: Mapped[int | None]


class WriteOff(Base):
    __table__ = tables.write_offs

    id: Mapped[int]
    invoice_id: Mapped[int]
    written_on: Mapped[date]
    amount_minor: Mapped[int]
    reason: Mapped[str]
    requested_minor: Mapped[int | None]


class InvoiceReceipt(Base):
    __table__ = tables.invoice_receipts

    id: Mapped[int]
    invoice_id: Mapped[int]
    received_on: Mapped[date]
    received_by: Mapped[str]
    via: Mapped[str]
    recorded_at: Mapped[datetime]
    actor: Mapped[str]


class PolicyRow(Base):
    """A follow-up policy as JSON (domain.followup.policy_to_dict)."""

    __table__ = tables.policies

    name: Mapped[str]
    body: Mapped[str]
    is_default: Mapped[bool]


class StoredDocument(Base):
    """A PDF exactly as it was issued, sent or printed: the proof of what a customer got."""

    __table__ = tables.stored_documents

    id: Mapped[int]
    kind: Mapped[str]
    customer_id: Mapped[int]
    invoice_id: Mapped[int | None]
    stage: Mapped[str]
    created_on: Mapped[date]
    filename: Mapped[str]
    sha256: Mapped[str]
    pdf: Mapped[bytes]


class Activity(Base):
    """The customer's log: every email, letter, call, visit, note, promise and payment."""

    __table__ = tables.activities

    id: Mapped[int]
    customer_id: Mapped[int]
    invoice_id: Mapped[int | None]
    happened_on: Mapped[date]
    at: Mapped[datetime]
    kind: Mapped[str]
    summary: Mapped[str]
    actor: Mapped[str]
    document_id: Mapped[int | None]
    message: Mapped[str]
    params: Mapped[str]


class OutboxMessage(Base):
    """A message stored, with its Message-ID, before any network traffic."""

    __table__ = tables.outbox

    id: Mapped[int]
    message_id: Mapped[str]
    customer_id: Mapped[int | None]
    state: Mapped[str]
    subject: Mapped[str]
    envelope_from: Mapped[str]
    recipients: Mapped[str]
    raw: Mapped[bytes]
    created_at: Mapped[datetime]
    attempts: Mapped[int]
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str]
    sent_at: Mapped[datetime | None]
    activity_id: Mapped[int | None]
    sending_by: Mapped[str | None]
    installments: Mapped[str]


class Retainer(Base):
    __table__ = tables.retainers

    id: Mapped[int]
    company_id: Mapped[int]
    customer_id: Mapped[int]
    title: Mapped[str]
    every: Mapped[str]
    day: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    count: Mapped[int | None]
    terms_name: Mapped[str]
    deliver: Mapped[str]
    created_at: Mapped[datetime]


class RetainerPrice(Base):
    __table__ = tables.retainer_prices

    id: Mapped[int]
    retainer_id: Mapped[int]
    effective_from: Mapped[date]
    lines: Mapped[str]


class RetainerPause(Base):
    __table__ = tables.retainer_pauses

    id: Mapped[int]
    retainer_id: Mapped[int]
    paused_from: Mapped[date]
    resumed_on: Mapped[date | None]


class RetainerInvoice(Base):
    __table__ = tables.retainer_invoices

    id: Mapped[int]
    retainer_id: Mapped[int]
    period_start: Mapped[date]
    period_end: Mapped[date]
    invoice_id: Mapped[int]
    issued_on: Mapped[date]


class Quote(Base):
    """A written quote with a short validity; accepting it makes a draft invoice."""

    __table__ = tables.quotes

    id: Mapped[int]
    company_id: Mapped[int]
    customer_id: Mapped[int]
    number: Mapped[str]
    quote_date: Mapped[date]
    valid_until: Mapped[date]
    currency: Mapped[str]
    subtotal_minor: Mapped[int]
    tax_minor: Mapped[int]
    total_minor: Mapped[int]
    schedule_spec: Mapped[str]
    state: Mapped[str]
    sent_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    decline_reason: Mapped[str]
    invoice_id: Mapped[int | None]
    document_id: Mapped[int | None]
    customer_name: Mapped[str]
    customer_address: Mapped[str]
    customer_language: Mapped[str]
    note: Mapped[str]
    created_at: Mapped[datetime]
    lines: Mapped[list[QuoteLine]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="QuoteLine.position"
    )


class QuoteLine(Base):
    __table__ = tables.quote_lines

    id: Mapped[int]
    quote_id: Mapped[int]
    position: Mapped[int]
    description: Mapped[str]
    quantity: Mapped[Decimal]
    unit_price: Mapped[Decimal]
    tax_percent: Mapped[Decimal]
    discount_percent: Mapped[Decimal]
    net_minor: Mapped[int]
    tax_minor: Mapped[int]
    unit: Mapped[str]
    vat_category: Mapped[str]
    exemption_reason: Mapped[str]
    availability: Mapped[str]
    quote: Mapped[Quote] = relationship(back_populates="lines")


class QuoteStep(Base):
    """A step of a quote's follow-up ladder, done once."""

    __table__ = tables.quote_steps

    id: Mapped[int]
    quote_id: Mapped[int]
    step: Mapped[str]
    outcome: Mapped[str]
    channel: Mapped[str]
    recorded_on: Mapped[date]
    closed_on: Mapped[date | None]
    note: Mapped[str]
    note_message: Mapped[str]
    note_params: Mapped[str]


class CreditApplication(Base):
    __table__ = tables.credit_applications

    id: Mapped[int]
    customer_id: Mapped[int]
    opened_on: Mapped[date]
    state: Mapped[str]
    decided_on: Mapped[date | None]
    decided_by: Mapped[str]
    limit_minor: Mapped[int | None]
    terms_name: Mapped[str]
    review_on: Mapped[date | None]
    note: Mapped[str]
    created_at: Mapped[datetime]


class CreditReference(Base):
    __table__ = tables.credit_references

    id: Mapped[int]
    application_id: Mapped[int]
    company: Mapped[str]
    person: Mapped[str]
    phone: Mapped[str]
    said: Mapped[str]
    called_on: Mapped[date]


class CreditDocument(Base):
    __table__ = tables.credit_documents

    id: Mapped[int]
    application_id: Mapped[int]
    kind: Mapped[str]
    filename: Mapped[str]
    media_type: Mapped[str]
    size: Mapped[int]
    sha256: Mapped[str]
    content: Mapped[bytes]
    added_on: Mapped[date]
