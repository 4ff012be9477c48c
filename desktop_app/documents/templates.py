"""Letter texts as editable templates: plain text with {placeholders}.

A template's first line is the subject (also used for the email), then a blank line, then
the body. ``{{`` and ``}}`` print a literal brace. Defaults per stage and language live in
``resources/templates/letters/<language>/<stage>.txt``.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache

from desktop_app.documents.data import Letter, Stage
from desktop_app.documents.i18n import CHARGES_BOTH, CHARGES_FEE, CHARGES_INTEREST, Lang
from desktop_app.documents.paths import LETTER_TEMPLATES
from desktop_app.domain.errors import ValidationError

PLACEHOLDERS: dict[str, str] = {
    "customer_name": "the customer's name",
    "company_name": "your company's name",
    "letter_date": "the date of the letter",
    "invoice_numbers": "the invoice number(s) the letter is about",
    "invoice_count": "how many invoices the letter names",
    "due_date": "the earliest due date among them",
    "amount_open": "the open amount without fees or interest",
    "fee": "the reminder fee",
    "interest": "the interest charged",
    "charges": "a sentence naming the fee and interest added (empty when there are none)",
    "total_due": "open amount plus fee plus interest",
    "deadline": "the last day to pay (final notice)",
    "next_step": "what happens after the deadline, as you wrote it",
    "payment_reference": "the reference to quote when paying",
    "contact_person": "whom to contact at your company",
    "contact_phone": "their phone number",
    "contact_email": "their email address",
    "deposit_amount": "the deposit asked for",
    "deposit_due": "when the deposit is due",
    "deposit_description": "what the deposit is for",
    "plan_total": "the total of the payment plan",
    "installment_count": "how many installments the plan has",
    "first_installment_date": "when the plan's first installment is due",
}
_FORMATTER = string.Formatter()


def validate_template(text: str) -> None:
    """Refuse a template the user could not have meant: unknown names, stray braces."""
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as exc:
        raise ValidationError("template", f"malformed braces ({exc}); write {{{{ or }}}} "
                              "for a literal brace") from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        shown = "{" + name + (f"!{conversion}" if conversion else "") + (
            f":{spec}" if spec else "") + "}"
        if name not in PLACEHOLDERS or spec or conversion:
            raise ValidationError("template", f"unknown placeholder {shown}")
    if not text.strip():
        raise ValidationError("template", "must not be empty")


@cache
def default_template(stage: Stage, language: str) -> str:
    return (LETTER_TEMPLATES / language / f"{Stage(stage).value}.txt").read_text("utf-8")


def charges_sentence(letter: Letter, t: Lang) -> str:
    """Fees and interest are named only when there are some: a letter never says that
    nothing was charged as if something had been."""
    fee = t.money(letter.fee_minor, letter.currency)
    interest = t.money(letter.interest_minor, letter.currency)
    if letter.fee_minor and letter.interest_minor:
        return t(CHARGES_BOTH, fee=fee, interest=interest)
    if letter.fee_minor:
        return t(CHARGES_FEE, fee=fee)
    if letter.interest_minor:
        return t(CHARGES_INTEREST, interest=interest)
    return ""


def values(letter: Letter, t: Lang) -> dict[str, str]:
    """What each placeholder stands for in this letter, formatted for its reader."""
    cur = letter.currency
    numbers = list(dict.fromkeys(i.invoice_number for i in letter.items))
    plan = letter.plan.installments if letter.plan else ()
    deposit = letter.deposit
    return {
        "customer_name": letter.customer.name,
        "company_name": letter.company.name,
        "letter_date": t.date(letter.letter_date),
        "invoice_numbers": ", ".join(numbers),
        "invoice_count": str(len(numbers)),
        "due_date": t.date(min(i.due_date for i in letter.items)) if letter.items else "",
        "amount_open": t.money(letter.open_minor, cur),
        "fee": t.money(letter.fee_minor, cur),
        "interest": t.money(letter.interest_minor, cur),
        "charges": charges_sentence(letter, t),
        "total_due": t.money(letter.total_due_minor, cur),
        "deadline": t.date(letter.deadline) if letter.deadline else "",
        "next_step": letter.next_step,
        "payment_reference": letter.reference,
        "contact_person": letter.contact.name,
        "contact_phone": letter.contact.phone,
        "contact_email": letter.contact.email,
        "deposit_amount": t.money(deposit.amount_minor, cur) if deposit else "",
        "deposit_due": t.date(deposit.due_date) if deposit else "",
        "deposit_description": deposit.description if deposit else "",
        "plan_total": t.money(letter.plan.total_minor, cur) if letter.plan else "",
        "installment_count": str(len(plan)),
        "first_installment_date": t.date(plan[0].due_date) if plan else "",
    }


@dataclass(frozen=True, slots=True)
class LetterText:
    subject: str
    body: str


def letter_text(letter: Letter) -> LetterText:
    """Subject and body of a letter (the user's template or the default), filled in; the
    mail layer sends the same words as the printed letter."""
    t = Lang(letter.customer.language, letter.customer.babel_locale)
    template = letter.template or default_template(letter.stage, letter.customer.language)
    validate_template(template)
    filled = template.format_map(values(letter, t))
    subject, _, body = filled.partition("\n")
    return LetterText(subject.strip(), body.strip("\n"))


# The step a final notice announces unless the user names another: a step a small business
# can really take (fair-collection law: no threat the user cannot carry out).
NEXT_STEPS = {
    "en": "we will hand the claim to our collection agency.",
    "de": "Wir übergeben die Forderung unserem Inkassobüro.",
    "ru": "мы передадим требование коллекторскому агентству.",
    "zh_CN": "我们将把该债权移交给催收机构处理。",
    "zh_TW": "我們將把該債權移交給催收機構處理。",
}


def default_next_step(language: str) -> str:
    return NEXT_STEPS.get(language, NEXT_STEPS["en"])
