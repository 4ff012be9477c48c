"""The books as objects: ORM classes mapped onto the tables of ``storage.tables``.

The columns are declared once, there; a class adds what objects need besides (relationships
and a few derived values). Reads that need no objects use the tables directly and never load
the ORM.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from desktop_app.storage import tables


class Base(DeclarativeBase):
    metadata = tables.metadata


class Company(Base):
    __table__ = tables.companies


class PaymentTermsRow(Base):
    __table__ = tables.payment_terms


class Customer(Base):
    __table__ = tables.customers

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Contact.id"
    )


class Contact(Base):
    __table__ = tables.contacts

    customer: Mapped[Customer] = relationship(back_populates="contacts")


class Invoice(Base):
    """A draft until issued; then its number, amounts, terms and customer snapshot freeze."""

    __table__ = tables.invoices

    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="InvoiceLine.position"
    )
    installments: Mapped[list[Installment]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="Installment.position"
    )


class InvoiceLine(Base):
    __table__ = tables.invoice_lines

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class Installment(Base):
    __table__ = tables.installments

    invoice: Mapped[Invoice] = relationship(back_populates="installments")

    @property
    def open_minor(self) -> int:
        if self.replaced_by_plan_id is not None:
            return 0
        return max(self.amount_minor - self.paid_minor - self.written_off_minor, 0)


class Payment(Base):
    __table__ = tables.payments


class BankImport(Base):
    __table__ = tables.bank_imports


class BankTransaction(Base):
    __table__ = tables.bank_transactions


class CustomerBankAccount(Base):
    __table__ = tables.customer_bank_accounts


class Allocation(Base):
    """Part of a payment (or of a granted discount) applied to one installment."""

    __table__ = tables.allocations


class CustomerCredit(Base):
    """Credit ledger: an overpayment adds, a use of credit subtracts."""

    __table__ = tables.customer_credits


class CreditNote(Base):
    """The correction of an issued invoice (EU VAT: issued invoices are never edited)."""

    __table__ = tables.credit_notes


class Promise(Base):
    __table__ = tables.promises


class NumberCounter(Base):
    """Last number used per company, kind and year (never a database sequence)."""

    __table__ = tables.number_counters


class AuditEntry(Base):
    """Append-only: triggers refuse updates and deletes."""

    __table__ = tables.audit_log


class Setting(Base):
    """Small JSON settings of the books (never a secret: secrets live in the keyring)."""

    __table__ = tables.settings


class FollowupRecord(Base):
    """A stage done or skipped for one installment: the unique key makes it happen once."""

    __table__ = tables.followup_records


class Charge(Base):
    """A late fee or interest charged on an installment when a stage was carried out."""

    __table__ = tables.charges


class FollowupApproval(Base):
    """A step held for its cost that a person decided to take all the same."""

    __table__ = tables.followup_approvals


class CallTask(Base):
    """A phone call or another task that stays on the day's list until its outcome is
    logged."""

    __table__ = tables.call_tasks


class InvoiceHold(Base):
    """A dispute or a manual pause: reminders for the invoice wait until it is released."""

    __table__ = tables.invoice_holds


class PaymentPlanRow(Base):
    __table__ = tables.payment_plans


class WriteOff(Base):
    __table__ = tables.write_offs


class InvoiceReceipt(Base):
    __table__ = tables.invoice_receipts


class PolicyRow(Base):
    """A follow-up policy as JSON (domain.followup.policy_to_dict)."""

    __table__ = tables.policies


class StoredDocument(Base):
    """A PDF exactly as it was issued, sent or printed: the proof of what a customer got."""

    __table__ = tables.stored_documents


class Activity(Base):
    """The customer's log: every email, letter, call, visit, note, promise and payment."""

    __table__ = tables.activities


class OutboxMessage(Base):
    """A message stored, with its Message-ID, before any network traffic."""

    __table__ = tables.outbox
