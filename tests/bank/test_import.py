"""Statements in every format, imported on SQLite and PostgreSQL: every payment booked once
on the right invoices, what is unsure waiting with its reason, nothing twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from desktop_app.domain.errors import ValidationError
from desktop_app.services import bank, company, customers, invoices, payments, writeoffs
from desktop_app.storage import tables
from tests.bank.conftest import PAID_ON, issue, reference
from tests.support import statements as files
from tests.support.statements import Transfer


def status(books, invoice_id: int) -> tuple[str, Decimal]:
    view = invoices.show_invoice(books, invoice_id)
    return view.status, view.balance


def total_paid(books) -> Decimal:
    return sum((p.amount for p in payments.list_payments(books)), Decimal(0))


def count(books, table) -> int:
    with books.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(table)))


def month(books) -> list[Transfer]:
    """A month on a German account: a referenced payment, a batch booking of two, a
    return, the rent, and a transfer nobody can place."""
    return [
        Transfer("1130.50", PAID_ON, ref=reference(books, 1).replace(" ", "")),
        Transfer("0", PAID_ON, batch=(
            Transfer("357.00", PAID_ON, text="Rechnung INV-2026-0002"),
            Transfer("2380.00", PAID_ON, name="Schmidt KG", iban="DE75512108001245126199",
                     text="RE INV-2026-0004 vielen Dank"))),
        Transfer("250.00", PAID_ON, name="Lieferant AG", text="Rueckueberweisung",
                 returned=True),
        Transfer("-1200.00", PAID_ON, name="Hausverwaltung", text="Miete November"),
        Transfer("42.00", PAID_ON, name="Unbekannt", iban="DE44500105175407324931",
                 text="Spende"),
    ]


def test_a_camt053_month_books_what_is_sure_and_keeps_the_rest(billed):
    result = bank.import_statement(billed, files.camt(month(billed)), "november.xml")
    assert (result.format, result.imported, result.duplicates, result.booked,
            result.waiting) == ("camt.053", 6, 0, 3, 1)
    assert [status(billed, i)[0] for i in (1, 2, 3, 4)] == ["paid", "paid", "issued", "paid"]
    assert total_paid(billed) == Decimal("1130.50") + Decimal("357.00") + Decimal("2380.00")
    listed = {t.counterparty: t for t in bank.list_transactions(billed)}
    assert listed["Lieferant AG"].status == "returned"
    assert listed["Hausverwaltung"].status == "outgoing"
    assert listed["Unbekannt"].status == "waiting" and listed["Unbekannt"].reason
    assert "reference" in listed["Müller & Söhne GmbH"].rule
    assert [t.counterparty for t in bank.list_transactions(billed, waiting=True)] == [
        "Unbekannt"]
    assert bank.count_waiting(billed) == 1


def test_the_same_file_again_adds_nothing(billed):
    data = files.camt(month(billed))
    bank.import_statement(billed, data, "november.xml")
    before = (count(billed, tables.bank_transactions), count(billed, tables.payments))
    again = bank.import_statement(billed, data, "november.xml")
    assert (again.imported, again.duplicates, again.booked) == (0, 6, 0)
    assert (count(billed, tables.bank_transactions), count(billed, tables.payments)) == before


def test_an_intraday_report_then_the_days_statement_adds_only_what_is_new(billed):
    early = Transfer("1130.50", PAID_ON, text="INV-2026-0001", bank_ref="B1")
    later = Transfer("357.00", PAID_ON, text="INV-2026-0002", bank_ref="B2")
    first = bank.import_statement(billed, files.camt([early], kind="052"), "intraday.xml")
    day = bank.import_statement(billed, files.camt([early, later]), "day.xml")
    assert (first.format, first.booked) == ("camt.052", 1)
    assert (day.imported, day.duplicates, day.booked) == (1, 1, 1)
    assert count(billed, tables.payments) == 2


def test_a_movement_read_first_without_a_reference_is_known_with_one(billed):
    bare = Transfer("1130.50", PAID_ON, text="INV-2026-0001", bank_ref="")
    bank.import_statement(billed, files.camt([bare], kind="052"), "intraday.xml")
    day = bank.import_statement(billed, files.camt([Transfer(
        "1130.50", PAID_ON, text="INV-2026-0001", bank_ref="B9")]), "day.xml")
    assert (day.imported, day.duplicates) == (0, 1)


def test_two_identical_transfers_on_one_day_are_two_payments(billed):
    twice = [Transfer("100.00", PAID_ON, text="INV-2026-0003 Teil", bank_ref="")] * 2
    result = bank.import_statement(billed, files.camt(twice), "a.xml")
    assert result.imported == 2
    assert bank.import_statement(billed, files.camt(twice), "a.xml").imported == 0
    three = bank.import_statement(billed, files.camt(twice * 2 + twice[:1]), "b.xml")
    assert (three.imported, three.duplicates) == (3, 2)


def test_a_camt054_notification_and_a_zip_of_statements(billed):
    note = bank.import_statement(billed, files.camt(
        [Transfer("1130.50", PAID_ON, text="INV-2026-0001", bank_ref="N1")], kind="054",
        version=2), "notification.xml")
    assert (note.format, note.booked) == ("camt.054", 1)
    bundle = files.zipped({
        "2026-11-20.xml": files.camt([Transfer("357.00", PAID_ON, text="INV-2026-0002",
                                               bank_ref="Z1")], version=4),
        "folder/../../2026-11-21.xml": files.camt([Transfer(
            "119.00", date(2026, 11, 21), text="INV-2026-0003", bank_ref="Z2")],
            namespace=False),
    })
    result = bank.import_statement(billed, bundle, "statements.zip")
    assert (result.format, result.booked) == ("camt.053", 2)
    assert [status(billed, i)[0] for i in (1, 2, 3)] == ["paid"] * 3


def test_mt940_with_a_long_remittance_text_pays_both_invoices_it_names(billed):
    text = ("Zahlung fuer die Rechnungen INV-2026-0001 und INV-2026-0002 vom 2. November "
            "gemaess Ihrem Schreiben, Kundennummer 4711, mit freundlichen Gruessen")
    result = bank.import_statement(billed, files.mt940([Transfer("1487.50", PAID_ON,
                                                                 text=text)]), "MT940.sta")
    assert (result.format, result.booked) == ("mt940", 1)
    [tx] = bank.list_transactions(billed)
    assert len(tx.payments) == 2 and "Kundennummer 4711" in tx.remittance
    assert [status(billed, i)[0] for i in (1, 2)] == ["paid", "paid"]


def test_a_german_csv_export_read_by_its_profile(billed):
    rows = [Transfer("1130.50", PAID_ON, text="RE INV-2026-0001"),
            Transfer("-89.90", PAID_ON, name="Telefon GmbH", text="Rechnung 11/2026")]
    result = bank.import_statement(billed, files.csv_de(rows), "Umsaetze.CSV",
                                   profile="de-csv-camt")
    assert (result.format, result.imported, result.booked) == ("csv", 2, 1)
    with pytest.raises(ValidationError, match="CSV profile"):
        bank.import_statement(billed, files.csv_de(rows), "Umsaetze.CSV")


@pytest.fixture
def us_books(books):
    company.set_company(books, name="Maple Street Design LLC", currency="USD",
                        address="12 Maple St\nPortland, OR 97201", country="US",
                        bank_name="First Bank of Portland", routing_number="121000248",
                        account_number="123456789")
    customers.add_customer(books, credit_granted=True, name="Acme Corp", email="ap@acme.example")
    issue(books, "1000.00")
    issue(books, "250.00")
    return books


def test_an_ofx_statement_from_a_us_bank(us_books):
    rows = [Transfer("1190.00", PAID_ON, name="ACME CORP", text="INV-2026-0001"),
            Transfer("-20.00", PAID_ON, name="SERVICE FEE")]
    result = bank.import_statement(us_books, files.ofx(rows), "statement.qfx")
    assert (result.format, result.imported, result.booked) == ("ofx", 2, 1)
    assert status(us_books, 1)[0] == "paid"
    assert bank.import_statement(us_books, files.ofx(rows), "statement.qfx").duplicates == 2


def test_a_us_bank_csv_export(us_books):
    rows = [Transfer("297.50", PAID_ON, name="ACME CORP", text="PMT INV-2026-0002")]
    result = bank.import_statement(us_books, files.csv_us(rows), "Chase.CSV",
                                   profile="us-checking")
    assert (result.imported, result.booked) == (1, 1)
    assert status(us_books, 2)[0] == "paid"


def test_a_damaged_file_is_refused_by_its_place_and_changes_nothing(billed):
    good = files.camt(month(billed))
    broken = good.replace(b"<Amt Ccy=\"EUR\">357.00</Amt>", b"<Amt Ccy=\"EUR\">3x7</Amt>", 1)
    with pytest.raises(ValidationError, match=r"Ntry 2 › TxDtls 1: Amt '3x7'"):
        bank.import_statement(billed, broken, "november.xml")
    cut = good[: len(good) // 2]
    with pytest.raises(ValidationError, match="not well-formed XML at line"):
        bank.import_statement(billed, cut, "november.xml")
    assert count(billed, tables.bank_transactions) == count(billed, tables.payments) == 0
    assert count(billed, tables.bank_imports) == 0


def test_a_payment_for_a_written_off_invoice_says_so(billed):
    writeoffs.write_off(billed, 3, "Kunde insolvent", PAID_ON)
    bank.import_statement(billed, files.camt([Transfer("119.00", PAID_ON,
                                                       text="INV-2026-0003")]), "a.xml")
    [tx] = bank.list_transactions(billed, waiting=True)
    assert "INV-2026-0003 is written off" in tx.reason and tx.suggestion == ()


def test_a_payment_value_dated_before_the_invoice_waits_instead_of_failing_the_file(billed):
    early = Transfer("1130.50", date(2026, 10, 30), text="INV-2026-0001")
    result = bank.import_statement(billed, files.camt([early]), "a.xml")
    assert (result.imported, result.booked, result.waiting) == (1, 0, 1)
    [tx] = bank.list_transactions(billed)
    assert "not booked: date: a payment cannot predate" in tx.reason


def test_the_payers_account_is_remembered_and_then_suggests(billed):
    bank.import_statement(billed, files.camt([Transfer("1130.50", PAID_ON,
                                                       text="INV-2026-0001")]), "a.xml")
    bank.import_statement(billed, files.camt([Transfer("119.00", PAID_ON, text="Danke",
                                                       bank_ref="X2")]), "b.xml")
    [tx] = bank.list_transactions(billed, waiting=True)
    assert (tx.rule, tx.sure) == ("account", True)
    assert [(p.invoice_number, p.amount) for p in tx.suggestion] == [
        ("INV-2026-0003", Decimal("119.00"))]
    assert bank.accept_sure(billed).accepted == 1
    assert status(billed, 3)[0] == "paid"


def test_review_split_assign_ignore_and_reverse(billed):
    rows = [Transfer("500.00", PAID_ON, name="Fremd", iban="", text="Sammelzahlung",
                     bank_ref="R1"),
            Transfer("2380.00", PAID_ON, name="Fremd", iban="", text="?", bank_ref="R2"),
            Transfer("99.00", PAID_ON, name="Finanzamt", iban="", text="Erstattung",
                     bank_ref="R3")]
    bank.import_statement(billed, files.camt(rows), "a.xml")
    split, whole, refund = (t.id for t in sorted(bank.list_transactions(billed),
                                                 key=lambda t: t.id))
    with pytest.raises(ValidationError, match=r"add up to 400\.00 EUR"):
        bank.match_transaction(billed, split, [bank.Part(1, "300.00"), bank.Part(2, "100")])
    bank.match_transaction(billed, split, [bank.Part(1, "300.00"), bank.Part(2)])
    assert [status(billed, i)[1] for i in (1, 2)] == [Decimal("830.50"), Decimal("157.00")]
    bank.assign_to_customer(billed, whole, 2)
    assert status(billed, 4)[0] == "paid"
    bank.ignore_transaction(billed, refund, "Steuererstattung")
    assert bank.show_transaction(billed, refund).status == "ignored"

    undone = bank.reverse_transaction(billed, split, "falsch zugeordnet")
    assert undone.status == "waiting" and undone.payments == ()
    assert [status(billed, i)[1] for i in (1, 2)] == [Decimal("1130.50"), Decimal("357.00")]
    booked = bank.show_transaction(billed, whole)
    bank.reverse_payment(billed, booked.payments[0], "Doppelt")
    assert bank.show_transaction(billed, whole).status == "waiting"
    assert status(billed, 4)[0] == "issued" and total_paid(billed) == 0


def test_an_overpayment_quoting_the_reference_waits_then_leaves_credit(billed):
    ref = reference(billed, 3).replace(" ", "")
    bank.import_statement(billed, files.camt([Transfer("150.00", PAID_ON, ref=ref)]), "a.xml")
    [tx] = bank.list_transactions(billed, waiting=True)
    assert tx.sure and "31.00 more than is open" in tx.reason
    bank.match_transaction(billed, tx.id)
    assert status(billed, 3)[0] == "paid"
    assert customers.show_customer(billed, 1).credit == Decimal("31.00")
