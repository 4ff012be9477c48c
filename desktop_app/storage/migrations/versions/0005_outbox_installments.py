"""An outbox message names the installments it reminds of, so a reminder that waited while
the customer paid (or disputed, or the invoice was voided) is not sent after all.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("installments", sa.Text(), nullable=False,
                                      server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("installments")
