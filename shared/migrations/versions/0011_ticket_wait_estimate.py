"""ticket wait estimate: the estimate shown when the number was issued

Revision ID: 0011
Revises: 0006
Create Date: 2026-12-06 03:05:00

The kiosk shows (and the ticket prints) an estimated wait as a point value and a range;
the ticket keeps what it was shown so the supervisor and bench/wait_prediction.py measure
the estimate's accuracy against the wait that followed (docs/prediction.md). Old tickets
have none (null) and are left out of the accuracy figures.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0006'
branch_labels = None
depends_on = None

COLUMNS = ('estimate_minutes', 'estimate_low_minutes', 'estimate_high_minutes')


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column('ticket', sa.Column(name, sa.SmallInteger(), nullable=True))


def downgrade() -> None:
    # SQLite (3.35+) drops a plain column in place; a batch rebuild of ``ticket`` would
    # have to drop a table other tables' foreign keys point at.
    for name in reversed(COLUMNS):
        if op.get_bind().dialect.name == 'sqlite':
            op.execute(f'ALTER TABLE ticket DROP COLUMN {name}')
        else:
            op.drop_column('ticket', name)
