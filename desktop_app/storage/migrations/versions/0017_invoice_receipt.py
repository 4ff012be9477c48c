"""Confirm the invoice arrived: the customer's word that it did (who, when, how), whether a
customer's invoice emails ask for a read receipt, and whether a customer is asked by phone.

Books already in use keep the follow-up they had: when they run on the built-in ladder (no
saved default policy), that ladder is saved as their default as it stood, without the new
receipt question, which the user adds in the follow-up settings when they want it. New books
get the built-in ladder with the question.

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop_app.domain.followup import Policy, policy_to_json, standard_policy

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoice_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("received_by", sa.String(length=200), nullable=False),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"],
                                name=op.f("fk_invoice_receipts_invoice_id_invoices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_receipts")),
        sa.UniqueConstraint("invoice_id", name=op.f("uq_invoice_receipts_invoice_id")),
    )
    op.add_column("customers", sa.Column("read_receipt", sa.Boolean(create_constraint=False),
                                         nullable=True))
    op.add_column("customers", sa.Column("receipt_by_call", sa.Boolean(create_constraint=False),
                                         nullable=False, server_default=sa.text("false")))
    _keep_the_ladder_of_books_in_use()


def _keep_the_ladder_of_books_in_use() -> None:
    bind = op.get_bind()
    currency = bind.execute(sa.text("SELECT currency FROM companies ORDER BY id LIMIT 1")
                            ).scalar()
    saved = bind.execute(sa.text("SELECT count(*) FROM policies WHERE is_default")).scalar()
    if currency is None or saved:
        return
    built_in = standard_policy(currency)
    before = Policy(built_in.name, tuple(s for s in built_in.stages if s.anchor != "sent"))
    named = bind.execute(sa.text("SELECT count(*) FROM policies WHERE name = :name"),
                         {"name": before.name}).scalar()
    if named:
        return  # a saved policy of that name is theirs: the built-in is not overwritten
    bind.execute(sa.text("INSERT INTO policies (name, body, is_default) "
                         "VALUES (:name, :body, :yes)"),
                 {"name": before.name, "body": policy_to_json(before), "yes": True})


def downgrade() -> None:
    op.drop_column("customers", "receipt_by_call")
    op.drop_column("customers", "read_receipt")
    op.drop_table("invoice_receipts")
