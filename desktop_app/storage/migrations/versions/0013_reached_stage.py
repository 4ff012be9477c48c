"""Each installment keeps the stage of the default ladder it has reached, so that the day's
plan compares one column instead of reading every open installment's records.

Filled here from the records the books already hold: the highest stage of the default
ladder (the policy marked default, else the built-in one) among each installment's records,
whatever their outcome. A plain ADD COLUMN: SQLite rebuilds no table, so the freezing
triggers stay; the installments' triggers guard other columns, so the fill passes them.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from desktop_app.domain.followup import policy_from_json, standard_policy

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _default_ladder(conn: sa.Connection) -> list[str]:
    body = conn.execute(sa.text("SELECT body FROM policies WHERE is_default")).scalar()
    policy = policy_from_json(body) if body is not None else standard_policy("EUR")
    return [stage.name for stage in policy.ladder]


def upgrade() -> None:
    op.add_column("installments", sa.Column("reached_stage", sa.String(length=32),
                                            nullable=True))
    conn = op.get_bind()
    ladder = _default_ladder(conn)
    if not ladder:
        return
    names = {f"s{k}": name for k, name in enumerate(ladder, 1)}
    rank = " ".join(f"WHEN :s{k} THEN {k}" for k in range(1, len(ladder) + 1))
    conn.execute(sa.text(f"""
        UPDATE installments SET reached_stage = (
            SELECT r.stage FROM followup_records r
             WHERE r.installment_id = installments.id
               AND r.stage IN ({", ".join(f":{key}" for key in names)})
             ORDER BY CASE r.stage {rank} END DESC LIMIT 1)
         WHERE EXISTS (SELECT 1 FROM followup_records r
                        WHERE r.installment_id = installments.id)"""), names)


def downgrade() -> None:
    op.drop_column("installments", "reached_stage")
