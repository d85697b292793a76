"""database roles and the audit chain: a registry of the logins made per terminal kind;
the event log hash-chained per site and append-only on PostgreSQL

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 03:00:00

``hallq-admin db role create KIND --login NAME`` records each login it makes in
``db_role``, so that ``db upgrade`` can grant every one of them what its kind needs in
the schema it just made (shared/db_roles.py) and ``db role list|drop`` know them.

Every event gets its place in its site's chain (``chain_seq``, 1, 2, 3, ... per site) and
a hash over its content and the previous event's hash (``chain_hash``), computed while the
operation holds the site's ``audit_head`` row, which keeps the chain's last place and hash
(shared/audit.py). Events written before this revision have neither; the chain starts
after them.

On PostgreSQL a trigger refuses to change or delete a row of ``ticket_event`` for every
role but the table's owner (no terminal role has the privilege either; the trigger also
stops a role that was granted it by hand). TRUNCATE is a table privilege only the owner
has.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.timestamps import UTCDateTime

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION hallq_event_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT tableowner FROM pg_tables
                                  WHERE schemaname = TG_TABLE_SCHEMA
                                    AND tablename = TG_TABLE_NAME), 'MEMBER') THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    RAISE EXCEPTION 'the event log is append-only: % of % refused for role %',
        TG_OP, TG_TABLE_NAME, current_user USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def upgrade() -> None:
    op.create_table(
        'db_role',
        sa.Column('login', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        # MariaDB: the host pattern the login may connect from; '' on PostgreSQL.
        sa.Column('host', sa.String(length=255), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('login', name=op.f('pk_db_role')),
    )
    op.create_table(
        'audit_head',
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id'],
                                name=op.f('fk_audit_head_site_id_site')),
        sa.PrimaryKeyConstraint('site_id', name=op.f('pk_audit_head')),
    )
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain_seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('chain_hash', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_ticket_event_site_chain', ['site_id', 'chain_seq'],
                              unique=True)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_APPEND_ONLY_FUNCTION)
        op.execute("CREATE TRIGGER ticket_event_append_only BEFORE UPDATE OR DELETE "
                   "ON ticket_event FOR EACH ROW EXECUTE FUNCTION "
                   "hallq_event_log_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ticket_event_append_only ON ticket_event")
        op.execute("DROP FUNCTION IF EXISTS hallq_event_log_append_only()")
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_event_site_chain')
        batch_op.drop_column('chain_hash')
        batch_op.drop_column('chain_seq')
    op.drop_table('audit_head')
    op.drop_table('db_role')
