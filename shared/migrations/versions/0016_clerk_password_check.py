"""clerk passwords checked in the server: the terminals no longer read the hashes

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 13:00:00

Until now a counter or supervisor PC checked a clerk's password itself, so its database
login read ``clerk.password_hash``. On PostgreSQL and MariaDB two routines owned by the
database owner now do the part that needs the hash (shared/clerks.py, docs/security.md):

- ``hallq_clerk_kdf(login)`` answers the public part of the login's hash,
  ``scrypt$N$r$p$salt`` (no digest). For an unknown or disabled login it answers a fake
  of the same shape: the cost of the newest active clerk's hash and a salt of 16 bytes
  taken from sha256 over a per-database random key (``clerk_secret``) and the login, so
  the answer is the same every time for one login and does not tell whether it exists.
- ``hallq_clerk_check(login, derived_key)``: the terminal computes scrypt(password, salt)
  and sends the result; the routine compares its sha256 with that of the stored digest
  and answers the clerk's id, login, display name, role and active flag on a match, no
  row otherwise.

PostgreSQL: plpgsql / SQL functions, ``SECURITY DEFINER`` with a fixed ``search_path``,
EXECUTE revoked from PUBLIC. MariaDB: procedures with ``SQL SECURITY DEFINER`` that
answer a result set (procedures, unlike stored functions, need neither SUPER nor
``log_bin_trust_function_creators`` when the binary log is on). ``db upgrade`` then grants
EXECUTE on them to the kinds that log clerks in (shared/db_roles.py) and no longer grants
them ``password_hash``. SQLite: the table only (one PC checks in Python as before).
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import DBAPIError

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# A hash shared/clerks.py writes: scrypt$N$r$p$salt$digest (base64). "[$]", not "\$", so
# the pattern reads the same in PostgreSQL's and MariaDB's string literals.
_HASH = "^scrypt[$][0-9]+[$][0-9]+[$][0-9]+[$][A-Za-z0-9+/]+=*[$][A-Za-z0-9+/]+=*$"
# The cost a fake answers while no active clerk has a hash (shared/clerks.py's default).
_DEFAULT_COST = "scrypt$16384$8$1"

_PG_KDF = """
CREATE OR REPLACE FUNCTION hallq_clerk_kdf(clerk_login text) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
DECLARE
    secret_key text;
    newest_cost text;
    real_params text;
BEGIN
    SELECT secret INTO secret_key FROM clerk_secret WHERE id = 1;
    IF secret_key IS NULL THEN  -- the table was emptied: a new key, from the server's CSPRNG
        INSERT INTO clerk_secret (id, secret)
        VALUES (1, encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text,
                                            'UTF8')), 'hex'))
        ON CONFLICT (id) DO NOTHING;
        SELECT secret INTO secret_key FROM clerk_secret WHERE id = 1;
    END IF;
    -- Both answers are computed every time, so a known login takes no other path.
    SELECT substring(password_hash from '^(scrypt[$][0-9]+[$][0-9]+[$][0-9]+)[$]')
        INTO newest_cost FROM clerk
        WHERE active AND password_hash ~ '{pattern}' ORDER BY id DESC LIMIT 1;
    SELECT substring(password_hash from '^(.*)[$][^$]*$') INTO real_params FROM clerk
        WHERE login = clerk_login AND active AND password_hash ~ '{pattern}';
    RETURN coalesce(real_params, coalesce(newest_cost, '{default_cost}') || '$' ||
        encode(substring(sha256(convert_to(secret_key || '/' || clerk_login, 'UTF8'))
                         from 1 for 16), 'base64'));
END
$fn$
"""

_PG_CHECK = """
CREATE OR REPLACE FUNCTION hallq_clerk_check(clerk_login text, derived_key text)
RETURNS TABLE (id integer, login varchar, display_name varchar, role varchar,
               active boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
    SELECT c.id, c.login, c.display_name, c.role, c.active FROM clerk c
    WHERE c.login = clerk_login AND c.active AND c.password_hash ~ '{pattern}'
      AND sha256(convert_to(split_part(c.password_hash, '$', 6), 'UTF8'))
          = sha256(convert_to(coalesce(derived_key, ''), 'UTF8'))
$fn$
"""

# The parameters take clerk.login's character set and collation, so comparing them with
# the column is neither refused (mixed collations) nor different from the ORM's lookup.
_MARIA_KDF = """
CREATE PROCEDURE hallq_clerk_kdf(IN clerk_login VARCHAR(255) {collation})
MODIFIES SQL DATA SQL SECURITY DEFINER
BEGIN
    DECLARE v_secret VARCHAR(64);
    DECLARE v_cost VARCHAR(255);
    DECLARE v_params VARCHAR(255);
    SET v_secret = (SELECT secret FROM clerk_secret WHERE id = 1);
    IF v_secret IS NULL THEN  -- the table was emptied: a new key, from the server's CSPRNG
        INSERT IGNORE INTO clerk_secret (id, secret) VALUES (1, SHA2({random}, 256));
        SET v_secret = (SELECT secret FROM clerk_secret WHERE id = 1 LOCK IN SHARE MODE);
    END IF;
    -- Both answers are computed every time, so a known login takes no other path.
    SET v_cost = (SELECT SUBSTRING_INDEX(password_hash, '$', 4) FROM clerk
                  WHERE active AND password_hash REGEXP '{pattern}' ORDER BY id DESC LIMIT 1);
    SET v_params = (SELECT SUBSTRING_INDEX(password_hash, '$', 5) FROM clerk
                    WHERE login = clerk_login AND active AND password_hash REGEXP '{pattern}');
    SELECT COALESCE(v_params, CONCAT(COALESCE(v_cost, '{default_cost}'), '$',
        TO_BASE64(LEFT(UNHEX(SHA2(CONCAT(v_secret, '/', clerk_login), 256)), 16)))) AS kdf;
END
"""

_MARIA_CHECK = """
CREATE PROCEDURE hallq_clerk_check(IN clerk_login VARCHAR(255) {collation},
                                   IN derived_key VARCHAR(255) {collation})
READS SQL DATA SQL SECURITY DEFINER
BEGIN
    SELECT id, login, display_name, role, active FROM clerk
    WHERE login = clerk_login AND active AND password_hash REGEXP '{pattern}'
      AND SHA2(SUBSTRING_INDEX(password_hash, '$', -1), 256)
          = SHA2(COALESCE(derived_key, ''), 256);
END
"""


def upgrade() -> None:
    op.create_table(
        'clerk_secret',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('secret', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_clerk_secret')),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return
    # The key from Python's CSPRNG; the routines make a new one only if the row is gone.
    op.execute(sa.table('clerk_secret', sa.column('id'), sa.column('secret')).insert()
               .values(id=1, secret=secrets.token_hex(32)))
    values = {"pattern": _HASH, "default_cost": _DEFAULT_COST}
    if bind.dialect.name == "postgresql":
        schema = bind.exec_driver_sql("SELECT current_schema()").scalar()
        op.execute(_PG_KDF.format(schema=schema, **values))
        op.execute(_PG_CHECK.format(schema=schema, **values))
        for signature in ("hallq_clerk_kdf(text)", "hallq_clerk_check(text, text)"):
            op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    elif bind.dialect.name in ("mysql", "mariadb"):
        charset, collation = bind.execute(sa.text(
            "SELECT CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'clerk' "
            "AND COLUMN_NAME = 'login'")).one()
        values["collation"] = f"CHARACTER SET {charset} COLLATE {collation}"
        values["random"] = _maria_random(bind)
        op.execute(_MARIA_KDF.format(**values))
        op.execute(_MARIA_CHECK.format(**values))


def _maria_random(bind: sa.Connection) -> str:
    """The server's CSPRNG where it has one (RANDOM_BYTES: MariaDB 10.10+, MySQL); on an
    older MariaDB a mix of what a terminal cannot know. Only used when the key's row was
    removed: the migration's key comes from Python's CSPRNG."""
    try:
        bind.exec_driver_sql("SELECT RANDOM_BYTES(1)")
    except DBAPIError:
        return "CONCAT(UUID(), RAND(), RAND(), RAND(), SYSDATE(6), CONNECTION_ID())"
    return "RANDOM_BYTES(32)"


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS hallq_clerk_check(text, text)")
        op.execute("DROP FUNCTION IF EXISTS hallq_clerk_kdf(text)")
    elif bind.dialect.name in ("mysql", "mariadb"):
        op.execute("DROP PROCEDURE IF EXISTS hallq_clerk_check")
        op.execute("DROP PROCEDURE IF EXISTS hallq_clerk_kdf")
    op.drop_table('clerk_secret')
