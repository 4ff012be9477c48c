"""What the faces only show: the services hand over each rule's answer with the data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.followup import in_ladder_order
from desktop_app.domain.invoice_actions import InvoiceAction as A
from desktop_app.services import (
    books_location,
    customers,
    disputes,
    invoices,
    payment_plans,
    payments,
    promises,
    reports,
    terms,
)
from desktop_app.services.followup import batches as followup_batches
from desktop_app.services.followup import policies, today
from desktop_app.services.outbox import SendReport
from tests.support.books import ISSUE, draft, fixed_day


def test_rows_and_views_carry_their_actions_and_days_late(ready):
    drafted = draft(ready, "Draft work|1|50.00|19")
    late = draft(ready, "Consulting|10|100.00|19")
    invoices.issue_invoice(ready, late, ISSUE - timedelta(days=40))
    paid = draft(ready, "Paid work|1|100.00|19")
    invoices.issue_invoice(ready, paid, ISSUE)
    payments.record_payment(ready, payments.PaymentInput(invoice_id=paid, amount="119.00",
                                                         paid_on=ISSUE))
    rows = {r.id: r for r in invoices.invoice_rows(ready, [drafted, late, paid])}

    assert A.ISSUE in rows[drafted].actions and A.RECORD_PAYMENT not in rows[drafted].actions
    assert A.RECORD_PAYMENT in rows[late].actions and A.HOLD not in rows[late].actions
    assert A.RECORD_PAYMENT not in rows[paid].actions and A.DOSSIER in rows[paid].actions
    due = ISSUE - timedelta(days=10)  # Net 30
    assert rows[late].days_late == (fixed_day() - due).days == 30
    assert (rows[drafted].days_late, rows[paid].days_late) == (0, 0)
    assert [r.days_late for r in invoices.list_invoices(ready) if r.id == late] == [30]

    assert {A.HOLD, A.PLAN} <= invoices.show_invoice(ready, late).actions
    disputes.hold(ready, late, "Wrong quantity", ISSUE)
    held = invoices.show_invoice(ready, late).actions
    assert A.RELEASE in held and A.HOLD not in held


def test_the_terms_that_apply_are_chosen_then_the_customers_then_the_default(ready):
    terms.add_terms(ready, "Net 14", net_days=14)
    terms.add_terms(ready, "Net 60", net_days=60, make_default=True)
    plain = customers.add_customer(ready, credit_granted=True, name="No Terms Ltd").id
    by_name = {t.name: t for t in terms.list_terms(ready)}

    def applies(chosen, customers_terms):
        return terms.terms_that_apply(by_name.get, chosen, customers_terms, "Net 60").net_days

    assert applies("Net 14", "Net 30") == 14
    assert applies(None, "Net 30") == 30
    assert applies(None, None) == 60
    assert applies("Gone", None) == 60  # a name no longer in the list
    assert terms.terms_that_apply(by_name.get, None, None, None) == terms.DEFAULT_TERMS

    # The books apply the same order: what the editor previews is what the draft gets.
    for chosen, customer_id, net in (("Net 14", 1, 14), (None, 1, 30), (None, plain, 60)):
        inv = draft(ready, "Work|1|10.00|19", customer_id=customer_id, terms=chosen)
        issued = invoices.issue_invoice(ready, inv, ISSUE)
        assert (issued.due_date - ISSUE).days == net


def test_an_edited_policy_reads_costs_as_amounts_and_is_put_in_order(ready):
    (view,) = policies.policies_for_editing(ready)
    stages = [dict(s) for s in view.body["stages"]]
    call = next(s for s in stages if s["name"] == "call")
    assert "cost_minor" not in call and call["cost"] == Decimal("30.00")  # EUR's hour of calls

    call.update(offset_days=20, cost="31.5")
    saved = policies.save_edited_policy(ready, {"name": view.name, "stages": stages})
    names = [s["name"] for s in saved.body["stages"]]
    assert saved.reordered and names.index("reminder_2") < names.index("call")
    stored = next(s for s in policies.list_policies(ready)[0].body["stages"]
                  if s["name"] == "call")
    assert (stored["offset_days"], stored["cost_minor"]) == (20, 3150)

    again = policies.save_edited_policy(ready, saved.body)
    assert not again.reordered and again.body == saved.body

    call = next(s for s in stages if s["name"] == "call")
    for typed, reason in (("1.234", "more than 2 decimals"), ("-1", "must not be negative"),
                          ("abc", "not a number")):
        call["cost"] = typed
        with pytest.raises(ValidationError, match=reason) as refused:
            policies.save_edited_policy(ready, {"name": view.name, "stages": stages})
        assert refused.value.field == "stage call cost"
    assert next(s for s in policies.list_policies(ready)[0].body["stages"]
                if s["name"] == "call")["cost_minor"] == 3150  # nothing changed


def test_a_ladder_is_ordered_by_its_days_with_the_issue_stage_first():
    stages = [{"name": "b", "offset_days": 10}, {"name": "a", "offset_days": -3},
              {"name": "i", "offset_days": 0, "anchor": "issue"},
              {"name": "c", "offset_days": 10}]
    assert [s["name"] for s in in_ladder_order(stages)] == ["i", "a", "b", "c"]


class Recorder:
    """A batch's progress as the window's bar would show it; cancels after ``stop_after``."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.lines: list[tuple[int, int, str]] = []
        self.stop_after = stop_after

    @property
    def cancelled(self) -> bool:
        return self.stop_after is not None and len(self.lines) >= self.stop_after

    def tell(self, done: int, total: int, text: str = "") -> None:
        self.lines.append((done, total, text))


def two_customers_with_letters_due(books) -> date:
    customers.add_customer(books, credit_granted=True, name="Acme Plumbing Ltd", terms="Net 30",
                           email="accounts@acme.example",
                           address="1 Main St\nSpringfield")
    for customer_id in (1, 2):
        invoices.issue_invoice(books, draft(books, "Consulting|2|100.00|19",
                                            customer_id=customer_id), ISSUE)
    return ISSUE + timedelta(days=35)  # the first reminder: an email and a letter


def test_print_all_is_a_batch_with_progress_and_one_print_job(ready, tmp_path, read_pdf):
    day = two_customers_with_letters_due(ready)
    rows = today.today(ready, day).letters
    assert len(rows) == 2
    progress = Recorder()
    target = tmp_path / "letters.pdf"
    result = followup_batches.run_batches(ready, day, followup_batches.items_of(rows),
                                          progress, letters_path=target)
    assert (result.total, result.done, result.cancelled) == (2, 2, False)
    assert [(d, t) for d, t, _ in progress.lines] == [(0, 2), (1, 2)]
    assert progress.lines[0][2].endswith("(1 of 2)")
    assert result.report.letters == 2 and result.report.letters_path == str(target)
    assert target.read_bytes() == result.report.print_job
    assert len(read_pdf(result.report.print_job).pages) == 4  # letters, each with its copy
    assert today.today(ready, day).letters == ()
    assert len(today.today(ready, day).emails) == 2  # the emails stay: letters only


def test_a_cancelled_batch_keeps_what_it_finished_and_leaves_the_rest(ready):
    day = two_customers_with_letters_due(ready)
    rows = today.today(ready, day).letters
    result = followup_batches.run_batches(ready, day, followup_batches.items_of(rows),
                                          Recorder(stop_after=1))
    assert (result.total, result.done, result.cancelled) == (2, 1, True)
    left = today.today(ready, day).letters
    assert [r.customer_id for r in left] == [rows[1].customer_id]


def test_emails_without_a_mail_account_wait_and_the_batch_says_so(ready):
    day = two_customers_with_letters_due(ready)
    rows = today.today(ready, day).emails
    result = followup_batches.run_batches(ready, day, followup_batches.items_of(rows),
                                          send=True)
    assert result.mail_waits and result.report.emails_queued == ()
    assert len(today.today(ready, day).emails) == 2


def test_merged_sends_lose_no_message():
    first = SendReport(sent=[1], failed=[2], error="")
    second = SendReport(sent=[3], retrying=[4], error="no account")
    merged = followup_batches.merged_sends([first, second])
    assert (merged.sent, merged.failed, merged.retrying, merged.error) == (
        [1, 3], [2], [4], "no account")


def aging_of(*rows: tuple[str, dict[str, str]]) -> reports.AgingReport:
    buckets = reports.AGING_BUCKETS
    built = tuple(
        reports.AgingRow(n, name, {b: Decimal(amounts.get(b, "0")) for b in buckets},
                         sum((Decimal(v) for v in amounts.values()), Decimal(0)))
        for n, (name, amounts) in enumerate(rows, start=1))
    totals = {b: sum((r.buckets[b] for r in built), Decimal(0)) for b in buckets}
    return reports.AgingReport(date(2026, 11, 22), "EUR", buckets, built, totals,
                               sum(totals.values(), Decimal(0)))


def test_the_headline_figures_come_from_the_reports_service():
    aging = aging_of(("A", {"current": "100.00", "1-30": "50.00"}),
                     ("B", {"90+": "0.01", "current": "49.99"}))
    weeks = tuple(reports.CashWeek(date(2026, 11, 23) + timedelta(weeks=n), Decimal(n),
                                   Decimal(n), Decimal(0)) for n in range(1, 7))
    cash = reports.CashReport(date(2026, 11, 22), "EUR", Decimal("50.00"), weeks)
    figures = reports.headline(aging, cash)
    assert (figures.owed, figures.overdue, figures.debtors) == (
        Decimal("200.00"), Decimal("50.01"), 2)
    assert figures.overdue_percent == 25  # 50.01 of 200.00
    assert figures.soon == Decimal(1 + 2 + 3 + 4) and figures.soon_weeks == 4
    assert reports.headline(aging_of(), cash).overdue_percent is None


def test_the_largest_debtors_and_the_others_lose_no_cent():
    aging = aging_of(*[(f"C{n}", {"current": f"{n}.01", "31-60": "0.33"}) for n in range(12)])
    top, others = reports.largest_debtors(aging, 8)
    assert len(top) == 8 and others is not None
    assert sum((r.total for r in top), others.total) == aging.total
    for bucket in aging.buckets:
        assert sum((r.buckets[bucket] for r in top), others.buckets[bucket]) == \
            aging.totals[bucket]
    assert reports.largest_debtors(aging, 12) == (aging.rows, None)


def test_where_the_books_are_is_checked_by_the_service(tmp_path):
    check = books_location.check_books_location
    assert check("file", f"  {tmp_path}/books.sqlite3 ") == f"{tmp_path}/books.sqlite3"
    assert check("url", "postgresql://office@server/books") == "postgresql://office@server/books"
    assert check("url", "postgres:///books") == "postgres:///books"  # the local socket
    assert check("url", "postgresql+psycopg://office@server:5433/books")
    for kind, value, words in (
            ("file", "  ", "choose where the books file is"),
            ("url", "mysql://office@server/books", "looks like postgresql://"),
            ("url", "server/books", "looks like postgresql://"),
            ("url", "postgresql://office@server", "looks like postgresql://"),
            ("url", "postgresql://office:secret@server/books", "leave the password out"),
            ("url", "postgresql://office:@server/books", "leave the password out")):
        with pytest.raises(ValidationError, match=words) as refused:
            check(kind, value)
        assert refused.value.field == kind


def test_the_days_a_form_proposes_come_from_the_services():
    day = date(2026, 12, 28)
    assert promises.proposed_promise_day(day) == date(2027, 1, 4)
    assert payment_plans.proposed_start(day) == date(2027, 1, 4)
