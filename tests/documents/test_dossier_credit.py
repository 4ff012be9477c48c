"""The dossier's cover tells the lawyer on what the customer was given credit: the decision
(who, when, limit, terms), the references called and the documents kept, in the customer's
language, each sentence whole when a part of it was never recorded."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from desktop_app.documents import render_dossier
from desktop_app.documents.data import (
    CreditDocumentKept,
    CreditRecord,
    CreditReferenceCall,
    Dossier,
    Statement,
)
from desktop_app.documents.dossier import grouped
from desktop_app.documents.i18n import Lang
from desktop_app.documents.samples import sample_company, sample_customer
from tests.support.sentences import broken_phrases

LANGUAGES = ("en", "de", "ru", "zh_CN", "zh_TW")
SHA = hashlib.sha256(b"Bilanz 2025").hexdigest()


def dossier(language: str, *credit: CreditRecord) -> Dossier:
    customer = sample_customer(language)
    statement = Statement(sample_company(), customer, date(2026, 11, 23), "EUR", ())
    return Dossier(sample_company(), customer, date(2026, 11, 23), (), (), (), statement,
                   credit)


WHOLE = CreditRecord(
    opened_on=date(2026, 1, 12), state="approved", currency="EUR",
    decided_on=date(2026, 2, 2), decided_by="Anna Berg", limit_minor=500_000,
    terms="Net 30", review_on=date(2027, 2, 2), note="Pays its suppliers on time",
    references=(CreditReferenceCall(date(2026, 1, 20), "Nordholz AG", "Eva Krause",
                                    "+49 40 555 0101", "Always paid within 30 days"),),
    documents=(CreditDocumentKept(date(2026, 1, 14), "financial_statements",
                                  "Bilanz 2025.pdf", SHA),))
BARE = CreditRecord(opened_on=date(2026, 3, 1), state="open", currency="EUR",
                    references=(CreditReferenceCall(date(2026, 3, 2), "Südwerk GmbH"),))
REFUSED = CreditRecord(opened_on=date(2026, 4, 1), state="refused", currency="EUR",
                       decided_on=date(2026, 4, 9), decided_by="Jonas Weber",
                       review_on=date(2027, 4, 9))


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cover_states_decision_references_and_documents_in_every_language(
        read_pdf, language):
    t = Lang(language, sample_customer(language).babel_locale)
    text = read_pdf(render_dossier(dossier(language, WHOLE, BARE, REFUSED))).pages[0]
    assert broken_phrases(text, language) == [] and "%(" not in text
    shown = flat(text)
    for words in (
            t("Credit application"),
            t("Credit application opened on %(date)s.", date=t.date(WHOLE.opened_on)),
            t("Credit approved on %(date)s by %(who)s, with a limit of %(limit)s and the "
              "payment terms %(terms)s.", date=t.date(date(2026, 2, 2)), who="Anna Berg",
              limit=t.money(500_000, "EUR"), terms=t.terms_name("Net 30")),
            t("To be reviewed from %(date)s.", date=t.date(date(2027, 2, 2))),
            t("Note: %(note)s", note="Pays its suppliers on time"),
            t("On %(date)s we called %(person)s at %(company)s, phone %(phone)s.",
              date=t.date(date(2026, 1, 20)), person="Eva Krause", company="Nordholz AG",
              phone="+49 40 555 0101"),
            t("They said: “%(said)s”", said="Always paid within 30 days"),
            t("Financial statements"), "Bilanz 2025.pdf", grouped(SHA[:16]),
            t.date(date(2026, 1, 14)),
            # the open application and the refusal, with what they lack left out whole
            t("Credit application opened on %(date)s; not decided yet.",
              date=t.date(BARE.opened_on)),
            t("On %(date)s we called %(company)s.", date=t.date(date(2026, 3, 2)),
              company="Südwerk GmbH"),
            t("No documents were kept."), t("No references were called."),
            t("Credit refused on %(date)s by %(who)s.", date=t.date(date(2026, 4, 9)),
              who="Jonas Weber")):
        assert flat(words) in shown, words
    assert SHA[16:24] not in shown  # the fingerprint's start, not all of it


def test_in_english_it_reads_as_sentences(read_pdf):
    text = " ".join(read_pdf(render_dossier(dossier("en", WHOLE, BARE))).pages[0].split())
    for sentence in (
            "Credit application opened on Jan 12, 2026. Credit approved on Feb 2, 2026 by "
            "Anna Berg, with a limit of €5,000.00 and the payment terms Net 30. To be "
            "reviewed from Feb 2, 2027.",
            "On Jan 20, 2026 we called Eva Krause at Nordholz AG, phone +49 40 555 0101. "
            "They said: “Always paid within 30 days”",
            "Credit application opened on Mar 1, 2026; not decided yet.",
            "On Mar 2, 2026 we called Südwerk GmbH."):
        assert sentence in text, sentence


@pytest.mark.parametrize(("record", "says"), [
    (CreditRecord(date(2026, 1, 1), "approved", "EUR", date(2026, 1, 5), "Anna Berg",
                  limit_minor=100_000), "Credit approved on Jan 5, 2026 by Anna Berg, with "
                                        "a limit of €1,000.00."),
    (CreditRecord(date(2026, 1, 1), "approved", "EUR", date(2026, 1, 5), "Anna Berg",
                  terms="Due on receipt"), "Credit approved on Jan 5, 2026 by Anna Berg, "
                                           "with the payment terms Due on receipt."),
    (CreditRecord(date(2026, 1, 1), "approved", "EUR", date(2026, 1, 5), "Anna Berg"),
     "Credit approved on Jan 5, 2026 by Anna Berg. "),
])
def test_an_approval_names_only_the_limit_and_terms_it_gave(read_pdf, record, says):
    text = " ".join(read_pdf(render_dossier(dossier("en", record))).pages[0].split())
    assert says in text + " "
    assert broken_phrases(text, "en") == []


def test_a_customer_without_a_credit_application_has_no_credit_section(read_pdf):
    assert "Credit application" not in read_pdf(render_dossier(dossier("en"))).text
