"""ticket wait estimate: the estimate shown when the number was issued

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 03:05:00

The kiosk shows (and the ticket prints) an estimated wait as a point value and a range;
the ticket keeps what it was shown so the supervisor and bench/wait_prediction.py measure
the estimate's accuracy against the wait that followed (docs/prediction.md). Old tickets
have none (null) and are left out of the accuracy figures.

``overflow_suggestion`` records each suggestion of the supervisor's live view to open an
overflow window (潮汐窗口) for a service whose predicted wait passed its target.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.timestamps import UTCDateTime

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

COLUMNS = ('estimate_minutes', 'estimate_low_minutes', 'estimate_high_minutes')


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column('ticket', sa.Column(name, sa.SmallInteger(), nullable=True))
    op.create_table(
        'overflow_suggestion',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.Column('waiting', sa.Integer(), nullable=False),
        sa.Column('predicted_minutes', sa.Integer(), nullable=False),
        sa.Column('target_minutes', sa.Integer(), nullable=False),
        sa.Column('windows', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id'],
                                name=op.f('fk_overflow_suggestion_site_id_site')),
        sa.ForeignKeyConstraint(['service_id'], ['service.id'],
                                name=op.f('fk_overflow_suggestion_service_id_service')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_overflow_suggestion')),
    )
    op.create_index('ix_overflow_suggestion_site_at', 'overflow_suggestion', ['site_id', 'at'])


def downgrade() -> None:
    op.drop_table('overflow_suggestion')  # its index goes with it (MariaDB's FK needs it)
    # SQLite (3.35+) drops a plain column in place; a batch rebuild of ``ticket`` would
    # have to drop a table other tables' foreign keys point at.
    for name in reversed(COLUMNS):
        if op.get_bind().dialect.name == 'sqlite':
            op.execute(f'ALTER TABLE ticket DROP COLUMN {name}')
        else:
            op.drop_column('ticket', name)
