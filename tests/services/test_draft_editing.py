"""Drafts edited and deleted; issued invoices refuse both; the pure preview the editor uses."""

from datetime import date
from decimal import Decimal

import pytest

from desktop_app.domain.errors import RuleViolation, ValidationError
from desktop_app.services import customers, invoices
from desktop_app.services.invoices import DraftInput, LineInput
from tests.support.books import ISSUE, draft


def test_update_draft_replaces_lines_terms_and_schedule(ready):
    inv = draft(ready, "Old|1|10")
    other = customers.add_customer(ready, credit_granted=True, name="Acme", terms="2/10 net 30").id
    view = invoices.update_draft(ready, inv, DraftInput(
        customer_id=other,
        lines=[LineInput("Consulting", "10", "95.00", "19"), LineInput(),
               LineInput("Manual", "3", "24.90", "7", "10")],
        terms="Net 30", schedule="50/50", issue_date=ISSUE))
    assert (view.customer_id, view.customer_name, view.terms) == (other, "Acme", "Net 30")
    assert [(ln.position, ln.description) for ln in view.lines] == [(1, "Consulting"),
                                                                     (2, "Manual")]
    # 950.00 + 180.50 tax; 3 x 24.90 less 10 % = 67.23 + 4.71 tax
    assert (view.subtotal, view.tax, view.total) == (
        Decimal("1017.23"), Decimal("185.21"), Decimal("1202.44"))
    assert [(i.due_date, i.amount) for i in view.installments] == [
        (ISSUE, Decimal("601.22")), (date(2026, 12, 2), Decimal("601.22"))]
    assert invoices.show_invoice(ready, inv) == view


def test_update_draft_refusal_changes_nothing(ready):
    inv = draft(ready, "Old|1|10")
    before = invoices.show_invoice(ready, inv)
    with pytest.raises(ValidationError) as refused:
        invoices.update_draft(ready, inv, DraftInput(1, [LineInput("A", "1", "5"),
                                                        LineInput("B", "two", "5")]))
    assert refused.value.field == "line 2 quantity"
    with pytest.raises(ValidationError) as refused:
        invoices.update_draft(ready, inv, DraftInput(1, ["A|1|5"], schedule="30/30"))
    assert refused.value.field == "schedule"
    assert invoices.show_invoice(ready, inv) == before


def test_only_blank_rows_is_no_invoice(ready):
    inv = draft(ready, "Old|1|10")
    with pytest.raises(ValidationError) as refused:
        invoices.update_draft(ready, inv, DraftInput(1, [LineInput(), LineInput(" ")]))
    assert refused.value.field == "line"


def test_issued_invoice_refuses_edit_and_delete(ready):
    inv = draft(ready, "Work|1|100")
    invoices.issue_invoice(ready, inv, ISSUE)
    with pytest.raises(RuleViolation, match="credit note"):
        invoices.update_draft(ready, inv, DraftInput(1, ["Work|1|1"]))
    with pytest.raises(RuleViolation, match="INV-2026-0001"):
        invoices.delete_draft(ready, inv)
    assert invoices.show_invoice(ready, inv).total == Decimal("100.00")


def test_delete_draft_leaves_no_gap_in_numbers(ready):
    first, doomed, last = (draft(ready, f"Work {i}|1|10") for i in range(3))
    invoices.delete_draft(ready, doomed)
    assert [r.id for r in invoices.list_invoices(ready)] == [last, first]
    numbers = [invoices.issue_invoice(ready, i, ISSUE).number for i in (first, last)]
    assert numbers == ["INV-2026-0001", "INV-2026-0002"]
    with pytest.raises(ValidationError):
        invoices.show_invoice(ready, doomed)


def test_preview_matches_what_issuing_gives(ready):
    lines = [LineInput("Build", "1", "1000.01", "0")]
    preview = invoices.preview_draft("EUR", lines, net_days=30, schedule="30/30/40",
                                     issue_date=ISSUE)
    inv = invoices.create_draft(ready, DraftInput(1, lines, schedule="30/30/40")).id
    invoices.issue_invoice(ready, inv, ISSUE)
    issued = invoices.show_invoice(ready, inv)
    assert preview.total == issued.total == Decimal("1000.01")
    assert [(i.label, i.due_date, i.amount) for i in preview.installments] == [
        (i.label, i.due_date, i.amount) for i in issued.installments]


def test_preview_shows_tax_per_rate_and_custom_installments():
    preview = invoices.preview_draft(
        "EUR", [LineInput("A", "2", "10.00", "19"), LineInput("B", "1", "10.00", "7"),
                LineInput("C", "1", "5.00", "19")],
        net_days=14, schedule="custom:60@2026-11-10,40@2026-12-31", issue_date=ISSUE)
    assert [(b.rate, b.net, b.tax) for b in preview.taxes] == [
        (Decimal(7), Decimal("10.00"), Decimal("0.70")),
        (Decimal(19), Decimal("25.00"), Decimal("4.75"))]
    assert preview.total == Decimal("40.45")
    assert [(i.due_date, i.amount) for i in preview.installments] == [
        (date(2026, 11, 10), Decimal("24.27")), (date(2026, 12, 31), Decimal("16.18"))]


@pytest.mark.parametrize(("lines", "schedule", "field"), [
    ([LineInput("A", "1", "abc")], None, "line 1 unit price"),
    ([LineInput(), LineInput("", "1", "5")], None, "line 2 description"),
    ([LineInput("A", "1", "5", "120")], None, "line 1 tax percent"),
    ([LineInput("A", "1", "5")], "monthly:0", "schedule"),
    ([LineInput("A", "1", "5")], "custom:50@2026-10-01,50@2026-12-01", "schedule"),
])
def test_preview_refusals_name_the_cell(lines, schedule, field):
    with pytest.raises(ValidationError) as refused:
        invoices.preview_draft("EUR", lines, net_days=30, schedule=schedule, issue_date=ISSUE)
    assert refused.value.field == field
