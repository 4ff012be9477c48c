"""Bank statements in: imports, their transactions and the payments booked from them, the
accounts customers pay from, CSV profiles per bank; and the invoice's payment reference
(ISO 11649), which freezes with the rest of an issued invoice.

Revision ID: 0009
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None

MINOR = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
STAMP = sa.DateTime(timezone=True)
FROZEN = "issued invoices are frozen; correct them with a credit note"
# The columns that freeze when an invoice is issued (0001), now with its payment reference.
FROZEN_BEFORE = (
    "company_id", "customer_id", "number", "issue_date", "due_date", "currency",
    "subtotal_minor", "tax_minor", "total_minor", "terms_id", "terms_name", "net_days",
    "discount_percent", "discount_days", "late_fee_minor", "interest_annual_percent",
    "grace_days", "instructions", "customer_name", "customer_address", "customer_language",
    "schedule_spec", "schedule_every", "created_at", "issued_at",
)


def _freeze_sqlite(columns: tuple[str, ...]) -> None:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
    op.execute("DROP TRIGGER invoices_frozen")
    op.execute(f"""CREATE TRIGGER invoices_frozen BEFORE UPDATE ON invoices
        WHEN OLD.state <> 'draft' AND (NEW.state = 'draft' OR {changed})
        BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""")


def _freeze_postgres(columns: tuple[str, ...]) -> None:
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


def _freeze(columns: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _freeze_sqlite(columns)
    else:
        _freeze_postgres(columns)


def upgrade() -> None:
    # A plain added column: SQLite keeps the table (and its triggers) as it is.
    op.add_column("invoices", sa.Column("payment_reference", sa.String(length=25),
                                        nullable=True))
    op.create_index("uq_invoices_payment_reference", "invoices",
                    ["company_id", "payment_reference"], unique=True)
    _freeze((*FROZEN_BEFORE, "payment_reference"))

    op.create_table(
        "bank_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", STAMP, nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("transactions", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.Column("waiting", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_imports")),
    )
    op.create_table(
        "bank_transactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=34), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("value_on", sa.Date(), nullable=False),
        sa.Column("amount_minor", MINOR, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("counterparty", sa.String(length=200), nullable=False),
        sa.Column("counterparty_account", sa.String(length=34), nullable=False),
        sa.Column("remittance", sa.Text(), nullable=False),
        sa.Column("creditor_reference", sa.String(length=35), nullable=False),
        sa.Column("bank_reference", sa.String(length=100), nullable=False),
        sa.Column("dedupe_key", sa.String(length=64), nullable=False),
        sa.Column("content_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["import_id"], ["bank_imports.id"],
                                name=op.f("fk_bank_transactions_import_id_bank_imports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_transactions")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_bank_transactions_dedupe_key")),
    )
    op.create_index("ix_bank_transactions_status", "bank_transactions",
                    ["status", "value_on"])
    op.create_index(op.f("ix_bank_transactions_import_id"), "bank_transactions",
                    ["import_id"])
    op.create_index(op.f("ix_bank_transactions_content_key"), "bank_transactions",
                    ["content_key"])
    op.create_table(
        "bank_transaction_payments",
        sa.Column("transaction_id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"],
            name=op.f("fk_bank_transaction_payments_payment_id_payments")),
        sa.ForeignKeyConstraint(
            ["transaction_id"], ["bank_transactions.id"],
            name=op.f("fk_bank_transaction_payments_transaction_id_bank_transactions")),
        sa.PrimaryKeyConstraint("transaction_id", "payment_id",
                                name=op.f("pk_bank_transaction_payments")),
    )
    op.create_index("ix_bank_transaction_payments_payment", "bank_transaction_payments",
                    ["payment_id"], unique=True)
    op.create_table(
        "customer_bank_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=34), nullable=False),
        sa.Column("first_seen", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_customer_bank_accounts_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_bank_accounts")),
        sa.UniqueConstraint("account", "customer_id",
                            name=op.f("uq_customer_bank_accounts_account")),
    )
    op.create_index(op.f("ix_customer_bank_accounts_customer_id"), "customer_bank_accounts",
                    ["customer_id"])
    op.create_table(
        "bank_csv_profiles",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_bank_csv_profiles")),
    )


def downgrade() -> None:
    for table in ("bank_csv_profiles", "customer_bank_accounts", "bank_transaction_payments",
                  "bank_transactions", "bank_imports"):
        op.drop_table(table)
    _freeze(FROZEN_BEFORE)
    op.drop_index("uq_invoices_payment_reference", "invoices")
    op.drop_column("invoices", "payment_reference")  # in place: the triggers stay
