"""``hallq-admin stats`` and ``hallq-admin report`` from the command line: JSON, text,
files, and the exit codes of shared/errors.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.cli import main as cli_main
from shared.db import Database
from tests.integration.test_stats_history import add_cases, add_clerks, standard_history

RANGE = ["--from", "2026-03-02", "--to", "2026-03-03"]


@pytest.fixture
def admin(db: Database, empty_db_url: str) -> list[str]:
    """The hallq-admin base arguments for a hall with the standard history."""
    add_clerks(db)
    add_cases(db, standard_history())
    return ["--database", empty_db_url]


def test_stats_json_carries_the_documented_numbers(admin: list[str],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints one object with totals, breakdowns, heat map and satisfaction."""
    assert cli_main.main(["stats", *RANGE, "--site", "hall", "--json", *admin]) == 0
    payload = json.loads(capsys.readouterr().out)["statistics"]
    assert payload["total"]["issued"] == 9
    assert payload["total"]["wait"]["median_seconds"] == 300.0
    assert payload["total"]["wait"]["mean_seconds"] == 4040.5 / 6  # full precision
    assert payload["satisfaction"]["rate"] == 0.5
    assert [r["key"] for r in payload["breakdowns"]["service"]] == ["SA", "SB", "SC", "SD"]
    assert payload["filters"]["site"] == "hall"


def test_stats_text_summary(admin: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Without --json a short Chinese summary is printed, one line per service."""
    assert cli_main.main(["stats", *RANGE, "--service", "SA", *admin]) == 0
    out = capsys.readouterr().out
    assert "取号 5  已办理 3  过号 1" in out
    assert "甲业务" in out


def test_report_writes_each_format(admin: list[str], tmp_path: Path) -> None:
    """report --format pdf|xlsx|csv writes the file named by --out."""
    for fmt in ("pdf", "xlsx", "csv"):
        out = tmp_path / f"r.{fmt}"
        assert cli_main.main(["report", *RANGE, "--site", "hall", "--format", fmt,
                              "--out", str(out), *admin]) == 0
        assert out.stat().st_size > 0


def test_bad_input_exits_2_with_one_line(admin: list[str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Reversed dates, an unknown site, a bad date or a missing folder exit with 2."""
    cases = [["stats", "--from", "2026-03-03", "--to", "2026-03-02"],
             ["stats", *RANGE, "--site", "nowhere"],
             ["stats", "--from", "March", "--to", "2026-03-02"],
             ["report", *RANGE, "--format", "csv", "--out", "/no/such/folder/r.csv"]]
    for argv in cases:
        assert cli_main.main([*argv, *admin]) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("hallq-admin")
