"""Statutory late-payment terms (issue 15) charged by the money engine of issue 14, on SQLite
and PostgreSQL: the EUR 40 flat sum once per invoice from a business, never per reminder,
and interest at each half-year's base rate plus the points, on each day's balance."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from desktop_app.services import activity, base_rates, customers, invoices, terms
from desktop_app.services import payments as payment_service
from desktop_app.services.followup import run as followup
from desktop_app.storage.models import Charge
from tests.support.books import ISSUE, draft

DUE = ISSUE + timedelta(days=30)  # 2 December 2026
# Rates the user adds for the test's half-years (the shipped table ends with 2025).
RATES = (("2026-07-01", "1.00"), ("2027-01-01", "1.50"))


def day(n: int) -> date:
    return DUE + timedelta(days=n)


def interest(open_minor: int, *stretches: tuple[int, str]) -> int:
    """Days at a rate, reckoned here by hand: balance x rate / 365 x days, rounded once."""
    exact = sum((Decimal(open_minor) * days * Decimal(rate) for days, rate in stretches),
                Decimal(0)) / 100 / 365
    return int(exact.to_integral_value(rounding=ROUND_HALF_UP))


def statutory_invoice(books, *, consumer: bool = False) -> int:
    for start, rate in RATES:
        base_rates.add_base_rate(books, "DE", start, rate)
    terms.add_terms(books, "BGB", net_days=30, late_rule="de_288")
    customer = customers.add_customer(books, credit_granted=True,
                                      name="Kunde AG" if not consumer else "Eva Muster",
                                      address="Hauptstr. 1\nBerlin", consumer=consumer,
                                      terms="BGB", language="de").id
    inv = draft(books, "Beratung|10|100.00|19", customer_id=customer)
    invoices.issue_invoice(books, inv, ISSUE)
    return inv


def charges(books) -> list[tuple[str, str, int]]:
    with books.db.read() as session:
        return [(c.kind, c.stage, c.amount_minor)
                for c in session.scalars(select(Charge).order_by(Charge.id))]


def test_a_business_pays_the_flat_sum_once_and_interest_at_each_half_years_rate(ready,
                                                                               read_pdf):
    statutory_invoice(ready)
    followup.run_day(ready, day(5), channels=["letter"])
    second = followup.plan_day(ready, day(14), channels=["letter"])
    # 14 days (3 to 16 December) at 1.00 + 9 points
    assert [(a.stage, a.fee, a.interest) for a in second] == [
        ("reminder_2", Decimal("40.00"), Decimal(interest(119_000, (14, "10"))) / 100)]
    followup.run_day(ready, day(14), channels=["letter"])
    final = followup.plan_day(ready, day(30), channels=["letter"])
    # to 1 January 2027: 29 days at 10 %, 1 day at 10.5 %, less what the reminder charged
    owed = interest(119_000, (29, "10"), (1, "10.5")) - interest(119_000, (14, "10"))
    assert [(a.stage, a.fee, a.interest) for a in final] == [
        ("final_notice", Decimal("0.00"), Decimal(owed) / 100)]  # never per reminder
    followup.run_day(ready, day(30), channels=["letter"])
    fees = [amount for kind, _, amount in charges(ready) if kind == "fee"]
    assert sum(fees) == 40_00
    letter = next(e for e in activity.timeline(ready, 2)
                  if e.summary.startswith("Second reminder printed"))
    _, pdf = activity.stored_pdf(ready, letter.document_id)
    text = " ".join(read_pdf(pdf).text.replace("\xa0", " ").split())
    assert "eine Pauschale von 40,00 € je Rechnung (§ 288 BGB)" in text
    assert "Wie gesetzlich vorgesehen (§ 288 BGB), berechnen wir die Verzugspauschale von " \
           "40,00 € und Verzugszinsen" in text and "Mahngebühr" not in text


def test_a_consumer_pays_no_flat_sum_and_five_points_over_the_base_rate(ready):
    statutory_invoice(ready, consumer=True)
    followup.run_day(ready, day(5), channels=["letter"])
    second = followup.plan_day(ready, day(14), channels=["letter"])
    assert [(a.fee, a.interest) for a in second] == [
        (Decimal("0.00"), Decimal(interest(119_000, (14, "6"))) / 100)]


def test_a_back_dated_payment_takes_back_the_flat_sum_it_made_moot(ready):
    inv = statutory_invoice(ready)
    followup.run_day(ready, day(5), channels=["letter"])
    followup.run_day(ready, day(14), channels=["letter"])
    assert ("fee", "reminder_2", 40_00) in charges(ready)
    paid = payment_service.record_payment(ready, payment_service.PaymentInput(
        inv, "1190.00", day(3)))
    assert (paid.invoice.status, paid.invoice.charges) == ("paid", Decimal("0.00"))
    assert [amount for _, _, amount in charges(ready)] == [0, 0]


def test_days_without_a_published_rate_earn_nothing_until_it_is_added(ready):
    statutory_invoice(ready)
    followup.run_day(ready, day(5), channels=["letter"])
    # 9 August 2027: the table's last rate (1 January 2027) ran out on 4 July 2027
    late = followup.plan_day(ready, day(250), channels=["letter"])
    assert [a.interest for a in late] == [
        Decimal(interest(119_000, (29, "10"), (184, "10.5"))) / 100]
    base_rates.add_base_rate(ready, "DE", "2027-07-01", "2.00")
    again = followup.plan_day(ready, day(250), channels=["letter"])
    assert [a.interest for a in again] == [Decimal(interest(
        119_000, (29, "10"), (181, "10.5"), (40, "11"))) / 100]
