"""terminal heartbeats: each terminal's last sign of life, printer and sound state

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 03:00:00

Device health for the supervisor's 设备 tab and ``hallq-admin terminal list``: one row per
terminal (kind and name), rewritten every few seconds; see :mod:`shared.heartbeats`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.timestamps import UTCDateTime

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'terminal_heartbeat',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=True),
        sa.Column('host', sa.String(length=100), nullable=False),
        sa.Column('version', sa.String(length=32), nullable=False),
        sa.Column('schema_revision', sa.String(length=16), nullable=False),
        sa.Column('printer', sa.String(length=16), nullable=True),
        sa.Column('audio', sa.String(length=16), nullable=True),
        sa.Column('last_error', sa.String(length=300), nullable=True),
        sa.Column('started_at', UTCDateTime(), nullable=False),
        sa.Column('seen_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id'],
                                name=op.f('fk_terminal_heartbeat_site_id_site')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_terminal_heartbeat')),
        sa.UniqueConstraint('kind', 'name', name=op.f('uq_terminal_heartbeat_kind_name')),
    )


def downgrade() -> None:
    op.drop_table('terminal_heartbeat')
