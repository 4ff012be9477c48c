"""Every letter and email in every language, with every optional fact absent, reads as
whole sentences: no "at or .", no "（ ）", no empty contact row."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from desktop_app.documents import letter_text, render_letter
from desktop_app.documents.data import LANGUAGES, ContactPerson, Stage
from desktop_app.documents.i18n import Lang
from desktop_app.documents.samples import (
    sample_customer,
    sample_invoice,
    sample_letter,
    sparse_company,
)
from desktop_app.documents.terms_text import terms_sentences
from desktop_app.mail.email_templates import STAGES, DueItem, MailContext, load_templates, render
from tests.support.sentences import broken_phrases


def _bare(stage: Stage, language: str):
    letter = sample_letter(stage, language, sparse_company())
    items = tuple(replace(i, interest=None) for i in letter.items)
    plan = replace(letter.plan, interest_percent=Decimal(0)) if letter.plan else None
    return replace(letter, contact=ContactPerson(""), fee_minor=0, items=items, plan=plan,
                   reminders=(), enclosures=(),
                   customer=replace(letter.customer, contact=""))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stage", list(Stage))
def test_a_letter_without_any_optional_fact_reads_whole(read_pdf, stage, language):
    letter = _bare(stage, language)
    text = letter_text(letter)
    assert broken_phrases(text.subject + "\n" + text.body, language) == []
    page = read_pdf(render_letter(letter)).pages[0]
    assert "Contact" not in page and "Kontakt" not in page


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("missing", ["contact_person", "contact_phone", "contact_email"])
def test_each_missing_contact_part_rewords_the_sentence(stage, language, missing):
    letter = sample_letter(stage, language)
    field = {"contact_person": "name", "contact_phone": "phone",
             "contact_email": "email"}[missing]
    letter = replace(letter, contact=replace(letter.contact, **{field: ""}))
    text = letter_text(letter)
    assert broken_phrases(text.body, language) == []


def test_a_reminder_2_after_a_skipped_reminder_1_thanks_for_none():
    letter = sample_letter(Stage.REMINDER_2)
    assert "Despite our reminder of Apr 18, 2025" in letter_text(letter).body
    body = letter_text(replace(letter, reminders=())).body
    assert "reminder of" not in body and "Invoice 2025-0042, 2025-0051, due on" in body


def test_a_letter_says_enclosed_only_with_the_copy_enclosed(read_pdf):
    letter = sample_letter(Stage.REMINDER_1)
    assert "enclosed" not in letter_text(letter).body
    copy = render_letter(sample_letter(Stage.DUE))
    with_copy = replace(letter, enclosures=(copy,))
    assert "a copy of invoice 2025-0042, 2025-0051 is enclosed" in letter_text(with_copy).body
    assert len(read_pdf(render_letter(with_copy)).pages) == 2


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stage", STAGES)
def test_an_email_without_the_company_phone_or_email_reads_whole(stage, language):
    template = load_templates()[(stage, language)]
    mail = render(template, MailContext(
        customer_name="Miller Ltd", company_name="Nordlicht", company_email="",
        company_phone="", payment_instructions="IBAN: DE89 3704 0044 0532 0130 00",
        items=[DueItem("2025-0042", date(2025, 4, 2), Decimal("10.00"), "EUR")],
        as_of=date(2025, 5, 2), deadline=date(2025, 5, 16)))
    assert broken_phrases(mail.subject + "\n" + mail.body, language) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_email_says_attached_only_when_something_is(language):
    template = load_templates()[("reminder_1", language)]
    context = MailContext(
        customer_name="Miller Ltd", company_name="Nordlicht", company_email="a@b.example",
        company_phone="", payment_instructions="",
        items=[DueItem("2025-0042", date(2025, 4, 2), Decimal("10.00"), "EUR")],
        as_of=date(2025, 5, 2))
    bare = render(template, context).body
    sent = render(template, replace(context, attachments=("INV-2025-0042.pdf",))).body
    assert "INV-2025-0042.pdf" in sent and "INV-2025-0042.pdf" not in bare
    assert len(bare) < len(sent)
    for word in ("attached", "liegt bei", "вложении", "附件"):
        assert word not in bare


@pytest.mark.parametrize("language", LANGUAGES)
def test_statutory_charges_are_named_as_the_laws_never_as_a_reminder_fee(read_pdf, language):
    """Under statutory terms the flat sum and the interest are the law's (§ 288 BGB): the
    letter names the law, not a fee agreed in the terms, in every language."""
    from desktop_app.documents.i18n import Lang

    letter = replace(sample_letter(Stage.REMINDER_2, language), fee_minor=4000,
                     fee_rule="once_per_invoice", fee_rate_minor=4000, late_law="§ 288 BGB")
    text = letter_text(letter)
    assert "§ 288 BGB" in text.body and broken_phrases(text.body, language) == []
    t = Lang(language, language)
    page = " ".join(read_pdf(render_letter(letter)).pages[0].split())
    assert t("Flat compensation") in page and t("Reminder fee") not in page


@pytest.mark.parametrize(("terms", "language", "opening"), [
    ("Net 30", "de", "30 Tage netto: "),  # the terms PaidUp gives books that name none
    ("Due on receipt", "ru", "Оплата по получении: "),
    ("Netto 14 Tage", "zh_CN", "Netto 14 Tage："),  # named by the user: printed as named
])
def test_the_terms_paidup_names_itself_read_in_the_customers_language(terms, language,
                                                                      opening):
    invoice = sample_invoice(customer=sample_customer(language))
    invoice = replace(invoice, terms=replace(invoice.terms, name=terms), installments=())
    t = Lang(language, invoice.customer.babel_locale)
    assert terms_sentences(invoice, t)[0].startswith(opening)
