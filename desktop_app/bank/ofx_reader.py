"""OFX and QFX statements (the ``ofxtools`` package), as US and other banks send them."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from ofxtools.Parser import OFXTree

from desktop_app.bank.model import BankLine, Statement, compact_account, one_line, refuse
from desktop_app.messages import N_


def _day(value: Any) -> date | None:
    return value.date() if isinstance(value, datetime) else None


def read_ofx(data: bytes, name: str) -> Statement:
    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(data))
        ofx = tree.convert()
        statements = list(ofx.statements)
    except Exception as exc:  # ofxtools raises its own and plain errors alike
        raise refuse(name, N_("is not an OFX statement that can be read ({error})"),
                     error=str(exc)) from None
    lines = []
    for statement in statements:
        account = compact_account(getattr(statement.account, "acctid", ""))
        for number, tx in enumerate(statement.transactions, 1):
            where = f"{name} › STMTTRN {number}"
            posted = _day(tx.dtposted)
            if posted is None or tx.trnamt is None:
                raise refuse(where, N_("has no DTPOSTED or TRNAMT"))
            currency = (tx.currency.cursym if tx.currency is not None else statement.curdef)
            lines.append(BankLine(
                booked_on=posted, value_on=_day(tx.dtavail) or posted, amount=tx.trnamt,
                currency=str(currency or "").upper(),
                counterparty=one_line(tx.name or (tx.payee.name if tx.payee else ""))[:200],
                counterparty_account=compact_account(
                    getattr(tx.bankacctto, "acctid", "") if tx.bankacctto else ""),
                remittance=one_line(tx.memo, tx.checknum and f"check {tx.checknum}"),
                bank_reference=str(tx.fitid or "")[:100], account=account,
            ))
    return Statement("ofx", tuple(lines))
