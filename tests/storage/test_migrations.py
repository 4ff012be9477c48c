"""Each released schema's books open in this version with their data, after a backup."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from desktop_app import paths
from desktop_app.services import customers, invoices
from desktop_app.services.books import open_books
from desktop_app.storage import database, tables
from desktop_app.storage.models import Base, Installment

FIXTURES = Path(__file__).with_name("fixtures")


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("books-*.sqlite3")),
                         ids=lambda p: p.stem)
def test_released_schema_migrates_with_its_data(fixture, tmp_path):
    path = tmp_path / "books.sqlite3"
    shutil.copy(fixture, path)
    books = open_books(path)
    assert database.current_revision(books.db) == database.head_revision(books.db)
    backups = list(paths.backup_dir().glob("books-*.sqlite3"))
    assert len(backups) == 1 and backups[0].stat().st_size > 0

    view = invoices.show_invoice(books, 1)
    assert (view.number, view.status, view.total, view.paid) == (
        "INV-2026-0001", "partially_paid", Decimal("1130.50"), Decimal("400.00"))
    assert [i.amount for i in view.installments] == [
        Decimal("339.15"), Decimal("339.15"), Decimal("452.20")]
    # issued before VAT was computed once per rate: its bands are its frozen line figures
    assert sum(t.net + t.tax for t in view.taxes) == view.total
    assert [line.unit for line in view.lines] == ["C62"] * len(view.lines)
    assert customers.show_customer(books, 1).name == "Müller & <Söhne>"
    with books.db.read_rows() as conn:  # the names' sort keys, folded by 0023
        assert conn.execute(select(tables.customers.c.name_key)).scalars().all() == [
            "muller & <sohne>"]
        assert set(conn.execute(select(tables.invoices.c.customer_name_key)).scalars()) == {
            "muller & <sohne>"}
    with pytest.raises(DBAPIError, match="frozen"), books.db.write() as session:
        session.execute(update(Installment).where(Installment.invoice_id == 1)
                        .values(amount_minor=1))
    books.close()


def test_the_migrations_build_exactly_the_models(db_url):
    """A model change without its migration (or the reverse) shows up here, on both
    databases."""
    books = open_books(db_url)
    try:
        with books.db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        books.close()


def test_the_shipped_revisions_are_what_alembic_reads_from_the_scripts():
    """Opening the books reads the revisions from the migration files' names, without
    Alembic; this holds that shortcut to Alembic's own reading of the scripts."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(database.alembic_config())
    assert database.known_revisions() == {r.revision for r in scripts.walk_revisions()}
    assert max(database.known_revisions()) == scripts.get_current_head()


def test_a_new_book_records_the_head_revision(tmp_path):
    books = open_books(tmp_path / "new.sqlite3")
    try:
        with books.db.engine.connect() as conn:
            recorded = MigrationContext.configure(conn).get_current_revision()
        assert recorded == database.current_revision(books.db) == database.head_revision(
            books.db)
    finally:
        books.close()


def test_templates_saved_before_optional_parts_keep_their_brackets(tmp_path):
    """A letter the user wrote with "[" "]" "|" in it prints them as typed after the upgrade
    (the fixture stands for books written by the released version, so it is edited as that
    version would have stored the template)."""
    import json
    import sqlite3

    from desktop_app.services import user_templates

    path = tmp_path / "books.sqlite3"
    shutil.copy(FIXTURES / "books-0002.sqlite3", path)
    own = "Reminder [urgent] | {invoice_numbers}\n\nDear {customer_name},\n\npay [now].\n"
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)",
                     ("letter:reminder_1:en", json.dumps(own)))
    books = open_books(path)
    try:
        view = user_templates.get_template(books, "letter", "reminder_1", "en")
        preview = user_templates.preview_template(books, "letter", "reminder_1", "en", view.text)
        assert preview.subject.startswith("Reminder [urgent] | ")
        assert "pay [now]." in preview.body
    finally:
        books.close()


def test_going_back_from_0012_keeps_the_invoices_frozen(tmp_path):
    """0012 made its way back on SQLite by rebuilding the invoices table, which dropped the
    triggers that freeze an issued invoice; back at 0011 the book is exactly what 0011's
    migrations build, and an issued invoice still cannot be changed."""
    import sqlite3

    from alembic import command

    from desktop_app.storage.backup import schema_at, schema_of

    path = tmp_path / "books.sqlite3"
    shutil.copy(FIXTURES / "books-0002.sqlite3", path)
    open_books(path).close()  # up to the head, 0012
    db = database.connect(path)
    try:
        cfg = database.alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0011")
    finally:
        db.close()
    with sqlite3.connect(path) as conn:
        assert schema_of(conn) == schema_at("0011")
        with pytest.raises(sqlite3.DatabaseError, match="frozen"):
            conn.execute("UPDATE invoices SET late_fee_minor = 1 WHERE id = 1")
    books = open_books(path)  # and up again, with its data
    try:
        assert invoices.show_invoice(books, 1).paid == Decimal("400.00")
    finally:
        books.close()


def test_back_to_0011_and_up_again_with_a_paid_invoice_on_both_databases(db_url):
    """The way back from 0012 on either database: the allocations lose what only 0012
    knows, an issued invoice stays frozen, and the way up again gives the same money."""
    from alembic import command
    from sqlalchemy import text

    from desktop_app.services import payments
    from desktop_app.services.books import open_books as opened
    from tests.support.books import ISSUE, draft, make_ready

    books = make_ready(opened(db_url))
    try:
        inv = draft(books, "Beratung|1|1000.00|19")
        invoices.issue_invoice(books, inv, ISSUE)
        payments.record_payment(books, payments.PaymentInput(inv, "400.00", ISSUE))
    finally:
        books.close()
    db = database.connect(db_url)
    try:
        cfg = database.alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0011")
        with pytest.raises(DBAPIError, match="frozen"), db.engine.begin() as conn:
            conn.execute(text("UPDATE invoices SET late_fee_minor = 1 WHERE id = :id"),
                         {"id": inv})
    finally:
        db.close()
    books = opened(db_url)
    try:
        view = invoices.show_invoice(books, inv)
        assert (view.paid, view.balance) == (Decimal("400.00"), Decimal("790.00"))
    finally:
        books.close()


def test_0013_fills_the_stage_reached_from_the_records_on_both_databases(db_url):
    """Books at 0012 with a follow-up history: 0013 gives each installment the highest
    stage of the default ladder among its records, the same the services keep from then on;
    and back to 0012 the column goes again."""
    from alembic import command
    from sqlalchemy import select, text

    from desktop_app.services.books import open_books as opened
    from desktop_app.services.demo import fill_demo
    from desktop_app.storage.tables import installments
    from tests.support.books import fixed_day

    books = opened(db_url)
    try:
        fill_demo(books, as_of=fixed_day(), invoices=80)
        with books.db.read_rows() as conn:
            kept = {i: s for i, s in conn.execute(
                select(installments.c.id, installments.c.reached_stage))}
    finally:
        books.close()
    assert sum(s is not None for s in kept.values()) > 10
    assert {s for s in kept.values()} > {None, "handover"}
    db = database.connect(db_url)
    try:
        cfg = database.alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0012")
            columns = {c["name"] for c in sa_inspect(conn).get_columns("installments")}
            assert "reached_stage" not in columns
            command.upgrade(cfg, "0013")
            filled = {i: s for i, s in conn.execute(
                text("SELECT id, reached_stage FROM installments"))}
    finally:
        db.close()
    assert filled == kept


def test_0020_keeps_a_bank_reason_as_a_message_and_going_back_keeps_the_english(db_url):
    """A transfer's reason is stored with its message and values from 0020 on; back at 0019
    the two columns go and the English stays, and up again the transfer has no message (as
    one stored before 0020): the faces show its English."""
    from alembic import command
    from sqlalchemy import text

    from desktop_app.services import bank
    from desktop_app.services.books import open_books as opened
    from tests.support import statements as files
    from tests.support.books import ISSUE, draft, make_ready
    from tests.support.statements import Transfer

    books = make_ready(opened(db_url))
    try:
        invoices.issue_invoice(books, draft(books, "Beratung|1|300.00|19"), ISSUE)
        bank.import_statement(books, files.camt([Transfer(
            "100.00", ISSUE, iban="", text=invoices.show_invoice(books, 1).number)]), "a.xml")
        [tx] = bank.list_transactions(books)
        english = "the invoice number INV-2026-0001: pays 100.00 of 357.00 open"
        assert tx.reason == english and tx.said is not None
        assert tx.said.message == "{named}: pays {paid} of {due} open"
    finally:
        books.close()
    db = database.connect(db_url)
    try:
        cfg = database.alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0019")
            columns = {c["name"] for c in sa_inspect(conn).get_columns("bank_transactions")}
            assert not columns & {"reason_message", "reason_params"}
            assert conn.execute(text("SELECT reason FROM bank_transactions")).scalar() == \
                english
            command.upgrade(cfg, "0020")
            assert conn.execute(text(
                "SELECT reason, reason_message, reason_params FROM bank_transactions")
            ).one() == (english, "", "")
    finally:
        db.close()
    books = opened(db_url)
    try:
        [tx] = bank.list_transactions(books)
        assert (tx.reason, tx.said) == (english, None)
    finally:
        books.close()


def test_0023_gives_the_names_in_a_book_their_sort_keys_on_both_databases(db_url):
    """Books at 0022 with customers and invoices, issued (frozen) and draft: 0023 folds each
    name into the key the services keep from then on; back at 0022 the keys go again."""
    from alembic import command
    from sqlalchemy import text

    from desktop_app.services import customers as customer_service
    from desktop_app.services.books import open_books as opened
    from desktop_app.storage.backup import schema_at, schema_of
    from tests.support.books import ISSUE, draft, make_ready

    named, invoiced = tables.customers.c, tables.invoices.c
    books = make_ready(opened(db_url))
    try:
        for name in ("Éclair", "Blue Harbor Café", "BÄCKEREI Groß", "上海贸易"):
            customer = customer_service.add_customer(books, name=name, credit_granted=True).id
            invoices.issue_invoice(books, draft(books, "Work|1|10.00", customer_id=customer),
                                   ISSUE)
            draft(books, "More|1|10.00", customer_id=customer)
        with books.db.read_rows() as conn:
            kept = {"customers": conn.execute(select(
                        named.id, named.name, named.name_key)).all(),
                    "invoices": conn.execute(select(
                        invoiced.id, invoiced.customer_name, invoiced.customer_name_key)).all()}
    finally:
        books.close()
    assert ("Blue Harbor Café", "blue harbor cafe") in {r[1:] for r in kept["customers"]}
    assert ("BÄCKEREI Groß", "backerei gross") in {r[1:] for r in kept["invoices"]}
    db = database.connect(db_url)
    try:
        cfg = database.alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0022")
            for table, key in (("customers", "name_key"), ("invoices", "customer_name_key")):
                assert key not in {c["name"] for c in sa_inspect(conn).get_columns(table)}
            if conn.dialect.name == "sqlite":  # what 0022 builds, triggers and all
                assert schema_of(conn.connection.dbapi_connection) == schema_at("0022")
            command.upgrade(cfg, "0023")
            filled = {
                "customers": conn.execute(text(
                    "SELECT id, name, name_key FROM customers")).all(),
                "invoices": conn.execute(text(
                    "SELECT id, customer_name, customer_name_key FROM invoices")).all()}
            if conn.dialect.name == "postgresql":  # keys compare as SQLite and Python do
                assert conn.execute(text(
                    "SELECT DISTINCT collation_name FROM information_schema.columns "
                    "WHERE column_name IN ('name_key', 'customer_name_key')")).all() == [("C",)]
            if conn.dialect.name == "sqlite":
                # the invoice list by customer reads its index in order, with nothing to sort
                plan = conn.execute(text("EXPLAIN QUERY PLAN SELECT id FROM invoices "
                                         "ORDER BY customer_name_key, customer_name, id"))
                assert [row[-1] for row in plan] == [
                    "SCAN invoices USING COVERING INDEX ix_invoices_customer_order"]
    finally:
        db.close()
    assert {table: sorted(rows) for table, rows in filled.items()} == {
        table: sorted(rows) for table, rows in kept.items()}
