"""SWIFT MT940 statements (the ``mt-940`` package reads the tags), for banks that still
send them; the remittance text is joined from the ``?20``-``?29`` subfields of ``:86:``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import mt940

from desktop_app.bank.model import BankLine, Statement, compact_account, one_line, refuse
from desktop_app.messages import N_

ENCODINGS = ("utf-8", "cp1252")  # German banks write ISO 8859 / Windows-1252
NO_REFERENCE = {"", "NONREF", "NOTPROVIDED"}


def _decode(data: bytes) -> str:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError("cp1252 decodes every byte but five")  # pragma: no cover


def read_mt940(data: bytes, name: str) -> Statement:
    text = _decode(data).lstrip("\ufeff")
    try:
        transactions = mt940.parse(text, options=mt940.Options.all())
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise refuse(name, N_("is not an MT940 statement that can be read ({error})"),
                     error=str(exc)) from None
    account = compact_account(transactions.data.get("account_identification"))
    lines = []
    for number, tx in enumerate(transactions, 1):
        lines.append(_line(tx.data, account, f"{name} › :61: {number}"))
    if not lines and ":61:" in text:
        raise refuse(name, N_("holds :61: lines that could not be read as transactions"))
    return Statement("mt940", tuple(lines))


def _line(data: dict[str, Any], account: str, where: str) -> BankLine:
    amount = data.get("amount")
    value_on, booked_on = data.get("date"), data.get("entry_date") or data.get("date")
    if amount is None or not isinstance(value_on, date) or not isinstance(booked_on, date):
        raise refuse(where, N_("has no amount or date"))
    purpose = data.get("purpose")
    if purpose is None and data.get("transaction_details"):  # an unstructured :86:
        purpose = data["transaction_details"]
    reference = (data.get("bank_reference") or "").strip()
    status = str(data.get("status") or "")
    return BankLine(
        booked_on=date(booked_on.year, booked_on.month, booked_on.day),
        value_on=date(value_on.year, value_on.month, value_on.day),
        amount=Decimal(amount.amount), currency=str(amount.currency or data.get("currency")),
        counterparty=one_line(data.get("applicant_name"))[:200],
        counterparty_account=compact_account(data.get("applicant_iban")
                                             or data.get("gvc_applicant_iban")),
        remittance=one_line(purpose),
        bank_reference="" if reference.upper() in NO_REFERENCE else reference[:100],
        account=account, returned=status.startswith("R"),  # RC, RD: reversals
    )
