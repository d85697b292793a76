"""``hallq-admin db upgrade|status``: the only commands that run on a schema that does not
match the code (they are how it is made to match); ``db role create|list|drop``: the
database logins per kind of terminal (shared/db_roles.py, docs/security.md)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeVar

from shared import db_roles, schema
from shared.cli.base import ArgumentParser, Cli, CommandTree, add_global_options, say, tr
from shared.cli.output import emit_json
from shared.errors import UsageError
from shared.i18n import QT_TRANSLATE_NOOP, one_language

T = TypeVar("T")
HELP = QT_TRANSLATE_NOOP("Cli", "数据库结构与账号")


def register(tree: CommandTree) -> None:
    tree.command("db", "upgrade", run_upgrade, QT_TRANSLATE_NOOP("Cli", "应用数据库迁移"),
                 group_help=HELP, check_schema=False)
    tree.command("db", "status", run_status,
                 QT_TRANSLATE_NOOP("Cli", "数据库结构版本"), group_help=HELP, json=True, check_schema=False)
    role = tree.command("db", "role", run_role,
                        QT_TRANSLATE_NOOP("Cli", "终端数据库账号"), group_help=HELP)
    actions = role.add_subparsers(dest="role_action", metavar="ACTION", required=True,
                                  parser_class=ArgumentParser)
    kinds = ", ".join(k.value for k in db_roles.Kind)
    text = tr(QT_TRANSLATE_NOOP("Cli", "创建账号"), kinds=kinds)  # English names the kinds
    create: ArgumentParser = actions.add_parser("create", help=text, description=text)
    add_global_options(create, suppress=True)
    create.add_argument("kind", metavar="KIND", type=_kind,
                        help=tr(QT_TRANSLATE_NOOP("Cli", "终端类别：{kinds}"), kinds=kinds))
    create.add_argument("--login", required=True, type=_login, help=QT_TRANSLATE_NOOP("Cli", "新账号的名称"))
    create.add_argument("--host", default="%", type=_host,
                        help=QT_TRANSLATE_NOOP("Cli", "MariaDB：允许该账号连接的主机，如 "
                                                      "192.168.10.%%（默认 %%：任意）；PostgreSQL "
                                                      "上忽略（请用 pg_hba.conf）"))
    text = one_language(QT_TRANSLATE_NOOP("Cli", "列出账号"))
    listing: ArgumentParser = actions.add_parser("list", help=text, description=text)
    add_global_options(listing, suppress=True)
    listing.add_argument("--json", action="store_true",
                         help=QT_TRANSLATE_NOOP("Cli", "输出 JSON（见 docs/cli.md）"))
    text = one_language(QT_TRANSLATE_NOOP("Cli", "删除账号"))
    drop: ArgumentParser = actions.add_parser("drop", help=text, description=text)
    add_global_options(drop, suppress=True)
    drop.add_argument("login", metavar="LOGIN", type=_login)


def _checked(check: Callable[[str], T]) -> Callable[[str], T]:
    """An argparse type from a checker that raises UsageError: a one-line usage error."""

    def convert(text: str) -> T:
        try:
            return check(text)
        except UsageError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


_kind = _checked(db_roles.kind_of)
_login = _checked(db_roles.check_login)
_host = _checked(db_roles.check_host)


def run_upgrade(cli: Cli) -> int:
    before = schema.status(cli.db)
    after = schema.upgrade(cli.db)
    if before.database == after.database:
        say(QT_TRANSLATE_NOOP("Cli", "数据库结构已是最新 {version}"), version=after.database)
    else:
        say(QT_TRANSLATE_NOOP("Cli", "数据库结构已升级 {before} → {after}"),
            before=before.database or tr(QT_TRANSLATE_NOOP("Cli", "（空）")), after=after.database)
    return 0


def run_status(cli: Cli) -> int:
    state = schema.status(cli.db)
    if cli.json:
        emit_json({"database": state.database, "code": state.code, "current": state.current,
                   "backend": cli.db.backend,
                   "url": cli.db.url.render_as_string(hide_password=True)})
    else:
        say(QT_TRANSLATE_NOOP("Cli", "数据库：{url}"), url=cli.db.url.render_as_string(hide_password=True))
        say(QT_TRANSLATE_NOOP("Cli", "数据库结构：{database}；程序：{code}"),
            database=state.database or tr(QT_TRANSLATE_NOOP("Cli", "（无）")), code=state.code)
    schema.ensure_current(cli.db)  # a mismatch: its one-line message and exit 5
    if not cli.json:
        say(QT_TRANSLATE_NOOP("Cli", "数据库结构与程序一致"))
    return 0


def run_role(cli: Cli) -> int:
    action = cli.args.role_action
    if action == "create":
        from shared.cli.admin_cmds import read_password

        password = read_password(cli.password_stdin)
        role = db_roles.create_role(cli.db, cli.args.kind, cli.args.login, password,
                                    host=cli.args.host)
        where = f"@{role.host}" if role.host else ""
        say(QT_TRANSLATE_NOOP("Cli", "已创建 {kind} 类终端账号 {login}{where}"),
            kind=role.kind, login=role.login, where=where)
        if role.ends_stuck_sessions is False and role.kind != db_roles.Kind.DISPLAY:
            grant = f"GRANT pg_signal_backend, pg_read_all_stats TO \"{role.login}\""
            say(QT_TRANSLATE_NOOP("Cli", "注意：本账号无权授予 pg_signal_backend 和 pg_read_all_stats；"
                                         "请由超级用户执行 {grant}，否则此终端无法结束别的账号卡住的会话"
                                         "（docs/config.md）"),
                grant=grant)
        return 0
    if action == "list":
        roles = db_roles.list_roles(cli.db)
        if cli.json:
            emit_json({"roles": [r.as_dict() for r in roles]})
            return 0
        if not roles:
            say(QT_TRANSLATE_NOOP("Cli", "尚无终端账号：请用 'hallq-admin db role create KIND --login NAME' "
                                         "创建"))
        for r in roles:
            missing = "" if r.exists else "  " + tr(QT_TRANSLATE_NOOP("Cli", "（服务器上已不存在）"))
            host = f"@{r.host}" if r.host else ""
            stuck = "  " + tr(QT_TRANSLATE_NOOP("Cli", "（不能结束卡住的会话）")) \
                if r.ends_stuck_sessions is False and r.kind != db_roles.Kind.DISPLAY else ""
            print(f"{r.kind:<11}{r.login}{host}{missing}{stuck}")
        return 0
    role = db_roles.drop_role(cli.db, cli.args.login)
    say(QT_TRANSLATE_NOOP("Cli", "已删除终端账号 {login}"), login=role.login)
    return 0
