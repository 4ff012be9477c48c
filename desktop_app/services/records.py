"""Plain read-only values that services hand to the faces: never live ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from desktop_app.domain.invoice_actions import InvoiceAction, allowed_actions
from desktop_app.messages import Said


@dataclass(frozen=True)
class CompanyView:
    id: int
    name: str
    address: str
    email: str
    phone: str
    tax_id: str
    iban: str
    bic: str
    currency: str
    paper: str
    number_format: str
    has_logo: bool
    default_terms: str | None
    envelope_dx_mm: Decimal = Decimal(0)
    envelope_dy_mm: Decimal = Decimal(0)
    peppol_id: str = ""
    country: str = ""
    vat_id: str = ""
    register: str = ""
    directors: str = ""
    signer_name: str = ""
    signer_title: str = ""
    small_business: bool = False
    bank_name: str = ""
    account_holder: str = ""
    account_number: str = ""
    routing_number: str = ""
    correspondent_account: str = ""
    kpp: str = ""
    checks_payable_to: str = ""
    remit_to: str = ""


@dataclass(frozen=True)
class TermsView:
    id: int
    name: str
    net_days: int
    discount_percent: Decimal
    discount_days: int
    late_fee: Decimal
    interest_annual_percent: Decimal
    grace_days: int
    instructions: str = ""
    is_default: bool = False
    late_rule: str = ""  # "", "de_288" or "fr_l441": statutory late-payment terms
    fee_rule: str = "per_reminder"  # how the fee is charged (domain.terms.FEE_RULES)


@dataclass(frozen=True)
class ContactView:
    id: int
    role: str
    name: str
    email: str


@dataclass(frozen=True)
class CustomerView:
    id: int
    name: str
    address: str
    email: str
    language: str
    terms: str | None
    credit_status: str
    credit_limit: Decimal | None
    currency: str
    balance: Decimal
    credit: Decimal
    contacts: tuple[ContactView, ...] = ()
    notes: str = ""
    phone: str = ""
    policy: str | None = None  # its own follow-up policy; None: the default
    exempt: bool = False  # never reminded
    einvoice: str = "none"  # the e-invoice format it receives (chosen or by default)
    einvoice_chosen: str = ""  # the format chosen for it; "": the default
    leitweg_id: str = ""
    peppol_id: str = ""
    vat_id: str = ""
    number: str = ""
    country: str = ""
    consumer: bool = False
    # How a hold or cash only lifts: "paid_up" (by itself once nothing is overdue) or
    # "by_hand"; "" for good standing.
    credit_lifts: str = ""


@dataclass(frozen=True)
class CustomerChoice:
    """A customer as a chooser lists it."""

    id: int
    name: str
    terms: str | None
    country: str = ""  # with the VAT ID, what proposes a new line's VAT category
    vat_id: str = ""
    on_receipt: bool = False  # no credit granted: due on receipt unless terms are chosen


@dataclass(frozen=True)
class LineView:
    position: int
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_percent: Decimal
    discount_percent: Decimal
    net: Decimal
    tax: Decimal
    unit: str = "C62"
    category: str = "S"
    exemption_reason: str = ""
    period_start: date | None = None
    period_end: date | None = None


@dataclass(frozen=True)
class TaxBandView:
    rate: Decimal
    net: Decimal
    tax: Decimal
    category: str = "S"


@dataclass(frozen=True)
class InstallmentView:
    id: int | None
    label: str
    due_date: date
    amount: Decimal
    paid: Decimal
    status: str


@dataclass(frozen=True)
class ReceiptView:
    """The customer's word that an invoice arrived: on which day, who said so, and how."""

    invoice_id: int
    number: str
    received_on: date
    received_by: str
    via: str  # email, phone or letter


@dataclass(frozen=True)
class InvoiceView:
    id: int
    number: str | None
    status: str
    customer_id: int
    customer_name: str
    currency: str
    issue_date: date | None
    due_date: date | None
    terms: str
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    paid: Decimal
    discount: Decimal
    balance: Decimal
    lines: tuple[LineView, ...] = ()
    taxes: tuple[TaxBandView, ...] = ()
    installments: tuple[InstallmentView, ...] = ()
    schedule: str = ""
    hold: str = ""  # "", "dispute" or "pause": no reminders while held
    plan: str = ""  # "", "active" or "broken": a payment plan took over the open balance
    written_off: Decimal = Decimal(0)
    charges: Decimal = Decimal(0)  # late fees and interest charged and not yet paid
    payment_reference: str = ""  # the creditor reference to quote, in groups of four
    supply_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    buyer_reference: str = ""
    order_reference: str = ""
    credit_notes: tuple[CreditNoteView, ...] = ()
    # Interest that accrued on each day's balance since the last reminder that charged it
    # (after the hand-over no reminder charges it, but the claim keeps growing): owed, and
    # shown, but not booked until a letter or the dossier asks for it.
    interest_accrued: Decimal = Decimal(0)
    # A draft's warning: no credit granted yet, on hold, or near or over the credit limit;
    # in English, and as a message the window says in its language.
    credit_flag: str = ""
    credit_said: Said | None = field(default=None, compare=False, metadata={"window": True})
    receipt: ReceiptView | None = None  # the customer's word that it arrived, once recorded

    @property
    def due(self) -> Decimal:
        """All the customer owes on the invoice now: the balance and the open charges."""
        return self.balance + self.charges

    @property
    def actions(self) -> frozenset[InvoiceAction]:
        """What the user may do with it now, its hold, plan and receipt known."""
        return allowed_actions(self.status, hold=self.hold, plan=self.plan,
                               received=self.receipt is not None)


@dataclass(frozen=True)
class InvoiceRow:
    """One row of the invoice list: what a table needs, nothing more."""

    id: int
    number: str | None
    status: str
    customer_id: int
    customer_name: str
    issue_date: date | None
    due_date: date | None
    currency: str
    total: Decimal
    balance: Decimal
    charges: Decimal = Decimal(0)  # late fees and interest charged and not yet paid
    payment_reference: str = ""  # the creditor reference to quote, in groups of four
    days_late: int = 0  # past the due date and still open, on the books' day

    @property
    def due(self) -> Decimal:
        """All the customer owes on the invoice now: the balance and the open charges."""
        return self.balance + self.charges

    @property
    def actions(self) -> frozenset[InvoiceAction]:
        """What the user may do with it now; a row does not know its hold or plan, so it
        offers neither (the invoice's view does)."""
        return allowed_actions(self.status)


@dataclass(frozen=True)
class DraftPreview:
    """What a draft would come to if issued on the given day: totals, tax bands, schedule."""

    currency: str
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    taxes: tuple[TaxBandView, ...] = ()
    installments: tuple[InstallmentView, ...] = ()


@dataclass(frozen=True)
class IssuedView:
    id: int
    number: str
    issue_date: date
    due_date: date
    total: Decimal


@dataclass(frozen=True)
class CreditNoteView:
    id: int
    number: str
    invoice_id: int
    invoice_number: str
    issue_date: date
    amount: Decimal
    currency: str
    reason: str


@dataclass(frozen=True)
class PaymentView:
    id: int
    invoice_id: int
    amount: Decimal
    discount: Decimal
    credit: Decimal
    invoice: InvoiceView
    charges: Decimal = Decimal(0)  # late fees and interest this payment settled


@dataclass(frozen=True)
class PaymentRow:
    """One row of the payments list."""

    id: int
    paid_on: date
    customer_id: int
    customer_name: str
    invoice_id: int | None
    invoice_number: str | None
    amount: Decimal
    currency: str
    method: str
    reference: str


@dataclass(frozen=True)
class PromiseView:
    id: int
    invoice_id: int
    promised_for: date
    amount: Decimal | None
    excuse: str
    note: str


@dataclass(frozen=True)
class DemoCounts:
    customers: int
    terms: int
    invoices: int
    payments: int
    by_status: dict[str, int] = field(default_factory=dict)
