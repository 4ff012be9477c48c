"""Retainers: the same invoice every month, quarter or year; its prices from a day on, its
pauses, and one row per period invoiced, unique per retainer and period, so that no period
is invoiced twice (two computers at once, a crash, a second run).

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retainers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("every", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("terms_name", sa.String(length=100), nullable=False),
        sa.Column("deliver", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"],
                                name=op.f("fk_retainers_company_id_companies")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_retainers_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retainers")),
    )
    op.create_index(op.f("ix_retainers_customer_id"), "retainers", ["customer_id"])
    op.create_table(
        "retainer_invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retainer_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"],
                                name=op.f("fk_retainer_invoices_invoice_id_invoices")),
        sa.ForeignKeyConstraint(["retainer_id"], ["retainers.id"],
                                name=op.f("fk_retainer_invoices_retainer_id_retainers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retainer_invoices")),
        sa.UniqueConstraint("retainer_id", "period_start",
                            name=op.f("uq_retainer_invoices_retainer_id")),
    )
    op.create_table(
        "retainer_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retainer_id", sa.Integer(), nullable=False),
        sa.Column("paused_from", sa.Date(), nullable=False),
        sa.Column("resumed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["retainer_id"], ["retainers.id"],
                                name=op.f("fk_retainer_pauses_retainer_id_retainers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retainer_pauses")),
    )
    op.create_index(op.f("ix_retainer_pauses_retainer_id"), "retainer_pauses", ["retainer_id"])
    op.create_table(
        "retainer_prices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retainer_id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("lines", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["retainer_id"], ["retainers.id"],
                                name=op.f("fk_retainer_prices_retainer_id_retainers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retainer_prices")),
        sa.UniqueConstraint("retainer_id", "effective_from",
                            name=op.f("uq_retainer_prices_retainer_id")),
    )


def downgrade() -> None:
    op.drop_table("retainer_prices")
    op.drop_index(op.f("ix_retainer_pauses_retainer_id"), table_name="retainer_pauses")
    op.drop_table("retainer_pauses")
    op.drop_table("retainer_invoices")
    op.drop_index(op.f("ix_retainers_customer_id"), table_name="retainers")
    op.drop_table("retainers")
