"""queue upkeep: an index of the waiting tickets only, hot tables vacuumed often

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 15:00:00

Call-next orders a queue by (queue position, id) and takes the first ticket: with ``id``
in the queue index the database reads that ticket from the index and stops, instead of
sorting every waiting ticket of the service. On PostgreSQL and SQLite a partial index
holds only the waiting tickets (the queries name ``state = 'waiting'`` literally, so it
applies to prepared statements too): whatever the planner's statistics say, it is the
smallest index to walk, where the planner otherwise took the day's number index and read
every ticket of the day when its statistics were older than the morning's rush.

Every call rewrites a few rows over and over (the ticket, its stay, the window, its
credits, the day counters, the change marker) and leaves the old versions behind, in the
tables and in the queue index the next call walks. On PostgreSQL these tables are
vacuumed after a fixed number of changes, not after a fifth of the table (the default,
which on a year of history would be days of calls).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

QUEUE_COLUMNS = ["site_id", "business_day", "state", "service_id", "queue_pos"]
# Autovacuum after this many changed rows, whatever the size of the table.
HOT_TABLES = {"ticket": 2000, "segment": 2000, "window": 200, "window_service": 200,
              "day_counter": 200, "site_state": 200}


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.drop_index("ix_ticket_queue")
        batch.create_index("ix_ticket_queue", [*QUEUE_COLUMNS, "id"])
    waiting = sa.text("state = 'waiting'")
    op.create_index("ix_ticket_waiting", "ticket",
                    ["site_id", "business_day", "service_id", "queue_pos", "id"],
                    postgresql_where=waiting, sqlite_where=waiting)
    if op.get_bind().dialect.name == "postgresql":
        for table, changes in HOT_TABLES.items():
            op.execute(f'ALTER TABLE "{table}" SET (autovacuum_vacuum_scale_factor = 0, '
                       f'autovacuum_vacuum_threshold = {changes}, '
                       f'autovacuum_analyze_scale_factor = 0, '
                       f'autovacuum_analyze_threshold = {changes})')


def downgrade() -> None:
    op.drop_index("ix_ticket_waiting", "ticket")
    if op.get_bind().dialect.name == "postgresql":
        for table in HOT_TABLES:
            op.execute(f'ALTER TABLE "{table}" RESET (autovacuum_vacuum_scale_factor, '
                       'autovacuum_vacuum_threshold, autovacuum_analyze_scale_factor, '
                       'autovacuum_analyze_threshold)')
    with op.batch_alter_table("ticket") as batch:
        batch.drop_index("ix_ticket_queue")
        batch.create_index("ix_ticket_queue", QUEUE_COLUMNS)
