"""statistics: index expire events by site, action and time

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:50:00

The statistics count a stay closed at end of day as a no-show when its ticket's expire
event came from no-show (shared/stats/compute.py). This index finds the few expire
events of a site since a date without reading the whole event log. The model declares
the same index (shared/models.py, TicketEvent.__table_args__).
"""

from __future__ import annotations

from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.create_index('ix_ticket_event_site_action_at', ['site_id', 'action', 'at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_event_site_action_at')
