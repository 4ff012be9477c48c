"""The "how to pay" block shared by invoices, letters and statements: the account in the
form the seller's country uses it, a cheque payee, the reference to quote, and a SEPA QR
code when paying euros to an IBAN. It says "transfer to the account below" only when there
is an account."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from desktop_app.documents.data import Company
from desktop_app.documents.epc import QrCode, epc_payload, iban_valid
from desktop_app.documents.fonts import SANS, string_width
from desktop_app.documents.i18n import Lang
from desktop_app.documents.typesetting import cell, para

QR_SIZE = 30 * mm


def grouped_iban(iban: str) -> str:
    """IBANs are printed in groups of four (ISO 13616)."""
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def payment_block(company: Company, t: Lang, *, amount_minor: int, currency: str,
                  reference: str, with_qr: bool = True) -> Flowable | None:
    """How to pay ``amount_minor``, or None when the company has given no way to pay."""
    bank = company.bank
    if not bank.any:
        return None
    rows = bank_rows(company, t, reference)
    label_width = max(string_width(label, 8.5) for label, _ in rows) + 4 * mm
    details = Table([[cell(label), cell(value)] for label, value in rows],
                    colWidths=[label_width, None], hAlign="LEFT")
    details.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS),
                                 ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)]))
    amount = t.money(amount_minor, currency)
    story: list[Flowable] = [para(t("How to pay"), "heading")]
    if bank.has_account:
        story.append(para(t("Please transfer %(amount)s to the account below, quoting the "
                            "reference %(reference)s.", amount=amount, reference=reference),
                          "note"))
    if bank.checks_payable_to:
        story.append(para(t("Please make your check for %(amount)s payable to %(payee)s, "
                            "quoting the reference %(reference)s.", amount=amount,
                            payee=bank.checks_payable_to, reference=reference), "note"))
    body: Flowable = details
    if with_qr and currency == "EUR" and iban_valid(bank.iban) and amount_minor > 0:
        payload = epc_payload(name=bank.account_holder or company.name, iban=bank.iban,
                              bic=bank.bic, amount_minor=amount_minor, reference=reference)
        qr = Table([[QrCode(payload, QR_SIZE)], [para(t("Scan with your banking app to pay"),
                                                          "small")]],
                   colWidths=[QR_SIZE + 16 * mm])
        qr.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("TOPPADDING", (0, 0), (-1, -1), 0),
                                ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
        body = Table([[details, qr]], colWidths=[None, QR_SIZE + 18 * mm])
        body.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([*story, body])


def bank_rows(company: Company, t: Lang, reference: str) -> list[tuple[str, str]]:
    """The account as the seller's country writes it (labels in the reader's language)."""
    bank = company.bank
    russian = company.country.upper() == "RU"
    rows: list[tuple[str, str]] = []
    if bank.has_account:
        rows.append((t("Account holder"), bank.account_holder or company.name))
        rows.append((t("Bank"), bank.bank_name))
        rows.append((t("IBAN"), grouped_iban(bank.iban) if bank.iban else ""))
        rows.append((t("BIK") if russian else t("BIC"), bank.bic))
        rows.append((t("Account number"), bank.account_number))
        rows.append((t("Routing number"), bank.routing_number))
        rows.append((t("Correspondent account"), bank.correspondent_account))
        if russian and company.tax_id:
            rows.append((t("INN/KPP"), "/".join(x for x in (company.tax_id, company.kpp) if x)))
    if bank.checks_payable_to:
        rows.append((t("Make checks payable to"), bank.checks_payable_to))
        rows.append((t("Remit to"), ", ".join(bank.remit_to)))
    rows.append((t("Payment reference"), reference))
    return [(label, value) for label, value in rows if value]


def payment_instructions_text(company: Company, t: Lang, reference: str) -> str:
    """The same details as plain lines, for an email in the reader's language; empty when
    the company has given no way to pay."""
    if not company.bank.any:
        return ""
    return "\n".join(f"{label}: {value}" for label, value in bank_rows(company, t, reference))
