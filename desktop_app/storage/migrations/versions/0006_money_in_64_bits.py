"""Money columns (integer minor units) in 64 bits on PostgreSQL: 32 bits end at
21,474,836.47, less than a mid-sized invoice in pesos or yen. SQLite's INTEGER is 64-bit
already, so nothing changes there (and its tables with triggers are not rebuilt).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MONEY_COLUMNS = (
    ("payment_terms", "late_fee_minor"),
    ("customers", "credit_limit_minor"),
    ("invoices", "subtotal_minor"),
    ("invoices", "tax_minor"),
    ("invoices", "total_minor"),
    ("invoices", "paid_minor"),
    ("invoices", "discount_minor"),
    ("invoices", "written_off_minor"),
    ("invoices", "late_fee_minor"),
    ("credit_notes", "amount_minor"),
    ("installments", "amount_minor"),
    ("installments", "paid_minor"),
    ("installments", "written_off_minor"),
    ("invoice_lines", "net_minor"),
    ("invoice_lines", "tax_minor"),
    ("payments", "amount_minor"),
    ("promises", "amount_minor"),
    ("write_offs", "amount_minor"),
    ("allocations", "amount_minor"),
    ("charges", "amount_minor"),
    ("charges", "settled_minor"),
    ("customer_credits", "amount_minor"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in MONEY_COLUMNS:
        op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in MONEY_COLUMNS:
        op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger())
