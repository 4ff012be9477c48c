"""A bank transaction keeps its reason as a message and its values beside the English, so
that the window says why a transfer was booked, or what is proposed, in the user's language.
Transactions stored before have no message: they are shown with their English reason.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("bank_transactions", sa.Column("reason_message", sa.Text(), nullable=False,
                                                 server_default=""))
    op.add_column("bank_transactions", sa.Column("reason_params", sa.Text(), nullable=False,
                                                 server_default=""))


def downgrade() -> None:
    op.drop_column("bank_transactions", "reason_params")
    op.drop_column("bank_transactions", "reason_message")
