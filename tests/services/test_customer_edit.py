"""Editing a customer: every field and the contacts replaced, refusals name the field."""

from decimal import Decimal

import pytest

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.services import customers, invoices
from desktop_app.services.customers import CustomerInput
from tests.support.books import ISSUE, draft


def edit(**changes) -> CustomerInput:
    base = dict(name="Müller & Söhne KG", email="billing@mueller.example",
                address="Hauptstr. 5\n80331 München", phone="+49 89 123", language="de",
                terms="2/10 net 30", credit_limit="5000.00",
                contacts=(("billing", "Anna", "anna@mueller.example"),
                          ("executive", "Carl", "carl@mueller.example")),
                notes="Pays on Fridays")
    base.update(changes)
    return CustomerInput(**base)


def test_edit_replaces_details_and_contacts(ready):
    view = customers.update_customer(ready, 1, edit())
    assert (view.name, view.email, view.phone, view.language, view.terms) == (
        "Müller & Söhne KG", "billing@mueller.example", "+49 89 123", "de", "2/10 net 30")
    assert view.credit_limit == Decimal("5000.00")
    assert view.notes == "Pays on Fridays"
    assert [(c.role, c.name, c.email) for c in view.contacts] == [
        ("billing", "Anna", "anna@mueller.example"),
        ("executive", "Carl", "carl@mueller.example")]
    again = customers.show_customer(ready, 1)
    assert again == view


def test_edit_without_billing_contact_makes_the_main_email_billing(ready):
    view = customers.update_customer(ready, 1, edit(contacts=[
        "accounts_payable:Eva:eva@mueller.example"]))
    assert [(c.role, c.email) for c in view.contacts] == [
        ("billing", "billing@mueller.example"), ("accounts_payable", "eva@mueller.example")]


def test_edit_clears_terms_and_credit_limit(ready):
    view = customers.update_customer(ready, 1, edit(terms=None, credit_limit=""))
    assert view.terms is None and view.credit_limit is None


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "  "}, "name"),
    ({"email": "not-an-address"}, "email"),
    ({"language": "xx"}, "language"),
    ({"credit_limit": "-5"}, "credit-limit"),
    ({"credit_limit": "12.345"}, "credit-limit"),
    ({"terms": "Net 99"}, "terms"),
    ({"contacts": [("cfo", "Carl", "carl@x.example")]}, "contact 1 role"),
    ({"contacts": [("billing", "A", "a@x.example"), ("executive", "C", "broken")]},
     "contact 2 email"),
    ({"contacts": [("billing", "", "")]}, "contact 1"),
])
def test_edit_refusals_name_the_field_and_change_nothing(ready, changes, field):
    before = customers.show_customer(ready, 1)
    with pytest.raises(ValidationError) as refused:
        customers.update_customer(ready, 1, edit(**changes))
    assert refused.value.field == field
    assert customers.show_customer(ready, 1) == before


def test_edit_of_an_unknown_customer_is_refused(ready):
    with pytest.raises(NotFound):
        customers.update_customer(ready, 99, edit())


def test_issued_invoice_keeps_the_name_it_was_issued_with(ready):
    inv = draft(ready, "Work|1|100")
    invoices.issue_invoice(ready, inv, ISSUE)
    open_draft = draft(ready, "More work|1|50")
    customers.update_customer(ready, 1, edit(name="Müller Holding"))
    assert invoices.show_invoice(ready, inv).customer_name == "Müller & <Söhne>"
    rows = {r.id: r for r in invoices.list_invoices(ready)}
    assert rows[inv].customer_name == "Müller & <Söhne>"
    # A draft is not frozen: saving it again picks up the new name.
    invoices.update_draft(ready, open_draft, invoices.DraftInput(1, ["More work|1|50"]))
    assert invoices.show_invoice(ready, open_draft).customer_name == "Müller Holding"


def test_add_customer_takes_contacts_as_form_rows(ready):
    view = customers.add_customer(ready, credit_granted=True,
                                  name="Acme", email="ap@acme.example", contacts=[
        ("sales_rep", "Our Sam", "sam@lindenhof.example")])
    assert [(c.role, c.name) for c in view.contacts] == [("billing", "Acme"),
                                                          ("sales_rep", "Our Sam")]


def test_choices_and_a_list_without_contacts(ready):
    acme = customers.add_customer(ready, credit_granted=True, name="Acme", terms="2/10 net 30").id
    assert [(c.id, c.name, c.terms) for c in customers.customer_choices(ready)] == [
        (acme, "Acme", "2/10 net 30"), (1, "Müller & <Söhne>", "Net 30")]
    light = customers.list_customers(ready, with_contacts=False)
    full = customers.list_customers(ready)
    assert [c.contacts for c in light] == [(), ()]
    assert [c.terms for c in light] == [c.terms for c in full] == ["2/10 net 30", "Net 30"]
    assert len(full[1].contacts) == 2
