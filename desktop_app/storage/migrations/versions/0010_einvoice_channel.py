"""E-invoices: the format each customer receives with the identifiers it needs (a Leitweg-ID
for a German public buyer, a Peppol endpoint), and the company's own Peppol endpoint.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customers", sa.Column("einvoice_format", sa.String(16), nullable=True))
    op.add_column("customers", sa.Column("leitweg_id", sa.String(64), nullable=False,
                                         server_default=""))
    op.add_column("customers", sa.Column("peppol_id", sa.String(100), nullable=False,
                                         server_default=""))
    op.add_column("companies", sa.Column("peppol_id", sa.String(100), nullable=False,
                                         server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("companies") as batch_op:
        batch_op.drop_column("peppol_id")
    with op.batch_alter_table("customers") as batch_op:
        for name in ("peppol_id", "leitweg_id", "einvoice_format"):
            batch_op.drop_column(name)
