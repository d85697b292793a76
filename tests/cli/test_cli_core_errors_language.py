"""The queue core's refusals of bad files (catalog, config, hcp mapping, appointment CSV)
reach hallq-admin in one language: Chinese by default with no English word but the keys,
codes and values they name, English with --lang en with no Chinese."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from shared.appointments import CSV_COLUMNS
from shared.hcp import SOURCE_FIELDS
from tests.cli.conftest import Result, Run

CATALOG = (Path(__file__).parents[1] / "data" / "test_catalog.toml").read_text(encoding="utf-8")
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# Latin text a Chinese line may hold: the program's name, quoted values, option and key
# names (sites[0].calendar.holidays[0], hcp.fields.projNo, case_number), codes (TOML, CSV,
# SA), the names of CSV columns and hcp fields, numbers, and product names (HallQueue, Excel).
_ALLOWED = re.compile(r"hallq-admin[\w -]*?: |'[^']*'|\"[^\"]*\"|--[\w-]+|HallQueue|Excel|"
                      r"[\w\[\]]+(?:\.[\w\[\]]+)+|\w*_\w*|\b[A-Z0-9-]+\b|"
                      r"\b(?:" + "|".join((*CSV_COLUMNS, *SOURCE_FIELDS)) + r")\b")
_WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")


def _catalog(tmp_path: Path, old: str, new: str) -> list[str]:
    assert old in CATALOG
    path = tmp_path / "bad.toml"
    path.write_text(CATALOG.replace(old, new, 1), encoding="utf-8")
    return ["catalog", "load", str(path)]


def _config(tmp_path: Path, body: str, *argv: str) -> list[str]:
    path = tmp_path / "hallq.toml"
    path.write_text(body, encoding="utf-8")
    return ["--config", str(path), *argv]


def _csv(tmp_path: Path, data: bytes) -> list[str]:
    path = tmp_path / "platform.csv"
    path.write_bytes(data)
    return ["appointment", "import", str(path)]


HEADER = b"code,site,service,date,slot,name,phone\n"
# One bad file of each family of message, and a word of the English half to find.
CASES: list[tuple[str, Callable[[Path], list[str]], str]] = [
    ("catalog-prefix", lambda p: _catalog(p, 'prefix = "B"', 'prefix = "b1"'), "capital"),
    ("catalog-hours", lambda p: _catalog(p, 'workday_hours = ["00:00-24:00"]',
                                         'workday_hours = ["9-17"]'), "time range"),
    ("calendar-date", lambda p: _catalog(p, "issue_cutoff_minutes = 0\n",
                                         'issue_cutoff_minutes = 0\nholidays = ["20261001"]\n'),
     "not a date"),
    ("catalog-unknown-key", lambda p: _catalog(p, 'code = "hall"\n', 'code = "hall"\nzone = 1\n'),
     "known key"),
    ("catalog-routing", lambda p: _catalog(p, "issue_cutoff_minutes = 0\n",
                                           "issue_cutoff_minutes = 0\n\n[sites.routing]\n"
                                           'transfer_rule = "front"\n'), "must be"),
    ("catalog-materials", lambda p: _catalog(p, 'materials = ["户口簿"]', 'materials = [""]'),
     "non-empty"),
    ("catalog-toml", lambda p: _catalog(p, 'code = "hall"', 'code = hall'), "not valid TOML"),
    ("config-followup", lambda p: _config(p, "[followup]\ncontact_days = 9\nrectify_days = 5\n",
                                          "ticket", "list"), "must not be more"),
    ("hcp-fields", lambda p: _config(p, '[hcp.fields]\nprojNo = "case_number"\n', "hcp", "export",
                                     "--from", "2026-01-01", "--to", "2026-01-31", "--format", "csv",
                                     "--out", str(p / "out.csv")),
     "not a HallQueue field"),
    ("csv-columns", lambda p: _csv(p, b"code,service\nX1,SA\n"), "missing column"),
    ("csv-date", lambda p: _csv(p, HEADER + b"Y1,hall,SA,2026-13-01,09:00-09:30,,\n"),
     "is not like"),
    ("csv-encoding", lambda p: _csv(p, HEADER + b"Y1,hall,SA,2099-01-01,09:00-09:30,\x80\xff,1\n"),
     "save it as"),
]


def _line(result: Result, tmp_path: Path) -> str:
    assert result.code == 2, result.err
    assert len(result.err_lines) == 1, result.err
    return result.err.replace(str(tmp_path), "TMP")


@pytest.mark.parametrize(("make", "english_word"),
                         [pytest.param(make, word, id=name) for name, make, word in CASES])
def test_bad_files_are_refused_in_one_language(admin: Run, tmp_path: Path,
                                               make: Callable[[Path], list[str]],
                                               english_word: str) -> None:
    argv = make(tmp_path)
    chinese = _line(admin(*argv), tmp_path)
    assert CJK.search(chinese), chinese
    assert _WORD.findall(_ALLOWED.sub(" ", chinese.replace("TMP", " "))) == [], chinese
    english = _line(admin("--lang", "en", *argv), tmp_path)
    assert english_word in english
    assert not CJK.search(english), english
