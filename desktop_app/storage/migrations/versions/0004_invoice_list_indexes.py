"""The invoice list of a big book: search as you type reads an index of the columns it
matches and sorts on (customer name, number, issue date) instead of the whole table, and
the list newest first reads the issue-date index in order instead of sorting.

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
    op.create_index("ix_invoices_search", "invoices", ["customer_name", "number", "issue_date"])
    op.create_index("ix_invoices_issue_date", "invoices", ["issue_date"])


def downgrade() -> None:
    op.drop_index("ix_invoices_issue_date", table_name="invoices")
    op.drop_index("ix_invoices_search", table_name="invoices")
