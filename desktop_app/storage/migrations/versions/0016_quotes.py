"""Quotes: written quotes with their own number series and a short validity, their lines
with availability notes, and the steps of their follow-up ladder (each once per quote).

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop_app.storage.types import DecimalText

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

MINOR = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
STAMP = sa.DateTime(timezone=True)


def _money(name: str) -> sa.Column:
    return sa.Column(name, MINOR, nullable=False)


def upgrade() -> None:
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("quote_date", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        _money("subtotal_minor"), _money("tax_minor"), _money("total_minor"),
        sa.Column("schedule_spec", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("customer_name", sa.String(length=200), nullable=False),
        sa.Column("customer_address", sa.Text(), nullable=False),
        sa.Column("customer_language", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"],
                                name=op.f("fk_quotes_company_id_companies")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_quotes_customer_id_customers")),
        sa.ForeignKeyConstraint(["document_id"], ["stored_documents.id"],
                                name=op.f("fk_quotes_document_id_stored_documents")),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"],
                                name=op.f("fk_quotes_invoice_id_invoices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_quotes_company_id")),
    )
    op.create_index(op.f("ix_quotes_customer_id"), "quotes", ["customer_id"])
    op.create_index("ix_quotes_state_valid", "quotes", ["state", "valid_until"])

    op.create_table(
        "quote_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("quantity", DecimalText(length=40), nullable=False),
        sa.Column("unit_price", DecimalText(length=40), nullable=False),
        sa.Column("tax_percent", DecimalText(length=40), nullable=False),
        sa.Column("discount_percent", DecimalText(length=40), nullable=False),
        _money("net_minor"), _money("tax_minor"),
        sa.Column("unit", sa.String(length=3), nullable=False),
        sa.Column("vat_category", sa.String(length=2), nullable=False),
        sa.Column("exemption_reason", sa.Text(), nullable=False),
        sa.Column("availability", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["quote_id"], ["quotes.id"],
                                name=op.f("fk_quote_lines_quote_id_quotes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_lines")),
    )
    op.create_index(op.f("ix_quote_lines_quote_id"), "quote_lines", ["quote_id"])

    op.create_table(
        "quote_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["quote_id"], ["quotes.id"],
                                name=op.f("fk_quote_steps_quote_id_quotes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_steps")),
        sa.UniqueConstraint("quote_id", "step", name=op.f("uq_quote_steps_quote_id")),
    )


def downgrade() -> None:
    op.drop_table("quote_steps")
    op.drop_index(op.f("ix_quote_lines_quote_id"), table_name="quote_lines")
    op.drop_table("quote_lines")
    op.drop_index("ix_quotes_state_valid", table_name="quotes")
    op.drop_index(op.f("ix_quotes_customer_id"), table_name="quotes")
    op.drop_table("quotes")
