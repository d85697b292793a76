"""a window's last call of the day is one index probe

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 22:00:00

Each wait estimate (every issue, and the kiosk's and the phone pages' estimates) asks when
each window last called today, to tell the windows at work from those nobody staffs.
It grouped the day's calls by window: work that grew with every call of the day, and on
PostgreSQL, planned without fresh statistics (a new day's rows), it was redone for each
window. With this index it is one probe per window at any hour.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_segment_window_called", "segment",
                    ["window_id", "business_day", "called_at"])


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name in ("mysql", "mariadb") and not any(
            index["column_names"][:1] == ["window_id"]
            for index in sa.inspect(bind).get_indexes("segment")
            if index["name"] != "ix_segment_window_called"):
        # InnoDB may have dropped the index it made for the foreign key on window_id
        # when this one could serve it: give the key its own again before this one goes.
        op.create_index("fk_segment_window_id_window", "segment", ["window_id"])
    op.drop_index("ix_segment_window_called", "segment")
