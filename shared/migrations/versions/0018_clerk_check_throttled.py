"""the server counts and throttles the checks of a clerk's password

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 16:30:00

0016's ``hallq_clerk_check(login, key)`` compared as often as it was called and wrote
nothing: with a counter PC's credential one could try thousands of keys a second, and the
app's growing waits (shared/clerks.py: per login and terminal, counted in
``login_record``) were the terminal's own business. Now the routine is the throttle
(docs/security.md, "How a clerk's password is checked"):

- ``hallq_clerk_check(login, key, window_id)`` (``window_id`` is the terminal: the window
  logging in, NULL for the supervisor app and ``--as``) first works out the wait from
  ``login_record`` as the app did: after 3 counted failures of the login at that terminal
  in the last 15 minutes (since its last success there) each try waits 5 s, doubling up to
  5 min after the latest. A terminal's id is the caller's word, so the login's failures at
  every terminal together are held to the same rule after 20 of them. While a wait runs the
  routine records a ``throttled`` try and answers ``(NULL, seconds)`` without comparing.
  Otherwise it compares, records the try as a failure ("wrong password", or "unknown or
  disabled login") and keeps the outcome in ``clerk_attempt`` (no terminal may read it),
  answering ``(attempt, 0)`` whether it matched or not.
- ``hallq_clerk_result(attempt, login)`` answers the clerk on a match and turns the try's
  record into a success, which resets the waits as a successful login always did.

Nothing can be rolled back off the record: on PostgreSQL the result is answered only once
the checking transaction has committed (``pg_xact_status`` of the transaction id kept
with the attempt), so the failure is on record before anyone learns the outcome; on
MariaDB the check procedure commits its record itself before it answers. Checks run one
at a time, in a lock no counter or supervisor login may take (PostgreSQL: the clerk's row,
for which ``FOR UPDATE`` needs the UPDATE privilege; an unknown login has nothing to
guess. MariaDB, where SELECT suffices: the ``clerk_secret`` row, for the procedure's few
milliseconds), so a burst of parallel checks is counted one by one. On PostgreSQL the
check refuses to run under a snapshot older than its statement (REPEATABLE READ or
SERIALIZABLE), which would not see the latest failures; on MariaDB it runs its own READ
COMMITTED transaction.

The 2-argument check of 0016 is dropped; ``db upgrade`` grants EXECUTE on the new routines
to the kinds that log clerks in (shared/db_roles.py). SQLite: the table only (one PC, the
same rules in Python).
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

# The rules of shared/clerks.py when this revision was written.
_RULES = {"minutes": 15, "free": 3, "first": 5, "most": 300, "any_free": 20,
          "counted": "'wrong password', 'unknown or disabled login'"}
# A hash shared/clerks.py writes (as 0016).
_HASH = "^scrypt[$][0-9]+[$][0-9]+[$][0-9]+[$][A-Za-z0-9+/]+=*[$][A-Za-z0-9+/]+=*$"

_PG_CHECK = """
CREATE FUNCTION hallq_clerk_check(clerk_login text, derived_key text, terminal integer)
RETURNS TABLE (attempt bigint, wait_seconds integer)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
DECLARE
    short_login text := left(clerk_login, 64);
    now_utc timestamp;
    since timestamp;
    wait_s integer;
    matched integer;
    known boolean;
    record_id integer;
    attempt_id bigint;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'hallq_clerk_check runs under READ COMMITTED only'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- One check of a clerk at a time, so the next one sees this one's record: the clerk's
    -- row, which no terminal may lock (an advisory lock any login could take and hold).
    PERFORM 1 FROM clerk c WHERE c.login = clerk_login FOR UPDATE;
    now_utc := clock_timestamp() AT TIME ZONE 'UTC';
    since := now_utc - interval '{minutes} minutes';
    WITH recent AS (
        SELECT r.at, r.success, r.detail, r.window_id IS NOT DISTINCT FROM terminal AS here
        FROM login_record r WHERE r.login = short_login AND r.at > since),
    successes AS (
        SELECT max(at) FILTER (WHERE success AND here) AS here_ok,
               max(at) FILTER (WHERE success) AS any_ok FROM recent),
    tally AS (
        SELECT count(*) FILTER (WHERE f.here AND f.at > coalesce(s.here_ok, since)) AS here_n,
               max(f.at) FILTER (WHERE f.here AND f.at > coalesce(s.here_ok, since))
                   AS here_latest,
               count(*) FILTER (WHERE f.at > coalesce(s.any_ok, since)) AS any_n,
               max(f.at) FILTER (WHERE f.at > coalesce(s.any_ok, since)) AS any_latest
        FROM successes s
        LEFT JOIN recent f ON NOT f.success AND f.detail IN ({counted}))
    SELECT greatest(0,
        CASE WHEN here_n >= {free} THEN ceil(least({first} * 2 ^ least(here_n - {free}, 16),
            {most}) - extract(epoch FROM now_utc - here_latest)) ELSE 0 END,
        CASE WHEN any_n >= {any_free} THEN ceil(least({first} * 2 ^ least(any_n - {any_free},
            16), {most}) - extract(epoch FROM now_utc - any_latest)) ELSE 0 END)::integer
    INTO wait_s FROM tally;
    IF wait_s > 0 THEN  -- refused without comparing; recorded, not counted
        INSERT INTO login_record (login, window_id, at, success, detail)
        VALUES (short_login, terminal, now_utc, false, 'throttled');
        RETURN QUERY SELECT NULL::bigint, wait_s;
        RETURN;
    END IF;
    SELECT c.id INTO matched FROM clerk c
    WHERE c.login = clerk_login AND c.active AND c.password_hash ~ '{pattern}'
      AND sha256(convert_to(split_part(c.password_hash, '$', 6), 'UTF8'))
          = sha256(convert_to(coalesce(derived_key, ''), 'UTF8'));
    known := EXISTS (SELECT 1 FROM clerk c WHERE c.login = clerk_login AND c.active);
    -- A failure until the match is collected (hallq_clerk_result), so it counts whatever
    -- the caller does next.
    INSERT INTO login_record (login, window_id, at, success, detail)
    VALUES (short_login, terminal, now_utc, false,
            CASE WHEN known THEN 'wrong password' ELSE 'unknown or disabled login' END)
    RETURNING id INTO record_id;
    INSERT INTO clerk_attempt (record_id, xact, clerk_id)
    VALUES (record_id, pg_current_xact_id()::text::bigint, matched)
    RETURNING id INTO attempt_id;
    RETURN QUERY SELECT attempt_id, 0;
END
$fn$
"""

_PG_RESULT = """
CREATE FUNCTION hallq_clerk_result(attempt_id bigint, clerk_login text)
RETURNS TABLE (id integer, login varchar, display_name varchar, role varchar,
               active boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
DECLARE
    checked_record integer;
    checked_xact bigint;
    matched integer;
BEGIN
    SELECT a.record_id, a.xact, a.clerk_id INTO checked_record, checked_xact, matched
    FROM clerk_attempt a JOIN login_record r ON r.id = a.record_id
    WHERE a.id = attempt_id AND r.login = left(clerk_login, 64);
    -- Answered once the check's transaction committed: its failure is then on record.
    IF matched IS NULL
       OR pg_xact_status(checked_xact::text::xid8) IS DISTINCT FROM 'committed' THEN
        RETURN;
    END IF;
    UPDATE login_record r SET success = true, detail = '' WHERE r.id = checked_record;
    RETURN QUERY SELECT c.id, c.login, c.display_name, c.role, c.active FROM clerk c
        WHERE c.id = matched AND c.active;
END
$fn$
"""

# The parameters take clerk.login's character set and collation (as 0016).
_MARIA_CHECK = """
CREATE PROCEDURE hallq_clerk_check(IN clerk_login VARCHAR(255) {collation},
                                   IN derived_key VARCHAR(255) {collation},
                                   IN terminal INT)
MODIFIES SQL DATA SQL SECURITY DEFINER
BEGIN
    DECLARE v_login VARCHAR(64) {collation};
    DECLARE v_held INT;
    DECLARE v_now DATETIME(6);
    DECLARE v_since DATETIME(6);
    DECLARE v_wait INT;
    DECLARE v_matched INT;
    DECLARE v_known BOOLEAN;
    DECLARE v_record INT;
    DECLARE v_attempt BIGINT;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
        ROLLBACK;
        RESIGNAL;
    END;
    -- Ends the caller's transaction: its record is committed before the procedure
    -- answers, so no caller can roll it back; and what follows reads what is committed.
    COMMIT;
    SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
    START TRANSACTION;
    -- One check at a time, so the next one sees this one's record: the key's row, which no
    -- terminal may read, so none may lock it (MariaDB lets SELECT lock a clerk's row, and
    -- any login take a GET_LOCK name); held for this procedure only.
    SELECT COUNT(*) INTO v_held FROM clerk_secret WHERE id = 1 FOR UPDATE;
    SET v_login = LEFT(clerk_login, 64);
    SET v_now = UTC_TIMESTAMP(6);
    SET v_since = v_now - INTERVAL {minutes} MINUTE;
    SET v_wait = (
        WITH recent AS (
            SELECT r.at, r.success, r.detail, (r.window_id <=> terminal) AS here
            FROM login_record r WHERE r.login = v_login AND r.at > v_since),
        successes AS (
            SELECT MAX(IF(success AND here, at, NULL)) AS here_ok,
                   MAX(IF(success, at, NULL)) AS any_ok FROM recent),
        tally AS (
            SELECT COALESCE(SUM(f.here AND f.at > COALESCE(s.here_ok, v_since)), 0) AS here_n,
                   MAX(IF(f.here AND f.at > COALESCE(s.here_ok, v_since), f.at, NULL))
                       AS here_latest,
                   COALESCE(SUM(f.at > COALESCE(s.any_ok, v_since)), 0) AS any_n,
                   MAX(IF(f.at > COALESCE(s.any_ok, v_since), f.at, NULL)) AS any_latest
            FROM successes s
            LEFT JOIN recent f ON NOT f.success AND f.detail IN ({counted}))
        SELECT GREATEST(0,
            IF(here_n >= {free}, CEIL(LEAST({first} * POW(2, LEAST(here_n - {free}, 16)),
                {most}) - TIMESTAMPDIFF(MICROSECOND, here_latest, v_now) / 1000000), 0),
            IF(any_n >= {any_free}, CEIL(LEAST({first} * POW(2, LEAST(any_n - {any_free},
                16)), {most}) - TIMESTAMPDIFF(MICROSECOND, any_latest, v_now) / 1000000), 0))
        FROM tally);
    IF v_wait > 0 THEN  -- refused without comparing; recorded, not counted
        INSERT INTO login_record (login, window_id, at, success, detail)
        VALUES (v_login, terminal, v_now, FALSE, 'throttled');
        COMMIT;
        SELECT NULL AS attempt, v_wait AS wait_seconds;
    ELSE
        SET v_matched = (SELECT id FROM clerk
                         WHERE login = clerk_login AND active AND password_hash REGEXP '{pattern}'
                           AND SHA2(SUBSTRING_INDEX(password_hash, '$', -1), 256)
                               = SHA2(COALESCE(derived_key, ''), 256));
        SET v_known = EXISTS (SELECT 1 FROM clerk WHERE login = clerk_login AND active);
        -- A failure until the match is collected (hallq_clerk_result).
        INSERT INTO login_record (login, window_id, at, success, detail)
        VALUES (v_login, terminal, v_now, FALSE,
                IF(v_known, 'wrong password', 'unknown or disabled login'));
        SET v_record = LAST_INSERT_ID();
        INSERT INTO clerk_attempt (record_id, xact, clerk_id) VALUES (v_record, NULL, v_matched);
        SET v_attempt = LAST_INSERT_ID();
        COMMIT;
        SELECT v_attempt AS attempt, 0 AS wait_seconds;
    END IF;
END
"""

_MARIA_RESULT = """
CREATE PROCEDURE hallq_clerk_result(IN attempt_id BIGINT,
                                    IN clerk_login VARCHAR(255) {collation})
MODIFIES SQL DATA SQL SECURITY DEFINER
BEGIN
    DECLARE v_record INT;
    DECLARE v_matched INT;
    -- The check committed its record itself before it compared.
    SET v_record = (SELECT a.record_id FROM clerk_attempt a
                    JOIN login_record r ON r.id = a.record_id
                    WHERE a.id = attempt_id AND r.login = LEFT(clerk_login, 64));
    SET v_matched = (SELECT clerk_id FROM clerk_attempt WHERE id = attempt_id
                     AND record_id = v_record);
    IF v_matched IS NOT NULL THEN
        UPDATE login_record SET success = TRUE, detail = '' WHERE id = v_record;
    END IF;
    SELECT id, login, display_name, role, active FROM clerk
    WHERE id = v_matched AND active;
END
"""


def upgrade() -> None:
    op.create_table(
        'clerk_attempt',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  autoincrement=True, nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('xact', sa.BigInteger(), nullable=True),
        sa.Column('clerk_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['clerk_id'], ['clerk.id'],
                                name=op.f('fk_clerk_attempt_clerk_id_clerk')),
        sa.ForeignKeyConstraint(['record_id'], ['login_record.id'],
                                name=op.f('fk_clerk_attempt_record_id_login_record')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_clerk_attempt')),
    )
    bind = op.get_bind()
    values = {**_RULES, "pattern": _HASH}
    if bind.dialect.name == "postgresql":
        schema = bind.exec_driver_sql("SELECT current_schema()").scalar()
        op.execute("DROP FUNCTION IF EXISTS hallq_clerk_check(text, text)")
        op.execute(_PG_CHECK.format(schema=schema, **values))
        op.execute(_PG_RESULT.format(schema=schema, **values))
        for signature in ("hallq_clerk_check(text, text, integer)",
                          "hallq_clerk_result(bigint, text)"):
            op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    elif bind.dialect.name in ("mysql", "mariadb"):
        values["collation"] = _maria_collation(bind)
        op.execute("DROP PROCEDURE IF EXISTS hallq_clerk_check")
        op.execute(_MARIA_CHECK.format(**values))
        op.execute(_MARIA_RESULT.format(**values))


def _maria_collation(bind: sa.Connection) -> str:
    charset, collation = bind.execute(sa.text(
        "SELECT CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'clerk' "
        "AND COLUMN_NAME = 'login'")).one()
    return f"CHARACTER SET {charset} COLLATE {collation}"


def downgrade() -> None:
    """Back to 0016's check (unthrottled), as that revision's code expects."""
    before = importlib.import_module(
        "shared.migrations.versions.0016_clerk_password_check")
    bind = op.get_bind()
    values = {"pattern": _HASH, "default_cost": before._DEFAULT_COST}
    if bind.dialect.name == "postgresql":
        schema = bind.exec_driver_sql("SELECT current_schema()").scalar()
        op.execute("DROP FUNCTION IF EXISTS hallq_clerk_result(bigint, text)")
        op.execute("DROP FUNCTION IF EXISTS hallq_clerk_check(text, text, integer)")
        op.execute(before._PG_CHECK.format(schema=schema, **values))
        op.execute("REVOKE ALL ON FUNCTION hallq_clerk_check(text, text) FROM PUBLIC")
    elif bind.dialect.name in ("mysql", "mariadb"):
        values["collation"] = _maria_collation(bind)
        op.execute("DROP PROCEDURE IF EXISTS hallq_clerk_result")
        op.execute("DROP PROCEDURE IF EXISTS hallq_clerk_check")
        op.execute(before._MARIA_CHECK.format(**values))
    op.drop_table('clerk_attempt')
