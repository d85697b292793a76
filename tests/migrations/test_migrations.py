"""The shipped Alembic migrations build exactly the schema the models describe, on every
backend, and programs refuse a schema that is missing, older or newer than their code."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from shared import schema
from shared.db import Database
from shared.errors import SchemaMismatch
from shared.models import Base
from shared.scratch import scratch_database

SERVER_ENV = {"postgres": "HALLQ_TEST_POSTGRES_URL", "mariadb": "HALLQ_TEST_MARIADB_URL"}


@pytest.fixture(params=["sqlite", "postgres", "mariadb"])
def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new database without any table, on each backend; dropped afterwards."""
    backend = request.param
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'blank.db'}"
        return
    base = os.environ.get(SERVER_ENV[backend])
    if not base:
        message = f"{SERVER_ENV[backend]} is not set: no {backend} server to test against"
        if os.environ.get("HALLQ_TEST_REQUIRE_SERVERS") == "1":
            pytest.fail(message + " (HALLQ_TEST_REQUIRE_SERVERS=1)")
        pytest.skip(message)
    with scratch_database(base, "hallq_mig") as url:
        yield url


@pytest.fixture
def blank_db(blank_url: str) -> Iterator[Database]:
    db = Database(blank_url)
    yield db
    db.dispose()


def _differences(db: Database) -> list[Any]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_upgrade_head_matches_the_models(blank_db: Database) -> None:
    """After 'db upgrade' on an empty database, autogenerate finds nothing to change."""
    state = schema.upgrade(blank_db)
    assert state.current and state.database == schema.code_revision()
    differences = _differences(blank_db)
    assert differences == [], "\n".join(str(d) for d in differences)


def test_upgrade_twice_is_harmless(blank_db: Database) -> None:
    """Upgrading a current database again changes nothing."""
    schema.upgrade(blank_db)
    assert schema.upgrade(blank_db).current
    schema.ensure_current(blank_db)


def test_empty_database_is_refused_with_the_command_to_run(blank_db: Database) -> None:
    """A database without the schema is refused, naming 'hallq-admin db upgrade'."""
    with pytest.raises(SchemaMismatch, match="hallq-admin db upgrade") as info:
        schema.ensure_current(blank_db)
    assert info.value.exit_code == 5
    assert schema.status(blank_db).database is None


def test_older_schema_is_refused_with_the_command_to_run(blank_db: Database) -> None:
    """A database stamped with an earlier known revision names 'hallq-admin db upgrade'."""
    schema.upgrade(blank_db)
    known = schema.code_revision()
    with blank_db.engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
    with pytest.raises(SchemaMismatch, match="hallq-admin db upgrade"):
        schema.ensure_current(blank_db)
    with blank_db.engine.begin() as conn:
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:r)"), {"r": known})
    schema.ensure_current(blank_db)


def test_newer_schema_is_refused(blank_db: Database) -> None:
    """A database stamped by a newer HallQueue (unknown revision) is refused, telling the
    user to install the newer HallQueue rather than to downgrade."""
    schema.upgrade(blank_db)
    with blank_db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    with pytest.raises(SchemaMismatch) as info:
        schema.ensure_current(blank_db)
    message = str(info.value)
    assert "ffff_future" in message and "newer" in message
    assert "hallq-admin db upgrade" in message, "the message names the command to run"


def test_revision_list_matches_the_migration_scripts() -> None:
    """shared.schema.REVISIONS lists every Alembic revision in order, ending at the head."""
    from alembic.script import ScriptDirectory

    from shared.schema import REVISIONS, _config

    scripts = ScriptDirectory.from_config(_config())
    in_order = [rev.revision for rev in reversed(list(scripts.walk_revisions()))]
    assert list(REVISIONS) == in_order
    assert REVISIONS[-1] == scripts.get_current_head()


def test_measures_are_filled_in_for_history_written_before_them(blank_db: Database) -> None:
    """Migration 0003 computes the measures of stays that existed before it: going back
    to 0002 (which drops them) and up again gives the same measures and statistics."""
    from alembic import command

    from shared.catalog import load_catalog
    from shared.stats import StatsFilter, compute_statistics
    from testkit.invariants import MEASURES, check_measures
    from tests.conftest import TEST_CATALOG
    from tests.integration.stats_history import (
        MONDAY,
        TUESDAY,
        add_cases,
        add_clerks,
        standard_history,
    )

    schema.upgrade(blank_db)
    load_catalog(blank_db, TEST_CATALOG)
    add_clerks(blank_db)
    add_cases(blank_db, standard_history())
    columns = ", ".join(MEASURES)

    def measures() -> list[Any]:
        with blank_db.engine.connect() as conn:
            return list(conn.execute(text(f"SELECT id, {columns} FROM segment ORDER BY id")))

    before = measures()
    stats = compute_statistics(blank_db, StatsFilter(MONDAY, TUESDAY, site="hall"))
    config = schema._config()
    with blank_db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
    schema.upgrade(blank_db)
    assert measures() == before
    assert any(row.wait_us for row in before) and any(row.local_hour for row in before)
    assert check_measures(blank_db) == []
    again = compute_statistics(blank_db, StatsFilter(MONDAY, TUESDAY, site="hall"))

    def without_step_times(result: Any) -> Any:
        # Going below 0014 drops the follow-ups' contact and rectification times (their
        # columns came with it), so "on time", which needs them, cannot survive the trip.
        def row(r: Any) -> Any:
            return dataclasses.replace(r, follow_ups_on_time=0)

        return row(result.total), {k: [row(r) for r in rows]
                                   for k, rows in result.breakdowns.items()}

    assert stats.total.follow_ups_on_time == 1  # T7's, closed (contacted, rectified) at once
    assert without_step_times(again) == without_step_times(stats)


def test_handover_waits_of_reinstated_no_shows_are_recomputed(blank_db: Database) -> None:
    """Migration 0006 removes the wait that earlier versions gave a reinstated no-show
    transferred while waiting (charged to the missed call's window), and keeps the wait
    of a case handed on while called."""
    from alembic import command

    from shared import issuing, queue
    from shared.catalog import load_catalog
    from testkit.invariants import check_measures
    from tests.conftest import TEST_CATALOG

    schema.upgrade(blank_db)
    load_catalog(blank_db, TEST_CATALOG)
    missed = issuing.issue_ticket(blank_db, "SA", site="hall").ticket
    handed = issuing.issue_ticket(blank_db, "SA", site="hall").ticket
    queue.call_number(blank_db, missed.number, 2, site="hall")
    queue.no_show(blank_db, missed.number, site="hall")
    queue.reinstate(blank_db, missed.number, site="hall")
    queue.transfer(blank_db, missed.number, to_service="SB", site="hall")
    queue.call_number(blank_db, handed.number, 2, site="hall")
    queue.transfer(blank_db, handed.number, to_service="SB", site="hall")
    first_stay = ("SELECT {} FROM segment WHERE ticket_id = :t "
                  "ORDER BY id LIMIT 1")
    with blank_db.engine.begin() as conn:
        handed_wait = conn.execute(text(first_stay.format("wait_us")), {"t": handed.id}).scalar()
        assert handed_wait is not None and handed_wait > 0
        assert conn.execute(text(first_stay.format("wait_us")), {"t": missed.id}).scalar() is None
        # What versions before 0006 wrote: the missed call's time minus arrival.
        segment_id, called_at = conn.execute(
            text(first_stay.format("id, called_at")), {"t": missed.id}).one()
        assert called_at is not None, "the reinstated stay keeps the missed call"
        conn.execute(text("UPDATE segment SET wait_us = 123456 WHERE id = :s"),
                     {"s": segment_id})
    assert check_measures(blank_db) != []
    config = schema._config()
    with blank_db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
    schema.upgrade(blank_db)
    assert check_measures(blank_db) == []
    with blank_db.engine.connect() as conn:
        assert conn.execute(text(first_stay.format("wait_us")), {"t": missed.id}).scalar() is None
        assert conn.execute(text(first_stay.format("wait_us")),
                            {"t": handed.id}).scalar() == handed_wait


def test_ratings_and_follow_ups_survive_the_case_migration(blank_db: Database,
                                                             tmp_path: Path) -> None:
    """Migration 0013 drops evaluation's one-rating-per-ticket key (SQLite rebuilds the
    table under the follow-ups' foreign keys): the ratings and follow-ups are kept both
    ways, and going back is refused once a ticket has several case ratings."""
    from alembic import command

    from shared import evaluations, issuing, queue
    from shared.catalog import load_catalog
    from tests.integration.conftest import write_catalog
    from tests.integration.test_hcp import hcp_catalog

    schema.upgrade(blank_db)
    load_catalog(blank_db, write_catalog(tmp_path, hcp_catalog("Etc/UTC")))

    def finished(cases: list[str]) -> int:
        issuing.issue_ticket(blank_db, "SB", site="hall")
        called = queue.call_next(blank_db, 1, site="hall").ticket
        assert called is not None
        queue.start(blank_db, called.number, site="hall")
        return queue.finish(blank_db, called.number, site="hall", cases=cases).id

    for level in (5, 1, 4):
        evaluations.record_evaluation(blank_db, finished([]), level, "态度不好")

    def rows() -> list[Any]:
        with blank_db.engine.connect() as conn:
            return list(conn.execute(text(
                "SELECT e.id, e.ticket_id, e.level, e.comment, f.id, f.status FROM evaluation e"
                " LEFT JOIN follow_up f ON f.evaluation_id = e.id ORDER BY e.id")))

    before = rows()
    assert [row[4] is not None for row in before] == [True, False, True]
    config = schema._config()

    def downgrade() -> None:
        try:
            with blank_db.engine.begin() as conn:
                config.attributes["connection"] = conn
                command.downgrade(config, "0012")
        finally:
            blank_db.engine.dispose()

    downgrade()
    assert schema.status(blank_db).database == "0012"
    assert rows() == before
    schema.upgrade(blank_db)
    assert rows() == before

    ticket = finished(["BJ0001", "BJ0002"])
    for case_no in ("BJ0001", "BJ0002"):
        evaluations.record_evaluation(blank_db, ticket, 2, case_no=case_no)
    with pytest.raises(Exception, match="several case ratings"):
        downgrade()
    # The refused step (0013's) undid nothing. (MariaDB commits each DDL statement, so the
    # later migrations' downgrades before it stay done there.)
    assert schema.status(blank_db).database in schema.REVISIONS[schema.REVISIONS.index("0013"):]
    assert rows()[:3] == before


def test_the_last_call_index_goes_and_comes_back_leaving_the_schema_as_installed(
        blank_db: Database) -> None:
    """Migration 0019 down and up again: at 0018 the foreign key on segment.window_id
    still has an index (MariaDB refuses to drop the only one, and InnoDB may have dropped
    its own for 0019's), and back at head the table's indexes are a fresh install's,
    none left over (autogenerate does not compare MariaDB's foreign-key indexes)."""
    from alembic import command
    from sqlalchemy import inspect

    def indexes() -> dict[str, list[str | None]]:
        with blank_db.engine.connect() as conn:
            return {str(index["name"]): list(index["column_names"])
                    for index in inspect(conn).get_indexes("segment")}

    schema.upgrade(blank_db)
    installed = indexes()
    assert installed["ix_segment_window_called"] == ["window_id", "business_day", "called_at"]
    config = schema._config()
    for _ in range(2):
        with blank_db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0018")
        at_0018 = indexes()
        assert "ix_segment_window_called" not in at_0018
        if blank_db.backend in ("mysql", "mariadb"):
            assert any(columns[:1] == ["window_id"] for columns in at_0018.values())
        schema.upgrade(blank_db)
        assert indexes() == installed
