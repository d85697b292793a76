"""Who runs an administrative ``hallq-admin`` command, and its record in the audit chain.

``--as LOGIN`` authenticates a clerk (password prompted, or the first line of stdin with
``--password-stdin``). The administrative commands need an admin or supervisor login and
are otherwise refused with exit 7 before anything changes — except while no active admin
account exists (a new hall: the database owner loads the catalog and creates the first
admin; the database's grants still decide who may).
Each administrative command that succeeded is recorded in the audit chain with the OS
user, the host and the authenticated clerk; every event a run writes says it came from the
command line (``via``), and ``--clerk X`` without ``--as X`` marks it "command line on
behalf of X", distinct from X's own actions.
"""

from __future__ import annotations

import getpass
import logging
import socket
from typing import Any

from sqlalchemy import select

from shared import audit, clerks
from shared.cli.base import Cli
from shared.errors import PermissionDenied
from shared.models import Clerk

log = logging.getLogger("hallq.cli")

# (group, command) -> whether it needs an admin or supervisor login (False: recorded only).
ADMINISTRATIVE: dict[tuple[str, str], bool] = {
    ("clerk", "add"): True, ("clerk", "passwd"): True, ("clerk", "disable"): True,
    ("catalog", "load"): True, ("site", "add"): True, ("site", "disable"): True,
    ("window", "add"): True, ("window", "disable"): True, ("day", "close"): True,
    ("privacy", "purge"): True,
    # The records carry the citizens' phones; re-queueing refused ones changes the outbox.
    ("hcp", "export"): True, ("hcp", "retry"): True,
    # Bad ratings' follow-ups and the ratings themselves (citizens' comments and phones).
    **{("followup", step): True for step in ("list", "show", "contact", "rectify", "close",
                                              "appeal")},
    ("evaluation", "list"): True,
    # The database refuses these to every login but the owner (CREATEROLE / CREATE USER).
    ("db", "role"): False,
}
PRIVILEGED_ROLES = ("admin", "supervisor")
# Never recorded: how the command reached the database, and the parser's own fields.
_NOT_ARGUMENTS = {"handler", "check_schema", "database", "config", "verbose", "as_login",
                  "password_stdin", "group", "command", "json", "request_id"}
# Free text may hold a citizen's words or data (and secrets): the chain is never purged, so
# it keeps only how long such an argument was. Matched on the argument's name, for every
# administrative command, present and future.
FREE_TEXT = frozenset({"note", "reason", "comment", "remark", "text", "message", "phone",
                       "password", "token", "secret"})


def _recorded(name: str, value: object) -> object:
    if value is not None and (name in FREE_TEXT
                              or any(part in FREE_TEXT for part in name.split("_"))):
        return f"…({len(value)})" if isinstance(value, str) else "…"
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    return str(value)


def command_name(cli: Cli) -> str:
    return f"{cli.args.group} {cli.args.command or ''}".strip()


def authorize(cli: Cli) -> clerks.ClerkView | None:
    """Authenticate ``--as`` and check the command may run; returns the clerk (None
    without ``--as``). Raises PermissionDenied (exit 7) with nothing changed."""
    key = (cli.args.group, cli.args.command or "")
    who = None
    login = getattr(cli.args, "as_login", None)
    if login:
        who = clerks.authenticate(cli.db, login, _as_password(cli))
    needs_role = ADMINISTRATIVE.get(key, False)
    # Every event this run writes (a pause, a call, ...) says it came from the command
    # line, by which OS user on which host, and whether the clerk it names authenticated.
    acting = getattr(cli.args, "clerk", None)
    origin = f"({_os_user()}@{socket.gethostname()})"
    if acting and not (who and who.login == acting):
        audit.VIA.set(f"command line on behalf of {acting} {origin}")
    elif who is not None:
        audit.VIA.set(f"command line, authenticated as {who.login} {origin}")
    else:
        audit.VIA.set(f"command line {origin}")
    if not needs_role:
        return who
    if who is not None:
        if who.role not in PRIVILEGED_ROLES:
            raise PermissionDenied(f"{who.login} 不是管理员或主管 (clerk {who.login} is a "
                                   f"{who.role}: '{command_name(cli)}' needs an admin or "
                                   f"supervisor login)")
        return who
    if not _an_admin_exists(cli):
        # A new hall: nobody to authenticate yet. The database's own grants decide (a
        # terminal's login cannot add clerks or load a catalog); the record says so.
        audit.VIA.set(f"command line, no admin account exists yet {origin}")
        return None
    raise PermissionDenied(f"需要管理员或主管登录 ('{command_name(cli)}' needs an admin or "
                           f"supervisor login: add --as LOGIN)")


def _as_password(cli: Cli) -> str:
    from shared.cli.admin_cmds import read_password

    if cli.password_stdin:
        return read_password(True)
    if not _interactive():
        return read_password(False)  # the one-line "use --password-stdin" refusal
    return getpass.getpass(f"{cli.args.as_login} 的密码 (password): ")


def _interactive() -> bool:
    import sys

    return sys.stdin.isatty()


def _an_admin_exists(cli: Cli) -> bool:
    with cli.db.read() as session:
        return session.scalar(select(Clerk.id).where(Clerk.role == "admin",
                                                     Clerk.active.is_(True)).limit(1)) \
            is not None


def record(cli: Cli, who: clerks.ClerkView | None) -> None:
    """Record a successful administrative command in the audit chain."""
    if (cli.args.group, cli.args.command or "") not in ADMINISTRATIVE:
        return
    arguments: dict[str, Any] = {
        name: _recorded(name, value)
        for name, value in sorted(vars(cli.args).items()) if name not in _NOT_ARGUMENTS}
    recorded = audit.record_admin(
        cli.db, site=getattr(cli.args, "site", None) or cli.config.site_code,
        command=command_name(cli), arguments=arguments, clerk=who.login if who else None,
        os_user=_os_user(), host=socket.gethostname())
    if not recorded:
        log.warning("%s not recorded in the audit chain: no site yet", command_name(cli))


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        return "(unknown)"
