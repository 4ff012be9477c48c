"""The sentences and labels the law asks for, chosen from the facts: the legal note of each
VAT category, the small-business note, and the label of a tax ID by the ID's own country."""

from __future__ import annotations

from collections.abc import Iterable

from desktop_app.documents.data import Company
from desktop_app.documents.i18n import Lang
from desktop_app.domain.vat import SMALL_BUSINESS_REASON, VatCategory

CATEGORY_NAMES = {
    VatCategory.ZERO_RATED: "Zero-rated",
    VatCategory.EXEMPT: "Exempt",
    VatCategory.REVERSE_CHARGE: "Reverse charge",
    VatCategory.INTRA_EU: "Intra-EU supply",
    VatCategory.EXPORT: "Export",
    VatCategory.OUTSIDE_SCOPE: "Outside the scope of VAT",
}
# EU VAT Directive Art. 226 (11), (11a): the words an invoice at no VAT must carry.
CATEGORY_NOTES = {
    VatCategory.REVERSE_CHARGE:
        "Reverse charge: the recipient is liable for the VAT (Art. 196 of the VAT Directive).",
    VatCategory.INTRA_EU: "Tax-exempt intra-Community supply (Art. 138 of the VAT Directive).",
    VatCategory.EXPORT: "Tax-exempt export outside the EU (Art. 146 of the VAT Directive).",
    VatCategory.OUTSIDE_SCOPE:
        "Not subject to VAT here: the place of supply is in the customer's country.",
    VatCategory.ZERO_RATED: "Zero-rated supply: VAT at 0 %.",
}


def category_notes(t: Lang, company: Company,
                   lines: Iterable[tuple[VatCategory, str]]) -> list[str]:
    """One sentence per category (and exemption reason) the invoice has, in order."""
    notes: list[str] = []
    for category, reason in lines:
        if category is VatCategory.EXEMPT and company.small_business:
            law = SMALL_BUSINESS_REASON.get(company.country.upper(), reason)
            note = t("No VAT is charged: small business under %(law)s.", law=law)
        elif category is VatCategory.EXEMPT:
            note = t("Tax-exempt: %(reason)s.", reason=reason.rstrip("."))
        elif category in CATEGORY_NOTES:
            note = t(CATEGORY_NOTES[category])
        else:
            continue
        if note not in notes:
            notes.append(note)
    return notes


def band_label(t: Lang, category: VatCategory, rate_text: str, net_text: str) -> str:
    if category in (VatCategory.STANDARD,):
        return t("Tax %(rate)s on %(net)s", rate=rate_text, net=net_text)
    return t("%(category)s on %(net)s", category=t(CATEGORY_NAMES[category]), net=net_text)


def tax_id_label(tax_id: str, country: str) -> str:
    """The msgid that names a tax ID: by what the ID is (an EU VAT ID, a US EIN, a Russian
    INN, a Chinese credit code), else by the holder's country."""
    from stdnum.cn import uscc
    from stdnum.eu import vat
    from stdnum.ru import inn as ru_inn
    from stdnum.tw import ubn
    from stdnum.us import ein as us_ein

    text = tax_id.strip()
    country = country.upper()
    if vat.is_valid(text):
        return "VAT ID"
    checks = (("US", us_ein, "EIN"), ("RU", ru_inn, "INN"), ("CN", uscc,
                                                             "Unified social credit code"),
              ("TW", ubn, "Unified business number"))
    for home, module, label in checks:
        if country == home and module.is_valid(text):
            return label
    for _home, module, label in checks:
        if module.is_valid(text) and not country:
            return label
    return "Tax number" if country in ("DE", "AT") else "Tax ID"
