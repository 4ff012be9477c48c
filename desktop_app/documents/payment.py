"""The "how to pay" block shared by invoices, letters and statements."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from desktop_app.documents.data import Company
from desktop_app.documents.epc import QrCode, epc_payload, iban_valid
from desktop_app.documents.fonts import SANS
from desktop_app.documents.i18n import Lang
from desktop_app.documents.text import cell, para

QR_SIZE = 30 * mm


def payment_block(company: Company, t: Lang, *, amount_minor: int, currency: str,
                  reference: str, with_qr: bool = True) -> Flowable:
    """Bank details and the reference to quote; a SEPA QR code when paying in EUR to an IBAN."""
    bank = company.bank
    details = Table([[cell(label), cell(value)] for label, value in _bank_rows(company, t,
                                                                              reference)],
                    colWidths=[35 * mm, None], hAlign="LEFT")
    details.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS),
                                 ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("TOPPADDING", (0, 0), (-1, -1), 1),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    intro = para(t("Please transfer %(amount)s to the account below, quoting the reference "
                   "%(reference)s.", amount=t.money(amount_minor, currency),
                   reference=reference))
    body: Flowable = details
    if with_qr and currency == "EUR" and iban_valid(bank.iban) and amount_minor > 0:
        payload = epc_payload(name=bank.account_holder or company.name, iban=bank.iban,
                              bic=bank.bic, amount_minor=amount_minor, reference=reference)
        qr = Table([[QrCode(payload, QR_SIZE)], [para(t("Scan with your banking app to pay"),
                                                          "small")]],
                   colWidths=[QR_SIZE + 8 * mm])
        qr.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
        body = Table([[details, qr]], colWidths=[None, QR_SIZE + 10 * mm])
        body.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([para(t("How to pay"), "heading"), intro, body])


def _bank_rows(company: Company, t: Lang, reference: str) -> list[tuple[str, str]]:
    bank = company.bank
    rows = [(t("Account holder"), bank.account_holder or company.name),
            (t("Bank"), bank.bank_name), (t("IBAN"), bank.iban), (t("BIC"), bank.bic),
            (t("Account number"), bank.account_number),
            (t("Routing number"), bank.routing_number),
            (t("Payment reference"), reference)]
    return [(label, value) for label, value in rows if value]


def payment_instructions_text(company: Company, t: Lang, reference: str) -> str:
    """The same bank details as plain lines, for an email in the reader's language."""
    return "\n".join(f"{label}: {value}" for label, value in _bank_rows(company, t, reference))
