"""Which invoices a transfer pays, rule by rule, and the property that holds for any book:
what is booked is what was received, on the payer's own invoices."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from desktop_app.domain import matching
from desktop_app.domain.matching import Book, Incoming, OpenInvoice
from desktop_app.domain.references import build, grouped, invoice_reference

DAY = date(2026, 11, 20)
ACCOUNT = "DE02120300000000202051"


def invoice(inv_id: int, open_minor: int, customer: int = 1, **kw) -> OpenInvoice:
    number = f"INV-2026-{inv_id:04d}"
    return OpenInvoice(id=inv_id, number=number, customer_id=customer,
                       customer_name=f"Customer {customer}", open_minor=open_minor,
                       reference=invoice_reference(number, inv_id), **kw)


def book(*invoices: OpenInvoice, accounts: dict | None = None) -> Book:
    return Book(invoices={i.id: i for i in invoices},
                by_reference={i.reference: i.id for i in invoices},
                by_number={i.number: i.id for i in invoices}, accounts=accounts or {})


def tx(amount: int, text: str = "", **kw) -> Incoming:
    return Incoming(amount_minor=amount, value_on=DAY, remittance=text, **kw)


def test_a_structured_reference_with_the_exact_amount_is_booked():
    b = book(invoice(1, 113050), invoice(2, 5000))
    d = matching.decide(tx(113050, creditor_reference=b.invoices[1].reference), b)
    assert (d.status, d.rule, d.allocations) == ("booked", "reference", ((1, 113050),))


def test_a_reference_typed_into_the_text_in_groups_counts_too():
    b = book(invoice(1, 113050))
    d = matching.decide(tx(113050, f"Danke {grouped(b.invoices[1].reference)}"), b)
    assert d.status == "booked" and d.rule == "reference"


def test_a_reference_with_another_amount_waits_with_a_proposal():
    b = book(invoice(1, 113050))
    d = matching.decide(tx(50000, creditor_reference=b.invoices[1].reference), b)
    assert d.status == "waiting" and d.sure and d.allocations == ((1, 50000),)
    assert "pays 500.00 of 1130.50 open" in d.reason


def test_several_numbers_in_the_text_split_the_money():
    b = book(invoice(1, 10000), invoice(2, 25050), invoice(3, 999))
    d = matching.decide(tx(35050, "RE INV-2026-0001 und inv 2026/0002"), b)
    assert d.status == "booked" and d.rule == "number"
    assert d.allocations == ((1, 10000), (2, 25050))


def test_a_number_glued_to_a_word_is_still_found():
    b = book(invoice(1, 10000), invoice(2, 20000))
    d = matching.decide(tx(30000, "Rechnung INV-2026-0001 undINV-2026-0002"), b)
    assert d.status == "booked" and len(d.allocations) == 2


def test_a_number_one_character_off_is_only_suggested():
    b = book(invoice(42, 10000))
    d = matching.decide(tx(10000, "INV-2026-0024"), b)  # swapped digits
    assert (d.status, d.rule, d.sure) == ("waiting", "typo", False)
    assert d.allocations == ((42, 10000),) and "INV-2026-0042" in d.reason
    short = matching.decide(tx(10000, "INV-2026-42"), b)  # zeros left out
    assert short.status == "waiting" and short.rule == "typo"


def test_numbers_of_two_customers_are_never_booked():
    b = book(invoice(1, 10000, customer=1), invoice(2, 10000, customer=2))
    d = matching.decide(tx(20000, "INV-2026-0001 INV-2026-0002"), b)
    assert d.status == "waiting" and "are of different customers" in d.reason


def test_a_reference_from_an_account_known_for_someone_else_waits():
    b = book(invoice(1, 10000, customer=1), accounts={ACCOUNT: frozenset({2})})
    d = matching.decide(tx(10000, "INV-2026-0001", counterparty_account=ACCOUNT), b)
    assert d.status == "waiting" and "another customer" in d.reason


def test_an_installment_or_the_discounted_total_is_an_exact_amount():
    inst = invoice(1, 100000, installments=(30000, 30000, 40000))
    disc = invoice(2, 10000, discounted_minor=9800, discount_until=DAY)
    b = book(inst, disc)
    assert matching.decide(tx(30000, "INV-2026-0001"), b).status == "booked"
    assert matching.decide(tx(60000, "INV-2026-0001"), b).status == "booked"
    assert matching.decide(tx(9800, "INV-2026-0002"), b).status == "booked"
    late = Incoming(9800, DAY + timedelta(days=1), "INV-2026-0002")
    assert matching.decide(late, b).status == "waiting"


def test_fees_and_interest_open_count_in_the_exact_amount():
    b = book(invoice(1, 10000, charges_minor=500))
    assert matching.decide(tx(10500, "INV-2026-0001"), b).status == "booked"
    assert matching.decide(tx(10000, "INV-2026-0001"), b).status == "booked"


def test_a_written_off_or_handed_over_invoice_says_so():
    b = book(invoice(1, 0, closed="written off"),
             invoice(2, 10000, handed_over_on=date(2026, 10, 1)))
    off = matching.decide(tx(10000, "INV-2026-0001"), b)
    assert off.status == "waiting" and "written off" in off.reason and not off.allocations
    handed = matching.decide(tx(10000, "INV-2026-0002"), b)
    assert handed.status == "waiting" and "handed over for collection on 2026-10-01" in \
        handed.reason and not handed.sure


def test_a_known_account_with_an_exact_amount_is_a_sure_proposal():
    b = book(invoice(1, 10000), invoice(2, 20000), invoice(3, 5000, customer=2),
             accounts={ACCOUNT: frozenset({1})})
    one = matching.decide(tx(20000, counterparty_account=ACCOUNT), b)
    assert (one.status, one.rule, one.sure, one.allocations) == (
        "waiting", "account", True, ((2, 20000),))
    both = matching.decide(tx(30000, counterparty_account=ACCOUNT), b)
    assert both.allocations == ((1, 10000), (2, 20000)) and both.sure
    odd = matching.decide(tx(12345, counterparty_account=ACCOUNT), b)
    assert not odd.sure and odd.allocations == ((1, 10000), (2, 2345))


def test_the_amount_alone_is_only_a_suggestion():
    b = book(invoice(1, 10000), invoice(2, 20000), invoice(3, 20000, customer=2))
    one = matching.decide(tx(10000), b)
    assert (one.status, one.rule, one.sure, one.allocations) == (
        "waiting", "amount", False, ((1, 10000),))
    two = matching.decide(tx(20000), b)
    assert two.allocations == () and "2 open invoices" in two.reason
    none = matching.decide(tx(77), b)
    assert none.status == "waiting" and none.allocations == ()


def test_money_out_returns_and_reversals_are_no_payments():
    b = book(invoice(1, 10000))
    assert matching.decide(tx(-10000, "INV-2026-0001"), b).status == "outgoing"
    assert matching.decide(tx(10000, "INV-2026-0001", returned=True), b).status == "returned"
    reversal = matching.decide(tx(-10000, returned=True), b)
    assert reversal.status == "waiting" and "reverse" in reversal.reason


def test_a_booked_payment_changes_what_the_next_transfer_finds():
    b = book(invoice(1, 10000), accounts={ACCOUNT: frozenset({1})})
    first = matching.decide(tx(10000, "INV-2026-0001"), b)
    assert first.status == "booked"
    b.update(invoice(1, 0, closed="paid"))
    again = matching.decide(tx(10000, "INV-2026-0001"), b)
    assert again.status == "waiting" and "paid" in again.reason
    assert matching.decide(tx(10000), b).rule == ""  # no open invoice of that amount now


def test_the_number_pattern_follows_the_companys_format():
    pattern = matching.number_pattern("{year}/{seq:05d}")
    assert [n for _, n in matching.found_numbers("Re 2026/00042 + 4711", pattern,
                                                 "{year}/{seq:05d}")] == ["2026/00042"]


# --- the property ---------------------------------------------------------------------------

@st.composite
def books_and_transfers(draw):
    customers = draw(st.integers(1, 4))
    invoices = []
    for inv_id in range(1, draw(st.integers(1, 12)) + 1):
        customer = draw(st.integers(1, customers))
        open_minor = draw(st.integers(1, 500_000))
        closed = draw(st.sampled_from(["", "", "", "paid", "written off"]))
        invoices.append(invoice(inv_id, 0 if closed else open_minor, customer=customer,
                                charges_minor=draw(st.sampled_from([0, 0, 500])),
                                closed=closed))
    accounts = {f"DE{c:020d}": frozenset({c}) for c in range(1, customers + 1)
                if draw(st.booleans())}
    b = book(*invoices, accounts=accounts)
    payer = draw(st.integers(1, customers))
    theirs = [i for i in invoices if i.customer_id == payer]
    assume(theirs)
    named = draw(st.lists(st.sampled_from(theirs), min_size=0, max_size=3, unique=True))
    words = []
    for inv in named:
        style = draw(st.sampled_from(["number", "reference", "grouped", "typo", "short"]))
        words.append({"number": inv.number, "reference": inv.reference,
                      "grouped": grouped(inv.reference),
                      "typo": inv.number[:-1] + str((int(inv.number[-1]) + 1) % 10),
                      "short": inv.number.replace("-0", "-")}[style])
    due = sum(i.due_minor for i in named if not i.closed)
    amount = draw(st.one_of(st.just(due), st.integers(1, 1_000_000))) or 1
    account = draw(st.sampled_from([f"DE{payer:020d}", "", ACCOUNT]))
    text = " ".join(words) + draw(st.sampled_from(["", " danke", " 4711"]))
    return b, payer, Incoming(amount, DAY, text, counterparty_account=account)


@settings(max_examples=400, deadline=None)
@given(books_and_transfers())
def test_what_is_booked_is_what_was_received_and_lands_on_the_payer(case):
    b, payer, transfer = case
    decision = matching.decide(transfer, b)
    if decision.allocations:  # booked, or proposed for a person to accept
        assert sum(minor for _, minor in decision.allocations) == transfer.amount_minor
        assert all(minor > 0 for _, minor in decision.allocations)
    if decision.status == "booked":
        assert {b.invoices[i].customer_id for i, _ in decision.allocations} == {payer}
        assert all(not b.invoices[i].closed for i, _ in decision.allocations)
        assert decision.rule in ("reference", "number")


def test_a_reference_built_for_an_invoice_is_found_for_it():
    ref = build("INV20260001")
    b = book(OpenInvoice(1, "INV-2026-0001", 1, "C", 500, reference=ref))
    assert matching.decide(tx(500, creditor_reference=ref), b).status == "booked"
