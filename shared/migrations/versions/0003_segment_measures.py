"""statistics: measures kept on each stay, with ordered indexes per grouping

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 12:00:00

The queue operations now keep each stay's wait and service time, local hour, weekday,
department and rating on its segment row (shared/models.py, Segment), so statistics read
them instead of recomputing them on every request, and rank durations over long ranges
by walking an index per grouping: (site, group, duration, business day). History written
before is filled in by the same SQL the tests compare with the operations
(shared/stats/measures.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from shared.models import SEGMENT_GROUP_COLUMNS
from shared.stats.measures import backfill_measures

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

MEASURES = (("wait_us", sa.BigInteger()), ("service_us", sa.BigInteger()),
            ("local_hour", sa.SmallInteger()), ("weekday", sa.SmallInteger()),
            ("rating", sa.SmallInteger()))


def _indexes() -> list[tuple[str, list[str]]]:
    return [(f"ix_segment_{metric}_{group}",
             ["site_id", *columns, f"{metric}_us", "business_day"])
            for metric in ("wait", "service")
            for group, columns in SEGMENT_GROUP_COLUMNS.items()]


def upgrade() -> None:
    with op.batch_alter_table('segment', schema=None) as batch_op:
        for name, type_ in MEASURES:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_segment_department_id_department'),
                                    'department', ['department_id'], ['id'])
    with Session(bind=op.get_bind()) as session:
        backfill_measures(session)
    with op.batch_alter_table('segment', schema=None) as batch_op:
        for name, columns in _indexes():
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    with op.batch_alter_table('segment', schema=None) as batch_op:
        for name, _ in _indexes():
            batch_op.drop_index(name)
        batch_op.drop_constraint(batch_op.f('fk_segment_department_id_department'),
                                 type_='foreignkey')
        batch_op.drop_column('department_id')
        for name, _ in reversed(MEASURES):
            batch_op.drop_column(name)
