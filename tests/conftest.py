"""Shared fixtures: a fresh, migrated database per test on SQLite, PostgreSQL and MariaDB.

Server tests read HALLQ_TEST_POSTGRES_URL and HALLQ_TEST_MARIADB_URL (a server URL whose
database the tests may create databases beside). Without them they skip with the reason;
with HALLQ_TEST_REQUIRE_SERVERS=1 (set by .ci/run) a missing server is a failure. Each
test session creates its own uniquely named databases and drops them at the end, so runs
never see each other's data; each test starts from empty tables and the test catalog.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

# Helper modules the test modules import: their asserts report like the tests' own.
pytest.register_assert_rewrite("tests.ui.counter_support", "tests.ui.kiosk_support",
                               "tests.ui.screen_audit", "tests.integration.stats_history")

# Tests never read or write the real user's settings, config, data or logs: the run and
# every process it starts get an empty home and XDG folders of their own, set before any
# module asks platformdirs or QSettings where those live.
_TEST_HOME = Path(tempfile.mkdtemp(prefix="hallq-test-home-"))
for _var, _sub in (("HOME", "."), ("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                   ("XDG_STATE_HOME", ".local/state"), ("XDG_CACHE_HOME", ".cache")):
    os.environ[_var] = str((_TEST_HOME / _sub).resolve())

from shared import clerks, pins, schema  # noqa: E402  (after the folders above are set)
from shared.catalog import load_catalog  # noqa: E402
from shared.db import Database  # noqa: E402
from shared.models import Base  # noqa: E402
from shared.scratch import create_scratch_database, drop_scratch_database  # noqa: E402

DATA = Path(__file__).parent / "data"
TEST_CATALOG = DATA / "test_catalog.toml"
BACKENDS = ("sqlite", "postgres", "mariadb")
_ENV = {"postgres": "HALLQ_TEST_POSTGRES_URL", "mariadb": "HALLQ_TEST_MARIADB_URL"}


def _require_servers() -> bool:
    return os.environ.get("HALLQ_TEST_REQUIRE_SERVERS") == "1"


class ServerDatabase:
    """One database created for this test session on a server, emptied between tests."""

    def __init__(self, backend: str, base_url: str) -> None:
        self.backend = backend
        self.base_url = base_url
        self.admin = create_engine(make_url(base_url), isolation_level="AUTOCOMMIT")
        self.url = create_scratch_database(base_url, "hallq_test")
        db = Database(self.url)
        schema.upgrade(db)
        db.dispose()

    def empty(self) -> None:
        engine = create_engine(self.url)
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        with engine.begin() as conn:
            if self.backend == "mariadb":
                conn.execute(text("SET FOREIGN_KEY_CHECKS=0"))
                for name in tables:
                    conn.execute(text(f"TRUNCATE TABLE `{name}`"))
                conn.execute(text("SET FOREIGN_KEY_CHECKS=1"))
            else:
                conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in tables)
                                  + " RESTART IDENTITY CASCADE"))
        engine.dispose()

    def drop(self) -> None:
        drop_scratch_database(self.base_url, self.url)
        self.admin.dispose()


_servers: dict[str, ServerDatabase] = {}


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = Database(f"sqlite:///{path}")
    schema.upgrade(db)
    db.dispose()
    return path


def server_database(backend: str) -> ServerDatabase:
    if backend not in _servers:
        url = os.environ.get(_ENV[backend])
        if not url:
            message = f"{_ENV[backend]} is not set: no {backend} server to test against"
            if _require_servers():
                pytest.fail(message + " (HALLQ_TEST_REQUIRE_SERVERS=1)")
            pytest.skip(message)
        _servers[backend] = ServerDatabase(backend, url)
    return _servers[backend]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for server in _servers.values():
        server.drop()
    shutil.rmtree(_TEST_HOME, ignore_errors=True)


@pytest.fixture(autouse=True, scope="session")
def _test_cost_password_hashing() -> Iterator[None]:
    """Password hashes made in tests use a small scrypt cost (a production-cost hash is
    ~40 ms and hundreds are made); checking reads the cost from the hash, so the rules
    under test are the same."""
    production = clerks._N, pins._N
    clerks._N = pins._N = 2**8
    yield
    clerks._N, pins._N = production


@pytest.fixture
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """URL of a fresh migrated database with no data, on the parametrized backend."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        path = tmp_path / "hallq.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    server = server_database(backend)
    server.empty()
    return server.url


@pytest.fixture
def empty_db(empty_db_url: str) -> Iterator[Database]:
    db = Database(empty_db_url)
    yield db
    db.dispose()


@pytest.fixture
def db(empty_db: Database) -> Database:
    """A fresh database with the test catalog (sites hall and town) loaded."""
    load_catalog(empty_db, TEST_CATALOG)
    return empty_db


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Tests marked all_backends run once per backend; others use SQLite only.
    if "empty_db_url" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
            "all_backends"):
        metafunc.parametrize("empty_db_url", BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where tests save screenshots: a temporary folder, so a test run changes no tracked
    file; ``HALLQ_SCREENSHOT_DIR=docs/screenshots`` (what tools/screenshots.py sets)
    regenerates the documentation's pictures on purpose."""
    wanted = os.environ.get("HALLQ_SCREENSHOT_DIR")
    folder = Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
