"""audit guards: the chain's head moves only forward, and public terminals record no
administrative events

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 07:05:00

Every terminal login that writes events must move its site's ``audit_head`` (the chain's
last place and hash), so a stolen kiosk config could set the head back (every later event
of the site then collides with an existing place: the hall stops issuing) or insert an
administrative event ("clerk add …") chained like a real one. Triggers on PostgreSQL and
MariaDB, for the logins ``db role create`` made (``db_role``):

- ``audit_head`` may only move forward, to an event of the chain with that place and
  hash (the statement that moves it follows the events' INSERT in the same transaction),
  and a new head starts at place 0 with the genesis hash;
- an event with the action ``admin`` (shared/audit.py ADMIN_ACTION) is refused for the
  kiosk, display and web logins: administrative commands run at counters, supervisors'
  and administrators' PCs.

The owner (and any login not made by ``db role create``) is not restricted by them. On
PostgreSQL the trigger functions are SECURITY DEFINER so that they may read ``db_role``
and ``ticket_event``, which a kiosk's login may not; refusals are "insufficient
privilege" (exit 7), on MariaDB error 1142 likewise. SQLite has no logins.
"""

from __future__ import annotations

from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

_PUBLIC_KINDS = "'kiosk', 'display', 'web'"
_GENESIS = "0" * 64

_PG_HEAD = """
CREATE OR REPLACE FUNCTION hallq_audit_head_forward() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM db_role WHERE login = session_user) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.seq = 0 AND NEW.hash = '{genesis}' THEN
            RETURN NEW;
        END IF;
    ELSIF NEW.site_id = OLD.site_id AND (
            (NEW.seq = OLD.seq AND NEW.hash = OLD.hash)
            OR (NEW.seq > OLD.seq AND EXISTS (
                SELECT 1 FROM ticket_event e WHERE e.site_id = NEW.site_id
                  AND e.chain_seq = NEW.seq AND e.chain_hash = NEW.hash))) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_head: the chain head only moves forward to an event of its chain '
        '(% refused for login %)', TG_OP, session_user USING ERRCODE = 'insufficient_privilege';
END
$$
"""

_PG_EVENT = """
CREATE OR REPLACE FUNCTION hallq_event_admin_only() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
    IF NEW.action = 'admin' AND EXISTS (
            SELECT 1 FROM db_role WHERE login = session_user AND kind IN ({kinds})) THEN
        RAISE EXCEPTION 'ticket_event: login % may not record administrative events',
            session_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$
"""

# MariaDB runs a trigger with its definer's privileges; USER() is the invoking login.
_MARIA_TERMINAL = "EXISTS (SELECT 1 FROM db_role WHERE login = SUBSTRING_INDEX(USER(), '@', 1)"
_MARIA_REFUSE = "SIGNAL SQLSTATE '42000' SET MYSQL_ERRNO = 1142, MESSAGE_TEXT = '{text}'"

_MARIA_HEAD_INSERT = f"""
CREATE TRIGGER audit_head_forward_insert BEFORE INSERT ON audit_head FOR EACH ROW
BEGIN
    IF {_MARIA_TERMINAL}) AND NOT (NEW.seq = 0 AND NEW.hash = '{_GENESIS}') THEN
        {_MARIA_REFUSE.format(text="audit_head: a new chain head starts at its beginning")};
    END IF;
END
"""

_MARIA_HEAD_UPDATE = f"""
CREATE TRIGGER audit_head_forward_update BEFORE UPDATE ON audit_head FOR EACH ROW
BEGIN
    IF {_MARIA_TERMINAL}) AND NOT (NEW.site_id = OLD.site_id AND (
            (NEW.seq = OLD.seq AND NEW.hash = OLD.hash)
            OR (NEW.seq > OLD.seq AND EXISTS (
                SELECT 1 FROM ticket_event e WHERE e.site_id = NEW.site_id
                  AND e.chain_seq = NEW.seq AND e.chain_hash = NEW.hash)))) THEN
        {_MARIA_REFUSE.format(
            text="audit_head: the chain head only moves forward to an event of its chain")};
    END IF;
END
"""

_MARIA_EVENT = f"""
CREATE TRIGGER ticket_event_admin_only BEFORE INSERT ON ticket_event FOR EACH ROW
BEGIN
    IF NEW.action = 'admin' AND {_MARIA_TERMINAL} AND kind IN ({_PUBLIC_KINDS})) THEN
        {_MARIA_REFUSE.format(text="ticket_event: this login may not record administrative events")};
    END IF;
END
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = bind.exec_driver_sql("SELECT current_schema()").scalar()
        op.execute(_PG_HEAD.format(schema=schema, genesis=_GENESIS))
        op.execute("CREATE TRIGGER audit_head_forward BEFORE INSERT OR UPDATE ON audit_head "
                   "FOR EACH ROW EXECUTE FUNCTION hallq_audit_head_forward()")
        op.execute(_PG_EVENT.format(schema=schema, kinds=_PUBLIC_KINDS))
        op.execute("CREATE TRIGGER ticket_event_admin_only BEFORE INSERT ON ticket_event "
                   "FOR EACH ROW EXECUTE FUNCTION hallq_event_admin_only()")
    elif bind.dialect.name in ("mysql", "mariadb"):
        for statement in (_MARIA_HEAD_INSERT, _MARIA_HEAD_UPDATE, _MARIA_EVENT):
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ticket_event_admin_only ON ticket_event")
        op.execute("DROP FUNCTION IF EXISTS hallq_event_admin_only()")
        op.execute("DROP TRIGGER IF EXISTS audit_head_forward ON audit_head")
        op.execute("DROP FUNCTION IF EXISTS hallq_audit_head_forward()")
    elif bind.dialect.name in ("mysql", "mariadb"):
        for trigger in ("ticket_event_admin_only", "audit_head_forward_update",
                        "audit_head_forward_insert"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
