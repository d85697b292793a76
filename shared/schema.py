"""Creating and upgrading the schema with the Alembic migrations shipped in the package,
and refusing to run against a schema older or newer than the code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from shared.db import Database, lift_limits, translate_errors
from shared.errors import SchemaMismatch

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# Every revision in shared/migrations/versions, oldest first; the last is the code's.
# Kept here so that starting a terminal need not import Alembic and parse the migration
# scripts (a test checks this list against Alembic's own view of the folder).
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009",
             "0010", "0011", "0012", "0013", "0014", "0015", "0016", "0017",
             "0018", "0019")


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def code_revision() -> str:
    return REVISIONS[-1]


@dataclass(frozen=True)
class SchemaStatus:
    database: str | None
    code: str

    @property
    def current(self) -> bool:
        return self.database == self.code


def status(db: Database) -> SchemaStatus:
    # The read engine: on SQLite the write engine's BEGIN IMMEDIATE would wait for (and
    # block) writers just to read the schema revision.
    with translate_errors(login=db.url.username), db.read_engine.connect() as conn:
        revision = None
        if inspect(conn).has_table("alembic_version"):
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return SchemaStatus(revision, code_revision())


def upgrade(db: Database, revision: str = "head") -> SchemaStatus:
    """Apply the migrations up to ``revision`` in one transaction where the backend allows,
    then grant every terminal login made by ``db role create`` what its kind needs in the
    schema now there (so a new table or column is covered by the same upgrade)."""
    from alembic import command  # slow to import; only this function needs it

    from shared.db_roles import regrant_all

    config = _config()
    try:
        with translate_errors(login=db.url.username, what="db upgrade"), \
                db.engine.begin() as conn:
            lift_limits(conn)
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            if inspect(conn).has_table("db_role"):
                regrant_all(conn)
    finally:
        if db.backend in ("mysql", "mariadb"):
            db.engine.dispose()  # its session kept the lifted limits
    return status(db)


def ensure_current(db: Database) -> None:
    """Raise SchemaMismatch, naming the command to run, unless the schema matches the code."""
    state = status(db)
    if state.current:
        return
    known = set(REVISIONS)
    if state.database is None:
        zh, en = "数据库尚未初始化", "the database has no HallQueue schema yet"
    elif state.database in known:
        zh, en = "数据库结构较旧", (f"the schema {state.database} is older than this "
                                   f"program's {state.code}")
    else:
        newer = SchemaMismatch(
            f"数据库结构比本程序新，请升级 HallQueue (the schema {state.database} is newer than "
            f"this program's {state.code}: install the newer HallQueue on this PC; if it then "
            f"asks, run 'hallq-admin db upgrade')"
        )
        newer.problem = "newer"
        raise newer
    # "中文 (English)", the command in both halves: shown one half at a time (one_language)
    mismatch = SchemaMismatch(f"{zh}，请运行 'hallq-admin db upgrade'（用 --database 或与本终端"
                              f"相同的配置） ({en}: run 'hallq-admin db upgrade' with --database "
                              f"or the same config as this terminal)")
    mismatch.problem = "missing" if state.database is None else "older"
    raise mismatch
