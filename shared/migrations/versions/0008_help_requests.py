"""help requests: the kiosk's one-button help (一键求助), open until staff acknowledge

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 02:30:00

One row per press of the help button at a kiosk, with the kiosk's name, the screen the
citizen was on and the time; staff acknowledging it fill in when and who. The open
requests of a site are read on every refresh of the supervisor's live view and of the
kiosk's staff mode, hence the index on (site, acknowledged_at).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.timestamps import UTCDateTime

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "help_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("terminal", sa.String(length=100), nullable=False),
        sa.Column("screen", sa.String(length=32), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_help_request_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_request")),
    )
    op.create_index("ix_help_request_open", "help_request", ["site_id", "acknowledged_at"])


def downgrade() -> None:
    # The index goes with the table (MariaDB will not drop it alone: the foreign key uses it).
    op.drop_table("help_request")
