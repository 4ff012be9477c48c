"""What the books print is true: a void invoice asks for nothing and names its credit note,
which has a PDF of its own; a reprint of one sent is a copy; a statement quotes the
customer number."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from desktop_app.domain.errors import RuleViolation
from desktop_app.services import (
    company,
    customers,
    documents,
    invoices,
    mail,
    payments,
    terms,
)
from desktop_app.services.followup import run as followup
from tests.support.books import ISSUE, draft


def _text(pdf: bytes, read_pdf) -> str:
    return " ".join(read_pdf(pdf).text.split())


def test_a_void_invoice_asks_for_nothing_and_its_credit_note_has_its_own_pdf(ready, read_pdf):
    inv = draft(ready, "Consulting|10|100.00|19", "Manual|3|224.10|7")
    invoices.issue_invoice(ready, inv, ISSUE)
    payments.record_payment(ready, payments.PaymentInput(invoice_id=inv, amount="500.00",
                                                         paid_on=ISSUE))
    note = invoices.void_invoice(ready, inv, "Order cancelled", date(2026, 11, 10))

    void = _text(documents.invoice_pdf(ready, inv, date(2026, 11, 12)), read_pdf)
    assert "STORNIERT" in void and note.number in void
    assert "Bitte überweisen" not in void and "Banking-App" not in void

    credit = documents.credit_note_pdf(ready, note.id)
    text = _text(credit, read_pdf)
    assert note.number in text and "INV-2026-0001" in text and "Order cancelled" in text
    # the open 1,409.36 (1,909.36 - 500.00) credited over both rates, to the cent
    assert note.amount == Decimal("1409.36") and "1.409,36" in text
    assert "USt. 19" in text and "USt. 7" in text
    assert documents.credit_note_pdf(ready, note.id) == credit  # stored as it went out


def test_a_reprint_of_an_issued_invoice_is_marked_as_a_copy(ready, read_pdf):
    """Until PaidUp has sent it, the invoice's PDF is the original itself (the user may send
    it by hand); once sent, every further PDF is stamped as a copy of it."""
    inv = draft(ready, "Consulting|10|100.00|19")
    invoices.issue_invoice(ready, inv, ISSUE)
    original = documents.original_invoice_pdf(ready, inv)
    assert original is not None and "KOPIE" not in read_pdf(original).text
    assert documents.invoice_pdf(ready, inv, ISSUE) == original
    mail.set_account(ready, host="127.0.0.1", port=2525, security="plain", user="me",
                     from_address="billing@lindenhof.example")
    assert followup.run_day(ready, ISSUE).emails_queued  # the invoice goes out by email
    reprint = documents.invoice_pdf(ready, inv, date(2026, 12, 1))
    assert "KOPIE" in read_pdf(reprint).text
    printed = {w["text"] for w in read_pdf(reprint).words[0]}
    assert {w["text"] for w in read_pdf(original).words[0]} <= printed  # the same page


def test_issuing_without_a_way_to_pay_is_asked_first(books, read_pdf):
    company.set_company(books, name="Ohne Konto GmbH", currency="EUR")
    terms.add_terms(books, "Net 30", net_days=30)
    customers.add_customer(books, credit_granted=True, name="Kunde", language="de")
    inv = draft(books, "Work|1|100.00|19")
    with pytest.raises(invoices.NoWayToPay):
        invoices.issue_invoice(books, inv, ISSUE)
    invoices.issue_invoice(books, inv, ISSUE, without_payment_details=True)
    text = read_pdf(documents.original_invoice_pdf(books, inv)).text
    assert "Zahlungsweise" not in text and "überweisen" not in text


def test_a_reverse_charge_needs_both_vat_ids(ready):
    customers.amend_customer(ready, 1, country="FR")
    inv = draft(ready, "Consulting|10|100.00|0|HUR|AE")
    with pytest.raises(RuleViolation, match="customer's VAT ID"):
        invoices.issue_invoice(ready, inv, ISSUE)
    customers.amend_customer(ready, 1, vat_id="FR40303265045")
    with pytest.raises(RuleViolation, match="your own VAT ID"):
        invoices.issue_invoice(ready, inv, ISSUE)
    company.set_company(ready, vat_id="DE136695976", country="DE")
    assert invoices.issue_invoice(ready, inv, ISSUE).total == Decimal("1000.00")


def test_a_customer_abroad_proposes_its_category(ready):
    company.set_company(ready, country="DE", vat_id="DE136695976")
    customers.amend_customer(ready, 1, vat_id="IE6310000F")  # the country follows the ID
    with pytest.raises(Exception, match="must be 0 for VAT category AE"):
        draft(ready, "Espresso machine service|2|95.00|19")
    view = invoices.show_invoice(ready, draft(ready, "Espresso machine service|2|95.00"))
    assert [line.category for line in view.lines] == ["AE"]
    charged = invoices.show_invoice(ready, draft(ready, "Espresso beans|2|20.00|19|KGM|S"))
    assert charged.tax == Decimal("7.60")


def test_a_statement_quotes_the_customer_number_and_runs_a_balance(ready, read_pdf):
    customers.amend_customer(ready, 1, number="K-1001")
    inv = draft(ready, "Consulting|10|100.00|19", schedule="50/50")
    invoices.issue_invoice(ready, inv, ISSUE)
    payments.record_payment(ready, payments.PaymentInput(invoice_id=inv, amount="200.00",
                                                         paid_on=date(2026, 11, 5)))
    text = _text(documents.statement_pdf(ready, 1, date(2026, 11, 22)), read_pdf)
    assert "Verwendungszweck K-1001" in text
    assert "Saldovortrag" in text and "1.190,00" in text and "990,00" in text
    assert "Anzahlung" in text or "Rate" in text or "50" in text
    assert "Müller & <Söhne>" not in text.split("Verwendungszweck")[-1][:40]


def test_a_statutory_rate_is_frozen_at_issue(ready):
    terms.add_terms(ready, "BGB", net_days=14, late_rule="de_288")
    inv = invoices.create_draft(ready, invoices.DraftInput(
        customer_id=1, lines=["Work|1|100.00|19"], terms="BGB")).id
    invoices.issue_invoice(ready, inv, date(2025, 8, 1))
    from desktop_app.storage.models import Invoice

    with ready.db.read() as session:
        frozen = session.get(Invoice, inv)
        assert frozen is not None and frozen.late_rule == "de_288"
        assert frozen.interest_annual_percent == Decimal("10.27")  # 1.27 + 9 (2nd half 2025)
    assert len(PdfReader(BytesIO(documents.original_invoice_pdf(ready, inv))).pages) == 1
