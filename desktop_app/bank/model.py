"""What a statement says, whatever its format: movements on the user's account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from desktop_app.domain.errors import ValidationError
from desktop_app.messages import N_, Said, Value


@dataclass(frozen=True, slots=True)
class BankLine:
    """One movement. ``amount`` is signed: money in is positive, money out negative."""

    booked_on: date
    value_on: date
    amount: Decimal
    currency: str
    counterparty: str = ""
    counterparty_account: str = ""  # IBAN or account number, compact
    remittance: str = ""  # what the payer wrote, joined into one line
    creditor_reference: str = ""  # a structured reference (RF...), when the bank passes one
    bank_reference: str = ""  # the bank's own id of the movement (AcctSvcrRef, FITID, ...)
    account: str = ""  # the user's own account it was booked on
    returned: bool = False  # a transfer that came back (return or reversal): not a payment


@dataclass(frozen=True, slots=True)
class Statement:
    format: str  # camt.053, camt.052, camt.054, mt940, ofx, csv
    lines: tuple[BankLine, ...]


MAX_TEXT = 2000  # remittance kept of one movement (camt allows 140 x n)


def refuse(where: str | Said, why: str, /, **values: Value) -> ValidationError:
    """A file that cannot be read: one line naming the line or element and the reason,
    ``why`` a message marked with N_ that ``values`` fill."""
    if not where:
        return ValidationError("file", why, **values)
    # TRANSLATORS: where in a bank file (its name, line or element), then what is wrong there
    return ValidationError("file", N_("{where}: {why}"), where=where, why=Said(why, values))


def one_line(*parts: str | None) -> str:
    """Pieces of text as one line with single spaces."""
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip())[:MAX_TEXT]


def compact_account(text: str | None) -> str:
    """An IBAN or account number without spaces, upper case."""
    return "".join((text or "").split()).upper()[:34]
