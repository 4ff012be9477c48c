"""Customer lists in dictionary order, on both databases (their own collations differ)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop_app.domain.collation import name_key
from desktop_app.services import customers, invoices, payments
from desktop_app.services.demo import STORY_LIMIT, fill_demo
from desktop_app.storage import tables as t
from tests.support.books import ISSUE, draft, fixed_day


def test_customers_are_listed_as_people_look_them_up(ready) -> None:
    existing = [c.name for c in customers.list_customers(ready)]
    for name in ("Blue Harbor Café", "Bäckerei Schmidt", "zeta Werkstatt", "Zander GmbH"):
        customers.add_customer(ready, name=name, email="ap@example.com")
    listed = [c.name for c in customers.list_customers(ready) if c.name not in existing]
    chosen = [c.name for c in customers.customer_choices(ready) if c.name not in existing]
    assert listed == chosen == ["Bäckerei Schmidt", "Blue Harbor Café", "Zander GmbH",
                                "zeta Werkstatt"]


# In the order people look them up: "ä" files as "a", "É" as "e"; two names with one key
# keep the order of the names as written.
IN_ORDER = ("Bäckerei Sonnenschein", "Blue Harbor Café", "Dach", "Éclair", "Fenster Muller",
            "Fenster Müller")


@pytest.fixture
def named(ready):
    """Two issued invoices, each paid in part, for each of the customers above (added in
    another order), and a draft for the first of them."""
    ids = {}
    for name in ("Fenster Müller", "Éclair", "Blue Harbor Café", "Fenster Muller", "Dach",
                 "Bäckerei Sonnenschein"):
        customer = customers.add_customer(ready, name=name, credit_granted=True).id
        ids[name] = customer
        for n in range(2):
            inv = draft(ready, f"Work|1|{100 + n}.00", customer_id=customer)
            invoices.issue_invoice(ready, inv, ISSUE)
            payments.record_payment(ready, payments.PaymentInput(inv, "10.00", ISSUE))
    draft(ready, "Later|1|5.00", customer_id=ids["Fenster Müller"])
    return ready, ids


def _ours(names: list[str]) -> list[str]:
    """The names in list order, each once (the customer from ``ready`` left out)."""
    return list(dict.fromkeys(n for n in names if n in IN_ORDER))


def test_invoices_sort_by_customer_as_people_look_names_up(named) -> None:
    books, _ = named
    up = invoices.invoice_ids(books, sort="customer", descending=False)
    down = invoices.invoice_ids(books, sort="customer", descending=True)
    assert down == up[::-1]
    rows = invoices.invoice_rows(books, up)
    assert _ours([r.customer_name for r in rows]) == list(IN_ORDER)
    # one customer's invoices in the order they were made, under each other
    for name in IN_ORDER:
        theirs = [r.id for r in rows if r.customer_name == name]
        assert theirs == sorted(theirs)
        assert up.index(theirs[-1]) - up.index(theirs[0]) == len(theirs) - 1
    for descending, whole in ((False, up), (True, down)):
        paged = [r.id for offset in range(0, len(whole), 4)
                 for r in invoices.list_invoices(books, sort="customer", descending=descending,
                                                 limit=4, offset=offset)]
        assert paged == whole


def test_payments_sort_by_customer_as_people_look_names_up(named) -> None:
    books, _ = named
    up = payments.payment_ids(books, sort="customer", descending=False)
    down = payments.payment_ids(books, sort="customer", descending=True)
    assert down == up[::-1] and len(up) == 2 * len(IN_ORDER)
    rows = payments.payment_rows(books, up)
    assert _ours([r.customer_name for r in rows]) == list(IN_ORDER)
    assert [r.customer_name for r in payments.payment_rows(books, down)][:2] == [
        "Fenster Müller"] * 2


def test_a_name_keeps_its_sort_key_wherever_it_is_written(named) -> None:
    """A customer renamed sorts under its new name; its drafts take the name (and the key)
    when edited or issued, its issued invoices keep the name they were issued with."""
    books, ids = named
    customer = ids["Bäckerei Sonnenschein"]
    later, edited = (draft(books, "More|1|5.00", customer_id=customer) for _ in range(2))
    customers.amend_customer(books, customer, name="Zwieback Ölmühle")
    up = payments.payment_rows(books, payments.payment_ids(books, sort="customer",
                                                           descending=False))
    assert up[-1].customer_name == "Zwieback Ölmühle"
    invoices.issue_invoice(books, later, ISSUE)
    invoices.update_draft(books, edited, invoices.DraftInput(customer_id=customer,
                                                             lines=["More|2|5.00"]))
    rows = invoices.invoice_rows(books, invoices.invoice_ids(books, sort="customer",
                                                             descending=False))
    assert [(r.id, r.customer_name) for r in rows[-2:]] == [
        (later, "Zwieback Ölmühle"), (edited, "Zwieback Ölmühle")]
    assert rows[0].customer_name == "Bäckerei Sonnenschein"  # issued before, as issued
    with books.db.read_rows() as conn:
        keys = dict(conn.execute(select(t.invoices.c.id, t.invoices.c.customer_name_key)).all())
        customer_key = conn.execute(select(t.customers.c.name_key).where(
            t.customers.c.id == customer)).scalar_one()
    assert keys[later] == keys[edited] == customer_key == "zwieback olmuhle"


def test_bulk_inserted_books_get_their_keys(books) -> None:
    """The demo's big books go in as plain rows, past the objects: the columns' defaults
    give them their keys all the same."""
    fill_demo(books, as_of=fixed_day(), invoices=STORY_LIMIT + 20)
    with books.db.read_rows() as conn:
        named_rows = [*conn.execute(select(t.invoices.c.customer_name,
                                           t.invoices.c.customer_name_key)),
                      *conn.execute(select(t.customers.c.name, t.customers.c.name_key))]
    assert len(named_rows) > STORY_LIMIT
    assert all(key == name_key(name)[0] for name, key in named_rows)
    assert any(key != name for name, key in named_rows)
