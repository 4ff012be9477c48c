"""Follow-up records, charges, calls, holds, payment plans, write-offs, policies, stored
documents, the activity log and the mail outbox.

Installments that a payment plan creates may be added to an issued invoice; everything else
about an issued invoice stays frozen.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


FROZEN = "issued invoices are frozen; correct them with a credit note"
FROZEN_INSTALLMENT_CHANGE = " OR ".join(
    f"NEW.{c} IS DISTINCT FROM OLD.{c}"
    for c in ("invoice_id", "position", "label", "due_date", "amount_minor")
)


def upgrade() -> None:
    op.create_table(
        "policies",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_policies")),
    )
    op.create_table(
        "invoice_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_invoice_holds_invoice_id_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_holds")),
    )
    with op.batch_alter_table("invoice_holds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoice_holds_invoice_id"), ["invoice_id"], unique=False
        )

    op.create_table(
        "payment_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("grace_days", sa.Integer(), nullable=False),
        sa.Column("schedule_spec", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False, server_default="open"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_payment_plans_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_payment_plans_invoice_id_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_plans")),
    )
    with op.batch_alter_table("payment_plans", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_plans_invoice_id"), ["invoice_id"], unique=False
        )

    op.create_table(
        "stored_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_stored_documents_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_stored_documents_invoice_id_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_documents")),
    )
    with op.batch_alter_table("stored_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stored_documents_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stored_documents_invoice_id"), ["invoice_id"], unique=False
        )

    op.create_table(
        "write_offs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_write_offs_invoice_id_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_write_offs")),
    )
    with op.batch_alter_table("write_offs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_write_offs_invoice_id"), ["invoice_id"], unique=False)

    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_activities_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["stored_documents.id"],
            name=op.f("fk_activities_document_id_stored_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_activities_invoice_id_invoices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_activities_customer_day", ["customer_id", "happened_on"], unique=False
        )

    op.create_table(
        "call_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installment_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("next_step", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_call_tasks_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["installment_id"],
            ["installments.id"],
            name=op.f("fk_call_tasks_installment_id_installments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_tasks")),
    )
    with op.batch_alter_table("call_tasks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_call_tasks_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_call_tasks_installment_id"), ["installment_id"], unique=False
        )

    op.create_table(
        "charges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("charged_on", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("settled_minor", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["installment_id"],
            ["installments.id"],
            name=op.f("fk_charges_installment_id_installments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charges")),
    )
    with op.batch_alter_table("charges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_charges_installment_id"), ["installment_id"], unique=False
        )

    op.create_table(
        "followup_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installment_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("channels", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["installment_id"],
            ["installments.id"],
            name=op.f("fk_followup_records_installment_id_installments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_records")),
        sa.UniqueConstraint(
            "installment_id", "stage", name=op.f("uq_followup_records_installment_id")
        ),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=250), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("envelope_from", sa.String(length=320), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"], ["activities.id"], name=op.f("fk_outbox_activity_id_activities")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_outbox_customer_id_customers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outbox_message_id")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_state_next", ["state", "next_attempt_at"], unique=False)

    # Plain ADD COLUMN: SQLite needs no table rebuild, so the triggers stay in place.
    op.add_column("customers", sa.Column("policy_name", sa.String(length=100), nullable=True))
    op.add_column(
        "customers",
        sa.Column(
            "exempt",
            sa.Boolean(create_constraint=False),
            nullable=False,
            server_default=sa.text("false"),
        ),
    )
    for table in ("installments", "invoices"):
        op.add_column(
            table, sa.Column("written_off_minor", sa.Integer(), nullable=False, server_default="0")
        )
    op.add_column("installments", sa.Column("plan_id", sa.Integer(), nullable=True))
    op.add_column("installments", sa.Column("replaced_by_plan_id", sa.Integer(), nullable=True))
    op.add_column("promises", sa.Column("installment_id", sa.Integer(), nullable=True))
    op.add_column(
        "promises",
        sa.Column("status", sa.String(length=8), nullable=False, server_default="open"),
    )
    op.add_column("promises", sa.Column("resolved_on", sa.Date(), nullable=True))
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER installments_frozen_insert")
        op.execute(
            f"""CREATE TRIGGER installments_frozen_insert BEFORE INSERT ON installments
            WHEN NEW.plan_id IS NULL
             AND (SELECT state FROM invoices WHERE id = NEW.invoice_id) <> 'draft'
            BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END"""
        )
    else:
        op.execute(
            f"""CREATE OR REPLACE FUNCTION paidup_installments_frozen() RETURNS trigger AS $$
            DECLARE parent_state text;
            BEGIN
              SELECT state INTO parent_state FROM invoices
               WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.invoice_id ELSE OLD.invoice_id END;
              IF parent_state IS DISTINCT FROM 'draft' AND parent_state IS NOT NULL THEN
                IF TG_OP = 'INSERT' AND NEW.plan_id IS NOT NULL THEN
                  RETURN NEW;
                END IF;
                IF TG_OP <> 'UPDATE' OR ({FROZEN_INSTALLMENT_CHANGE}) THEN
                  RAISE EXCEPTION '{FROZEN}';
                END IF;
              END IF;
              IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql"""
        )


def downgrade() -> None:
    with op.batch_alter_table("promises", schema=None) as batch_op:
        batch_op.drop_column("resolved_on")
        batch_op.drop_column("status")
        batch_op.drop_column("installment_id")

    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_column("written_off_minor")

    with op.batch_alter_table("installments", schema=None) as batch_op:
        batch_op.drop_column("replaced_by_plan_id")
        batch_op.drop_column("plan_id")
        batch_op.drop_column("written_off_minor")

    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_column("exempt")
        batch_op.drop_column("policy_name")

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_state_next")

    op.drop_table("outbox")
    op.drop_table("followup_records")
    with op.batch_alter_table("charges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_charges_installment_id"))

    op.drop_table("charges")
    with op.batch_alter_table("call_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_tasks_installment_id"))
        batch_op.drop_index(batch_op.f("ix_call_tasks_customer_id"))

    op.drop_table("call_tasks")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index("ix_activities_customer_day")

    op.drop_table("activities")
    with op.batch_alter_table("write_offs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_write_offs_invoice_id"))

    op.drop_table("write_offs")
    with op.batch_alter_table("stored_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_documents_invoice_id"))
        batch_op.drop_index(batch_op.f("ix_stored_documents_customer_id"))

    op.drop_table("stored_documents")
    with op.batch_alter_table("payment_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_plans_invoice_id"))

    op.drop_table("payment_plans")
    with op.batch_alter_table("invoice_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_holds_invoice_id"))

    op.drop_table("invoice_holds")
    op.drop_table("policies")
