"""``hallq-admin db upgrade|status``: the only commands that run on a schema that does not
match the code (they are how it is made to match)."""

from __future__ import annotations

from shared import schema
from shared.cli.base import Cli, CommandTree, say
from shared.cli.output import emit_json

HELP = "数据库结构 (database schema: upgrade, status)"


def register(tree: CommandTree) -> None:
    tree.command("db", "upgrade", run_upgrade, "应用数据库迁移 (apply the migrations)",
                 group_help=HELP, check_schema=False)
    tree.command("db", "status", run_status,
                 "数据库结构版本 (schema revision of the database and of this program; "
                 "exit 5 unless they match)", group_help=HELP, json=True, check_schema=False)


def run_upgrade(cli: Cli) -> int:
    before = schema.status(cli.db)
    after = schema.upgrade(cli.db)
    if before.database == after.database:
        say(f"数据库结构已是最新 {after.database}", "schema already current")
    else:
        say(f"数据库结构已升级 {before.database or '(空)'} → {after.database}",
            f"schema upgraded to {after.database}")
    return 0


def run_status(cli: Cli) -> int:
    state = schema.status(cli.db)
    if cli.json:
        emit_json({"database": state.database, "code": state.code, "current": state.current,
                   "backend": cli.db.backend,
                   "url": cli.db.url.render_as_string(hide_password=True)})
    else:
        say(f"数据库 database: {cli.db.url.render_as_string(hide_password=True)}")
        say(f"数据库结构 schema: {state.database or '(无 none)'}；程序 code: {state.code}")
    schema.ensure_current(cli.db)  # a mismatch: its one-line message and exit 5
    if not cli.json:
        say("数据库结构与程序一致", "schema is current")
    return 0
