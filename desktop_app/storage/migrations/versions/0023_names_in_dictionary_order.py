"""The invoice and payment lists sort customers as the customer list does, as people look
names up (accents and case folded: "Bäckerei" before "Blue Harbor Café"), where the
database's byte order put every accented letter after "z": a customer and an invoice keep
the folded name beside the name, and the invoice list by customer reads it from an index in
order, as the newest-first list reads ix_invoices_list.

The keys of books already in use are folded here, once per distinct name (a big book has
100,000 invoices but a few thousand names), and written through a scratch table of names
and keys in one UPDATE per table. Plain ADD COLUMN: SQLite rebuilds no table, so the
freezing triggers stay; the key is not among the columns they freeze, so issued invoices
take it too.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

# Spelled out (not imported from the models): a migration stays as it was written.
KEY = sa.String(length=200).with_variant(sa.String(length=200, collation="C"), "postgresql")
NAMED = (("customers", "name", "name_key"), ("invoices", "customer_name", "customer_name_key"))


def _folded(name: str) -> str:
    """collation.name_key's folded part as of this revision, cut to the column's width."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))[:200]


def _fill(conn: sa.Connection, table: str, name: str, key: str) -> None:
    names = conn.execute(sa.text(f"SELECT DISTINCT {name} FROM {table}")).scalars()
    keys = [{"name": n, "key": k} for n, k in ((n, _folded(n)) for n in names) if k]
    if not keys:
        return
    conn.execute(sa.text("CREATE TEMPORARY TABLE paidup_name_keys ("
                         "name VARCHAR(200) PRIMARY KEY, name_key VARCHAR(200) NOT NULL)"))
    conn.execute(sa.text("INSERT INTO paidup_name_keys (name, name_key) VALUES (:name, :key)"),
                 keys)
    conn.execute(sa.text(
        f"UPDATE {table} SET {key} = (SELECT k.name_key FROM paidup_name_keys k "
        f"WHERE k.name = {table}.{name}) WHERE {name} IN (SELECT name FROM paidup_name_keys)"))
    conn.execute(sa.text("DROP TABLE paidup_name_keys"))


def upgrade() -> None:
    conn = op.get_bind()
    for table, name, key in NAMED:
        op.add_column(table, sa.Column(key, KEY, nullable=False, server_default=""))
        _fill(conn, table, name, key)
    op.create_index("ix_customers_name_key", "customers", ["name_key", "name"])
    op.create_index("ix_invoices_customer_order", "invoices",
                    ["customer_name_key", "customer_name", "id", "number"])


def downgrade() -> None:
    op.drop_index("ix_invoices_customer_order", table_name="invoices")
    op.drop_index("ix_customers_name_key", table_name="customers")
    for table, _name, key in reversed(NAMED):
        op.drop_column(table, key)  # in place: the invoices keep their triggers
