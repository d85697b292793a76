"""Loading catalogs into the database: idempotent, updates and disables (history keeps its
references), all-or-nothing on a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from resources import resource_path
from shared import issuing, queue
from shared.catalog import catalog_summary, load_catalog
from shared.db import Database
from shared.errors import CatalogError, ServiceClosed
from shared.models import Service, Window
from shared.read.hall_state import get_ticket, list_tickets, list_windows
from tests.integration.conftest import (
    TEST_CATALOG,
    TEST_CATALOG_TEXT,
    raises_and_writes_nothing,
    replace_once,
    snapshot,
    write_catalog,
)
from tests.unit.test_catalog import BAD_CATALOGS


@pytest.mark.all_backends
def test_loading_twice_changes_nothing(db: Database) -> None:
    """Loading the same file again reports no change and writes nothing."""
    before = snapshot(db)
    report = load_catalog(db, TEST_CATALOG)
    assert (report.created, report.updated, report.disabled) == ([], [], [])
    assert not report.changed
    assert snapshot(db) == before


def test_first_load_creates_everything(empty_db: Database) -> None:
    """A first load reports every department, service, site and window as created."""
    report = load_catalog(empty_db, TEST_CATALOG)
    assert "service SA" in report.created and "window hall/4" in report.created
    assert "site town" in report.created and not report.updated and not report.disabled


def _edited(tmp_path: Path) -> Path:
    content = replace_once(TEST_CATALOG_TEXT, 'name = "甲业务"', 'name = "甲业务（新）"')
    content = replace_once(content, "services = { SA = 2, SB = 1 }", "services = { SA = 3, SB = 1 }")
    # SD disappears, with the windows that served it.
    start = content.index('[[departments.services]]\ncode = "SD"')
    content = content[:start] + content[content.index("[[sites]]"):]
    content = replace_once(content, '[[sites.windows]]\nnumber = 4\nname = "丁业务"\n'
                           "services = { SD = 1 }\n", "")
    content = replace_once(content, "services = { SA = 1, SD = 1 }", "services = { SA = 1 }")
    return write_catalog(tmp_path, content, "edited.toml")


@pytest.mark.all_backends
def test_edited_file_updates_and_disables(db: Database, tmp_path: Path) -> None:
    """An edited file updates what changed and disables what disappeared."""
    report = load_catalog(db, _edited(tmp_path))
    assert set(report.updated) == {"service SA", "window hall/1", "window town/1"}
    assert set(report.disabled) == {"service SD", "window hall/4"}
    assert report.created == []
    with db.read() as session:
        sd = session.scalar(select(Service).where(Service.code == "SD"))
        window4 = session.scalar(select(Window).where(Window.number == 4))
        assert sd is not None and not sd.active and window4 is not None and not window4.active
    window1 = next(w for w in list_windows(db, site="hall") if w.number == 1)
    assert window1.services == [("SA", 3), ("SB", 1)]
    summary = catalog_summary(db)
    assert summary["departments"][0]["services"][0]["name"] == "甲业务（新）"
    assert load_catalog(db, _edited(tmp_path)).changed is False


@pytest.mark.all_backends
def test_history_keeps_references_to_disabled_services(db: Database, tmp_path: Path) -> None:
    """A ticket of a service that disappeared is still listed with its service."""
    old = issuing.issue_ticket(db, "SD", site="hall").ticket
    queue.call_next(db, 4, site="hall")
    queue.start(db, old.number, site="hall")
    queue.finish(db, old.number, site="hall")
    load_catalog(db, _edited(tmp_path))
    listed = {t.number: t for t in list_tickets(db, site="hall")}
    assert listed["D001"].service == "SD" and listed["D001"].state == "finished"
    assert get_ticket(db, old.id).service_name == "丁业务"
    raises_and_writes_nothing(db, ServiceClosed,
                              lambda: issuing.issue_ticket(db, "SD", site="hall"))


def test_reloading_the_original_enables_again(db: Database, tmp_path: Path) -> None:
    """What came back in the file is active again."""
    load_catalog(db, _edited(tmp_path))
    report = load_catalog(db, TEST_CATALOG)
    assert {"service SD", "window hall/4"} <= set(report.updated)
    assert issuing.issue_ticket(db, "SD", site="hall").ticket.number == "D001"


@pytest.mark.all_backends
@pytest.mark.parametrize(("old", "new", "key", "reason"),
                         [pytest.param(*case[1:], id=case[0]) for case in BAD_CATALOGS[:10]])
def test_bad_file_leaves_the_database_untouched(db: Database, tmp_path: Path, old: str,
                                                new: str, key: str, reason: str) -> None:
    """A bad file is rejected with file, key and reason, and nothing is written."""
    path = write_catalog(tmp_path, replace_once(TEST_CATALOG_TEXT, old, new), "bad.toml")
    info = raises_and_writes_nothing(db, CatalogError, lambda: load_catalog(db, path))
    assert str(info.value).startswith(f"{path}: ") and reason in str(info.value)


@pytest.mark.all_backends
def test_real_chunan_catalog_loads(empty_db: Database) -> None:
    """The shipped Chun'an catalog loads, twice without change, and issues numbers."""
    path = resource_path("catalog", "chunan.toml")
    first = load_catalog(empty_db, path)
    assert "site chunan" in first.created
    assert load_catalog(empty_db, path).changed is False
    summary = catalog_summary(empty_db)
    weekend = {s["code"] for d in summary["departments"] for s in d["services"] if s["weekend"]}
    assert {"EXIT", "FUND", "RE-REG", "SI", "MI", "CARD", "TRAFFIC", "URBAN"} <= weekend
    assert "ID" not in weekend and "TAX" not in weekend
    # 淳安县's administrative division code on every site; the codes the province assigns
    # per department and service are not shipped (docs/evaluation.md).
    assert {s["code"]: s["region_code"] for s in summary["sites"]} == dict.fromkeys(
        ("chunan", "fenkou", "weiping"), "330127000000")
    assert {d["department_code"] for d in summary["departments"]} == {""}
    assert {s["item_code"] for d in summary["departments"] for s in d["services"]} == {""}
    issued = issuing.issue_ticket(empty_db, "CARD", site="chunan", after_hours=True)
    assert issued.ticket.number == "M001"
