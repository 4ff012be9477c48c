"""The morning the issue is about: the month's statement dropped on PaidUp, and Today
reminds only those who have not paid, with the transfers it could not place to decide."""

from __future__ import annotations

from datetime import date

from desktop_app.services import bank
from desktop_app.services.followup import today
from tests.bank.conftest import PAID_ON, reference
from tests.support import statements as files
from tests.support.statements import Transfer

MORNING = date(2026, 12, 7)  # the first reminder: all four fell due on 2 December


def test_reminders_go_only_to_those_who_have_not_paid(billed):
    before = today.today(billed, MORNING)
    assert {r.numbers for r in before.emails} == {"INV-2026-0001, INV-2026-0002, INV-2026-0003",
                                                  "INV-2026-0004"}
    statement = files.zipped({"november.xml": files.camt([
        Transfer("1130.50", PAID_ON, ref=reference(billed, 1).replace(" ", "")),
        Transfer("2380.00", PAID_ON, name="Schmidt KG", iban="", text="INV-2026-0004"),
        Transfer("300.00", PAID_ON, name="Müller & Söhne GmbH", iban="",
                 text="Abschlag INV-2026-0002"),
    ])})
    result = bank.import_statement(billed, statement, "november.zip")
    assert (result.booked, result.waiting) == (2, 1)

    after = today.today(billed, MORNING)
    assert [r.numbers for r in after.emails] == ["INV-2026-0002, INV-2026-0003"]
    assert [r.numbers for r in after.letters] == ["INV-2026-0002, INV-2026-0003"]
    [decision] = [r for r in after.decisions if r.kind == "bank_transfer"]
    assert decision.numbers == "INV-2026-0002" and decision.amount == 300
    assert "pays 300.00 of 357.00 open" in decision.detail
    assert decision.bank_transaction_id == bank.list_transactions(billed, waiting=True)[0].id


def test_a_flood_of_waiting_transfers_is_one_row_beyond_the_first_fifty(billed):
    rows = [Transfer(f"{i}.00", PAID_ON, name=f"Payer {i}", iban="", text="?",
                     bank_ref=f"F{i}") for i in range(1, 61)]
    bank.import_statement(billed, files.camt(rows), "many.xml")
    decisions = [r for r in today.today(billed, MORNING).decisions
                 if r.kind == "bank_transfer"]
    assert len(decisions) == today.BANK_ROWS + 1
    assert decisions[-1].detail == "10 more transfers wait on the Bank page"
