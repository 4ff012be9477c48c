"""What a lawful invoice carries (EU VAT Art. 226, UStG § 14): the supply date or period,
references, units and VAT categories of lines, the customer's and the seller's tax identity,
the seller's register, payment details per country, statutory late-payment terms.

Plain ADD COLUMN (SQLite rebuilds no table, so the triggers stay); the freezing triggers are
then made again so that the new invoice and line columns freeze on issue like the others.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

FROZEN = "issued invoices are frozen; correct them with a credit note"

FROZEN_INVOICE_COLUMNS = (
    "company_id", "customer_id", "number", "issue_date", "due_date", "currency",
    "subtotal_minor", "tax_minor", "total_minor", "terms_id", "terms_name", "net_days",
    "discount_percent", "discount_days", "late_fee_minor", "interest_annual_percent",
    "grace_days", "instructions", "customer_name", "customer_address", "customer_language",
    "schedule_spec", "schedule_every", "created_at", "issued_at",
    "payment_reference",  # since 0009
    # new here
    "supply_date", "period_start", "period_end", "buyer_reference", "order_reference",
    "customer_vat_id", "customer_number", "customer_country", "customer_consumer",
    "late_rule",
)
FROZEN_LINE_COLUMNS = (
    "invoice_id", "position", "description", "quantity", "unit_price", "tax_percent",
    "discount_percent", "net_minor", "tax_minor",
    # new here
    "unit", "vat_category", "exemption_reason", "period_start", "period_end",
)

TEXT_COLUMNS = {
    "companies": (("country", 2), ("vat_id", 32), ("register", 200), ("directors", 300),
                  ("signer_name", 200), ("signer_title", 200), ("bank_name", 200),
                  ("account_holder", 200), ("account_number", 64), ("routing_number", 32),
                  ("correspondent_account", 64), ("kpp", 16), ("checks_payable_to", 200)),
    "payment_terms": (("late_rule", 16),),
    "customers": (("vat_id", 32), ("number", 64), ("country", 2)),
    "invoices": (("buyer_reference", 200), ("order_reference", 200), ("customer_vat_id", 32),
                 ("customer_number", 64), ("customer_country", 2), ("late_rule", 16)),
}
FLAGS = (("companies", "small_business"), ("customers", "consumer"),
         ("invoices", "customer_consumer"))
DATES = (("invoices", "supply_date"), ("invoices", "period_start"), ("invoices", "period_end"),
         ("invoice_lines", "period_start"), ("invoice_lines", "period_end"))


def _changed(columns: tuple[str, ...], distinct: str) -> str:
    return " OR ".join(f"NEW.{c} {distinct} OLD.{c}" for c in columns)


def _freeze(invoice_columns: tuple[str, ...], line_columns: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER invoices_frozen")
        op.execute(
            f"""CREATE TRIGGER invoices_frozen BEFORE UPDATE ON invoices
            WHEN OLD.state <> 'draft' AND (NEW.state = 'draft'
                 OR {_changed(invoice_columns, "IS NOT")})
            BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""")
        op.execute("DROP TRIGGER invoice_lines_frozen_update")
        op.execute(
            f"""CREATE TRIGGER invoice_lines_frozen_update BEFORE UPDATE ON invoice_lines
            WHEN (SELECT state FROM invoices WHERE id = OLD.invoice_id) <> 'draft'
             AND ({_changed(line_columns, "IS NOT")})
            BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""")
        return
    op.execute(
        f"""CREATE OR REPLACE FUNCTION paidup_invoices_frozen() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            IF OLD.state <> 'draft' THEN RAISE EXCEPTION '{FROZEN}'; END IF;
            RETURN OLD;
          END IF;
          IF OLD.state <> 'draft' AND (NEW.state = 'draft'
             OR {_changed(invoice_columns, "IS DISTINCT FROM")}) THEN
            RAISE EXCEPTION '{FROZEN}';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""")
    op.execute(
        f"""CREATE OR REPLACE FUNCTION paidup_invoice_lines_frozen() RETURNS trigger AS $$
        DECLARE parent_state text;
        BEGIN
          SELECT state INTO parent_state FROM invoices
           WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.invoice_id ELSE OLD.invoice_id END;
          IF parent_state IS DISTINCT FROM 'draft' AND parent_state IS NOT NULL THEN
            IF TG_OP <> 'UPDATE' OR ({_changed(line_columns, "IS DISTINCT FROM")}) THEN
              RAISE EXCEPTION '{FROZEN}';
            END IF;
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""")


def _escaped(text: str) -> str:
    """A template saved before optional parts existed: its brackets and bars print as typed."""
    return text.replace("[", "\\[").replace("]", "\\]").replace("|", "\\|")


def _escape_saved_templates() -> None:
    """Letters and emails the user wrote keep their words: "[" "]" "|" now mark optional
    parts, so the ones already in saved templates are escaped."""
    settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
    bind = op.get_bind()
    rows = bind.execute(sa.select(settings.c.key, settings.c.value).where(
        sa.or_(settings.c.key.like("letter:%"), settings.c.key.like("mail:%")))).all()
    for key, value in rows:
        data = json.loads(value)
        if isinstance(data, str):
            data = _escaped(data)
        else:
            data = {name: _escaped(text) for name, text in data.items()}
        bind.execute(settings.update().where(settings.c.key == key)
                     .values(value=json.dumps(data, ensure_ascii=False)))


def upgrade() -> None:
    for table, columns in TEXT_COLUMNS.items():
        for name, length in columns:
            op.add_column(table, sa.Column(name, sa.String(length=length), nullable=False,
                                           server_default=""))
    op.add_column("companies", sa.Column("remit_to", sa.Text(), nullable=False,
                                         server_default=""))
    for table, name in FLAGS:
        op.add_column(table, sa.Column(name, sa.Boolean(create_constraint=False),
                                       nullable=False, server_default=sa.text("false")))
    for table, name in DATES:
        op.add_column(table, sa.Column(name, sa.Date(), nullable=True))
    op.add_column("invoice_lines", sa.Column("unit", sa.String(length=3), nullable=False,
                                             server_default="C62"))
    op.add_column("invoice_lines", sa.Column("vat_category", sa.String(length=2),
                                             nullable=False, server_default="S"))
    op.add_column("invoice_lines", sa.Column("exemption_reason", sa.Text(), nullable=False,
                                             server_default=""))
    _freeze(FROZEN_INVOICE_COLUMNS, FROZEN_LINE_COLUMNS)
    _escape_saved_templates()


def downgrade() -> None:
    old_invoice = FROZEN_INVOICE_COLUMNS[:FROZEN_INVOICE_COLUMNS.index("supply_date")]
    old_line = FROZEN_LINE_COLUMNS[:FROZEN_LINE_COLUMNS.index("unit")]
    _freeze(old_invoice, old_line)
    dropped: dict[str, list[str]] = {}
    for table, columns in TEXT_COLUMNS.items():
        dropped.setdefault(table, []).extend(name for name, _ in columns)
    dropped["companies"].append("remit_to")
    for table, name in (*FLAGS, *DATES):
        dropped.setdefault(table, []).append(name)
    dropped.setdefault("invoice_lines", []).extend(("unit", "vat_category",
                                                    "exemption_reason"))
    for table, names in dropped.items():
        for name in names:
            op.drop_column(table, name)
