"""web: the site's public web settings, the key that signs ticket links, remote tickets

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 03:00:00

``site.web`` holds the site's ``[sites.web]`` catalog table (the base URL printed in the
ticket's QR code). ``web_secret`` holds the key that signs the ticket links (HMAC); the
first terminal that prints a ticket with a link creates it, so a database restored or
emptied gets a new key (yesterday's links are expired anyway). ``appointment.remote``
marks a remote ticket (远程取号) taken on the hall's web page. ``notification`` is the
outbox of SMS / WeChat reminders.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import shared.timestamps

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE, not a batch copy: on SQLite a copy of ``site`` would break the
    # foreign keys that point at it.
    op.add_column("site", sa.Column("web", sa.JSON(), nullable=True))
    op.add_column("appointment", sa.Column("remote", sa.Boolean(), nullable=False,
                                           server_default=sa.false()))
    op.create_table(
        "web_secret",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", shared.timestamps.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_secret")),
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=32), nullable=False),
        sa.Column("body", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", shared.timestamps.UTCDateTime(), nullable=False),
        sa.Column("created_at", shared.timestamps.UTCDateTime(), nullable=False),
        sa.Column("sent_at", shared.timestamps.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_notification_site_id_site")),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"],
                                name=op.f("fk_notification_ticket_id_ticket")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("ticket_id", "kind", name=op.f("uq_notification_ticket_id_kind")),
    )
    op.create_index("ix_notification_state_next", "notification", ["state", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_notification_state_next", table_name="notification")
    op.drop_table("notification")
    op.drop_table("web_secret")
    op.drop_column("appointment", "remote")
    op.drop_column("site", "web")
