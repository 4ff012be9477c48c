"""A quote's follow-up step keeps a note PaidUp wrote (write or call instead, and why) as a
message and its values beside the English, so that Today says it in the user's language.
Steps noted before, and notes a person typed, have no message: they show their English.

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("quote_steps", sa.Column("note_message", sa.Text(), nullable=False,
                                           server_default=""))
    op.add_column("quote_steps", sa.Column("note_params", sa.Text(), nullable=False,
                                           server_default=""))


def downgrade() -> None:
    op.drop_column("quote_steps", "note_params")
    op.drop_column("quote_steps", "note_message")
