"""The books' tables, as SQLAlchemy Core sees them: the one definition of the schema.

Money is integer minor units; quantities and rates exact text. Issued invoices are frozen by
database triggers (see migrations), not only by services.

The ORM classes in ``storage.models`` are mapped onto these tables. A read that needs no
objects (the day's plan, the reports) uses the tables alone and never loads the ORM, whose
import and set-up cost a short command more than its query. Every column holds a value
unless it is declared ``nullable`` (``column`` below).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext

from desktop_app.domain.collation import name_key
from desktop_app.storage.types import DecimalText

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)
ZERO = Decimal(0)
STAMP = DateTime(timezone=True)
# Money in minor units: 64-bit on PostgreSQL (a 32-bit column ends at 21,474,836.47, less
# than a mid-sized invoice in pesos or yen); SQLite's INTEGER is 64-bit already.
MINOR = BigInteger().with_variant(Integer(), "sqlite")


def column(name: str, *args: Any, nullable: bool = False, **kwargs: Any) -> Column[Any]:
    """A column that must hold a value unless it is declared ``nullable``."""
    return Column(name, *args, nullable=nullable, **kwargs)


# A name's sort key (``collation.name_key``: accents and case folded), as wide as the name's
# column: a key is compared, never shown, and folding may lengthen a name ("ß" -> "ss"), so
# the rare name that grows past it is cut (its name as written breaks the tie). Compared
# byte by byte on PostgreSQL too ("C", as SQLite and Python compare): the database's own
# collation would skip spaces and punctuation and set the lists apart from the customer list.
NAME_KEY = String(200).with_variant(String(200, collation="C"), "postgresql")


def sort_name(name: str) -> str:
    """The stored sort key of ``name``: the folded part of ``collation.name_key``."""
    return name_key(name)[0][:200]


def _sort_name_of(source: str) -> Callable[[DefaultExecutionContext], str]:
    """A column default that folds the name the inserted row carries in ``source``.

    Every insert that does not name the key passes here, the ORM's and a bulk Core
    ``insert()`` of plain rows (the demo book, the benchmarks' books) alike, and a name
    changed on an object is followed by the ORM event in ``storage.models``: no writer has
    to remember the key. A key set by hand at each place that writes a name would be
    forgotten by the next place, and that book's lists would sort out of order unnoticed.
    """
    def default(context: DefaultExecutionContext) -> str:
        return sort_name(context.get_current_parameters().get(source) or "")
    return default


companies = Table(
    "companies", metadata,
    column("id", Integer, primary_key=True),
    column("name", String(200)),
    column("address", Text, default=""),
    column("email", String(320), default=""),
    column("phone", String(64), default=""),
    column("tax_id", String(64), default=""),
    column("iban", String(34), default=""),
    column("bic", String(11), default=""),
    column("currency", String(3), default="EUR"),
    column("paper", String(8), default="a4"),
    column("number_format", String(64), default="INV-{year}-{seq:04d}"),
    column("credit_note_format", String(64), default="CN-{year}-{seq:04d}"),
    column("envelope_dx_mm", DecimalText, default=ZERO),
    column("envelope_dy_mm", DecimalText, default=ZERO),
    column("logo", LargeBinary, nullable=True),
    # No foreign key: terms belong to a company, so the two would reference each other.
    column("default_terms_id", Integer, nullable=True),
    # The seller's Peppol endpoint (SCHEME:ID); empty: derived from the VAT ID.
    column("peppol_id", String(100), default="", server_default=""),
    # The seller's legal data (EN 16931 BG-4): BT-40 country, BT-31 VAT ID, BT-30 register
    # (court and number; with the managing directors, GmbHG § 35a), who signs letters, and
    # small-business mode (UStG § 19: no VAT charged).
    column("country", String(2), default=""),
    column("vat_id", String(32), default=""),
    column("register", String(200), default=""),
    column("directors", String(300), default=""),
    column("signer_name", String(200), default=""),
    column("signer_title", String(200), default=""),
    column("small_business", Boolean, default=False),
    # How to pay, by country: the bank (BT-86 provider), holder (BT-85), a domestic account
    # (US routing and account; Russian BIK, settlement and correspondent account; Chinese
    # bank and account), the Russian KPP beside the INN, and US checks with a remit-to address.
    column("bank_name", String(200), default=""),
    column("account_holder", String(200), default=""),
    column("account_number", String(64), default=""),
    column("routing_number", String(32), default=""),
    column("correspondent_account", String(64), default=""),
    column("kpp", String(16), default=""),
    column("checks_payable_to", String(200), default=""),
    column("remit_to", Text, default=""),
)

payment_terms = Table(
    "payment_terms", metadata,
    column("id", Integer, primary_key=True),
    column("company_id", Integer, ForeignKey("companies.id")),
    column("name", String(100)),
    column("net_days", Integer),
    column("discount_percent", DecimalText, default=ZERO),
    column("discount_days", Integer, default=0),
    column("late_fee_minor", MINOR, default=0),
    column("interest_annual_percent", DecimalText, default=ZERO),
    column("grace_days", Integer, default=0),
    column("instructions", Text, default=""),
    # Statutory late-payment terms instead of a fixed rate: "de_288" (BGB § 288), "fr_l441"
    # (Code de commerce L441-10); empty: the fixed rate above.
    column("late_rule", String(16), default=""),
    # How the fee is charged (domain.terms.FEE_RULES): printed with it, applied as printed.
    column("fee_rule", String(16), default="per_reminder", server_default="per_reminder"),
    UniqueConstraint("company_id", "name"),
)

customers = Table(
    "customers", metadata,
    column("id", Integer, primary_key=True),
    column("company_id", Integer, ForeignKey("companies.id")),
    column("name", String(200), index=True),
    # The name as the lists order it (sort_name), kept with every write of the name.
    column("name_key", NAME_KEY, default=_sort_name_of("name"), server_default=""),
    column("address", Text, default=""),
    column("email", String(320), default=""),
    column("phone", String(64), default=""),
    column("language", String(16), default="en"),
    column("terms_id", Integer, ForeignKey("payment_terms.id"), nullable=True),
    column("credit_limit_minor", MINOR, nullable=True),
    column("credit_status", String(16), default="good"),
    column("notes", Text, default=""),
    column("created_at", STAMP),
    column("policy_name", String(100), nullable=True),
    column("exempt", Boolean, default=False),  # never reminded
    # The e-invoice the customer receives (NULL: chosen from its country and identifiers),
    # the Leitweg-ID of a German public buyer and a Peppol endpoint as SCHEME:ID.
    column("einvoice_format", String(16), nullable=True),
    column("leitweg_id", String(64), default="", server_default=""),
    column("peppol_id", String(100), default="", server_default=""),
    # BT-48 buyer VAT ID, BT-46 the customer number, BT-55 country; a consumer pays lower
    # statutory late interest (BGB § 288 (1)) and no flat compensation.
    column("vat_id", String(32), default=""),
    column("number", String(64), default=""),
    column("country", String(2), default=""),
    column("consumer", Boolean, default=False),
    # Ask for a read receipt on the invoice's email (NULL: as the mail account says), and
    # ask by phone, not by email, whether an invoice arrived.
    column("read_receipt", Boolean, nullable=True),
    column("receipt_by_call", Boolean, default=False),
    # Credit granted by a decided application; False while a new customer's application is
    # undecided or was refused (it pays on receipt or a deposit meanwhile). Customers from
    # before credit applications keep the credit they had.
    column("credit_granted", Boolean, default=False),
    # The payment list by customer reads the customers in this order.
    Index("ix_customers_name_key", "name_key", "name"),
)

contacts = Table(
    "contacts", metadata,
    column("id", Integer, primary_key=True),
    column("customer_id", Integer, ForeignKey("customers.id"), index=True),
    column("role", String(32)),
    column("name", String(200), default=""),
    column("email", String(320), default=""),
    column("phone", String(64), default=""),
)

OPEN_INVOICE_SQL = "total_minor > paid_minor + written_off_minor"

# A draft until issued; then its number, amounts, terms and customer snapshot freeze.
invoices = Table(
    "invoices", metadata,
    column("id", Integer, primary_key=True),
    column("company_id", Integer, ForeignKey("companies.id")),
    column("customer_id", Integer, ForeignKey("customers.id")),
    column("state", String(8), default="draft"),
    column("number", String(64), nullable=True),
    column("issue_date", Date, nullable=True),
    column("due_date", Date, nullable=True),
    column("currency", String(3)),
    column("subtotal_minor", MINOR, default=0),
    column("tax_minor", MINOR, default=0),
    column("total_minor", MINOR, default=0),
    # Settled so far (payments + early discount), kept with the allocation rows in one
    # transaction so that a list of 100,000 invoices needs no aggregate.
    column("paid_minor", MINOR, default=0),
    column("discount_minor", MINOR, default=0),
    column("written_off_minor", MINOR, default=0),
    column("terms_id", Integer, ForeignKey("payment_terms.id"), nullable=True),
    column("terms_name", String(100), default=""),
    column("net_days", Integer, default=0),
    column("discount_percent", DecimalText, default=ZERO),
    column("discount_days", Integer, default=0),
    column("late_fee_minor", MINOR, default=0),
    column("interest_annual_percent", DecimalText, default=ZERO),
    column("grace_days", Integer, default=0),
    column("instructions", Text, default=""),
    column("customer_name", String(200), default=""),
    # The name as the lists order it (sort_name), kept with every write of the name. Not
    # frozen on issue: a key is how PaidUp sorts, no part of the invoice sent.
    column("customer_name_key", NAME_KEY, default=_sort_name_of("customer_name"),
           server_default=""),
    column("customer_address", Text, default=""),
    column("customer_language", String(16), default="en"),
    column("schedule_spec", String(200), default=""),
    column("schedule_every", Integer, nullable=True),
    column("pdf_sha256", String(64), nullable=True),
    column("fee_rule", String(16), default="per_reminder", server_default="per_reminder"),
    column("created_at", STAMP),
    column("issued_at", STAMP, nullable=True),
    column("voided_at", STAMP, nullable=True),
    column("void_reason", Text, default=""),
    # What the customer quotes when paying: an ISO 11649 creditor reference (RF...), set at
    # issue and frozen with the invoice; empty on invoices issued before it existed.
    column("payment_reference", String(25), nullable=True),
    # BT-72 actual delivery date, or BG-14 the invoicing period (BT-73, BT-74).
    column("supply_date", Date, nullable=True),
    column("period_start", Date, nullable=True),
    column("period_end", Date, nullable=True),
    column("buyer_reference", String(200), default=""),  # BT-10 (a Leitweg-ID, too)
    column("order_reference", String(200), default=""),  # BT-13 purchase order
    # The customer's tax identity as issued, beside its name and address.
    column("customer_vat_id", String(32), default=""),
    column("customer_number", String(64), default=""),
    column("customer_country", String(2), default=""),
    column("customer_consumer", Boolean, default=False),
    column("late_rule", String(16), default=""),
    UniqueConstraint("company_id", "number"),
    # A transfer quoting the reference finds its invoice without reading the table.
    Index("uq_invoices_payment_reference", "company_id", "payment_reference", unique=True),
    Index("ix_invoices_state_due", "state", "due_date"),
    Index("ix_invoices_customer", "customer_id", "state"),
    # What is still open, a fifth of a big book: the bank statement's matcher reads the
    # open issued invoices without looking at every issued one.
    Index("ix_invoices_open", "state", "due_date", sqlite_where=text(OPEN_INVOICE_SQL),
          postgresql_where=text(OPEN_INVOICE_SQL)),
    # The invoice list, newest first, read in order with nothing to sort; search as you
    # type matches the names and numbers in it without reading the table.
    Index("ix_invoices_list", "issue_date", "id", "customer_name", "number"),
    # The same list by customer, as people look names up: read in order from this index,
    # and searched in it too (the number is in it).
    Index("ix_invoices_customer_order", "customer_name_key", "customer_name", "id", "number"),
)

invoice_lines = Table(
    "invoice_lines", metadata,
    column("id", Integer, primary_key=True),
    column("invoice_id", Integer, ForeignKey("invoices.id"), index=True),
    column("position", Integer),
    column("description", Text),
    column("quantity", DecimalText),
    column("unit_price", DecimalText),
    column("tax_percent", DecimalText, default=ZERO),
    column("discount_percent", DecimalText, default=ZERO),
    column("net_minor", MINOR),
    column("tax_minor", MINOR),  # the line's share of its band's VAT (BR-CO-17)
    column("unit", String(3), default="C62"),  # BT-130, UN/ECE Rec. 20
    column("vat_category", String(2), default="S"),  # BT-151, UNCL5305
    column("exemption_reason", Text, default=""),  # BT-120
    column("period_start", Date, nullable=True),  # BT-134
    column("period_end", Date, nullable=True),  # BT-135
)

OPEN_INSTALLMENT_SQL = (
    "amount_minor > paid_minor + written_off_minor AND replaced_by_plan_id IS NULL"
)

installments = Table(
    "installments", metadata,
    column("id", Integer, primary_key=True),
    column("invoice_id", Integer, ForeignKey("invoices.id"), index=True),
    column("position", Integer),
    column("label", String(100)),
    column("due_date", Date),
    column("amount_minor", MINOR),
    column("paid_minor", MINOR, default=0),
    column("written_off_minor", MINOR, default=0),
    # Set on the installments a payment plan created (allowed on an issued invoice) and on
    # the ones whose open balance the plan took over. Plain integers: a foreign key here
    # would make SQLite rebuild the table, and with it its freezing triggers.
    column("plan_id", Integer, nullable=True),
    column("replaced_by_plan_id", Integer, nullable=True),
    # The highest stage of the default ladder in the installment's follow-up records (None:
    # none yet), kept by every write of a record (services.followup.reached_stage): the day's plan
    # compares it instead of reading each open installment's history.
    column("reached_stage", String(32), nullable=True),
    Index("ix_installments_due", "due_date"),
    # The follow-up plan reads only what is still open: a fraction of a big book.
    Index("ix_installments_open", "invoice_id", sqlite_where=text(OPEN_INSTALLMENT_SQL),
          postgresql_where=text(OPEN_INSTALLMENT_SQL)),
)

payments = Table(
    "payments", metadata,
    column("id", Integer, primary_key=True),
    column("customer_id", Integer, ForeignKey("customers.id"), index=True),
    column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=True, index=True),
    column("paid_on", Date),
    column("amount_minor", MINOR),
    column("currency", String(3)),
    column("method", String(32), default=""),
    column("reference", String(200), default=""),
    column("created_at", STAMP),
    # What the payment settles first (services.settlement.ORDERS), as set when it came in.
    column("settles", String(16), default="charges_first", server_default="charges_first"),
)

# Part of a payment (or of a granted discount, or of a write-off) applied to one installment
# or to a charge on it, on the day it counts from. Derived: the ledger writes these afresh
# whenever the customer's money is replayed (domain.ledger).
allocations = Table(
    "allocations", metadata,
    column("id", Integer, primary_key=True),
    column("payment_id", Integer, ForeignKey("payments.id"), nullable=True, index=True),
    column("write_off_id", Integer, ForeignKey("write_offs.id"), nullable=True, index=True),
    column("installment_id", Integer, ForeignKey("installments.id"), index=True),
    column("charge_id", Integer, ForeignKey("charges.id"), nullable=True),
    # payment, discount, write_off (the debt); fee, interest (a charge)
    column("kind", String(16), default="payment"),
    column("amount_minor", MINOR),
    column("on_day", Date),
)

# Credit ledger: an overpayment adds, a use of credit subtracts.
customer_credits = Table(
    "customer_credits", metadata,
    column("id", Integer, primary_key=True),
    column("customer_id", Integer, ForeignKey("customers.id"), index=True),
    column("payment_id", Integer, ForeignKey("payments.id"), nullable=True, index=True),
    column("amount_minor", MINOR),
    column("currency", String(3)),
    column("note", Text, default=""),
)

# The correction of an issued invoice (EU VAT: issued invoices are never edited).
credit_notes = Table(
    "credit_notes", metadata,
    column("id", Integer, primary_key=True),
    column("company_id", Integer, ForeignKey("companies.id")),
    column("invoice_id", Integer, ForeignKey("invoices.id"), index=True),
    column("number", String(64)),
    column("issue_date", Date),
    column("amount_minor", MINOR),
    column("currency", String(3)),
    column("reason", Text),
    UniqueConstraint("company_id", "number"),
)

promises = Table(
    "promises", metadata,
    column("id", Integer, primary_key=True),
    column("invoice_id", Integer, ForeignKey("invoices.id"), index=True),
    column("promised_for", Date),
    column("amount_minor", MINOR, nullable=True),
    column("excuse", String(32), default="other"),
    column("note", Text, default=""),
    column("promised_by", String(200), default=""),
    column("created_on", Date),
    column("created_at", STAMP),
    # No foreign key: adding one would make SQLite rebuild the table (see installments).
    column("installment_id", Integer, nullable=True),
    column("status", String(8), default="open"),  # open, kept, broken
    column("resolved_on", Date, nullable=True),
    # A broken promise waits on the day's list until a person has looked at it.
    column("reviewed_on", Date, nullable=True),
)

# Last number used per company, kind and year; bumped in the issuing transaction. Never a
# database sequence: sequences skip numbers on rollback (EU VAT Art. 226 asks for one
# unbroken series).
number_counters = Table(
    "number_counters", metadata,
    column("company_id", Integer, ForeignKey("companies.id"), primary_key=True),
    column("kind", String(16), primary_key=True),
    column("year", Integer, primary_key=True),
    column("last_value", Integer, default=0),
)

# Append-only: triggers refuse updates and deletes.
audit_log = Table(
    "audit_log", metadata,
    column("id", Integer, primary_key=True),
    column("at", STAMP, index=True),
    column("actor", String(100)),
    column("action", String(64)),
    column("entity", String(32)),
    column("entity_id", Integer, nullable=True),
    column("detail", Text, default="{}"),
    column("sha256", String(64), nullable=True),
)

# Small JSON settings of the books (never a secret: secrets live in the keyring).
settings = Table(
    "settings", metadata,
    column("key", String(100), primary_key=True),
    column("value", Text),
)

# --- follow-up -------------------------------------------------------------------------------

# A stage done or skipped for one installment: the unique key makes it happen once.
followup_records = Table(
    "followup_records", metadata,
    column("id", Integer, primary_key=True),
    column("installment_id", Integer, ForeignKey("installments.id")),
    column("stage", String(32)),
    column("outcome", String(8)),  # done, skipped
    column("recorded_on", Date),
    column("at", STAMP),
    column("actor", String(100)),
    column("channels", String(64), default=""),
    UniqueConstraint("installment_id", "stage"),
    # Covers the plan's per-installment history, so it is read from the index alone.
    Index("ix_followup_records_history", "installment_id", "stage", "outcome",
          "recorded_on", "channels"),
)

# A late fee or interest a reminder claimed. What stands of it (``amount_minor``) and where
# it sits follow from the customer's events (domain.ledger): a payment that arrived before
# the reminder reverses it. ``claimed_minor`` is what the reminder told the customer;
# ``covers`` (JSON list of installment ids) what the reminder was about.
charges = Table(
    "charges", metadata,
    column("id", Integer, primary_key=True),
    column("installment_id", Integer, ForeignKey("installments.id"), index=True),
    column("kind", String(8)),  # fee, interest
    column("stage", String(32)),
    column("charged_on", Date),
    column("amount_minor", MINOR),
    column("settled_minor", MINOR, default=0),
    column("claimed_minor", MINOR, default=0, server_default="0"),
    column("written_off_minor", MINOR, default=0, server_default="0"),
    column("covers", Text, default="[]", server_default="[]"),
    # Taken over by a payment plan, whose last installment carries it on (as installments).
    column("replaced_by_plan_id", Integer, nullable=True),
)

# A phone call (or another task, such as a handover) that stays on the day's list until its
# outcome is logged; created once per installment and stage.
call_tasks = Table(
    "call_tasks", metadata,
    column("id", Integer, primary_key=True),
    column("installment_id", Integer, ForeignKey("installments.id"), index=True),
    column("customer_id", Integer, ForeignKey("customers.id"), index=True),
    column("stage", String(32)),
    column("channel", String(8), default="call"),  # call, task
    column("created_on", Date),
    column("outcome", String(16), nullable=True),
    column("outcome_on", Date, nullable=True),
    column("note", Text, default=""),
    column("next_step", Text, default=""),
    Index("uq_call_tasks_installment_stage", "installment_id", "stage", unique=True),
)

# A dispute or a manual pause: reminders for the invoice wait until it is released.
invoice_holds = Table(
    "invoice_holds", metadata,
    column("id", Integer, primary_key=True),
    column("invoice_id", Integer, ForeignKey("invoices.id"), index=True),
    column("kind", String(8)),  # dispute, pause
    column("reason", Text),
    column("opened_on", Date),
    column("released_on", Date, nullable=True),
    column("resolution", Text, default=""),
)

payment_plans = Table(
    "payment_plans", metadata,
    column("id", Integer, primary_key=True),
    column("invoice_id", Integer, ForeignKey("invoices.id"), index=True),
    column("customer_id", Integer, ForeignKey("customers.id")),
    column("agreed_on", Date),  # the day the plan was agreed (its first installment may differ)
    column("grace_days", Integer, default=5),
    column("schedule_spec", String(200)),
    column("status", String(8), default="active"),  # active, broken, kept (all paid)
    # The money already booked when the plan took the balance over: later payments and
    # write-offs (whatever their dates) count towards the plan.
    column("last_payment_id", Integer, nullable=True),
    column("last_write_off_id", Integer, nullable=True),
)

write_offs = Table(
    "write_offs", metadata,
    column("id", Integer, primary_key=True),
    column("invoice_id", Integer, ForeignKey("invoices.id"), index=True),
    column("written_on", Date),
    column("amount_minor", MINOR),  # what it took (the ledger's)
    column("reason", Text),
    column("requested_minor", MINOR, nullable=True),  # what was asked; None: all that is open
)

# A step held because it costs more than it can bring (chasing stops where it loses money) that a
# person decided to take all the same.
followup_approvals = Table(
    "followup_approvals", metadata,
    column("id", Integer, primary_key=True),
    column("installment_id", Integer, ForeignKey("installments.id")),
    column("stage", String(32)),
    column("approved_on", Date),
    column("actor", String(100)),
    UniqueConstraint("installment_id", "stage"),
)

# The customer's word that an invoice arrived: who said so, on which day, how (it answers
# "we never got it"). One per invoice.
invoice_receipts = Table(
    "invoice_receipts", metadata,
    column("id", Integer, primary_key=True),
    column("invoice_id", Integer, ForeignKey("invoices.id"), unique=True),
    column("received_on", Date),
    column("received_by", String(200)),
    column("via", String(8)),  # email, phone, letter
    column("recorded_at", STAMP),
    column("actor", String(100), default=""),
)

# A follow-up policy as JSON (domain.followup.policy_to_dict).
policies = Table(
    "policies", metadata,
    column("name", String(100), primary_key=True),
    column("body", Text),
    column("is_default", Boolean, default=False),
)

# A PDF exactly as it was issued, sent or printed: the proof of what a customer got.
stored_documents = Table(
    "stored_documents", metadata,
    column("id", Integer, primary_key=True),
    column("kind", String(16)),  # invoice, letter, statement, agreement
    column("customer_id", Integer, ForeignKey("customers.id"), index=True),
    column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=True, index=True),
    column("stage", String(32), default=""),
    column("created_on", Date),
    column("filename", String(200)),
    column("sha256", String(64)),
    column("pdf", LargeBinary),
)

# The customer's log: every email, letter, call, visit, note, promise and payment.
activities = Table(
    "activities", metadata,
    column("id", Integer, primary_key=True),
    column("customer_id", Integer, ForeignKey("customers.id")),
    column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=True),
    column("happened_on", Date),
    column("at", STAMP),
    column("kind", String(16)),
    column("summary", Text),
    column("actor", String(100)),
    column("document_id", Integer, ForeignKey("stored_documents.id"), nullable=True),
    # The English template with {named} fields and the JSON of its values ("" for entries
    # written before and for notes a person typed): each face says it in its own language.
    column("message", Text, default="", server_default=""),
    column("params", Text, default="", server_default=""),
    Index("ix_activities_customer_day", "customer_id", "happened_on"),
)

# --- mail ------------------------------------------------------------------------------------

# A message stored, with its Message-ID, before any network traffic.
outbox = Table(
    "outbox", metadata,
    column("id", Integer, primary_key=True),
    column("message_id", String(250), unique=True),
    column("customer_id", Integer, ForeignKey("customers.id"), nullable=True),
    column("state", String(10), default="queued"),
    column("subject", Text),
    column("envelope_from", String(320)),
    column("recipients", Text),  # JSON list of addresses
    column("raw", LargeBinary),  # the exact bytes that go out
    column("created_at", STAMP),
    column("attempts", Integer, default=0),
    column("next_attempt_at", STAMP, nullable=True),
    column("last_error", Text, default=""),
    column("sent_at", STAMP, nullable=True),
    column("activity_id", Integer, ForeignKey("activities.id"), nullable=True),
    # Who is sending it right now (host:pid): a restart on the same computer can tell a
    # message whose sender died mid-transaction from one another process is still sending.
    column("sending_by", String(100), nullable=True),
    # JSON list of the installments the message reminds of ([]: not about any).
    column("installments", Text, default="[]", server_default="[]"),
    Index("ix_outbox_state_next", "state", "next_attempt_at"),
)

# --- bank statements -------------------------------------------------------------------------

# One statement file read in: what it held and what became of it.
bank_imports = Table(
    "bank_imports", metadata,
    column("id", Integer, primary_key=True),
    column("at", STAMP),
    column("actor", String(100)),
    column("filename", String(255)),
    column("sha256", String(64)),
    column("format", String(16)),  # camt.053, camt.052, camt.054, mt940, ofx, csv
    column("transactions", Integer, default=0),
    column("duplicates", Integer, default=0),
    column("booked", Integer, default=0),
    column("waiting", Integer, default=0),
)

# One movement on the user's account, read from a statement. Money in is positive.
bank_transactions = Table(
    "bank_transactions", metadata,
    column("id", Integer, primary_key=True),
    column("import_id", Integer, ForeignKey("bank_imports.id"), index=True),
    column("account", String(34), default=""),  # the user's own account it was booked on
    column("booked_on", Date),
    column("value_on", Date),  # when the money counted: the payment's date
    column("amount_minor", MINOR),
    column("currency", String(3)),
    column("counterparty", String(200), default=""),
    column("counterparty_account", String(34), default=""),
    column("remittance", Text, default=""),
    column("creditor_reference", String(35), default=""),  # the structured reference, if any
    column("bank_reference", String(100), default=""),
    # The bank's own reference, or else a hash of the content and its repeat in the file:
    # the same movement read again from an overlapping statement finds itself here. The
    # content key is kept for every movement, so that one read first without a reference
    # (an intraday report) is still found when the day's statement adds one.
    column("dedupe_key", String(64), unique=True),
    column("content_key", String(64), index=True),
    # booked, waiting, ignored (not a customer payment), outgoing (money out), returned
    column("status", String(10)),
    column("rule", String(16), default=""),  # reference, number, account, amount, manual
    column("reason", Text, default=""),  # why it was booked, or what is proposed and why
    # The reason as a message and its values (JSON, desktop_app.messages), for the window to
    # say in its language; empty for reasons kept before (shown in English) and typed notes.
    column("reason_message", Text, default="", server_default=""),
    column("reason_params", Text, default="", server_default=""),
    # What is proposed: JSON {"sure": bool, "parts": [[invoice_id, amount_minor], ...]}
    column("suggestion", Text, default="{}"),
    column("decided_on", Date, nullable=True),
    Index("ix_bank_transactions_status", "status", "value_on"),
)

# Which payments a transaction was booked as (several when it paid several invoices): a
# reversal of either undoes both.
bank_transaction_payments = Table(
    "bank_transaction_payments", metadata,
    column("transaction_id", Integer, ForeignKey("bank_transactions.id"), primary_key=True),
    column("payment_id", Integer, ForeignKey("payments.id"), primary_key=True),
    Index("ix_bank_transaction_payments_payment", "payment_id", unique=True),
)

# Accounts a customer paid from, remembered when a payment from them was booked.
customer_bank_accounts = Table(
    "customer_bank_accounts", metadata,
    column("id", Integer, primary_key=True),
    column("customer_id", Integer, ForeignKey("customers.id"), index=True),
    column("account", String(34)),
    column("first_seen", Date),
    UniqueConstraint("account", "customer_id"),
)

# How one bank writes its CSV export (domain JSON: columns, date format, decimals, sign).
bank_csv_profiles = Table(
    "bank_csv_profiles", metadata,
    column("name", String(100), primary_key=True),
    column("body", Text),
)

# --- retainers --------------------------------------------------------------------------

# The same invoice every month, quarter or year (domain.retainers says which periods).
retainers = Table(
    "retainers", metadata,
    column("id", Integer, primary_key=True),
    column("company_id", Integer, ForeignKey("companies.id")),
    column("customer_id", Integer, ForeignKey("customers.id"), index=True),
    column("title", String(200), default=""),
    column("every", String(8)),  # month, quarter, year
    column("day", Integer, default=1),  # of the period's first month
    column("starts_on", Date),
    column("ends_on", Date, nullable=True),
    column("count", Integer, nullable=True),
    column("terms_name", String(100), default=""),  # empty: the customer's terms
    column("deliver", String(8), default="mail"),  # mail, today
    column("created_at", STAMP),
)

# The lines of a retainer's invoice (line specs as JSON), from a day on: a price change.
retainer_prices = Table(
    "retainer_prices", metadata,
    column("id", Integer, primary_key=True),
    column("retainer_id", Integer, ForeignKey("retainers.id")),
    column("effective_from", Date),
    column("lines", Text),
    UniqueConstraint("retainer_id", "effective_from"),
)

retainer_pauses = Table(
    "retainer_pauses", metadata,
    column("id", Integer, primary_key=True),
    column("retainer_id", Integer, ForeignKey("retainers.id"), index=True),
    column("paused_from", Date),
    column("resumed_on", Date, nullable=True),
)

# One row per period invoiced: the unique key lets no period be invoiced twice, by two
# computers at once or after a crash.
retainer_invoices = Table(
    "retainer_invoices", metadata,
    column("id", Integer, primary_key=True),
    column("retainer_id", Integer, ForeignKey("retainers.id")),
    column("period_start", Date),
    column("period_end", Date),
    column("invoice_id", Integer, ForeignKey("invoices.id")),
    column("issued_on", Date),
    UniqueConstraint("retainer_id", "period_start"),
)

# --- quotes ----------------------------------------------------------------------------------

# A written quote with its own gapless number series (numbered when made; never deleted, so no
# number is lost) and a short validity. The customer's name, address and language are kept as
# quoted; ``state`` is open, sent, accepted, declined or expired.
quotes = Table(
    "quotes", metadata,
    column("id", Integer, primary_key=True),
    column("company_id", Integer, ForeignKey("companies.id")),
    column("customer_id", Integer, ForeignKey("customers.id"), index=True),
    column("number", String(64)),
    column("quote_date", Date),
    column("valid_until", Date),
    column("currency", String(3)),
    column("subtotal_minor", MINOR, default=0),
    column("tax_minor", MINOR, default=0),
    column("total_minor", MINOR, default=0),
    column("schedule_spec", String(200), default=""),  # asked on acceptance (deposit first)
    column("state", String(10), default="open"),
    column("sent_on", Date, nullable=True),
    column("closed_on", Date, nullable=True),  # accepted, declined or expired on
    column("decline_reason", Text, default=""),
    column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=True),
    column("document_id", Integer, ForeignKey("stored_documents.id"), nullable=True),
    column("customer_name", String(200), default=""),
    column("customer_address", Text, default=""),
    column("customer_language", String(16), default="en"),
    column("note", Text, default=""),
    column("created_at", STAMP),
    UniqueConstraint("company_id", "number"),
    Index("ix_quotes_state_valid", "state", "valid_until"),
)

quote_lines = Table(
    "quote_lines", metadata,
    column("id", Integer, primary_key=True),
    column("quote_id", Integer, ForeignKey("quotes.id"), index=True),
    column("position", Integer),
    column("description", Text),
    column("quantity", DecimalText),
    column("unit_price", DecimalText),
    column("tax_percent", DecimalText, default=ZERO),
    column("discount_percent", DecimalText, default=ZERO),
    column("net_minor", MINOR),
    column("tax_minor", MINOR),
    column("unit", String(3), default="C62"),
    column("vat_category", String(2), default="S"),
    column("exemption_reason", Text, default=""),
    column("availability", Text, default=""),  # "limited stock", "3 weeks if ordered"
)

# A step of the quote's follow-up ladder done or skipped, once per quote (the unique key); a
# call stays ``open`` on the day's list until it is logged.
quote_steps = Table(
    "quote_steps", metadata,
    column("id", Integer, primary_key=True),
    column("quote_id", Integer, ForeignKey("quotes.id")),
    column("step", String(32)),
    column("outcome", String(8)),  # done, skipped, open
    column("channel", String(8), default=""),
    column("recorded_on", Date),
    column("closed_on", Date, nullable=True),
    column("note", Text, default=""),
    # a note PaidUp wrote, as its message and values (a typed note has none)
    column("note_message", Text, default="", server_default=""),
    column("note_params", Text, default="", server_default=""),
    UniqueConstraint("quote_id", "step"),
)

# --- credit applications ---------------------------------------------------------------

# A customer's request for credit: open until decided (approved with a limit and terms, or
# refused), with the day its decision comes up for review.
credit_applications = Table(
    "credit_applications", metadata,
    column("id", Integer, primary_key=True),
    column("customer_id", Integer, ForeignKey("customers.id"), index=True),
    column("opened_on", Date),
    column("state", String(8), default="open"),  # open, approved, refused
    column("decided_on", Date, nullable=True),
    column("decided_by", String(100), default=""),
    column("limit_minor", MINOR, nullable=True),
    column("terms_name", String(100), default=""),
    column("review_on", Date, nullable=True),
    column("note", Text, default=""),
    column("created_at", STAMP),
)

# A credit reference called: who, at which company, what they said and when.
credit_references = Table(
    "credit_references", metadata,
    column("id", Integer, primary_key=True),
    column("application_id", Integer, ForeignKey("credit_applications.id"), index=True),
    column("company", String(200)),
    column("person", String(200), default=""),
    column("phone", String(64), default=""),
    column("said", Text, default=""),
    column("called_on", Date),
)

# Financial statements and credit reports, kept in the books as they were received.
credit_documents = Table(
    "credit_documents", metadata,
    column("id", Integer, primary_key=True),
    column("application_id", Integer, ForeignKey("credit_applications.id"), index=True),
    column("kind", String(24)),  # financial_statements, credit_report, other
    column("filename", String(200)),
    column("media_type", String(64)),
    column("size", Integer),
    column("sha256", String(64)),
    column("content", LargeBinary),
    column("added_on", Date),
)

# What is still owed, in minor units: the amount less what was paid (settled) and written
# off. Meaningful on issued invoices only: a draft owes nothing yet, a void invoice nothing
# any more, so a query adds the state it means.
INVOICE_OPEN_MINOR = (invoices.c.total_minor - invoices.c.paid_minor
                      - invoices.c.written_off_minor)
INSTALLMENT_OPEN_MINOR = (installments.c.amount_minor - installments.c.paid_minor
                          - installments.c.written_off_minor)
CHARGE_OPEN_MINOR = charges.c.amount_minor - charges.c.settled_minor - charges.c.written_off_minor

# An invoice still to be collected: issued, and neither paid nor written off in full.
OPEN_INVOICE = and_(
    invoices.c.state == "issued",
    invoices.c.total_minor > invoices.c.paid_minor + invoices.c.written_off_minor,
)

# An installment still to be collected: of an issued invoice, not taken over by a payment
# plan, not fully paid or written off (what the partial index above covers).
OPEN_INSTALLMENT = and_(
    invoices.c.state == "issued",
    installments.c.replaced_by_plan_id.is_(None),
    installments.c.amount_minor > installments.c.paid_minor + installments.c.written_off_minor,
)
