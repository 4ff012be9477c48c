"""Templates: the defaults are complete and polite, placeholders checked, one combined mail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.errors import ValidationError
from desktop_app.mail.email_templates import (
    LANGUAGES,
    PLACEHOLDERS,
    STAGES,
    DueItem,
    MailContext,
    MailTemplate,
    load_templates,
    placeholders_in,
    render,
    template_for,
)

TEMPLATES = load_templates()
INVOICE_WORD = {"en": "invoice", "de": "Rechnung", "ru": "Счёт", "zh_CN": "发票", "zh_TW": "發票"}
ALREADY_PAID = {
    "en": "If you have already paid, please disregard",
    "de": "Falls Sie bereits bezahlt haben",
    "ru": "Если вы уже оплатили",
    "zh_CN": "如您已付款，请忽略",
    "zh_TW": "如您已付款，請忽略",
}
CONTEXT = MailContext(
    customer_name="ACME Ltd", company_name="Wolf & Söhne", company_email="books@wolf.example",
    company_phone="+49 30 123456", payment_instructions="IBAN DE89 3704 0044 0532 0130 00",
    items=[
        DueItem("2026-0012", date(2026, 3, 1), Decimal("1234.50"), "EUR"),
        DueItem("2026-0009", date(2026, 2, 1), Decimal("20.00"), "EUR"),
    ],
    as_of=date(2026, 3, 20), deadline=date(2026, 4, 3),
)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stage", STAGES)
def test_every_default_is_there_and_says_what_it_must(stage: str, language: str):
    template = TEMPLATES[stage, language]
    assert "{invoice_numbers}" in template.subject
    assert INVOICE_WORD[language].lower() in template.subject.lower()
    for needed in ("{items}", "{total_open}", "{payment_instructions}", "{company_email}"):
        assert needed in template.body
    if stage != "receipt":  # a question whether the invoice arrived asks for no payment yet
        assert ALREADY_PAID[language] in template.body
    mail = render(template, CONTEXT)
    assert "2026-0009, 2026-0012" in mail.subject
    assert "{" not in mail.subject + mail.body
    assert mail.body.index("2026-0009") < mail.body.index("2026-0012")  # oldest first


def test_combined_message_lists_items_and_total_in_the_customers_format():
    # Babel keeps amount and currency together with a no-break space, as it should.
    de = render(TEMPLATES["reminder_2", "de"], CONTEXT).body.replace("\xa0", " ")
    assert "- Rechnung 2026-0009, fällig am 1. Februar 2026: 20,00 € offen" in de
    assert "1.254,50 €" in de
    assert "47 Tage" in de  # days past the oldest due date
    en = render(TEMPLATES["final_notice", "en"], CONTEXT)
    assert "€1,254.50" in en.body and "April 3, 2026" in en.body
    assert "Dear Sir or Madam," in en.body  # no contact name: the general greeting


def test_mixed_currencies_are_not_added_together():
    items = [*CONTEXT.items, DueItem("2026-0013", date(2026, 3, 5), Decimal("99"), "USD")]
    ctx = MailContext(**{**CONTEXT.__dict__, "items": items})
    assert "€1,254.50 + $99.00" in render(TEMPLATES["reminder_1", "en"], ctx).body


def test_unknown_placeholder_is_refused_by_name():
    with pytest.raises(ValidationError) as refused:
        MailTemplate("due", "en", "Invoice {invoice_numbers}", "Pay {amount_due} now", "{x}")
    assert refused.value.field == "body"
    assert "{amount_due}" in str(refused.value)
    with pytest.raises(ValidationError) as item:
        MailTemplate("due", "en", "Invoice {invoice_numbers}", "{items}", "{customer_name}")
    assert item.value.field == "item_line"


def test_template_fields_checked():
    for field, args in [
        ("stage", ("reminder_9", "en", "s", "b", "")),
        ("language", ("due", "xx_YY_ZZ", "s", "b", "")),
        ("subject", ("due", "en", "two\nlines", "b", "")),
        ("body", ("due", "en", "s", " ", "")),
    ]:
        with pytest.raises(ValidationError) as refused:
            MailTemplate(*args)
        assert refused.value.field == field


def test_deadline_needed_where_the_text_names_one():
    ctx = MailContext(**{**CONTEXT.__dict__, "deadline": None})
    with pytest.raises(ValidationError) as refused:
        render(TEMPLATES["final_notice", "en"], ctx)
    assert refused.value.field == "deadline"
    assert render(TEMPLATES["due", "en"], ctx).subject


def test_language_fallback():
    assert template_for(TEMPLATES, "due", "de_AT").language == "de"
    assert template_for(TEMPLATES, "due", "fr").language == "en"
    assert template_for(TEMPLATES, "due", "zh_TW").language == "zh_TW"


@given(st.text(max_size=60))
def test_values_are_inserted_literally(name: str):
    """A name with braces or placeholder-like text is never expanded again."""
    ctx = MailContext(**{**CONTEXT.__dict__, "contact_name": name + "{company_email}"})
    body = render(TEMPLATES["due", "en"], ctx).body
    assert (name + "{company_email}").strip() in body or not name.strip()


def test_placeholder_list_is_what_defaults_use():
    used = {p for t in TEMPLATES.values() for p in placeholders_in(t.subject + t.body)}
    assert used <= PLACEHOLDERS
