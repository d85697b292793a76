"""request keys: one row per caller intent, so a retry after a lost answer doubles nothing

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 02:30:00

Every write operation may carry an idempotency key made once per intent by its caller
(the kiosk per tap, the counter per press, ``hallq-admin … --request-id``). The key, the
operation's fingerprint and the result it returned are written in the operation's own
transaction; a repeat of the key returns that result and changes nothing. Rows older
than the previous business day are deleted at the day's roll-over.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.timestamps import UTCDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'request_key',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('business_day', sa.Date(), nullable=False),
        sa.Column('operation', sa.String(length=32), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('result', sa.JSON(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id'],
                                name=op.f('fk_request_key_site_id_site')),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_request_key')),
    )
    with op.batch_alter_table('request_key', schema=None) as batch_op:
        batch_op.create_index('ix_request_key_site_day', ['site_id', 'business_day'],
                              unique=False)


def downgrade() -> None:
    op.drop_table('request_key')  # with its index (MariaDB refuses to drop it alone: FK)
