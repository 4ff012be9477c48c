"""The books' tables. Money is integer minor units; quantities and rates exact text.

Issued invoices are frozen by database triggers (see migrations), not only by services.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from desktop_app.storage.types import DecimalText

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Money in minor units: 64-bit on PostgreSQL (a 32-bit column ends at 21,474,836.47, less
# than a mid-sized invoice in pesos or yen); SQLite's INTEGER is 64-bit already.
Minor = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    tax_id: Mapped[str] = mapped_column(String(64), default="")
    iban: Mapped[str] = mapped_column(String(34), default="")
    bic: Mapped[str] = mapped_column(String(11), default="")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    paper: Mapped[str] = mapped_column(String(8), default="a4")
    number_format: Mapped[str] = mapped_column(String(64), default="INV-{year}-{seq:04d}")
    credit_note_format: Mapped[str] = mapped_column(String(64), default="CN-{year}-{seq:04d}")
    envelope_dx_mm: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal(0))
    envelope_dy_mm: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal(0))
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # No foreign key: terms belong to a company, so the two would reference each other.
    default_terms_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PaymentTermsRow(Base):
    __tablename__ = "payment_terms"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    name: Mapped[str] = mapped_column(String(100))
    net_days: Mapped[int] = mapped_column(Integer)
    discount_percent: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal(0))
    discount_days: Mapped[int] = mapped_column(Integer, default=0)
    late_fee_minor: Mapped[int] = mapped_column(Minor, default=0)
    interest_annual_percent: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal(0))
    grace_days: Mapped[int] = mapped_column(Integer, default=0)
    instructions: Mapped[str] = mapped_column(Text, default="")


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    name: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")
    language: Mapped[str] = mapped_column(String(16), default="en")
    terms_id: Mapped[int | None] = mapped_column(ForeignKey("payment_terms.id"), nullable=True)
    credit_limit_minor: Mapped[int | None] = mapped_column(Minor, nullable=True)
    credit_status: Mapped[str] = mapped_column(String(16), default="good")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    policy_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    exempt: Mapped[bool] = mapped_column(Boolean, default=False)  # never reminded

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Contact.id"
    )


class Contact(Base):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    phone: Mapped[str] = mapped_column(String(64), default="")

    customer: Mapped[Customer] = relationship(back_populates="contacts")


class Invoice(Base):
    """A draft until issued; then its number, amounts, terms and customer snapshot freeze."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        Index("ix_invoices_state_due", "state", "due_date"),
        Index("ix_invoices_customer", "customer_id", "state"),
        # The invoice list, newest first, read in order with nothing to sort; search as you
        # type matches the names and numbers in it without reading the table.
        Index("ix_invoices_list", "issue_date", "id", "customer_name", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    state: Mapped[str] = mapped_column(String(8), default="draft")
    number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    issue_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    currency: Mapped[str] = mapped_column(String(3))
    subtotal_minor: Mapped[int] = mapped_column(Minor, default=0)
    tax_minor: Mapped[int] = mapped_column(Minor, default=0)
    total_minor: Mapped[int] = mapped_column(Minor, default=0)
    # Settled so far (payments + early discount), kept with the allocation rows in one
    # transaction so that a list of 100,000 invoices needs no aggregate.
    paid_minor: Mapped[int] = mapped_column(Minor, default=0)
    discount_minor: Mapped[int] = mapped_column(Minor, default=0)
    written_off_minor: Mapped[int] = mapped_column(Minor, default=0)
    terms_id: Mapped[int | None] = mapped_column(ForeignKey("payment_terms.id"), nullable=True)
    terms_name: Mapped[str] = mapped_column(String(100), default="")
    net_days: Mapped[int] = mapped_column(Integer, default=0)
    discount_percent: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal(0))
    discount_days: Mapped[int] = mapped_column(Integer, default=0)
    late_fee_minor: Mapped[int] = mapped_column(Minor, default=0)
    interest_annual_percent: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal(0))
    grace_days: Mapped[int] = mapped_column(Integer, default=0)
    instructions: Mapped[str] = mapped_column(Text, default="")
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer_address: Mapped[str] = mapped_column(Text, default="")
    customer_language: Mapped[str] = mapped_column(String(16), default="en")
    schedule_spec: Mapped[str] = mapped_column(String(200), default="")
    schedule_every: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    void_reason: Mapped[str] = mapped_column(Text, default="")

    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="InvoiceLine.position"
    )
    installments: Mapped[list[Installment]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="Installment.position"
    )


class InvoiceLine(Base):
    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(DecimalText)
    unit_price: Mapped[Decimal] = mapped_column(DecimalText)
    tax_percent: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal(0))
    discount_percent: Mapped[Decimal] = mapped_column(DecimalText, default=Decimal(0))
    net_minor: Mapped[int] = mapped_column(Minor)
    tax_minor: Mapped[int] = mapped_column(Minor)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


OPEN_INSTALLMENT_SQL = (
    "amount_minor > paid_minor + written_off_minor AND replaced_by_plan_id IS NULL"
)


class Installment(Base):
    __tablename__ = "installments"
    __table_args__ = (
        Index("ix_installments_due", "due_date"),
        # The follow-up plan reads only what is still open: a fraction of a big book.
        Index("ix_installments_open", "invoice_id", sqlite_where=text(OPEN_INSTALLMENT_SQL),
              postgresql_where=text(OPEN_INSTALLMENT_SQL)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    due_date: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(Minor)
    paid_minor: Mapped[int] = mapped_column(Minor, default=0)
    written_off_minor: Mapped[int] = mapped_column(Minor, default=0)
    # Set on the installments a payment plan created (allowed on an issued invoice) and on
    # the ones whose open balance the plan took over. Plain integers: a foreign key here
    # would make SQLite rebuild the table, and with it its freezing triggers.
    plan_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    replaced_by_plan_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    invoice: Mapped[Invoice] = relationship(back_populates="installments")

    @property
    def open_minor(self) -> int:
        if self.replaced_by_plan_id is not None:
            return 0
        return max(self.amount_minor - self.paid_minor - self.written_off_minor, 0)


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(Minor)
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[str] = mapped_column(String(32), default="")
    reference: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Allocation(Base):
    """Part of a payment (or of a granted discount) applied to one installment."""

    __tablename__ = "allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    installment_id: Mapped[int] = mapped_column(ForeignKey("installments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="payment")
    amount_minor: Mapped[int] = mapped_column(Minor)


class CustomerCredit(Base):
    """Credit ledger: an overpayment adds, a use of credit subtracts."""

    __tablename__ = "customer_credits"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), nullable=True)
    amount_minor: Mapped[int] = mapped_column(Minor)
    currency: Mapped[str] = mapped_column(String(3))
    note: Mapped[str] = mapped_column(Text, default="")


class CreditNote(Base):
    """The correction of an issued invoice (EU VAT: issued invoices are never edited)."""

    __tablename__ = "credit_notes"
    __table_args__ = (UniqueConstraint("company_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    number: Mapped[str] = mapped_column(String(64))
    issue_date: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(Minor)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(Text)


class Promise(Base):
    __tablename__ = "promises"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    promised_for: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int | None] = mapped_column(Minor, nullable=True)
    excuse: Mapped[str] = mapped_column(String(32), default="other")
    note: Mapped[str] = mapped_column(Text, default="")
    promised_by: Mapped[str] = mapped_column(String(200), default="")
    created_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # No foreign key: adding one would make SQLite rebuild the table (see installments).
    installment_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(8), default="open")  # open, kept, broken
    resolved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # A broken promise waits on the day's list until a person has looked at it.
    reviewed_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class NumberCounter(Base):
    """Last number used per company, kind and year; bumped in the issuing transaction.

    Never a database sequence: sequences skip numbers on rollback (EU VAT Art. 226 asks
    for one unbroken series).
    """

    __tablename__ = "number_counters"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class AuditEntry(Base):
    """Append-only: triggers refuse updates and deletes."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="{}")
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Setting(Base):
    """Small JSON settings of the books (never a secret: secrets live in the keyring)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- follow-up -------------------------------------------------------------------------------


class FollowupRecord(Base):
    """A stage done or skipped for one installment: the unique key makes it happen once."""

    __tablename__ = "followup_records"
    __table_args__ = (
        UniqueConstraint("installment_id", "stage"),
        # Covers the plan's per-installment history, so it is read from the index alone.
        Index("ix_followup_records_history", "installment_id", "stage", "outcome",
              "recorded_on", "channels"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    installment_id: Mapped[int] = mapped_column(ForeignKey("installments.id"))
    stage: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(8))  # done, skipped
    recorded_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    channels: Mapped[str] = mapped_column(String(64), default="")


class Charge(Base):
    """A late fee or interest charged on an installment when a stage was carried out."""

    __tablename__ = "charges"
    __table_args__ = (
        Index("uq_charges_installment_stage_kind", "installment_id", "stage", "kind",
              unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    installment_id: Mapped[int] = mapped_column(ForeignKey("installments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # fee, interest
    stage: Mapped[str] = mapped_column(String(32))
    charged_on: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(Minor)
    settled_minor: Mapped[int] = mapped_column(Minor, default=0)


class CallTask(Base):
    """A phone call (or another task, such as a handover) that stays on the day's list
    until its outcome is logged; created once per installment and stage."""

    __tablename__ = "call_tasks"
    __table_args__ = (
        Index("uq_call_tasks_installment_stage", "installment_id", "stage", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    installment_id: Mapped[int] = mapped_column(ForeignKey("installments.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    stage: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(8), default="call")  # call, task
    created_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    outcome_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")


class InvoiceHold(Base):
    """A dispute or a manual pause: reminders for the invoice wait until it is released."""

    __tablename__ = "invoice_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # dispute, pause
    reason: Mapped[str] = mapped_column(Text)
    opened_on: Mapped[date] = mapped_column(Date)
    released_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    resolution: Mapped[str] = mapped_column(Text, default="")


class PaymentPlanRow(Base):
    __tablename__ = "payment_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    agreed_on: Mapped[date] = mapped_column(Date)
    grace_days: Mapped[int] = mapped_column(Integer, default=5)
    schedule_spec: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8), default="active")  # active, broken


class WriteOff(Base):
    __tablename__ = "write_offs"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    written_on: Mapped[date] = mapped_column(Date)
    amount_minor: Mapped[int] = mapped_column(Minor)
    reason: Mapped[str] = mapped_column(Text)


class PolicyRow(Base):
    """A follow-up policy as JSON (domain.followup.policy_to_dict)."""

    __tablename__ = "policies"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)


class StoredDocument(Base):
    """A PDF exactly as it was issued, sent or printed: the proof of what a customer got."""

    __tablename__ = "stored_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # invoice, letter, statement, agreement
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    stage: Mapped[str] = mapped_column(String(32), default="")
    created_on: Mapped[date] = mapped_column(Date)
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)


class Activity(Base):
    """The customer's log: every email, letter, call, visit, note, promise and payment."""

    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_customer_day", "customer_id", "happened_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), nullable=True)
    happened_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_documents.id"), nullable=True
    )


# --- mail ------------------------------------------------------------------------------------


class OutboxMessage(Base):
    """A message stored, with its Message-ID, before any network traffic."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_next", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), nullable=True)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    subject: Mapped[str] = mapped_column(Text)
    envelope_from: Mapped[str] = mapped_column(String(320))
    recipients: Mapped[str] = mapped_column(Text)  # JSON list of addresses
    raw: Mapped[bytes] = mapped_column(LargeBinary)  # the exact bytes that go out
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                             nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"), nullable=True)
    # Who is sending it right now (host:pid): a restart on the same computer can tell a
    # message whose sender died mid-transaction from one another process is still sending.
    sending_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # JSON list of the installments the message reminds of ([]: not about any).
    installments: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")


# An installment still to be collected: of an issued invoice, not taken over by a payment
# plan, not fully paid or written off (what the partial index above covers).
OPEN_INSTALLMENT = and_(
    Invoice.state == "issued",
    Installment.replaced_by_plan_id.is_(None),
    Installment.amount_minor > Installment.paid_minor + Installment.written_off_minor,
)
