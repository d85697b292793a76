"""hcp: ratings bound to the case, and the outbox to the provincial 好差评 system

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 06:40:00

A ticket may carry several cases (办件, each with its number on the government platform);
each case is rated on its own (一次一评), so ``evaluation`` loses its one-per-ticket
unique key and gains the case, the service and its item code. The catalog's codes for
the provincial system: the site's 12-digit region code, the department's code, the
service's item code and version, and whether a service needs a case number at finish.
``hcp_outbox`` holds each rating until ``hallq-admin hcp push`` has sent it
(docs/evaluation.md).

SQLite cannot drop a unique constraint in place: ``evaluation`` is rebuilt with the
foreign keys deferred, its rows copied back before the transaction ends, so the
follow-ups pointing at them stay valid (PRAGMA foreign_key_check runs at the end).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.timestamps import UTCDateTime

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

EVALUATION_COLUMNS = ('id', 'ticket_id', 'site_id', 'window_id', 'clerk_id', 'level',
                      'comment', 'at', 'contact_phone')


def _evaluation_table(*, new: bool) -> None:
    columns: list[sa.schema.SchemaItem] = [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('window_id', sa.Integer(), nullable=True),
        sa.Column('clerk_id', sa.Integer(), nullable=True),
        sa.Column('level', sa.Integer(), nullable=True),
        sa.Column('comment', sa.String(length=500), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.Column('contact_phone', sa.String(length=32), nullable=False, server_default=''),
        sa.ForeignKeyConstraint(['clerk_id'], ['clerk.id'],
                                name=op.f('fk_evaluation_clerk_id_clerk')),
        sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_evaluation_site_id_site')),
        sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'],
                                name=op.f('fk_evaluation_ticket_id_ticket')),
        sa.ForeignKeyConstraint(['window_id'], ['window.id'],
                                name=op.f('fk_evaluation_window_id_window')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation')),
    ]
    if new:
        columns += [
            sa.Column('case_id', sa.Integer(), nullable=True),
            sa.Column('service_id', sa.Integer(), nullable=True),
            sa.Column('item_code', sa.String(length=64), nullable=False, server_default=''),
            sa.ForeignKeyConstraint(['case_id'], ['ticket_case.id'],
                                    name=op.f('fk_evaluation_case_id_ticket_case')),
            sa.ForeignKeyConstraint(['service_id'], ['service.id'],
                                    name=op.f('fk_evaluation_service_id_service')),
            sa.UniqueConstraint('case_id', name=op.f('uq_evaluation_case_id')),
        ]
    else:
        columns.append(sa.UniqueConstraint('ticket_id', name=op.f('uq_evaluation_ticket_id')))
    op.create_table('evaluation', *columns)
    op.create_index('ix_evaluation_ticket_id', 'evaluation', ['ticket_id'])


def _rebuild_sqlite_evaluation(*, new: bool) -> None:
    """Copy, drop, create, copy back: the follow-ups' references are missing only in
    between, inside this transaction, with the foreign keys deferred to its commit."""
    names = ', '.join(EVALUATION_COLUMNS)
    op.execute('PRAGMA defer_foreign_keys = ON')
    op.execute(f'CREATE TABLE _evaluation_0013 AS SELECT {names} FROM evaluation')
    op.execute('DROP TABLE evaluation')
    _evaluation_table(new=new)
    op.execute(f'INSERT INTO evaluation ({names}) SELECT {names} FROM _evaluation_0013')
    op.execute('DROP TABLE _evaluation_0013')
    problems = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check').fetchall()
    if problems:
        raise RuntimeError(f'foreign keys broken by the evaluation rebuild: {problems[:5]}')


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.add_column('site', sa.Column('region_code', sa.String(length=12), nullable=False,
                                    server_default=''))
    op.add_column('department', sa.Column('department_code', sa.String(length=32),
                                          nullable=False, server_default=''))
    op.add_column('service', sa.Column('item_code', sa.String(length=64), nullable=False,
                                       server_default=''))
    op.add_column('service', sa.Column('item_version', sa.String(length=16), nullable=False,
                                       server_default=''))
    op.add_column('service', sa.Column('case_required', sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    op.create_table(
        'ticket_case',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('case_no', sa.String(length=64), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('item_code', sa.String(length=64), nullable=False),
        sa.Column('window_id', sa.Integer(), nullable=True),
        sa.Column('clerk_id', sa.Integer(), nullable=True),
        sa.Column('outcome', sa.String(length=24), nullable=False),
        sa.Column('at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'],
                                name=op.f('fk_ticket_case_ticket_id_ticket')),
        sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_ticket_case_site_id_site')),
        sa.ForeignKeyConstraint(['service_id'], ['service.id'],
                                name=op.f('fk_ticket_case_service_id_service')),
        sa.ForeignKeyConstraint(['window_id'], ['window.id'],
                                name=op.f('fk_ticket_case_window_id_window')),
        sa.ForeignKeyConstraint(['clerk_id'], ['clerk.id'],
                                name=op.f('fk_ticket_case_clerk_id_clerk')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_case')),
        sa.UniqueConstraint('ticket_id', 'case_no', name=op.f('uq_ticket_case_ticket_id_case_no')),
    )
    if sqlite:
        _rebuild_sqlite_evaluation(new=True)
    else:
        # The plain index first: MariaDB's foreign key on ticket_id needs one to remain.
        op.create_index('ix_evaluation_ticket_id', 'evaluation', ['ticket_id'])
        op.drop_constraint('uq_evaluation_ticket_id', 'evaluation', type_='unique')
        op.add_column('evaluation', sa.Column('case_id', sa.Integer(), nullable=True))
        op.add_column('evaluation', sa.Column('service_id', sa.Integer(), nullable=True))
        op.add_column('evaluation', sa.Column('item_code', sa.String(length=64), nullable=False,
                                              server_default=''))
        # The unique key before the foreign key, which uses it as its index on MariaDB.
        op.create_unique_constraint('uq_evaluation_case_id', 'evaluation', ['case_id'])
        op.create_foreign_key('fk_evaluation_case_id_ticket_case', 'evaluation', 'ticket_case',
                              ['case_id'], ['id'])
        op.create_foreign_key('fk_evaluation_service_id_service', 'evaluation', 'service',
                              ['service_id'], ['id'])
    op.create_table(
        'hcp_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('record_id', sa.String(length=64), nullable=False),
        sa.Column('evaluation_id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=8), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', UTCDateTime(), nullable=False),
        sa.Column('last_error', sa.String(length=300), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('sent_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'],
                                name=op.f('fk_hcp_outbox_evaluation_id_evaluation')),
        sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_hcp_outbox_site_id_site')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hcp_outbox')),
        sa.UniqueConstraint('record_id', name=op.f('uq_hcp_outbox_record_id')),
        sa.UniqueConstraint('evaluation_id', name=op.f('uq_hcp_outbox_evaluation_id')),
    )
    op.create_index('ix_hcp_outbox_state_due', 'hcp_outbox', ['state', 'next_attempt_at'])


def downgrade() -> None:
    """Back to one rating per ticket: the ratings of a ticket's second and later cases
    (and their follow-ups) cannot be kept and are refused rather than lost."""
    bind = op.get_bind()
    several = bind.exec_driver_sql(
        'SELECT ticket_id FROM evaluation GROUP BY ticket_id HAVING COUNT(*) > 1').first()
    if several is not None:
        raise RuntimeError(f'ticket {several[0]} has several case ratings: 0012 keeps one '
                           f'rating per ticket; downgrade refused')
    op.drop_table('hcp_outbox')
    if bind.dialect.name == 'sqlite':
        _rebuild_sqlite_evaluation(new=False)
        op.drop_index('ix_evaluation_ticket_id', 'evaluation')
    else:
        op.drop_constraint('fk_evaluation_case_id_ticket_case', 'evaluation', type_='foreignkey')
        op.drop_constraint('uq_evaluation_case_id', 'evaluation', type_='unique')
        op.drop_constraint('fk_evaluation_service_id_service', 'evaluation', type_='foreignkey')
        for name in ('item_code', 'service_id', 'case_id'):
            op.drop_column('evaluation', name)
        op.create_unique_constraint('uq_evaluation_ticket_id', 'evaluation', ['ticket_id'])
        op.drop_index('ix_evaluation_ticket_id', 'evaluation')
    op.drop_table('ticket_case')
    for table, name in (('service', 'case_required'), ('service', 'item_version'),
                        ('service', 'item_code'), ('department', 'department_code'),
                        ('site', 'region_code')):
        if bind.dialect.name == 'sqlite':
            op.execute(f'ALTER TABLE {table} DROP COLUMN {name}')
        else:
            op.drop_column(table, name)
