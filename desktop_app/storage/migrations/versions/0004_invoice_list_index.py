"""The invoice list of a big book reads one index: newest first in order, with nothing to
sort, and search as you type matches customer names and numbers in it instead of reading
the whole table.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_invoices_list", "invoices",
                    ["issue_date", "id", "customer_name", "number"])


def downgrade() -> None:
    op.drop_index("ix_invoices_list", table_name="invoices")
