"""the few waiting tickets outside the plain queues get their own partial index

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 13:40:00

Call-next asked "which classes and services have someone waiting" by reading every
waiting ticket of the window's services, and its green-channel, appointment and transfer
picks sorted them all by class: with a morning's thousands waiting, about 2 ms of server
time per call, all of it spent on plain tickets of the class "normal". The tickets of any
other class, and those handed to one window, are few; this index holds only them
(PostgreSQL and SQLite; MariaDB has no partial indexes and keeps it whole, like
ix_ticket_waiting), and the plain queues are asked only whether they have a head
(shared/queue.py ``_picks``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

# As shared.models.SPECIAL_TICKETS when this revision was written.
_SPECIAL = ("state = 'waiting' AND "
            "(kind <> 'normal' OR transferred OR target_window_id IS NOT NULL)")


def upgrade() -> None:
    op.create_index("ix_ticket_waiting_special", "ticket",
                    ["site_id", "business_day", "service_id"],
                    postgresql_where=sa.text(_SPECIAL), sqlite_where=sa.text(_SPECIAL))


def downgrade() -> None:
    op.drop_index("ix_ticket_waiting_special", "ticket")
