"""Letter texts as editable templates: plain text with {placeholders}.

A template's first line is the subject (also used for the email), then a blank line, then
the body; its last paragraph is the closing and signature. ``{{`` and ``}}`` print a
literal brace. A part in square brackets is printed only when its placeholders have values,
``|`` gives the alternative (``domain.wording``), so that a letter reads as whole sentences
whatever the user's company has not filled in. Defaults per stage and language live in
``resources/templates/letters/<language>/<stage>.txt``; ``TONE.md`` there is the ladder.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from desktop_app.documents.data import Customer, Letter, Stage
from desktop_app.documents.i18n import (
    CHARGES_BOTH,
    CHARGES_FEE,
    CHARGES_INTEREST,
    LAW_BOTH,
    LAW_FEE,
    LAW_INTEREST,
    Lang,
)
from desktop_app.documents.paths import LETTER_TEMPLATES
from desktop_app.domain.errors import ValidationError
from desktop_app.domain.wording import fill, parse
from desktop_app.messages import N_

PLACEHOLDERS: dict[str, str] = {
    "salutation": "the greeting: the billing contact by name, in the language's convention",
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
    "grace_days": "the days of grace after a missed plan installment",
    "plan_interest": "the yearly interest on a plan's balance once it falls due (or empty)",
    "deposit_reference": "the order or quote the deposit is for",
    "signer_name": "who signs the letter (a setting)",
    "signer_title": "their title",
    "previous_reminder": "the date of the last reminder that went out (empty: none did)",
    "copy_enclosed": "the invoice numbers whose copies are enclosed (empty: none)",
}


def validate_template(text: str) -> None:
    """Refuse a template the user could not have meant: unknown names, stray braces and
    brackets; each refusal names what is wrong."""
    if not text.strip():
        raise ValidationError("template", N_("must not be empty"))
    parse(text, PLACEHOLDERS)


@cache
def default_template(stage: Stage, language: str) -> str:
    return (LETTER_TEMPLATES / language / f"{Stage(stage).value}.txt").read_text("utf-8")


def charges_sentence(letter: Letter, t: Lang) -> str:
    """Fees and interest are named only when there are some: a letter never says that
    nothing was charged as if something had been."""
    fee = t.money(letter.fee_minor, letter.currency)
    interest = t.money(letter.interest_minor, letter.currency)
    law = letter.late_law  # statutory terms: the law's flat sum and interest, not a fee
    if letter.fee_minor and letter.interest_minor:
        return t(LAW_BOTH, law=law, fee=fee, interest=interest) if law else t(
            CHARGES_BOTH, fee=fee, interest=interest)
    if letter.fee_minor:
        return t(LAW_FEE, law=law, fee=fee) if law else t(CHARGES_FEE, fee=fee)
    if letter.interest_minor:
        return t(LAW_INTEREST, law=law, interest=interest) if law else t(
            CHARGES_INTEREST, interest=interest)
    return ""


# A Russian patronymic names the person's gender, and a letter greets by name and patronymic.
_PATRONYMIC = ("вич", "вна", "чна", "ична", "оглы", "кызы")


def salutation(customer: Customer, t: Lang) -> str:
    """The greeting in the reader's convention: the billing contact by name when known
    (in Russian by name and patronymic when the name has one), else the general one."""
    name = customer.contact.strip()
    if not name:
        return t("Dear Sir or Madam,")
    if customer.language == "ru":
        words = name.split()
        for index, word in enumerate(words[1:], start=1):
            if word.lower().endswith(_PATRONYMIC):
                female = word.lower().endswith(("вна", "чна", "кызы"))
                return f"{'Уважаемая' if female else 'Уважаемый'} {words[index - 1]} {word}!"
    return t("Dear %(name)s,", name=name)


def values(letter: Letter, t: Lang) -> dict[str, str]:
    """What each placeholder stands for in this letter, formatted for its reader."""
    cur = letter.currency
    numbers = list(dict.fromkeys(i.invoice_number for i in letter.items))
    plan = letter.plan.installments if letter.plan else ()
    deposit = letter.deposit
    plan_info = letter.plan
    return {
        "salutation": salutation(letter.customer, t),
        "signer_name": letter.company.signer.name,
        "signer_title": letter.company.signer.title,
        "previous_reminder": t.date(letter.previous_reminder) if letter.previous_reminder
        else "",
        "copy_enclosed": ", ".join(numbers) if letter.enclosures else "",
        "deposit_reference": deposit.reference if deposit else "",
        "grace_days": str(plan_info.grace_days) if plan_info else "",
        "plan_interest": t.percent(plan_info.interest_percent)
        if plan_info and plan_info.interest_percent else "",
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
    filled = fill(template, values(letter, t))
    subject, _, body = filled.partition("\n")
    return LetterText(subject.strip(), body.strip("\n"))


# The step a final notice announces unless the user names another: a step a small business
# can really take (fair-collection law: no threat the user cannot carry out).
# It completes "If we have not received payment by then, ..." in each language.
NEXT_STEPS = {
    "en": "we will pass the claim to a collection agency.",
    "de": "werden wir die Forderung einem Inkassounternehmen übergeben.",
    "ru": "мы будем вынуждены обратиться в суд для взыскания задолженности.",
    "zh_CN": "我们将把该笔债权移交催收机构处理。",
    "zh_TW": "我們將把該筆債權移交催收機構處理。",
}


def default_next_step(language: str) -> str:
    return NEXT_STEPS.get(language, NEXT_STEPS["en"])
