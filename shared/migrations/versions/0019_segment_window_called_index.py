"""a window's last call of the day is one index probe

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 22:00:00

Each wait estimate (every issue, and the kiosk's and the phone pages' estimates) asks when
each window last called today, to tell the windows at work from those nobody staffs.
It grouped the day's calls by window: work that grew with every call of the day, and on
PostgreSQL, planned without fresh statistics (a new day's rows), it was redone for each
window. With this index it is one probe per window (per window and service linked) at
any hour. On MariaDB the new index also serves the foreign key on window_id, whose own
index is dropped (InnoDB may have dropped it already); a downgrade gives it back.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


# The index InnoDB makes for the foreign key on window_id (named after the key), or the
# one a downgrade of this revision made in its place.
_KEY_INDEX = "fk_segment_window_id_window"


def _indexes(bind: sa.engine.Connection) -> list[Any]:
    return list(sa.inspect(bind).get_indexes("segment"))


def upgrade() -> None:
    op.create_index("ix_segment_window_called", "segment",
                    ["window_id", "business_day", "called_at"])
    bind = op.get_bind()
    if bind.dialect.name in ("mysql", "mariadb") and any(
            index["name"] == _KEY_INDEX for index in _indexes(bind)):
        # The new index serves the foreign key too: its own is redundant, as on a
        # database InnoDB already dropped it from.
        op.drop_index(_KEY_INDEX, "segment")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name in ("mysql", "mariadb") and not any(
            index["column_names"][:1] == ["window_id"] for index in _indexes(bind)
            if index["name"] != "ix_segment_window_called"):
        # Give the foreign key an index of its own again before this one goes.
        op.create_index(_KEY_INDEX, "segment", ["window_id"])
    op.drop_index("ix_segment_window_called", "segment")
