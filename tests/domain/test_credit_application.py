"""Credit applications' rules: what a customer without credit may be invoiced, what a draft
is warned of, which documents the books keep, when a decision comes up for review."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.credit_application import (
    MAX_DOCUMENT_BYTES,
    NewCustomerRule,
    check_rule,
    check_without_credit,
    draft_flag,
    draft_warning,
    media_type,
    review_day,
)
from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.domain.schedule import build_schedule
from desktop_app.messages import Amount, english

ISSUE = date(2026, 3, 2)
CASH = NewCustomerRule("cash_only")
DEPOSIT = NewCustomerRule("deposit", Decimal(30))


def check(rule, total, spec, net_days=30, refused=False):
    plan = build_schedule(total, spec, ISSUE, net_days)
    check_without_credit(customer="Neukunde GmbH", refused=refused, rule=rule, plan=plan,
                         issue_date=ISSUE, total_minor=total)


def test_cash_only_lets_through_only_what_is_due_on_issue():
    check(CASH, 1000_00, None, net_days=0)
    with pytest.raises(RuleViolation, match=r"^Neukunde GmbH has no credit decision yet, so "
                                            r"it pays on receipt"):
        check(CASH, 1000_00, None)
    with pytest.raises(RuleViolation, match="credit application was refused"):
        check(CASH, 1000_00, "30/30/40", refused=True)  # a deposit is not enough


@given(total=st.integers(min_value=1, max_value=10**12),
       percent=st.integers(min_value=1, max_value=99),
       months=st.integers(min_value=1, max_value=12))
def test_a_deposit_passes_exactly_when_its_share_due_on_issue_reaches_the_percentage(
        total, percent, months):
    plan = build_schedule(total, f"deposit:{percent},monthly:{months}", ISSUE, 30)
    deposit = sum(p.amount_minor for p in plan if p.due_date <= ISSUE)
    enough = deposit >= 30 * total // 100  # 30 % of the total, rounded down to the cent
    try:
        check(DEPOSIT, total, f"deposit:{percent},monthly:{months}")
    except RuleViolation as exc:
        assert not enough
        assert "a deposit of at least 30 % on issue" in str(exc)
    else:
        assert enough
    if percent >= 30:
        assert enough  # a 30 % deposit of 10.01 is 3.00, and is enough


def test_no_deposit_at_all_is_refused_under_the_deposit_rule():
    with pytest.raises(RuleViolation, match="deposit:30,monthly:2 or 30/30/40"):
        check(DEPOSIT, 500_00, None)
    check(DEPOSIT, 500_00, "30/30/40")


def test_the_rule_is_one_of_two_and_the_percentage_a_share():
    assert check_rule("deposit", Decimal(50)) == NewCustomerRule("deposit", Decimal(50))
    with pytest.raises(ValidationError, match="new-customers: 'trust' is not one of"):
        check_rule("trust", Decimal(30))
    with pytest.raises(ValidationError, match="deposit-percent"):
        check_rule("deposit", Decimal(0))


BASE = {"customer": "Acme", "granted": True, "refused": False, "rule": CASH,
        "credit_status": "good", "limit_minor": 1000_00, "open_minor": 0,
        "new_minor": 100_00, "on_credit": True, "on_issue_minor": 0, "currency": "EUR"}


def test_a_draft_is_flagged_from_80_percent_of_the_limit_and_over_it():
    assert draft_flag(**{**BASE, "open_minor": 699_99}) == ""
    assert draft_flag(**{**BASE, "open_minor": 700_00}) == (
        "Acme is near its credit limit: with this invoice it would owe 800.00 EUR, 80 % of "
        "its limit of 1000.00 EUR")
    assert draft_flag(**{**BASE, "open_minor": 950_00}).endswith(
        "over the limit, so issuing it on credit will be refused")
    assert draft_flag(**{**BASE, "limit_minor": None, "open_minor": 10**9}) == ""


def test_a_draft_for_a_customer_without_credit_says_how_it_can_be_issued():
    assert draft_flag(**{**BASE, "granted": False}) == (
        "Acme has no credit decision yet: this invoice can only be issued due on receipt")
    assert draft_flag(**{**BASE, "granted": False, "rule": DEPOSIT}) == (
        "Acme has no credit decision yet: this invoice needs a deposit of at least 30 % due "
        "on issue")
    assert draft_flag(**{**BASE, "granted": False, "on_credit": False}) == (
        "Acme has no credit decision yet: its invoices are due on receipt until its credit is "
        "granted")
    assert draft_flag(**{**BASE, "granted": False, "on_credit": False, "rule": DEPOSIT}) == ""
    assert "on hold" in draft_flag(**{**BASE, "credit_status": "hold"})


@given(total=st.integers(min_value=1, max_value=10**9),
       spec=st.sampled_from([None, "30/30/40", "50/50", "deposit:10,monthly:2",
                             "deposit:30,monthly:3", "deposit:45,monthly:1", "monthly:3"]),
       refused=st.booleans())
def test_a_draft_is_flagged_for_a_deposit_exactly_when_issuing_it_would_be_refused(
        total, spec, refused):
    """The draft's warning and the refusal at issue tell one rule: a schedule that already
    asks enough on issue is not flagged (it was, whatever its deposit)."""
    plan = build_schedule(total, spec, ISSUE, 30)
    flag = draft_flag(**{**BASE, "granted": False, "refused": refused, "rule": DEPOSIT,
                         "limit_minor": None, "new_minor": total,
                         "on_credit": any(p.due_date > ISSUE for p in plan),
                         "on_issue_minor": sum(p.amount_minor for p in plan
                                               if p.due_date <= ISSUE)})
    try:
        check(DEPOSIT, total, spec, refused=refused)
    except RuleViolation:
        assert "needs a deposit of at least 30 % due on issue" in flag
    else:
        assert flag == ""


def test_documents_are_known_by_their_first_bytes_and_kept_up_to_the_limit():
    assert media_type(b"%PDF-1.7\n...") == "application/pdf"
    assert media_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert media_type(b"\xff\xd8\xff\xe0....") == "image/jpeg"
    for content, reason in ((b"", "is empty"), (b"PK\x03\x04", "not a PDF, PNG or JPEG"),
                            (b"%PDF-" + bytes(MAX_DOCUMENT_BYTES), "up to 10 MB")):
        with pytest.raises(ValidationError, match=reason):
            media_type(content)


def test_a_decision_is_reviewed_a_year_on_unless_a_later_day_is_given():
    assert review_day(date(2026, 2, 2), None) == date(2027, 2, 2)
    assert review_day(date(2028, 2, 29), None) == date(2029, 2, 28)
    assert review_day(date(2026, 2, 2), date(2026, 8, 1)) == date(2026, 8, 1)
    with pytest.raises(ValidationError, match="review: must be after the day of the decision"):
        review_day(date(2026, 2, 2), date(2026, 2, 2))


def test_a_quote_is_warned_in_its_own_words_as_a_message_with_values():
    near = draft_warning(**{**BASE, "open_minor": 700_00}, document="quote")
    assert near is not None and english(near) == (
        "Acme is near its credit limit: with this quote it would owe 800.00 EUR, 80 % of its "
        "limit of 1000.00 EUR")
    assert near.values["limit"] == Amount(Decimal("1000.00"), "EUR")
    assert near.values["used"] == Decimal(80)
    assert english(draft_warning(**{**BASE, "granted": False}, document="quote")) == (
        "Acme has no credit decision yet: the invoice for this quote can only be issued due "
        "on receipt, not on the quote's schedule")
    deposit = draft_warning(**{**BASE, "granted": False, "refused": True, "rule": DEPOSIT},
                            document="quote")
    assert deposit is not None and deposit.values["percent"] == Decimal(30)
    assert english(deposit).endswith("needs a deposit of at least 30 % due on issue")
    # Every situation reads whole for both documents: no field left unfilled.
    for document in ("invoice", "quote"):
        for change in ({"open_minor": 700_00}, {"open_minor": 950_00},
                       {"credit_status": "hold"}, {"credit_status": "cash_only"},
                       {"granted": False}, {"granted": False, "refused": True},
                       {"granted": False, "rule": DEPOSIT}, {"granted": False,
                                                             "on_credit": False}):
            said = draft_warning(**{**BASE, **change}, document=document)
            assert said is not None and "{" not in english(said), (document, change)


def test_a_schedule_for_a_customer_paying_on_receipt_is_refused_with_what_to_do():
    with pytest.raises(RuleViolation, match="the schedule leaves shares payable later: make "
                                            "the invoice one payment due on receipt"):
        check(CASH, 1000_00, "30/30/40")
