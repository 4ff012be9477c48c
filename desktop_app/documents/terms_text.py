"""The payment terms in words, as the invoice prints them and its e-invoice
repeats them (BT-20): one due date, or the installments with the first one named; the
early-payment discount; the late-payment terms; the user's own instructions."""

from __future__ import annotations

from desktop_app.documents.data import Invoice
from desktop_app.documents.i18n import FEE_RULE_SENTENCES, Lang
from desktop_app.domain.terms import PaymentTerms


def terms_sentences(invoice: Invoice, t: Lang) -> list[str]:
    terms, cur = invoice.terms, invoice.currency
    sentences: list[str] = []
    if len(invoice.installments) > 1:
        first = invoice.installments[0]
        sentences.append(t("%(terms)s: please pay in %(count)s installments as scheduled "
                           "below, the first of %(amount)s by %(date)s.",
                           terms=t.terms_name(terms.name),
                           count=len(invoice.installments),
                           amount=t.money(first.amount_minor, cur),
                           date=t.date(first.due_date)))
    else:
        sentences.append(t("%(terms)s: please pay %(amount)s by %(date)s.",
                           terms=t.terms_name(terms.name),
                           amount=t.money(invoice.total_minor, cur),
                           date=t.date(invoice.due_date)))
    deadline = terms.discount_deadline(invoice.issue_date)
    if deadline is not None:
        discount = terms.discount_minor(invoice.total_minor, cur)
        sentences.append(t(
            "If paid by %(date)s, you may deduct an early-payment discount of %(percent)s "
            "(%(discount)s) and pay %(amount)s.", date=t.date(deadline),
            percent=t.percent(terms.discount_percent), discount=t.money(discount, cur),
            amount=t.money(invoice.total_minor - discount, cur)))
    if invoice.late_interest:
        sentences += invoice.late_interest.split("\n")
    else:
        if terms.late_fee_minor:
            sentences.append(fee_rule_sentence(terms, cur, t))
        if terms.interest_annual_percent:
            rate = t.percent(terms.interest_annual_percent)
            sentences.append(t(
                "Late payment: interest of %(rate)s a year on the open amount from %(days)s "
                "days after the due date.", rate=rate, days=terms.grace_days)
                if terms.grace_days else t(
                "Late payment: interest of %(rate)s a year on the open amount from the due "
                "date.", rate=rate))
    if terms.instructions.strip():
        sentences.append(terms.instructions)
    return sentences


def fee_rule_sentence(terms: PaymentTerms, currency: str, t: Lang) -> str:
    """The fee and how it is charged, as the invoice states it and a reminder repeats it."""
    return t(FEE_RULE_SENTENCES[terms.fee_rule], fee=t.money(terms.late_fee_minor, currency))
