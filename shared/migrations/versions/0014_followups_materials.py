"""follow-ups on the clock, appeals and missing materials

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 06:40:00

A bad rating's follow-up moves open -> contacted -> rectified -> closed, each step with
who, when and a note, and closing records the citizen's opinion of the rectification
(``follow_up``: the status widened to 16 characters for the new states). A supervisor may
appeal a rating as malicious or mistaken (申诉, ``evaluation.appeal*``): the rating is
kept, and its stay is marked (``segment.rating_appealed``) so the satisfaction figures
leave it out. ``missing_material`` holds what a citizen lacked when a case ended
材料不全, as the clerk ticked it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.timestamps import UTCDateTime

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

_FOLLOW_UP_STEPS = (('contacted', 'contacted_at', 'contacted_by_id'),
                    ('rectified', 'rectified_at', 'rectified_by_id'))


def upgrade() -> None:
    with op.batch_alter_table('follow_up') as batch:
        batch.alter_column('status', existing_type=sa.String(length=8),
                           type_=sa.String(length=16), existing_nullable=False)
        for _step, at, by in _FOLLOW_UP_STEPS:
            batch.add_column(sa.Column(at, UTCDateTime(), nullable=True))
            batch.add_column(sa.Column(by, sa.Integer(), nullable=True))
            batch.create_foreign_key(f'fk_follow_up_{by}_clerk', 'clerk', [by], ['id'])
        batch.add_column(sa.Column('rectify_note', sa.String(length=1000), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('opinion', sa.String(length=16), nullable=True))
    # What was already closed was contacted then (the old follow-up had one step).
    op.execute("UPDATE follow_up SET contacted_at = closed_at, contacted_by_id = closed_by_id "
               "WHERE status = 'closed'")
    op.add_column('evaluation', sa.Column('appeal', sa.String(length=16), nullable=True))
    op.add_column('evaluation', sa.Column('appeal_reason', sa.String(length=500),
                                          nullable=False, server_default=''))
    op.add_column('evaluation', sa.Column('appealed_at', UTCDateTime(), nullable=True))
    # The supervisor's login (no foreign key: SQLite could not drop the column again).
    op.add_column('evaluation', sa.Column('appealed_by', sa.String(length=64),
                                          nullable=False, server_default=''))
    op.add_column('segment', sa.Column('rating_appealed', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    op.create_table(
        'missing_material',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('business_day', sa.Date(), nullable=False),
        sa.Column('material', sa.String(length=200), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id'],
                                name=op.f('fk_missing_material_site_id_site')),
        sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'],
                                name=op.f('fk_missing_material_ticket_id_ticket')),
        sa.ForeignKeyConstraint(['service_id'], ['service.id'],
                                name=op.f('fk_missing_material_service_id_service')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_missing_material')),
    )
    op.create_index('ix_missing_material_site_day', 'missing_material',
                    ['site_id', 'business_day'])
    op.create_index('ix_missing_material_ticket_id', 'missing_material', ['ticket_id'])


def _drop_columns(table: str, columns: tuple[str, ...]) -> None:
    for name in columns:
        if op.get_bind().dialect.name == 'sqlite':
            # SQLite (3.35+) drops a plain column in place; a batch rebuild would have to
            # drop a table other tables' foreign keys point at.
            op.execute(f'ALTER TABLE {table} DROP COLUMN {name}')
        else:
            op.drop_column(table, name)


def downgrade() -> None:
    op.drop_table('missing_material')
    _drop_columns('segment', ('rating_appealed',))
    _drop_columns('evaluation', ('appealed_by', 'appealed_at', 'appeal_reason', 'appeal'))
    op.execute("UPDATE follow_up SET status = 'open' WHERE status IN ('contacted', 'rectified')")
    with op.batch_alter_table('follow_up') as batch:
        for column in ('opinion', 'rectify_note', 'rectified_by_id', 'rectified_at',
                       'contacted_by_id', 'contacted_at'):
            if column.endswith('_by_id'):
                batch.drop_constraint(f'fk_follow_up_{column}_clerk', type_='foreignkey')
            batch.drop_column(column)
        batch.alter_column('status', existing_type=sa.String(length=16),
                           type_=sa.String(length=8), existing_nullable=False)
