"""0018 on books that exist: every customer already in them keeps the credit it had (marked
as granted, with no application), on SQLite and PostgreSQL; and the way back drops what
only 0018 knows."""

from alembic import command
from sqlalchemy import inspect as sa_inspect

from desktop_app.services import credit_applications, customers, invoices
from desktop_app.services.books import open_books
from desktop_app.storage import database
from tests.support.books import ISSUE, draft, fixed_clock, fixed_day, make_ready


def _migrate(db_url: str, revision: str) -> None:
    db = database.connect(db_url)
    try:
        cfg = database.alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            if revision == "head":
                command.upgrade(cfg, revision)
            else:
                command.downgrade(cfg, revision)
            tables = set(sa_inspect(conn).get_table_names())
    finally:
        db.close()
    assert ("credit_applications" in tables) == (revision == "head")


def test_customers_of_existing_books_keep_their_credit_after_0018(db_url):
    books = make_ready(open_books(db_url, clock=fixed_clock, today=fixed_day))
    try:
        newcomer = customers.add_customer(books, name="Neukunde GmbH", terms="Net 30").id
        assert credit_applications.show(books, newcomer).standing == "undecided"
    finally:
        books.close()
    _migrate(db_url, "0015")  # books as they were before credit applications
    _migrate(db_url, "head")
    books = open_books(db_url, clock=fixed_clock, today=fixed_day)
    try:
        for customer_id in (1, newcomer):
            view = credit_applications.show(books, customer_id)
            assert (view.standing, view.credit_granted, view.application) == (
                "granted", True, None)
        issued = invoices.issue_invoice(books, draft(books, "Beratung|1|100.00|19",
                                                     customer_id=newcomer), ISSUE)
        assert issued.due_date > ISSUE  # on its terms, as before
        added = customers.add_customer(books, name="Later AG").id  # new from now on
        assert credit_applications.show(books, added).standing == "undecided"
    finally:
        books.close()
