"""Call tasks know their channel (call or task); charges and call tasks are unique per
installment and stage; a broken promise records when a person reviewed it; an outbox message
being sent names its sender (host:pid). Two indexes let the day's plan read a big book
quickly: open installments only (partial), and each installment's history (covering).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Spelled out (not imported from the models): a migration stays as it was written.
OPEN_INSTALLMENT = "amount_minor > paid_minor + written_off_minor AND replaced_by_plan_id IS NULL"


def upgrade() -> None:
    # Plain ADD COLUMN and CREATE INDEX: no table rebuild, so triggers stay in place.
    op.add_column("call_tasks", sa.Column("channel", sa.String(length=8), nullable=False,
                                          server_default="call"))
    op.create_index("uq_call_tasks_installment_stage", "call_tasks",
                    ["installment_id", "stage"], unique=True)
    op.create_index("uq_charges_installment_stage_kind", "charges",
                    ["installment_id", "stage", "kind"], unique=True)
    op.add_column("promises", sa.Column("reviewed_on", sa.Date(), nullable=True))
    op.add_column("outbox", sa.Column("sending_by", sa.String(length=100), nullable=True))
    open_only = sa.text(OPEN_INSTALLMENT)
    op.create_index("ix_installments_open", "installments", ["invoice_id"],
                    sqlite_where=open_only, postgresql_where=open_only)
    op.create_index("ix_followup_records_history", "followup_records",
                    ["installment_id", "stage", "outcome", "recorded_on", "channels"])


def downgrade() -> None:
    op.drop_index("ix_followup_records_history", table_name="followup_records")
    op.drop_index("ix_installments_open", table_name="installments")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("sending_by")
    with op.batch_alter_table("promises") as batch_op:
        batch_op.drop_column("reviewed_on")
    op.drop_index("uq_charges_installment_stage_kind", table_name="charges")
    op.drop_index("uq_call_tasks_installment_stage", table_name="call_tasks")
    with op.batch_alter_table("call_tasks") as batch_op:
        batch_op.drop_column("channel")
