"""Quotes through the services: numbered, sent, accepted into a draft with its deposit
request, declined, expired, reported; on SQLite and PostgreSQL."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from desktop_app import messages
from desktop_app.documents.i18n import Lang
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.services import (
    credit_applications,
    customers,
    invoices,
    mail,
    outbox,
    quotes,
)
from desktop_app.storage.models import Quote, StoredDocument
from tests.support.books import fixed_day
from tests.support.sentences import broken_phrases

LINES = ["Pump P-40|2|450.00|19|||limited stock", "Fitting|6|85.00|19|HUR||3 weeks if ordered"]


def add(books, *lines, **kw):
    return quotes.add_quote(books, quotes.QuoteInput(customer_id=kw.pop("customer_id", 1),
                                                     lines=list(lines or LINES), **kw))


def test_quotes_are_numbered_in_their_own_series_and_valid_seven_days(ready):
    first, second = add(ready), add(ready, schedule="single")
    invoice = invoices.create_draft(ready, invoices.DraftInput(customer_id=1,
                                                               lines=["Work|1|10|19"]))
    assert (first.number, second.number) == ("Q-2026-0001", "Q-2026-0002")
    assert invoice.number is None  # invoices keep their own series
    assert first.valid_until == fixed_day() + timedelta(days=7)
    assert first.total == Decimal("1677.90") and first.deposit == Decimal("503.37")
    assert second.deposit == 0
    assert [ln.availability for ln in first.lines] == ["limited stock", "3 weeks if ordered"]
    quotes.set_settings(ready, validity_days=3, schedule="50/50")
    third = add(ready)
    assert third.valid_until == fixed_day() + timedelta(days=3) and third.schedule == "50/50"


def test_a_bad_quote_is_refused_with_its_field_and_nothing_kept(ready):
    with pytest.raises(ValidationError) as bad:
        add(ready, "Pump|two|450")
    assert bad.value.field == "line 1 quantity"
    with pytest.raises(ValidationError) as bad:
        add(ready, schedule="30/30")
    assert bad.value.field == "schedule"
    with ready.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Quote)) == 0
    assert add(ready).number == "Q-2026-0001"  # no number was used up


@pytest.mark.parametrize("language", ["en", "de", "ru", "zh_CN", "zh_TW"])
def test_the_pdf_states_validity_deposit_and_availability_in_every_language(
        ready, read_pdf, language):
    reader = customers.add_customer(ready, credit_granted=True, name="Reader Ltd",
                                    address="1 Main St\nTown",
                                    language=language).id
    with_deposit = add(ready, note="Prices ex works.", customer_id=reader)
    without = add(ready, "Pump P-40|1|450.00|19", schedule="single", customer_id=reader)
    text = read_pdf(quotes.quote_pdf(ready, with_deposit.id)).text
    assert with_deposit.number in text and "limited stock" in text
    bare = read_pdf(quotes.quote_pdf(ready, without.id)).text
    if language == "en":
        assert "This quote is valid until Nov 29, 2026" in " ".join(text.split())
        assert "deposit of 30% (€503.37)" in " ".join(text.split())
        assert "no deposit is asked" in bare
    for shown in (text, bare):
        assert broken_phrases(shown, language) == []
        assert "%(" not in shown


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("language", ["en", "de", "ru", "zh_CN", "zh_TW"])
def test_the_pdf_says_when_each_share_falls_due_counted_from_acceptance(ready, read_pdf,
                                                                        language):
    """'The rest falls due as shown below': the table shows when, from the day of
    acceptance (the invoice is made then); a schedule without a share due on acceptance
    asks for no deposit, and the words say so."""
    t = Lang(language, {"en": "en_GB", "de": "de_DE", "ru": "ru_RU", "zh_CN": "zh_Hans_CN",
                        "zh_TW": "zh_Hant_TW"}[language])
    reader = customers.add_customer(ready, credit_granted=True, name="Reader Ltd",
                                    address="1 Main St\nTown", language=language,
                                    terms="Net 30").id
    plain = ["Pump P-40|2|450.00|19"]  # no availability, no note
    deposit = _flat(read_pdf(quotes.quote_pdf(ready, add(
        ready, *plain, customer_id=reader).id)).text)
    for words in (t("On acceptance"), t("%(days)s days after acceptance", days=30),
                  t("%(days)s days after acceptance", days=60),
                  t("On acceptance we ask for a deposit of %(percent)s (%(amount)s); the rest "
                    "falls due as shown below.", percent=t.percent(Decimal(30)),
                    amount=t.money(32130, "EUR"))):
        assert _flat(words) in deposit, words
    monthly = read_pdf(quotes.quote_pdf(ready, add(
        ready, *plain, customer_id=reader, schedule="monthly:3").id)).text
    assert broken_phrases(monthly, language) == []
    monthly = _flat(monthly)
    for words in (t("%(days)s days after acceptance", days=30),
                  t("One month after the first installment"),
                  t("%(months)s months after the first installment", months=2),
                  t("On acceptance we send the invoice; no deposit is asked, and the amount "
                    "falls due in the installments shown below.")):
        assert _flat(words) in monthly, words
    assert _flat(t("On acceptance")) not in monthly.replace(_flat(t(
        "On acceptance we send the invoice; no deposit is asked, and the amount falls due "
        "in the installments shown below.")), "")


def test_sending_keeps_the_pdf_and_queues_the_mail(ready, read_pdf):
    quote = add(ready)
    with pytest.raises(RuleViolation, match="mail account"):
        quotes.send_quote(ready, quote.id)
    mail.set_account(ready, host="127.0.0.1", port=2525, security="plain", user="me",
                     from_address="sales@lindenhof.example")
    sent = quotes.send_quote(ready, quote.id)
    assert sent.status == "sent" and sent.sent_on == fixed_day()
    assert [(s.step, s.channel) for s in sent.steps] == [("sent", "email")]
    [message] = outbox.list_outbox(ready)
    assert message.subject == f"Angebot {quote.number}"
    with ready.db.read() as session:
        stored = session.get(StoredDocument, session.get(Quote, quote.id).document_id)
        assert stored.kind == "quote" and len(stored.sha256) == 64
        assert quotes.quote_pdf(ready, quote.id) == stored.pdf
    with pytest.raises(RuleViolation, match="sent already"):
        quotes.send_quote(ready, quote.id, by="hand")


def test_accepting_makes_a_draft_with_the_schedule_and_the_deposit_request(ready, read_pdf):
    quote = add(ready)
    accepted = quotes.accept_quote(ready, quote.id)
    assert accepted.quote.status == "accepted" and accepted.quote.invoice_id
    draft = invoices.show_invoice(ready, accepted.invoice_id)
    assert draft.status == "draft" and draft.total == quote.total
    assert [ln.description for ln in draft.lines] == ["Pump P-40", "Fitting"]
    issued = invoices.issue_invoice(ready, accepted.invoice_id, fixed_day())
    shown = invoices.show_invoice(ready, issued.id)
    assert [i.amount for i in shown.installments] == [
        Decimal("503.37"), Decimal("503.37"), Decimal("671.16")]
    letter = " ".join(read_pdf(accepted.letter).text.split())
    assert quote.number in letter and "503,37" in letter  # German, as the customer reads
    assert accepted.deposit_letter_id is not None
    # The deposit is for the whole quote, named by its number, not for its first line.
    assert f"Anzahlung von 503,37 €: Angebot {quote.number} — Anzahlung." in letter
    assert "Pump P-40" not in letter
    with pytest.raises(RuleViolation, match="accepted"):
        quotes.decline_quote(ready, quote.id, "too late")


def test_a_schedule_without_a_share_due_on_acceptance_asks_for_no_deposit(ready):
    """monthly:3 starts after the terms' days: its first installment is no deposit, so no
    deposit is shown and accepting writes no deposit request."""
    quote = add(ready, schedule="monthly:3")
    assert quote.deposit == Decimal("0.00")
    accepted = quotes.accept_quote(ready, quote.id)
    assert (accepted.deposit_letter_id, accepted.letter) == (None, b"")
    assert add(ready, schedule="deposit:20,monthly:3").deposit == Decimal("335.58")


def test_declining_keeps_the_reason_and_an_expired_quote_cannot_be_accepted(ready):
    lost = add(ready)
    with pytest.raises(ValidationError) as bad:
        quotes.decline_quote(ready, lost.id, "  ")
    assert bad.value.field == "reason"
    declined = quotes.decline_quote(ready, lost.id, "Price too high")
    assert (declined.status, declined.decline_reason) == ("declined", "Price too high")
    old = add(ready)
    ready.today = lambda: fixed_day() + timedelta(days=8)
    with pytest.raises(RuleViolation, match="make a new quote"):
        quotes.accept_quote(ready, old.id)
    assert quotes.show_quote(ready, old.id, ready.today()).status == "expired"
    late_no = quotes.decline_quote(ready, old.id, "Bought elsewhere")  # heard after expiry
    assert (late_no.status, late_no.closed_on) == ("declined", ready.today())


def test_the_report_counts_and_values_each_outcome(ready):
    won, lost, expired, open_ = add(ready), add(ready), add(ready, "A|1|100|0"), \
        add(ready, "B|1|10|0", valid_days=30)
    quotes.accept_quote(ready, won.id)
    quotes.decline_quote(ready, lost.id, "chose another supplier")
    day = fixed_day() + timedelta(days=8)
    figures = {f.status: (f.count, f.value) for f in quotes.report(ready, day)}
    assert figures == {"open": (1, open_.total), "won": (1, won.total),
                       "lost": (1, lost.total), "expired": (1, expired.total)}
    assert [r.status for r in quotes.list_quotes(ready, day, status="expired")] == ["expired"]


def test_a_quote_is_flagged_as_an_invoice_draft_is_near_the_credit_limit(ready):
    limited = customers.add_customer(ready, credit_granted=True, name="Limit Ltd",
                                     terms="Net 30", credit_limit="2000.00").id
    calm = add(ready, "Pump P-40|1|450.00|19", customer_id=limited)
    assert (calm.credit_flag, calm.credit_said) == ("", None)
    near = add(ready, customer_id=limited)  # 1677.90 of 2000.00
    assert near.credit_flag == (
        "Limit Ltd is near its credit limit: with this quote it would owe 1677.90 EUR, 84 % of "
        "its limit of 2000.00 EUR")
    assert near.credit_said is not None and messages.english(near.credit_said) == \
        near.credit_flag
    assert near.credit_said.values["owed"] == messages.Amount(Decimal("1677.90"), "EUR")
    assert quotes.show_quote(ready, near.id, fixed_day()).credit_flag == near.credit_flag
    typed = quotes.credit_flag(ready, quotes.QuoteInput(customer_id=limited, lines=LINES))
    assert typed == near.credit_said  # the form says it before the quote is made
    over = add(ready, "Pump P-40|5|450.00|19", customer_id=limited)
    assert over.credit_flag.startswith("With this quote Limit Ltd would owe")
    assert over.credit_flag.endswith("of its credit limit of 2000.00 EUR: over the limit, so "
                                     "issuing its invoice on credit will be refused")
    declined = quotes.decline_quote(ready, near.id, "Price too high")
    assert declined.credit_flag == ""  # decided: nothing more to warn of


def test_accepting_for_a_customer_without_credit_says_the_draft_cannot_be_issued(ready):
    newcomer = customers.add_customer(ready, name="Neukunde GmbH").id
    quote = add(ready, customer_id=newcomer)  # 30/30/40, the setting
    assert quote.credit_flag == (
        "Neukunde GmbH has no credit decision yet: the invoice for this quote can only be "
        "issued due on receipt, not on the quote's schedule")
    accepted = quotes.accept_quote(ready, quote.id)
    # The customer said yes: the quote is accepted and the deposit asked all the same.
    assert accepted.quote.status == "accepted" and accepted.deposit_letter_id is not None
    assert accepted.warning.startswith(
        f"Quote {quote.number} is accepted, but draft invoice {accepted.invoice_id} cannot be "
        "issued as it is: Neukunde GmbH has no credit decision yet, so it pays on receipt, "
        "and the schedule leaves shares payable later: make the invoice one payment due on "
        "receipt, ask new customers for a deposit instead of cash")
    assert accepted.warning_said is not None
    assert messages.english(accepted.warning_said) == accepted.warning
    with pytest.raises(RuleViolation) as refused:  # as the warning said
        invoices.issue_invoice(ready, accepted.invoice_id, fixed_day())
    assert accepted.warning.endswith(str(refused.value))

    # A deposit first is what the company asks of customers without credit: the same
    # quote's invoice can be issued, and nothing is said.
    credit_applications.set_new_customer_rule(ready, "deposit", "30")
    again = quotes.accept_quote(ready, add(ready, customer_id=newcomer).id)
    assert (again.warning, again.warning_said) == ("", None)
    invoices.issue_invoice(ready, again.invoice_id, fixed_day())
    assert quotes.accept_quote(ready, add(ready).id).warning == ""  # credit granted
