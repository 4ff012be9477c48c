"""Money in any order of events: allocations carry the day they count from and may come
from a write-off or settle one charge; charges keep what their reminder claimed, what was
written off of them, what they were about, and whether a payment plan took them over (one
fee may now move among the installments a reminder named, so the once-per-stage index goes:
the stage records keep a stage once); a write-off keeps what was asked of it; terms and
invoices state their fee rule; a payment keeps what it settles first; a plan knows the
money booked before it; a step held for its cost can be approved.

The invoice's fee rule freezes on issue with the rest of its terms: the freezing triggers are
made again with it. Columns are added and dropped in place (SQLite makes no table anew, so
the invoices' triggers stay); only allocations, which has none, is made anew on SQLite.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

MINOR = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
FROZEN = "issued invoices are frozen; correct them with a credit note"
# The columns that freeze when an invoice is issued (as of 0011).
FROZEN_BEFORE = (
    "company_id", "customer_id", "number", "issue_date", "due_date", "currency",
    "subtotal_minor", "tax_minor", "total_minor", "terms_id", "terms_name", "net_days",
    "discount_percent", "discount_days", "late_fee_minor", "interest_annual_percent",
    "grace_days", "instructions", "customer_name", "customer_address", "customer_language",
    "schedule_spec", "schedule_every", "created_at", "issued_at", "payment_reference",
    "supply_date", "period_start", "period_end", "buyer_reference", "order_reference",
    "customer_vat_id", "customer_number", "customer_country", "customer_consumer",
    "late_rule",
)


def _freeze(columns: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
        op.execute("DROP TRIGGER invoices_frozen")
        op.execute(f"""CREATE TRIGGER invoices_frozen BEFORE UPDATE ON invoices
            WHEN OLD.state <> 'draft' AND (NEW.state = 'draft' OR {changed})
            BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""")
        return
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)
    op.execute(f"""CREATE OR REPLACE FUNCTION paidup_invoices_frozen() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            IF OLD.state <> 'draft' THEN RAISE EXCEPTION '{FROZEN}'; END IF;
            RETURN OLD;
          END IF;
          IF OLD.state <> 'draft' AND (NEW.state = 'draft' OR {changed}) THEN
            RAISE EXCEPTION '{FROZEN}';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""")


def _rebuild_allocations(*, later: bool) -> None:
    """SQLite changes neither a column's NOT NULL nor its foreign keys in place: the table
    is made anew and its rows copied. Made explicitly, not by a batch copy, whose order of
    constraints is left to chance: a book's schema must read the same on every machine (a
    restore compares it with what the migrations build)."""
    extra = [sa.Column("on_day", sa.Date(), nullable=False),
             sa.Column("write_off_id", sa.Integer(), nullable=True),
             sa.Column("charge_id", sa.Integer(), nullable=True),
             sa.ForeignKeyConstraint(["write_off_id"], ["write_offs.id"],
                                     name=op.f("fk_allocations_write_off_id_write_offs")),
             sa.ForeignKeyConstraint(["charge_id"], ["charges.id"],
                                     name=op.f("fk_allocations_charge_id_charges"))]
    op.drop_index(op.f("ix_allocations_installment_id"), table_name="allocations")
    op.drop_index(op.f("ix_allocations_payment_id"), table_name="allocations")
    op.rename_table("allocations", "_allocations_old")
    op.create_table(
        "allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=later),
        sa.Column("installment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", MINOR, nullable=False),
        sa.ForeignKeyConstraint(["installment_id"], ["installments.id"],
                                name=op.f("fk_allocations_installment_id_installments")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"],
                                name=op.f("fk_allocations_payment_id_payments")),
        *(extra if later else ()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocations")),
    )
    kept = "id, payment_id, installment_id, kind, amount_minor" + (", on_day" if later else "")
    op.execute(f"INSERT INTO allocations ({kept}) SELECT {kept} FROM _allocations_old")
    op.drop_table("_allocations_old")
    op.create_index(op.f("ix_allocations_installment_id"), "allocations", ["installment_id"])
    op.create_index(op.f("ix_allocations_payment_id"), "allocations", ["payment_id"])


def upgrade() -> None:
    # Plain ADD COLUMN on the tables with triggers (invoices): no rebuild.
    for table in ("payment_terms", "invoices"):
        op.add_column(table, sa.Column("fee_rule", sa.String(length=16), nullable=False,
                                       server_default="per_reminder"))
    _freeze((*FROZEN_BEFORE, "fee_rule"))

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

    # allocations has no triggers; on SQLite it is made anew to let payment_id be empty.
    op.add_column("allocations", sa.Column("on_day", sa.Date(), nullable=True))
    op.execute("UPDATE allocations SET on_day = (SELECT p.paid_on FROM payments p "
               "WHERE p.id = allocations.payment_id)")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_allocations(later=True)
    else:
        op.alter_column("allocations", "payment_id", existing_type=sa.Integer(),
                        nullable=True)
        op.alter_column("allocations", "on_day", existing_type=sa.Date(), nullable=False)
        op.add_column("allocations", sa.Column("write_off_id", sa.Integer(), nullable=True))
        op.add_column("allocations", sa.Column("charge_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_allocations_write_off_id_write_offs"), "allocations",
                              "write_offs", ["write_off_id"], ["id"])
        op.create_foreign_key(op.f("fk_allocations_charge_id_charges"), "allocations",
                              "charges", ["charge_id"], ["id"])

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
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_allocations(later=False)
    else:
        op.drop_constraint(op.f("fk_allocations_charge_id_charges"), "allocations",
                           type_="foreignkey")
        op.drop_constraint(op.f("fk_allocations_write_off_id_write_offs"), "allocations",
                           type_="foreignkey")
        for column in ("charge_id", "write_off_id", "on_day"):
            op.drop_column("allocations", column)
        op.alter_column("allocations", "payment_id", existing_type=sa.Integer(),
                        nullable=False)
    for table, columns in (
            ("payment_plans", ("last_write_off_id", "last_payment_id")),
            ("write_offs", ("requested_minor",)),
            ("payments", ("settles",)),
            ("charges", ("replaced_by_plan_id", "covers", "written_off_minor",
                         "claimed_minor"))):
        for column in columns:  # plain columns: dropped in place, no table made anew
            op.drop_column(table, column)
    op.create_index("uq_charges_installment_stage_kind", "charges",
                    ["installment_id", "stage", "kind"], unique=True)
    # The trigger lets go of the column first; a plain DROP COLUMN keeps the table (and its
    # triggers) where a batch would make it anew without them.
    _freeze(FROZEN_BEFORE)
    for table in ("invoices", "payment_terms"):
        op.drop_column(table, "fee_rule")
