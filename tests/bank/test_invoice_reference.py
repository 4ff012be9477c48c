"""Every new invoice carries an ISO 11649 creditor reference: printed in its payment block,
carried in the structured field of its SEPA QR code, frozen with the invoice."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError

from desktop_app.domain import references
from desktop_app.services import documents, invoices
from desktop_app.storage.models import Invoice
from tests.documents.test_qr_reads import read_code
from tests.support.books import ISSUE, draft


def test_an_issued_invoice_quotes_its_reference_in_print_and_in_the_code(ready, tmp_path,
                                                                         read_pdf):
    issued = invoices.issue_invoice(ready, draft(ready, "Beratung|10|95.00|19"), ISSUE)
    view = invoices.show_invoice(ready, issued.id)
    compact = references.compact(view.payment_reference)
    assert references.is_reference(compact) and compact.endswith("INV20260001")
    pdf = documents.invoice_pdf(ready, issued.id, ISSUE)
    assert view.payment_reference in read_pdf(pdf).text
    payload = read_code(pdf, tmp_path).split("\n")
    assert payload[9] == compact  # the structured reference field
    assert len(payload) == 10  # and no unstructured text beside it (EPC069-12)


def test_two_invoices_never_share_a_reference_and_a_draft_has_none(ready):
    first = invoices.issue_invoice(ready, draft(ready, "A|1|10.00"), ISSUE)
    second = invoices.issue_invoice(ready, draft(ready, "B|1|10.00"), ISSUE)
    waiting = draft(ready, "C|1|10.00")
    refs = [invoices.show_invoice(ready, i).payment_reference
            for i in (first.id, second.id, waiting)]
    assert refs[0] != refs[1] and refs[2] == ""


def test_the_reference_is_frozen_with_the_invoice(ready):
    issued = invoices.issue_invoice(ready, draft(ready, "A|1|10.00"), ISSUE)
    with pytest.raises(DBAPIError, match="frozen"), ready.db.write() as session:
        session.execute(update(Invoice).where(Invoice.id == issued.id)
                        .values(payment_reference="RF18539007547034"))
