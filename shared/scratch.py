"""Throwaway databases for tests and benchmarks: a new, empty database on a PostgreSQL or
MariaDB server (beside the one a URL names), dropped afterwards. The tests and the bench
scripts both make theirs here."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url


def _admin_backend(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in ("postgresql", "mysql", "mariadb"):
        raise ValueError(f"a scratch database needs a PostgreSQL or MariaDB server URL, "
                         f"not {backend!r}")
    return backend


@contextmanager
def _admin(server_url: str) -> Iterator[Connection]:
    """An autocommit connection to the server of ``server_url`` (CREATE/DROP DATABASE)."""
    engine = create_engine(make_url(server_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def create_scratch_database(server_url: str, prefix: str = "hallq_scratch") -> str:
    """Create an empty database ``<prefix>_<random>`` on the server of ``server_url``
    (utf8mb4 with binary collation on MariaDB, as the schema expects); returns its URL."""
    backend = _admin_backend(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    extra = "" if backend == "postgresql" else " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
    with _admin(server_url) as conn:
        conn.execute(text(f"CREATE DATABASE {name}{extra}"))
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_scratch_database(server_url: str, url: str) -> None:
    """Drop the scratch database of ``url`` (ending its sessions on PostgreSQL), connected
    as ``server_url``, the URL it was made beside."""
    backend = _admin_backend(server_url)
    force = " WITH (FORCE)" if backend == "postgresql" else ""
    with _admin(server_url) as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {make_url(url).database}{force}"))


@contextmanager
def scratch_database(server_url: str, prefix: str = "hallq_scratch") -> Iterator[str]:
    """A new empty database on the server of ``server_url`` for the length of the block;
    yields its URL."""
    url = create_scratch_database(server_url, prefix)
    try:
        yield url
    finally:
        drop_scratch_database(server_url, url)
