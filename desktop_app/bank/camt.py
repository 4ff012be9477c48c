"""ISO 20022 camt.052 (intraday report), camt.053 (statement) and camt.054 (notification),
versions .001.02 to .001.08, read by element names whatever the namespace says.

A batch booking (one entry, several transfers in its details) becomes one movement per
transfer; a return (``RtrInf``) or reversal (``RvslInd``) is marked as such, never taken for
a customer's payment. Only booked entries are read: a pending one is booked later, in the
statement that follows.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from desktop_app.bank.model import BankLine, Statement, compact_account, one_line, refuse
from desktop_app.bank.safe import parse_xml
from desktop_app.messages import N_

MESSAGES = {  # the document's first element, the report element in it, the format
    "BkToCstmrStmt": ("Stmt", "camt.053"),
    "BkToCstmrAcctRpt": ("Rpt", "camt.052"),
    "BkToCstmrDbtCdtNtfctn": ("Ntfctn", "camt.054"),
}
RETURN_FAMILIES = {"RRTN", "RPCR", "RCDT"}  # returned, reversal, returned credit transfer


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _without_namespaces(root: Element) -> Element:
    """Each tag by its local name, once: every version's namespace reads alike, and the
    lookups below are the parser's own (in C) instead of a comparison per child. Each
    name is cut once per document (a statement has a few dozen among 300,000 elements)."""
    local: dict[str, str] = {}
    for element in root.iter():
        tag = element.tag
        if isinstance(tag, str):
            name = local.get(tag)
            element.tag = name if name is not None else local.setdefault(tag, _local(tag))
    return root


def _kids(element: Element | None, name: str) -> Iterator[Element]:
    return iter(()) if element is None else iter(element.findall(name))


def _at(element: Element | None, *path: str) -> Element | None:
    for name in path:
        if element is None:
            return None
        element = element.find(name)
    return element


def _text(element: Element | None, *path: str) -> str:
    found = _at(element, *path)
    return " ".join((found.text or "").split()) if found is not None else ""


def _first_text(element: Element | None, *paths: tuple[str, ...]) -> str:
    for path in paths:
        if value := _text(element, *path):
            return value
    return ""


def looks_like_camt(root: Element) -> bool:
    return _local(root.tag) == "Document" and any(_local(k.tag) in MESSAGES for k in root)


def read_camt(data: bytes, name: str) -> Statement:
    root = _without_namespaces(parse_xml(data, name))
    message = next((k for k in root if _local(k.tag) in MESSAGES), None)
    if _local(root.tag) != "Document" or message is None:
        raise refuse(name, N_("is XML but not a camt.052, camt.053 or camt.054 bank "
                              "statement"))
    report, kind = MESSAGES[_local(message.tag)]
    lines: list[BankLine] = []
    for number, block in enumerate(_kids(message, report), 1):
        account = compact_account(_first_text(block, ("Acct", "Id", "IBAN"),
                                              ("Acct", "Id", "Othr", "Id")))
        currency = _text(block, "Acct", "Ccy")
        for position, entry in enumerate(_kids(block, "Ntry"), 1):
            where = f"{name} › {report} {number} › Ntry {position}"
            lines.extend(_entry(entry, where, account, currency))
    return Statement(kind, tuple(lines))


def _amount(element: Element | None, where: str) -> tuple[Decimal, str]:
    if element is None:
        raise refuse(where, N_("has no amount (Amt)"))
    try:
        value = Decimal((element.text or "").strip())
    except InvalidOperation:
        raise refuse(where, N_("Amt '{amount}' is not an amount"),
                     amount=(element.text or "").strip()) from None
    currency = element.get("Ccy", "").strip().upper()
    if not value.is_finite() or value < 0 or len(currency) != 3:
        raise refuse(where, N_("Amt '{amount}' with currency '{currency}' is not an amount a "
                               "bank books"), amount=str(element.text), currency=currency)
    return value, currency


def _sign(indicator: str, where: str) -> int:
    if indicator == "CRDT":
        return 1
    if indicator == "DBIT":
        return -1
    raise refuse(where, N_("CdtDbtInd '{indicator}' is neither CRDT nor DBIT"),
                 indicator=indicator)


def _day(element: Element | None, path: str, where: str) -> date | None:
    value = _first_text(element, (path, "Dt"), (path, "DtTm"))
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise refuse(where, N_("{element} '{value}' is not a date"), element=path,
                     value=value) from None


def _transfer_amount(tx: Element, where: str) -> tuple[Decimal, str] | None:
    for path in (("Amt",), ("AmtDtls", "TxAmt", "Amt"), ("AmtDtls", "InstdAmt", "Amt")):
        found = _at(tx, *path)
        if found is not None:
            return _amount(found, where)
    return None


def _party(tx: Element | None, role: str) -> tuple[str, str]:
    """Name and account of the payer (``Dbtr``) or payee (``Cdtr``); version 8 wraps the
    name in ``Pty``."""
    name = _first_text(tx, ("RltdPties", role, "Nm"), ("RltdPties", role, "Pty", "Nm"),
                       ("RltdPties", f"Ultmt{role}", "Nm"),
                       ("RltdPties", f"Ultmt{role}", "Pty", "Nm"))
    account = _first_text(tx, ("RltdPties", f"{role}Acct", "Id", "IBAN"),
                          ("RltdPties", f"{role}Acct", "Id", "Othr", "Id"))
    return name, compact_account(account)


def _remittance(tx: Element | None) -> tuple[str, str]:
    info = _at(tx, "RmtInf")
    free = [" ".join((u.text or "").split()) for u in _kids(info, "Ustrd")]
    reference = ""
    for structured in _kids(info, "Strd"):
        reference = reference or _first_text(structured, ("CdtrRefInf", "Ref"),
                                             ("CdtrRefInf", "CdtrRef"))
        free += [" ".join((a.text or "").split()) for a in _kids(structured, "AddtlRmtInf")]
    return one_line(*free), "".join(reference.split()).upper()[:35]


def _entry(entry: Element, where: str, account: str, account_currency: str
           ) -> list[BankLine]:
    status = _first_text(entry, ("Sts", "Cd"), ("Sts",))
    if status and status != "BOOK":
        return []  # pending or information only: the statement that books it brings it
    total, currency = _amount(_at(entry, "Amt"), where)
    sign = _sign(_text(entry, "CdtDbtInd"), where)
    booked = _day(entry, "BookgDt", where)
    value = _day(entry, "ValDt", where) or booked
    if booked is None or value is None:
        raise refuse(where, N_("has no booking date (BookgDt)"))
    reversal = _text(entry, "RvslInd").lower() == "true"
    family = _text(entry, "BkTxCd", "Domn", "Fmly", "SubFmlyCd")
    entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
    details = [tx for d in _kids(entry, "NtryDtls") for tx in _kids(d, "TxDtls")]
    amounts = [_transfer_amount(tx, f"{where} › TxDtls {i}") for i, tx in
               enumerate(details, 1)]
    if len(details) > 1 and all(amounts):
        if sum(a[0] for a in amounts if a) != total:
            raise refuse(where, N_("its {count} transfers add up to {added}, not to the "
                                   "entry's {total}"), count=len(details),
                         added=str(sum(a[0] for a in amounts if a)), total=str(total))
        parts = list(zip(details, amounts, strict=True))
    else:  # one transfer, or a batch the bank did not itemise: the entry as a whole
        parts = [(details[0] if len(details) == 1 else None, (total, currency))]
    lines = []
    for index, (tx, amount) in enumerate(parts, 1):
        assert amount is not None
        tx_sign = sign
        if tx is not None and (indicator := _text(tx, "CdtDbtInd")):
            tx_sign = _sign(indicator, f"{where} › TxDtls {index}")
        payer = _party(tx, "Dbtr" if tx_sign > 0 else "Cdtr")
        remittance, creditor_ref = _remittance(tx)
        if tx is None and len(details) > 1:  # an unitemised batch: what its parts said
            remittance = one_line(*(_remittance(d)[0] for d in details))
        own_ref = _first_text(tx, ("Refs", "AcctSvcrRef"))
        reference = own_ref or (f"{entry_ref}/{index}" if entry_ref and len(parts) > 1
                                else entry_ref)
        returned = reversal or family in RETURN_FAMILIES or _at(tx, "RtrInf") is not None
        lines.append(BankLine(
            booked_on=booked, value_on=value, amount=tx_sign * amount[0],
            currency=amount[1] or currency or account_currency,
            counterparty=payer[0][:200], counterparty_account=payer[1],
            remittance=remittance, creditor_reference=creditor_ref,
            bank_reference=reference[:100], account=account, returned=returned,
        ))
    return lines
