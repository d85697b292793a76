"""Losing the answer to a COMMIT: the operation was done, its caller never heard so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from shared.db import Database
from shared.errors import DatabaseUnavailable
from tests.tcp_proxy import TcpProxy


class AnswerLoser:
    """Loses the answer to the next COMMIT of a database handle: through a TCP proxy on
    PostgreSQL and MariaDB; on SQLite (no network) the committed operation's caller is
    told the database went away, which is what the terminal sees."""

    def __init__(self, db: Database) -> None:
        self.proxy: TcpProxy | None = None
        self._armed = False
        if db.backend == "sqlite":
            # Every session of this process: the CLI run in-process makes its own handle.
            self.db = Database(db.url.render_as_string(hide_password=False))
            event.listen(Session, "after_commit", self._after_commit)
        else:
            self.proxy = TcpProxy(db.url.port or 5432, db.url.host or "127.0.0.1")
            self.db = Database(db.url.set(host="127.0.0.1", port=self.proxy.port)
                               .render_as_string(hide_password=False))

    @property
    def url(self) -> str:
        return self.db.url.render_as_string(hide_password=False)

    def _after_commit(self, session: Any) -> None:
        if self._armed and not session.in_nested_transaction():  # not a savepoint
            self._armed = False
            raise DatabaseUnavailable("无法连接数据库 (test: the answer to COMMIT was lost)")

    def lose_next_answer(self) -> None:
        if self.proxy is not None:
            self.proxy.lose_next_commit_answer()
        else:
            self._armed = True

    def lost(self, action: Callable[[], object]) -> None:
        """Run ``action`` with its answer lost: it must fail as a lost connection."""
        self.lose_next_answer()
        with pytest.raises(DatabaseUnavailable):
            action()
        if self.proxy is not None:
            assert self.proxy.commits_lost == 1, "the proxy never saw the COMMIT"
            self.proxy.commits_lost = 0

    def close(self) -> None:
        self.db.dispose()
        if self.proxy is not None:
            self.proxy.close()
        else:
            event.remove(Session, "after_commit", self._after_commit)
