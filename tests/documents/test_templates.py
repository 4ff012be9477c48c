from __future__ import annotations

import pytest

from desktop_app.documents import letter_text, render_letter, validate_template
from desktop_app.documents.data import LANGUAGES, Stage
from desktop_app.documents.i18n import MESSAGES, catalogue
from desktop_app.documents.letter_templates import PLACEHOLDERS, default_template
from desktop_app.documents.samples import sample_letter
from desktop_app.domain.errors import ValidationError

ALREADY_PAID = {"en": "If you have already paid, please disregard this letter",
                "de": "Falls Sie bereits bezahlt haben",
                "ru": "Если вы уже произвели оплату",
                "zh_CN": "如您已付款，请忽略本函", "zh_TW": "如您已付款，請忽略本函"}


def test_unknown_placeholder_is_refused_by_name():
    with pytest.raises(ValidationError) as err:
        validate_template("Subject\n\nDear {customer_name}, {xyz}")
    assert (err.value.field, err.value.message) == ("template", "unknown placeholder {xyz}")


@pytest.mark.parametrize("text", ["Hello {customer_name", "Hello }", "{total_due:>10}",
                                  "{customer_name.__class__}", "{0}", "{}", "   "])
def test_malformed_or_clever_templates_are_refused(text):
    with pytest.raises(ValidationError) as err:
        validate_template(text)
    assert err.value.field == "template"


def test_doubled_braces_are_literal():
    validate_template("Subject\n\n{{not a placeholder}} {customer_name}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stage", list(Stage))
def test_every_default_template_validates_and_renders(read_pdf, stage, language):
    template = default_template(stage, language)
    validate_template(template)
    letter = sample_letter(stage, language)
    text = letter_text(letter)
    assert text.subject and "{" not in text.body
    if stage is not Stage.PAYMENT_PLAN:  # an agreement asks nothing that may be paid already
        assert ALREADY_PAID[language] in text.body
    assert "Anna Schmidt" in text.body
    pdf = "".join(read_pdf(render_letter(letter)).text.split())
    assert "".join(text.subject.split()) in pdf


def test_every_catalogue_translates_every_label():
    for language in LANGUAGES[1:]:
        assert set(catalogue(language)) >= set(MESSAGES), language


def test_placeholders_are_documented():
    assert all(desc for desc in PLACEHOLDERS.values())
