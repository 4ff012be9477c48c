"""The activity log keeps each entry's message and values beside its English summary, so that
the window says it in the user's language. Entries written before, and notes a person typed,
have no message: they are shown as their summary.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("activities", sa.Column("message", sa.Text(), nullable=False,
                                          server_default=""))
    op.add_column("activities", sa.Column("params", sa.Text(), nullable=False,
                                          server_default=""))


def downgrade() -> None:
    op.drop_column("activities", "params")
    op.drop_column("activities", "message")
