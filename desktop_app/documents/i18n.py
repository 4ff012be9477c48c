"""Words and formats in the customer's language.

Labels live in gettext catalogues (``resources/locale/<lang>/LC_MESSAGES/documents.po``),
read with Babel at run time: translators know the format and its tools, and no compiled
.mo file has to be kept in step. English is the msgid itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent

from desktop_app.documents.paths import LOCALE
from desktop_app.documents.quote_words import QUOTE_MESSAGES
from desktop_app.domain.money import from_minor

# The sentence of a letter that names the late charges, for those it has.
CHARGES_BOTH = ("In line with the agreed payment terms we have added a reminder fee of %(fee)s "
                "and interest of %(interest)s; the calculation is shown below.")
CHARGES_FEE = "In line with the agreed payment terms we have added a reminder fee of %(fee)s."
CHARGES_INTEREST = ("In line with the agreed payment terms we have added interest of "
                    "%(interest)s; the calculation is shown below.")
# The same under statutory terms: the law, not an agreement, gives the flat compensation
# (never a "reminder fee") and the interest.
LAW_BOTH = ("As the law provides (%(law)s), we have added the flat compensation of %(fee)s "
            "and interest of %(interest)s; the calculation is shown below.")
LAW_FEE = "As the law provides (%(law)s), we have added the flat compensation of %(fee)s."
LAW_INTEREST = ("As the law provides (%(law)s), we have added interest of %(interest)s; the "
                "calculation is shown below.")

# UN/ECE Rec. 20 units as printed on a line (the English short form is the msgid).
UNIT_LABELS = {
    "C62": "pc", "H87": "pc", "SET": "set", "LS": "lump sum", "MIN": "min", "HUR": "h",
    "DAY": "days", "WEE": "weeks", "MON": "months", "ANN": "years", "KGM": "kg", "TNE": "t",
    "MTR": "m", "KMT": "km", "MTK": "m²", "MTQ": "m³", "LTR": "l",
}

# The late fee and how it is charged (domain.terms.FEE_RULES), on the invoice and in the
# reminder that charges it.
FEE_RULE_SENTENCES = {
    "per_reminder": "Late payment: a reminder fee of %(fee)s per reminder.",
    "per_invoice": "Late payment: a reminder fee of %(fee)s for each invoice a reminder "
                   "names.",
    "once_per_invoice": "Late payment: a one-time fee of %(fee)s per invoice for the cost of "
                        "collecting it.",
}

# Every label the documents print; a catalogue must translate each of them.
MESSAGES: tuple[str, ...] = (
    "Invoice", "E-invoice", "Invoice number", "Invoice date", "Due date", "Payment reference",
    "Page %(page)s of %(pages)s", "%(title)s (continued)", "Continued on the next page",
    "Pos.", "Description", "Quantity", "Unit price", "Tax", "Discount", "Net",
    "Subtotal", "Tax %(rate)s on %(net)s", "Total",
    "Payment terms", "%(terms)s: please pay %(amount)s by %(date)s.",
    "If paid by %(date)s, you may deduct an early-payment discount of %(percent)s "
    "(%(discount)s) and pay %(amount)s.",
    *FEE_RULE_SENTENCES.values(),
    "Late payment: interest of %(rate)s a year on the open amount from the due date.",
    "Late payment: interest of %(rate)s a year on the open amount from %(days)s days "
    "after the due date.",
    "Installment schedule", "Installment", "Amount", "Paid", "Open",
    "How to pay", "Please transfer %(amount)s to the account below, quoting the reference "
    "%(reference)s.", "Account holder", "Bank", "IBAN", "BIC", "Account number",
    "Routing number", "Scan with your banking app to pay",
    "Date", "Issued", "Due", "Interest", "Reminder fee", "Total due",
    "Interest on %(principal)s at %(rate)s a year for %(days)s days: %(amount)s",
    "New installments", "Place, date", "Signature", "For %(name)s", "Deposit",
    "Statement of account", "As of", "Days overdue", "Current", "1–30 days", "31–60 days",
    "61–90 days", "over 90 days", "Total open",
    "Collection dossier", "Customer", "Invoices", "Letters sent", "Activity log", "Kind",
    "Summary", "Letter", "SHA-256 of the PDF sent",
    "Copy of the letter sent on %(date)s, SHA-256 %(sha)s",
    "Tax ID", "Phone", "Email", "Contact",
    "Upcoming payment", "Payment due", "Payment reminder", "Second reminder", "Final notice",
    "Notice before handover", "Deposit request", "Payment plan agreement",
    "Invoice %(number)s",  # what a deposit is asked for, when the invoice has several lines
    # Installment labels the schedules give (stored in English, printed in the reader's).
    "Payment", "Final payment", "Progress payment %(n)s", "Installment %(n)s of %(count)s",
    "Plan %(n)s of %(count)s",
    CHARGES_BOTH, CHARGES_FEE, CHARGES_INTEREST, LAW_BOTH, LAW_FEE, LAW_INTEREST,
    "Flat compensation", *dict.fromkeys(UNIT_LABELS.values()),
    "Carried forward", "Brought forward",
    "Late payment: interest at %(points)s percentage points above the base rate (%(law)s).",
    # What the law asks an invoice, a credit note and a statement to say.
    "Customer number",
    "Your reference",
    "Your order",
    "Delivery date",
    "Service period",
    "%(start)s to %(end)s",
    "Unit",
    "VAT ID",
    "Your VAT ID",
    "Tax number",
    "EIN",
    "INN",
    "INN/KPP",
    "Unified social credit code",
    "Unified business number",
    "Register",
    "Managing directors",
    "%(category)s on %(net)s",
    "Zero-rated",
    "Exempt",
    "Reverse charge",
    "Intra-EU supply",
    "Export",
    "Outside the scope of VAT",
    "Reverse charge: the recipient is liable for the VAT (Art. 196 of the VAT Directive).",
    "Tax-exempt intra-Community supply (Art. 138 of the VAT Directive).",
    "Tax-exempt export outside the EU (Art. 146 of the VAT Directive).",
    "Not subject to VAT here: the place of supply is in the customer's country.",
    "Zero-rated supply: VAT at 0 %.",
    "Tax-exempt: %(reason)s.",
    "No VAT is charged: small business under %(law)s.",
    "Cancelled by credit note %(number)s of %(date)s. Nothing is to be paid on this invoice.",
    "VOID",
    "COPY",
    "Copy of the document issued on %(date)s",
    "Credit note",
    "Credit note number",
    "Credit note date",
    "Corrects invoice",
    "This credit note cancels the open amount of invoice %(number)s of %(date)s.",
    "Reason: %(reason)s",
    "Credited net",
    "Total credited",
    "Nothing is to be paid on this credit note.",
    "%(terms)s: please pay in %(count)s installments as scheduled below, the first "
    "of %(amount)s by %(date)s.",
    "Late payment: interest at %(points)s percentage points above the base rate "
    "(%(law)s), currently %(rate)s a year.",
    "Late payment: a flat compensation of %(flat)s per invoice (%(law)s).",
    "Please make your check for %(amount)s payable to %(payee)s, quoting the "
    "reference %(reference)s.",
    "Make checks payable to",
    "Remit to",
    "BIK",
    "Correspondent account",
    "Dear %(name)s,",
    "Dear Sir or Madam,",
    "Balance brought forward",
    "Closing balance",
    "Movements",
    "Open items",
    "Charged",
    "Credited",
    "Balance",
    "Reference",
    "Period",
    "Early-payment discount",
    "Written off",
    "Late charges",
    *QUOTE_MESSAGES,
    "Receipt confirmed",
    "The customer confirmed that these invoices arrived.",
    "Received on",
    "Confirmed by",
    "How",
    "By email",
    "By phone",
    "By letter",
    "Due on receipt",  # the terms of a customer without credit (terms_name)
    "Net 30",  # the terms of an invoice when the books name none (terms_name)
    # The credit application in the dossier (documents.dossier).
    "Credit application",
    "Credit application opened on %(date)s.",
    "Credit application opened on %(date)s; not decided yet.",
    "Credit approved on %(date)s by %(who)s, with a limit of %(limit)s and the payment terms "
    "%(terms)s.",
    "Credit approved on %(date)s by %(who)s, with a limit of %(limit)s.",
    "Credit approved on %(date)s by %(who)s, with the payment terms %(terms)s.",
    "Credit approved on %(date)s by %(who)s.",
    "Credit refused on %(date)s by %(who)s.",
    "To be reviewed from %(date)s.",
    "Note: %(note)s",
    "References called",
    "No references were called.",
    "On %(date)s we called %(person)s at %(company)s, phone %(phone)s.",
    "On %(date)s we called %(person)s at %(company)s.",
    "On %(date)s we called %(company)s, phone %(phone)s.",
    "On %(date)s we called %(company)s.",
    "They said: “%(said)s”",
    "Documents kept",
    "No documents were kept.",
    "File",
    "SHA-256 (first 16 digits)",
    "Financial statements",
    "Credit report",
    "Other document",
)
_KNOWN = frozenset(MESSAGES)
_BUILT_IN_TERMS = frozenset({"Due on receipt", "Net 30"})


@cache
def catalogue(language: str) -> dict[str, str]:
    """msgid -> translation for one language; untranslated or fuzzy entries are left out."""
    if language == "en":
        return {}
    with (LOCALE / language / "LC_MESSAGES" / "documents.po").open("rb") as handle:
        cat = read_po(handle)
    return {m.id: m.string for m in cat if isinstance(m.id, str) and m.id and m.string
            and not m.fuzzy}


_NUMBERED_LABELS = (
    (re.compile(r"Progress payment (\d+)"), "Progress payment %(n)s"),
    (re.compile(r"Installment (\d+) of (\d+)"), "Installment %(n)s of %(count)s"),
    (re.compile(r"Plan (\d+) of (\d+)"), "Plan %(n)s of %(count)s"),
)
_PLAIN_LABELS = frozenset({"Payment", "Deposit", "Final payment"})


@cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@dataclass(frozen=True, slots=True)
class Lang:
    """Translate labels and format dates, money and rates for one reader."""

    language: str
    locale: str

    def __call__(self, msgid: str, **values: object) -> str:
        if msgid not in _KNOWN:
            raise KeyError(f"label not in MESSAGES: {msgid!r}")
        text = catalogue(self.language).get(msgid, msgid)
        return text % values if values else text

    def terms_name(self, name: str) -> str:
        """The names of the terms PaidUp gives by itself (a customer without credit, books
        with none), in the reader's language; terms the user named are printed as named."""
        return self(name) if name in _BUILT_IN_TERMS else name

    def label(self, text: str) -> str:
        """An installment label as the schedules write it, in the reader's language; a
        label the user typed is printed as typed."""
        if text in _PLAIN_LABELS:
            return self(text)
        for pattern, msgid in _NUMBERED_LABELS:
            if match := pattern.fullmatch(text):
                numbers = match.groups()
                return self(msgid, n=numbers[0], **({"count": numbers[1]}
                                                    if len(numbers) > 1 else {}))
        return text

    def money(self, minor: int, currency: str) -> str:
        return format_currency(from_minor(minor, currency), currency,
                               locale=_locale(self.locale))

    def price(self, value: Decimal, currency: str) -> str:
        """A unit price: at least the currency's decimals, more when it has them (0.125)."""
        return format_currency(value, currency, locale=_locale(self.locale),
                               decimal_quantization=False)

    def date(self, value: date) -> str:
        """Russian business letters write 05.06.2025 (GOST R 7.0.97): Babel's "5 июн.
        2025 г." ends with a stop that doubles at the end of a sentence."""
        pattern = "dd.MM.yyyy" if self.language == "ru" else "medium"
        return format_date(value, pattern, locale=_locale(self.locale))

    def number(self, value: Decimal) -> str:
        return format_decimal(value, locale=_locale(self.locale), decimal_quantization=False)

    def percent(self, value: Decimal) -> str:
        """19 -> '19 %' (de) or '19%' (en): the value is in percent, not a fraction."""
        return format_percent(value / 100, locale=_locale(self.locale),
                              decimal_quantization=False)
