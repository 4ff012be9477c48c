"""A customer's money is replayed by deleting what the payments and write-offs settled and
writing it afresh: those deletes find their rows by index, where they read every allocation
and every credit of the book.

Revision ID: 0014
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_allocations_write_off_id", "allocations", ["write_off_id"])
    op.create_index("ix_customer_credits_payment_id", "customer_credits", ["payment_id"])


def downgrade() -> None:
    op.drop_index("ix_customer_credits_payment_id", table_name="customer_credits")
    op.drop_index("ix_allocations_write_off_id", table_name="allocations")
