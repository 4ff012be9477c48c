"""Editing payment terms; the company's envelope offsets, logo and calibration page."""

from decimal import Decimal
from io import BytesIO

import pdfplumber
import pytest

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.services import company, invoices, terms
from tests.support.books import ISSUE, draft

PNG_1X1 = bytes.fromhex(  # one green pixel, a valid PNG
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6390cf0ffa0f00037101e0b2d921990000000049454e44ae426082")


def test_update_terms_changes_drafts_but_not_issued_invoices(ready):
    issued = draft(ready, "Work|1|100")
    invoices.issue_invoice(ready, issued, ISSUE)
    later = draft(ready, "Work|1|100")
    net30 = next(t for t in terms.list_terms(ready) if t.name == "Net 30")
    view = terms.update_terms(ready, net30.id, name="Net 45", net_days="45", late_fee="7.50",
                              interest_annual_percent="9", grace_days="2",
                              instructions="Quote the number", make_default=True)
    assert (view.name, view.net_days, view.late_fee, view.grace_days, view.instructions,
            view.is_default) == ("Net 45", 45, Decimal("7.50"), 2, "Quote the number", True)
    assert invoices.show_invoice(ready, issued).terms == "Net 30"
    assert invoices.show_invoice(ready, later).terms == "Net 45"
    assert company.get_company(ready).default_terms == "Net 45"
    assert [t.is_default for t in terms.list_terms(ready)] == [False, True]


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "2/10 net 30"}, "name"),
    ({"name": " "}, "name"),
    ({"net_days": "soon"}, "net-days"),
    ({"discount_percent": "2", "discount_days": "0"}, "discount-days"),
    ({"late_fee": "1.234"}, "late-fee"),
])
def test_update_terms_refusals_name_the_field(ready, changes, field):
    net30 = next(t for t in terms.list_terms(ready) if t.name == "Net 30")
    args = {"name": "Net 30", "net_days": "30"} | changes
    with pytest.raises(ValidationError) as refused:
        terms.update_terms(ready, net30.id, **args)
    assert refused.value.field == field
    assert next(t for t in terms.list_terms(ready) if t.id == net30.id) == net30


def test_update_unknown_terms(ready):
    with pytest.raises(NotFound):
        terms.update_terms(ready, 99, name="X", net_days=1)


def test_company_shows_envelope_offsets_and_logo(ready, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(PNG_1X1)
    view = company.set_company(ready, envelope_dx_mm=Decimal("2.5"),
                               envelope_dy_mm=Decimal("-1"), logo=str(logo), paper="letter")
    assert (view.envelope_dx_mm, view.envelope_dy_mm, view.has_logo) == (
        Decimal("2.5"), Decimal("-1"), True)
    assert company.company_logo(ready) == PNG_1X1


def test_calibration_page_shows_the_offsets(ready):
    company.set_company(ready, envelope_dx_mm=Decimal("3"), envelope_dy_mm=Decimal("-2"))
    with pdfplumber.open(BytesIO(company.calibration_pdf(ready))) as pdf:
        page = pdf.pages[0]
        text = page.extract_text()
        assert (round(page.width), round(page.height)) == (595, 842)  # A4
    assert "Offsets: right +3.0 mm, down -2.0 mm" in text
    assert "Address appears here" in text


def test_every_refused_company_field_is_named_at_once(books):
    from desktop_app.domain.errors import ValidationErrors
    from desktop_app.services import company as company_service

    company_service.set_company(books, name="Lindenhof GmbH", currency="EUR")
    with pytest.raises(ValidationErrors) as refused:
        company_service.set_company(books, email="not an address", iban="DE00 1234",
                                    phone="x" * 61)
    assert [e.field for e in refused.value.errors] == ["email", "phone", "iban"]
    assert company_service.get_company(books).email == ""  # nothing changed
