"""Money in any order of events: allocations carry the day they count from and may come
from a write-off or settle one charge; charges keep what their reminder claimed, what was
written off of them, what they were about, and whether a payment plan took them over (one
fee may now move among the installments a reminder named, so the once-per-stage index goes:
the stage records keep a stage once); a write-off keeps what was asked of it; terms and
invoices state their fee rule; a payment keeps what it settles first; a plan knows the
money booked before it; a step held for its cost can be approved.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

MINOR = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # Plain ADD COLUMN on the tables with triggers (invoices): no rebuild.
    for table in ("payment_terms", "invoices"):
        op.add_column(table, sa.Column("fee_rule", sa.String(length=16), nullable=False,
                                       server_default="per_reminder"))

    op.add_column("payments", sa.Column("settles", sa.String(length=16), nullable=False,
                                        server_default="charges_first"))
    op.execute("UPDATE payments SET settles = COALESCE((SELECT CASE WHEN value LIKE "
               "'%principal_first%' THEN 'principal_first' END FROM settings WHERE key = "
               "'payments.order'), 'charges_first')")

    op.drop_index("uq_charges_installment_stage_kind", table_name="charges")
    op.add_column("charges", sa.Column("claimed_minor", MINOR, nullable=False,
                                       server_default="0"))
    op.add_column("charges", sa.Column("written_off_minor", MINOR, nullable=False,
                                       server_default="0"))
    op.add_column("charges", sa.Column("covers", sa.Text(), nullable=False,
                                       server_default="[]"))
    op.add_column("charges", sa.Column("replaced_by_plan_id", sa.Integer(), nullable=True))
    op.execute("UPDATE charges SET claimed_minor = amount_minor, "
               "covers = '[' || installment_id || ']'")

    op.add_column("write_offs", sa.Column("requested_minor", MINOR, nullable=True))
    op.execute("UPDATE write_offs SET requested_minor = amount_minor")

    op.add_column("payment_plans", sa.Column("last_payment_id", sa.Integer(), nullable=True))
    op.add_column("payment_plans", sa.Column("last_write_off_id", sa.Integer(),
                                             nullable=True))
    op.execute(
        "UPDATE payment_plans SET last_payment_id = (SELECT max(a.payment_id) FROM allocations a"
        " JOIN installments i ON i.id = a.installment_id WHERE i.invoice_id = "
        "payment_plans.invoice_id AND (i.plan_id IS NULL OR i.plan_id <> payment_plans.id)), "
        "last_write_off_id = (SELECT max(w.id) FROM write_offs w WHERE w.invoice_id = "
        "payment_plans.invoice_id AND w.written_on <= payment_plans.agreed_on)")

    # allocations has no triggers: SQLite may rebuild it to let payment_id be empty.
    op.add_column("allocations", sa.Column("on_day", sa.Date(), nullable=True))
    op.execute("UPDATE allocations SET on_day = (SELECT p.paid_on FROM payments p "
               "WHERE p.id = allocations.payment_id)")
    with op.batch_alter_table("allocations") as batch_op:
        batch_op.alter_column("payment_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("on_day", existing_type=sa.Date(), nullable=False)
        batch_op.add_column(sa.Column("write_off_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("charge_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_allocations_write_off_id_write_offs"),
                                    "write_offs", ["write_off_id"], ["id"])
        batch_op.create_foreign_key(op.f("fk_allocations_charge_id_charges"), "charges",
                                    ["charge_id"], ["id"])

    op.create_table(
        "followup_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installment_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["installment_id"], ["installments.id"],
                                name=op.f("fk_followup_approvals_installment_id_installments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_approvals")),
        sa.UniqueConstraint("installment_id", "stage",
                            name=op.f("uq_followup_approvals_installment_id")),
    )


def downgrade() -> None:
    op.drop_table("followup_approvals")
    op.execute("DELETE FROM allocations WHERE payment_id IS NULL")
    with op.batch_alter_table("allocations") as batch_op:
        batch_op.drop_constraint(op.f("fk_allocations_charge_id_charges"), type_="foreignkey")
        batch_op.drop_constraint(op.f("fk_allocations_write_off_id_write_offs"),
                                 type_="foreignkey")
        batch_op.drop_column("charge_id")
        batch_op.drop_column("write_off_id")
        batch_op.drop_column("on_day")
        batch_op.alter_column("payment_id", existing_type=sa.Integer(), nullable=False)
    for table, columns in (
            ("payment_plans", ("last_write_off_id", "last_payment_id")),
            ("write_offs", ("requested_minor",)),
            ("payments", ("settles",)),
            ("charges", ("replaced_by_plan_id", "covers", "written_off_minor",
                         "claimed_minor"))):
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.drop_column(column)
    op.create_index("uq_charges_installment_stage_kind", "charges",
                    ["installment_id", "stage", "kind"], unique=True)
    for table in ("invoices", "payment_terms"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("fee_rule")
