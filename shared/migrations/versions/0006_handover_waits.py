"""statistics: no wait for a reinstated no-show handed over while waiting

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 02:30:00

A stay has a wait only if its call led to service (docs/metrics.md). Earlier versions
gave one to a no-show who was reinstated and then transferred while waiting again: the
stay still had the missed call's time, and the wait was charged to that call's window
and clerk. The waits of the stays that ended transferred without being started are
recomputed by the rule the operations now follow (shared/stats/measures.py): a wait only
where the ticket was handed on while called. No schema change.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy.orm import Session

from shared.stats.measures import recompute_handover_waits

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with Session(bind=op.get_bind()) as session:
        recompute_handover_waits(session)


def downgrade() -> None:
    """Nothing to undo: the waits removed were wrong, and the schema is unchanged."""
