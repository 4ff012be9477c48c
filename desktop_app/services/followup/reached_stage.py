"""The stage of the default ladder each installment has reached, kept on the installment.

The day's plan passes over most of a big book's open installments because their next stage
is still ahead; with the stage reached stored, that test is a comparison per row instead of
a look through each installment's records. The stored value is derived from the records
alone (the highest stage of the default ladder among them, whatever their outcome), so it
is brought up to date, never edited: after any write of a record, and for every installment
when the default ladder changes. Payments, write-offs and voids leave the records (and so
the stage reached) as they are; they only decide whether the installment is still open.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import Connection, case, null, select, update
from sqlalchemy.orm import Session

from desktop_app.domain.followup import Policy
from desktop_app.services.followup.policy_choice import default_policy
from desktop_app.storage.tables import followup_records, installments

CHUNK = 500  # ids per IN (...): below every database's limit on bound parameters


def reached_stage(policy: Policy, stages: Iterable[str]) -> str | None:
    """The highest of ``policy``'s ladder stages among ``stages`` (None: none of them)."""
    on_ladder = [name for name in stages if name in policy.ranks]
    return max(on_ladder, key=policy.rank) if on_ladder else None


def refresh_reached(db: Connection | Session, installment_ids: Collection[int] | None = None
                    ) -> None:
    """Derive the stage reached again from the records, for these installments (None: all
    of them, as after the default ladder changed). One statement per 500 installments."""
    if isinstance(db, Session):
        db.flush()  # the records the session holds count
    record = followup_records.c
    ladder = [stage.name for stage in default_policy(db).ladder]
    highest = null() if not ladder else (
        select(record.stage)
        .where(record.installment_id == installments.c.id, record.stage.in_(ladder))
        .order_by(case({name: k for k, name in enumerate(ladder, 1)}, value=record.stage)
                  .desc())
        .limit(1).scalar_subquery())
    if installment_ids is None:
        db.execute(update(installments).values(reached_stage=highest))
        return
    ids = sorted(installment_ids)
    for start in range(0, len(ids), CHUNK):
        db.execute(update(installments).where(installments.c.id.in_(ids[start:start + CHUNK]))
                   .values(reached_stage=highest))
