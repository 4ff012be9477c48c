"""What the documents print: frozen snapshots that the services fill from the books.

Amounts are integer minor units of the document's currency; nothing here reads a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Literal

from desktop_app.domain.aging import AGING_BUCKETS, aging_bucket
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.lines import Line, TaxBand
from desktop_app.domain.terms import PaymentTerms
from desktop_app.domain.vat import VatCategory
from desktop_app.messages import N_

Paper = Literal["a4", "letter"]
LANGUAGES = ("en", "de", "ru", "zh_CN", "zh_TW")


class Stage(StrEnum):
    """Every kind of letter; the follow-up stages use DOMAIN.md's names."""

    UPCOMING = "upcoming"
    DUE = "due"
    REMINDER_1 = "reminder_1"
    REMINDER_2 = "reminder_2"
    FINAL_NOTICE = "final_notice"
    HANDOVER = "handover"
    DEPOSIT_REQUEST = "deposit_request"
    PAYMENT_PLAN = "payment_plan"


@dataclass(frozen=True, slots=True)
class BankDetails:
    """How to pay, as the seller's country does it (BG-16/BG-17 payment instructions):
    IBAN and BIC for SEPA; routing and account number, or a cheque payee and remit-to
    address, in the US; bank, BIK, settlement and correspondent account in Russia (with the
    INN/KPP); bank and account number in China."""

    account_holder: str = ""  # BT-85
    bank_name: str = ""  # BT-86 provider's name
    iban: str = ""  # BT-84
    bic: str = ""  # BT-86 (BIC; the BIK in Russia)
    account_number: str = ""
    routing_number: str = ""
    correspondent_account: str = ""
    checks_payable_to: str = ""
    remit_to: tuple[str, ...] = ()

    @property
    def iban_compact(self) -> str:
        return "".join(self.iban.split()).upper()

    @property
    def has_account(self) -> bool:
        return bool(self.iban_compact or self.account_number)

    @property
    def any(self) -> bool:
        return self.has_account or bool(self.checks_payable_to)


@dataclass(frozen=True, slots=True)
class Signer:
    """Who signs letters and agreements: a person, with the title under the name."""

    name: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    address: tuple[str, ...]
    email: str = ""
    phone: str = ""
    tax_id: str = ""
    website: str = ""
    bank: BankDetails = field(default_factory=BankDetails)
    logo: bytes | Path | None = None  # PNG or JPEG
    currency: str = "EUR"
    paper: Paper = "a4"
    window_dx_mm: float = 0.0  # printer calibration: shifts the address window right
    window_dy_mm: float = 0.0  # ... and down
    country: str = ""  # BT-40
    vat_id: str = ""  # BT-31
    register: str = ""  # BT-30: court and number
    directors: str = ""  # GmbHG § 35a: the managing directors
    signer: Signer = field(default_factory=Signer)
    small_business: bool = False  # UStG § 19: no VAT charged
    kpp: str = ""  # Russia: the tax registration reason code beside the INN

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError("company name", N_("must not be empty"))
        if self.paper not in ("a4", "letter"):
            raise ValidationError("paper", N_("'{paper}' must be a4 or letter"),
                                  paper=self.paper)
        if abs(self.window_dx_mm) > 30 or abs(self.window_dy_mm) > 30:
            raise ValidationError("window offset", N_("must stay within 30 mm of the standard"))


@dataclass(frozen=True, slots=True)
class Customer:
    """The customer as it was when the document was made (name and address frozen)."""

    name: str
    address: tuple[str, ...]
    language: str = "en"
    locale: str = ""  # Babel locale for dates and money; empty: the language's default
    vat_id: str = ""  # BT-48
    number: str = ""  # the customer number (BT-46)
    country: str = ""  # BT-55
    contact: str = ""  # the person the letter greets (the billing contact), when known
    consumer: bool = False

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError("customer name", N_("must not be empty"))
        if self.language not in LANGUAGES:
            raise ValidationError("language", N_("'{language}' is not one of {languages}"),
                                  language=self.language, languages=", ".join(LANGUAGES))

    @property
    def babel_locale(self) -> str:
        return self.locale or self.language


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_percent: Decimal
    discount_percent: Decimal
    net_minor: int
    unit: str = "C62"
    category: VatCategory = VatCategory.STANDARD
    exemption_reason: str = ""
    period_start: date | None = None
    period_end: date | None = None

    @classmethod
    def from_line(cls, line: Line, currency: str) -> InvoiceLine:
        return cls(line.description, line.quantity, line.unit_price, line.tax_percent,
                   line.discount_percent, line.net_minor(currency), line.unit, line.category,
                   line.exemption_reason, line.period_start, line.period_end)


@dataclass(frozen=True, slots=True)
class Installment:
    label: str
    due_date: date
    amount_minor: int
    paid_minor: int = 0


class Mark(StrEnum):
    """What a printed invoice is: the original, a copy of it, or cancelled."""

    ORIGINAL = "original"
    COPY = "copy"
    VOID = "void"


@dataclass(frozen=True, slots=True)
class CreditNoteRef:
    number: str
    issue_date: date


@dataclass(frozen=True, slots=True)
class Invoice:
    company: Company
    customer: Customer
    number: str
    issue_date: date
    due_date: date
    currency: str
    lines: tuple[InvoiceLine, ...]
    bands: tuple[TaxBand, ...]
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    terms: PaymentTerms
    installments: tuple[Installment, ...] = ()
    payment_reference: str = ""  # what the customer quotes; the number when empty
    supply_date: date | None = None  # BT-72
    period_start: date | None = None  # BT-73
    period_end: date | None = None  # BT-74
    buyer_reference: str = ""  # BT-10
    order_reference: str = ""  # BT-13
    mark: Mark = Mark.ORIGINAL
    cancelled_by: CreditNoteRef | None = None  # a void invoice: the credit note that did it
    late_interest: str = ""  # the statutory rule in words, with its current rate

    def __post_init__(self) -> None:
        if self.subtotal_minor + self.tax_minor != self.total_minor:
            raise ValidationError("total", N_("subtotal plus tax must equal the total"))
        if self.installments and sum(i.amount_minor for i in self.installments) != (
                self.total_minor):
            raise ValidationError("installments", N_("must add up to the invoice total"))

    @property
    def reference(self) -> str:
        return self.payment_reference or self.number

    @property
    def asks_for_money(self) -> bool:
        return self.mark is not Mark.VOID


@dataclass(frozen=True, slots=True)
class CreditNote:
    """A credit note (EN 16931 type code 381) cancelling what was open on an invoice: the
    amount credited split over the invoice's VAT bands, and the invoice it corrects (BT-25,
    BT-26)."""

    company: Company
    customer: Customer
    number: str
    issue_date: date
    invoice_number: str
    invoice_date: date
    currency: str
    reason: str
    bands: tuple[TaxBand, ...]
    # What the corrected invoice said of the supply and the buyer's references: the credit
    # note repeats them (and its e-invoice needs them: BR-IC-11, BR-DE-15).
    supply_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    buyer_reference: str = ""
    order_reference: str = ""

    @property
    def net_minor(self) -> int:
        return sum(b.net_minor for b in self.bands)

    @property
    def tax_minor(self) -> int:
        return sum(b.tax_minor for b in self.bands)

    @property
    def total_minor(self) -> int:
        return self.net_minor + self.tax_minor


@dataclass(frozen=True, slots=True)
class InterestStretch:
    """Days on which the same amount was open, and the interest on it."""

    days: int
    principal_minor: int
    amount_minor: int
    rate_percent: Decimal | None = None  # a statutory rate changes each half-year


@dataclass(frozen=True, slots=True)
class InterestCalc:
    """How interest was computed, so that the customer can check it: on the amount open
    each day (``stretches`` when it changed: a part was paid meanwhile)."""

    rate_percent: Decimal  # a year
    days: int
    principal_minor: int
    amount_minor: int
    stretches: tuple[InterestStretch, ...] = ()


@dataclass(frozen=True, slots=True)
class ReminderSent:
    """A reminder the customer actually received before this letter (not one passed
    over), so that a letter says only what is true about what came before."""

    stage: str
    sent_on: date


@dataclass(frozen=True, slots=True)
class LetterItem:
    """One invoice (or installment of it) that a letter asks to be paid."""

    invoice_number: str
    issue_date: date
    due_date: date
    open_minor: int
    installment_label: str = ""
    interest: InterestCalc | None = None

    @property
    def interest_minor(self) -> int:
        return self.interest.amount_minor if self.interest else 0


@dataclass(frozen=True, slots=True)
class ContactPerson:
    """Whom at the company the customer should call or write to."""

    name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class PaymentPlan:
    """A restructured balance: the new installments the customer signs for, the days of
    grace after a missed one before the whole balance falls due, and the interest meanwhile
    (the annual rate, none when zero)."""

    installments: tuple[Installment, ...]
    grace_days: int = 5
    interest_percent: Decimal = Decimal(0)

    @property
    def total_minor(self) -> int:
        return sum(i.amount_minor for i in self.installments)


@dataclass(frozen=True, slots=True)
class DepositRequest:
    """A deposit asked for before work starts."""

    reference: str  # the order or quote it is for (the invoice number when none)
    description: str
    amount_minor: int
    due_date: date


@dataclass(frozen=True, slots=True)
class Letter:
    stage: Stage
    company: Company
    customer: Customer
    letter_date: date
    currency: str
    contact: ContactPerson
    items: tuple[LetterItem, ...] = ()
    fee_minor: int = 0
    deadline: date | None = None  # final notice: the last day before the next step
    next_step: str = ""  # what the user will do then, in the customer's language
    payment_reference: str = ""
    template: str | None = None  # the user's edited text; None: the default for the stage
    plan: PaymentPlan | None = None
    deposit: DepositRequest | None = None
    # Copies of the invoices the letter encloses, exactly as issued; appended after it,
    # marked as copies. The letter says "enclosed" only when there are some.
    enclosures: tuple[bytes, ...] = ()
    # Why the fee is charged: the terms' rule as the invoice stated it (domain.terms.FEE_RULES
    # and the fee it names: "a reminder fee of 5.00 per reminder"); "" when none is charged.
    fee_rule: str = ""
    fee_rate_minor: int = 0
    # Statutory terms: the law that gives the flat compensation and the interest ("§ 288
    # BGB"), named instead of an agreed fee; "" for terms of the user's own.
    late_law: str = ""
    # The reminders the customer actually received before this letter, oldest first (not
    # the ones passed over): the letter thanks for none when there are none.
    reminders: tuple[ReminderSent, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "stage", Stage(self.stage))
        if self.stage is Stage.PAYMENT_PLAN and not self.plan:
            raise ValidationError("plan", N_("a payment plan letter needs its installments"))
        if self.stage is Stage.DEPOSIT_REQUEST and not self.deposit:
            raise ValidationError("deposit", N_("a deposit request needs the deposit"))
        if self.stage not in (Stage.DEPOSIT_REQUEST,) and not self.items:
            raise ValidationError("invoices", N_("a letter must name at least one invoice"))
        if self.stage in (Stage.FINAL_NOTICE, Stage.HANDOVER) and (
                self.deadline is None or not self.next_step.strip()):
            raise ValidationError("deadline",
                                  N_("a final notice names a deadline and the next step"))
        if self.deadline is not None and self.deadline < self.letter_date:
            raise ValidationError("deadline", N_("must not be before the letter's date"))

    @property
    def previous_reminder(self) -> date | None:
        """The day of the latest reminder the customer received (None: none was)."""
        return max((r.sent_on for r in self.reminders), default=None)

    @property
    def open_minor(self) -> int:
        return sum(i.open_minor for i in self.items)

    @property
    def interest_minor(self) -> int:
        return sum(i.interest_minor for i in self.items)

    @property
    def total_due_minor(self) -> int:
        if self.stage is Stage.DEPOSIT_REQUEST and self.deposit:
            return self.deposit.amount_minor
        return self.open_minor + self.fee_minor + self.interest_minor

    @property
    def reference(self) -> str:
        if self.payment_reference:
            return self.payment_reference
        if self.deposit:
            return self.deposit.reference
        return ", ".join(dict.fromkeys(i.invoice_number for i in self.items))


# The stages a follow-up letter can be written for by hand (the others need a plan or a
# deposit behind them).
LETTER_STAGES = tuple(s.value for s in Stage
                      if s not in (Stage.DEPOSIT_REQUEST, Stage.PAYMENT_PLAN))

@dataclass(frozen=True, slots=True)
class StatementItem:
    """An open installment: what is still to be paid, and when it was due."""

    invoice_number: str
    issue_date: date
    due_date: date
    total_minor: int
    open_minor: int
    label: str = ""  # the installment's label when the invoice has several


@dataclass(frozen=True, slots=True)
class StatementEntry:
    """One movement on the account: an invoice or charge (debit), a payment, credit note,
    discount or write-off (credit)."""

    on: date
    kind: str  # invoice, payment, credit_note, discount, write_off, charge
    reference: str
    debit_minor: int = 0
    credit_minor: int = 0


@dataclass(frozen=True, slots=True)
class Statement:
    """Statement of account: the balance brought forward, the movements of the period with
    a running balance, then what is open with its age."""

    company: Company
    customer: Customer
    as_of: date
    currency: str
    items: tuple[StatementItem, ...]
    period_start: date | None = None
    opening_minor: int = 0
    entries: tuple[StatementEntry, ...] = ()

    def aging(self) -> dict[str, int]:
        """Open amounts per aging bucket, every bucket present."""
        sums = dict.fromkeys(AGING_BUCKETS, 0)
        for item in self.items:
            sums[aging_bucket(item.due_date, self.as_of)] += item.open_minor
        return sums

    @property
    def open_minor(self) -> int:
        return sum(i.open_minor for i in self.items)

    @property
    def closing_minor(self) -> int:
        return self.opening_minor + sum(e.debit_minor - e.credit_minor for e in self.entries)

    @property
    def reference(self) -> str:
        """What the customer quotes when paying the balance: its customer number."""
        return self.customer.number or ", ".join(
            dict.fromkeys(i.invoice_number for i in self.items))


@dataclass(frozen=True, slots=True)
class SentCopy:
    """A document exactly as it went out, with the fingerprint of its bytes; the dossier
    appends these bytes unchanged."""

    sent_on: date
    kind: str  # invoice, einvoice, letter, agreement
    stage: str  # the letter's stage, an e-invoice's format ("" for a plain invoice)
    reference: str  # the invoice number(s) it concerns
    sha256: str
    pdf: bytes  # the PDF (or for an e-invoice in XML, the XML)
    filename: str = ""


@dataclass(frozen=True, slots=True)
class DossierInvoice:
    number: str
    issue_date: date
    due_date: date
    total_minor: int
    currency: str
    # The customer's word that the invoice arrived: on which day, who, how (email, phone,
    # letter); none recorded: received_on is None.
    received_on: date | None = None
    received_by: str = ""
    received_via: str = ""


@dataclass(frozen=True, slots=True)
class ActivityEntry:
    on: date
    kind: str  # email, letter, call, visit, note, payment, promise ...
    summary: str


@dataclass(frozen=True, slots=True)
class CreditReferenceCall:
    """A credit reference called about the customer: when, whom, and what they said."""

    called_on: date
    company: str
    person: str = ""
    phone: str = ""
    said: str = ""


@dataclass(frozen=True, slots=True)
class CreditDocumentKept:
    """A financial statement, credit report or other document kept with an application."""

    added_on: date
    kind: str  # domain.credit_application.DOCUMENT_KINDS
    filename: str
    sha256: str


@dataclass(frozen=True, slots=True)
class CreditRecord:
    """A credit application of the customer: the decision (who, when, limit and terms), the
    references called and the documents kept. ``state``: open, approved or refused."""

    opened_on: date
    state: str
    currency: str
    decided_on: date | None = None
    decided_by: str = ""
    limit_minor: int | None = None
    terms: str = ""
    review_on: date | None = None
    note: str = ""
    references: tuple[CreditReferenceCall, ...] = ()
    documents: tuple[CreditDocumentKept, ...] = ()


@dataclass(frozen=True, slots=True)
class Dossier:
    """Everything a lawyer or collection agency needs at the handover stage."""

    company: Company
    customer: Customer
    as_of: date
    invoices: tuple[DossierInvoice, ...]
    copies: tuple[SentCopy, ...]
    activity: tuple[ActivityEntry, ...]
    statement: Statement
    credit: tuple[CreditRecord, ...] = ()  # the customer's credit applications, oldest first
