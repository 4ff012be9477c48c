"""The quote's emails read as whole sentences in every language, with or without the
person's name and the signer."""

from datetime import date

import pytest

from desktop_app.documents import data as doc
from desktop_app.documents.quote_data import Quote, quote_mail
from tests.support.sentences import broken_phrases

LANGUAGES = ("en", "de", "ru", "zh_CN", "zh_TW")


def quote(language: str) -> Quote:
    return Quote(company=doc.Company(name="Lindenhof GmbH", address=("Lindenstr. 1",)),
                 customer=doc.Customer(name="Reader", address=("1 Main St",),
                                       language=language),
                 number="Q-2026-0007", quote_date=date(2026, 3, 2),
                 valid_until=date(2026, 3, 9), currency="EUR", lines=(), bands=(),
                 subtotal_minor=141000, tax_minor=26790, total_minor=167790)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("step", ["sent", "check", "last_day"])
@pytest.mark.parametrize(("contact", "signer"), [("Eva Berg", "Anna Schmidt"), ("", "")])
def test_every_quote_email_reads_whole(language, step, contact, signer):
    mail = quote_mail(step, quote(language), contact, signer)
    assert "Q-2026-0007" in mail.subject and "Q-2026-0007" in mail.body
    assert "%(" not in mail.subject + mail.body
    assert broken_phrases(mail.body, language) == []
    if step != "check":
        assert ("9" in mail.body) and ("2026" in mail.body)  # the last valid day is named
    if language == "en":
        assert mail.body.startswith("Dear Eva Berg,\n\n" if contact else "Dear Sir or Madam,")
    assert mail.body.rstrip().endswith("Lindenhof GmbH")
