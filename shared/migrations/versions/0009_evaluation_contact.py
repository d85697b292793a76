"""evaluation contact: the phone number a citizen leaves with a bad rating

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 02:30:00

A bad rating (不满意, 非常不满意) must be followed up by phone (电话回访), but the pad
collected no way to reach the citizen: the evaluation pad now asks, after a bad rating,
for the reasons and an optional phone number, stored with the rating. Empty when none
was left (then the follow-up falls back on the phone of the ticket's appointment).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("evaluation", sa.Column("contact_phone", sa.String(length=32),
                                          nullable=False, server_default=""))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite (3.35+) drops a column in place; Alembic's batch mode would copy the
        # table, which follow_up's foreign key forbids.
        op.execute("ALTER TABLE evaluation DROP COLUMN contact_phone")
    else:
        op.drop_column("evaluation", "contact_phone")
