"""Reading and validating catalog files (shared.catalog): each kind of error names the
file, the key and the reason; the real Chun'an catalog is valid and has the weekend rules
of DOMAIN.md."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from resources import resource_path
from shared.catalog import read_catalog
from shared.errors import CatalogError
from shared.hours import availability

TEST_CATALOG_TEXT = (Path(__file__).parents[1] / "data" / "test_catalog.toml").read_text(
    encoding="utf-8")
CHUNAN = resource_path("catalog", "chunan.toml")

# (id, text to replace in the test catalog, replacement, key named, reason)
BAD_CATALOGS = [
    ("bad-toml", 'code = "dep1"', 'code = "dep1', "", "not valid TOML"),
    ("unknown-key", 'prefix = "A"\n', 'prefix = "A"\ncolour = "red"\n',
     "departments[0].services[0].colour", "is not a known key"),
    ("unknown-top-level-key", "[[departments]]\ncode = \"dep1\"",
     "owner = \"x\"\n\n[[departments]]\ncode = \"dep1\"", "owner", "is not a known key"),
    ("prefix-lowercase", 'prefix = "A"', 'prefix = "a"', "departments[0].services[0].prefix",
     "must be one or two capital letters"),
    ("prefix-too-long", 'prefix = "B"', 'prefix = "BBB"', "departments[0].services[1].prefix",
     "must be one or two capital letters"),
    ("unknown-service-on-a-window", "services = { SD = 1 }", "services = { SX = 1 }",
     "sites[0].windows[3].services.SX", "no service with this code"),
    ("duplicate-window-number", "number = 4", "number = 3", "sites[0].windows[3].number",
     "window 3 appears twice"),
    ("bad-time-range", 'workday_hours = ["00:00-24:00"]', 'workday_hours = ["17:00-08:30"]',
     "sites[0].calendar.workday_hours", "ends before it starts"),
    ("malformed-time-range", 'weekend_hours = ["00:00-24:00"]', 'weekend_hours = ["9 to 5"]',
     "sites[0].calendar.weekend_hours", "is not a time range like 08:30-17:00"),
    ("bad-timezone", 'name = "测试服务中心"', 'name = "测试服务中心"\ntimezone = "Mars/Olympus"',
     "sites[0].timezone", "unknown time zone 'Mars/Olympus'"),
    ("wrong-type", "daily_quota = 3", 'daily_quota = "3"',
     "departments[1].services[0].daily_quota", "must be int"),
    ("zero-quota", "daily_quota = 3", "daily_quota = 0",
     "departments[1].services[0].daily_quota", "must be a whole number from 1 to 9999"),
    ("huge-quota", "daily_quota = 3", "daily_quota = 99999999999",
     "departments[1].services[0].daily_quota", "from 1 to 9999, got 99999999999"),
    ("huge-target", 'target_minutes = 15', 'target_minutes = 9999999999999',
     "departments[0].services[0].target_minutes", "from 1 to 1440, got 9999999999999"),
    ("service-name-101", 'name = "甲业务"', f'name = "{"甲" * 101}"',
     "departments[0].services[0].name", "is 101 characters long; at most 100 allowed"),
    ("service-name-100000", 'name = "甲业务"', f'name = "{"x" * 100_000}"',
     "departments[0].services[0].name", "is 100000 characters long; at most 100 allowed"),
    ("department-name-long", 'name = "一号部门"', f'name = "{"部" * 101}"',
     "departments[0].name", "at most 100 allowed"),
    ("nul-in-service-name", 'name = "甲业务"', 'name = "甲\\u0000业务"',
     "departments[0].services[0].name", "contains a control character such as NUL"),
    ("nul-in-site-name", 'name = "测试服务中心"', 'name = "测试\\u0000中心"',
     "sites[0].name", "contains a control character"),
    ("holiday-basic-format", "issue_cutoff_minutes = 0\n",
     'issue_cutoff_minutes = 0\nholidays = ["20261001"]\n', "sites[0].calendar.holidays[0]",
     "'20261001' is not a date like 2026-10-01; write YYYY-MM-DD"),
    ("holiday-week-date", "issue_cutoff_minutes = 0\n",
     'issue_cutoff_minutes = 0\nholidays = ["2026-10-01", "2026-W40-4"]\n',
     "sites[0].calendar.holidays[1]", "'2026-W40-4' is not a date like 2026-10-01"),
    ("two-lunch-breaks", "issue_cutoff_minutes = 0\n",
     'issue_cutoff_minutes = 0\nlunch_break = ["11:30-12:00", "12:30-13:00"]\n',
     "sites[0].calendar.lunch_break", "must be one time range"),
    ("missing-name", 'name = "甲业务"\n', "", "departments[0].services[0].name", "is required"),
    ("duplicate-service-code", 'code = "SB"', 'code = "SA"', "departments[0].services[1].code",
     "duplicate service code 'SA'"),
    ("bad-weight", "services = { SA = 2, SB = 1 }", "services = { SA = 0, SB = 1 }",
     "sites[0].windows[0].services.SA", "weight must be a number from 1 to 100"),
    ("bad-holiday-date", "issue_cutoff_minutes = 0\n",
     'issue_cutoff_minutes = 0\nholidays = ["2026-13-01"]\n', "sites[0].calendar.holidays[0]",
     "is not a date like 2026-10-01"),
    ("bad-routing", "issue_cutoff_minutes = 0\n",
     "issue_cutoff_minutes = 0\n\n[sites.routing]\nreinstate_after = -1\n",
     "sites[0].routing", "reinstate_after must not be negative"),
    ("bad-weekday-key", 'prefix = "D"\n', 'prefix = "D"\nhours = { monday = ["08:00-09:00"] }\n',
     "departments[1].services[1].hours.monday", "must be one of mon, tue"),
]


def bad_catalog(tmp_path: Path, old: str, new: str) -> Path:
    assert old in TEST_CATALOG_TEXT, f"{old!r} is not in the test catalog"
    path = tmp_path / "bad.toml"
    path.write_text(TEST_CATALOG_TEXT.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "key", "reason"),
                         [pytest.param(*case[1:], id=case[0]) for case in BAD_CATALOGS])
def test_bad_catalog_names_file_key_and_reason(tmp_path: Path, old: str, new: str, key: str,
                                               reason: str) -> None:
    """Each kind of mistake is reported as 'FILE: KEY: REASON'."""
    path = bad_catalog(tmp_path, old, new)
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert reason in message
    if key:
        assert f": {key}: " in message


def test_names_of_exactly_the_column_length_are_accepted(tmp_path: Path) -> None:
    """100 characters (the column's length) is still a valid service name."""
    path = bad_catalog(tmp_path, 'name = "甲业务"', f'name = "{"甲" * 100}"')
    assert read_catalog(path)["departments"][0]["services"][0]["name"] == "甲" * 100


def test_utf8_with_bom_is_accepted(tmp_path: Path) -> None:
    """A catalog saved by Windows Notepad as 'UTF-8 with BOM' reads like any other."""
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + TEST_CATALOG_TEXT.encode("utf-8"))
    assert [s["code"] for s in read_catalog(path)["sites"]] == ["hall", "town"]


def test_holidays_as_toml_dates_are_accepted(tmp_path: Path) -> None:
    """holidays = [2026-10-01] (a TOML date, unquoted) is the same as the quoted string."""
    path = bad_catalog(tmp_path, "issue_cutoff_minutes = 0\n",
                       "issue_cutoff_minutes = 0\nholidays = [2026-10-02, \"2026-10-01\"]\n")
    calendar = read_catalog(path)["sites"][0]["calendar"]
    assert calendar["holidays"] == ["2026-10-01", "2026-10-02"]


def test_catalog_path_that_is_a_folder_is_reported(tmp_path: Path) -> None:
    """A folder given as the catalog file is one clear line, not IsADirectoryError."""
    with pytest.raises(CatalogError, match="is a folder"):
        read_catalog(tmp_path)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    """A catalog path that does not exist is reported with the path."""
    with pytest.raises(CatalogError, match="file not found"):
        read_catalog(tmp_path / "nope.toml")


def test_test_catalog_is_valid() -> None:
    """The test catalog reads into two sites with their windows."""
    data = read_catalog(Path(__file__).parents[1] / "data" / "test_catalog.toml")
    assert [s["code"] for s in data["sites"]] == ["hall", "town"]
    assert data["sites"][0]["windows"][0]["services"] == {"SA": 2, "SB": 1}


# DOMAIN.md: the seven kinds of service open on weekends, by their codes in chunan.toml.
WEEKEND_KINDS = {
    "exit-entry": {"EXIT"},
    "housing fund": {"FUND"},
    "real estate": {"RE-REG", "RE-QUERY"},
    "social and medical insurance": {"SI", "MI"},
    "citizen card": {"CARD"},
    "traffic violations": {"TRAFFIC"},
    "urban-management violations": {"URBAN"},
}
GUIDE_DESK = {"CONSULT"}  # the guide desk helps every day the hall is open


class TestChunanCatalog:
    def test_reads_with_departments_sites_and_windows(self) -> None:
        """The shipped catalog is valid and names the departments of DOMAIN.md."""
        data = read_catalog(CHUNAN)
        names = {d["name"] for d in data["departments"]}
        for expected in ("不动产登记", "社保医保", "公安", "投资项目审批", "市场监管", "工会",
                         "公积金", "市民卡", "导服台"):
            assert expected in names
        center = data["sites"][0]
        assert center["code"] == "chunan" and len(data["sites"]) >= 2
        assert any(len(w["services"]) >= 3 for w in center["windows"]), "comprehensive windows"
        services = [s for d in data["departments"] for s in d["services"]]
        assert any(s["materials"] for s in services) and all(s["prefix"] for s in services)

    def test_weekend_services_are_the_seven_kinds(self) -> None:
        """On a Saturday at the center exactly the seven weekend kinds (and the guide desk)
        take numbers."""
        data = read_catalog(CHUNAN)
        center = data["sites"][0]
        saturday = dt.datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo(center["timezone"]))
        open_codes = {
            s["code"] for d in data["departments"] for s in d["services"]
            if availability(center["calendar"], s["hours"], s["weekend"], s["holiday"],
                            saturday).open
        }
        expected = set().union(*WEEKEND_KINDS.values()) | GUIDE_DESK
        assert open_codes == expected

    def test_weekday_opens_everything(self) -> None:
        """On a working Monday morning every service of the center takes numbers."""
        data = read_catalog(CHUNAN)
        center = data["sites"][0]
        monday = dt.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo(center["timezone"]))
        closed = [s["code"] for d in data["departments"] for s in d["services"]
                  if not availability(center["calendar"], s["hours"], s["weekend"],
                                      s["holiday"], monday).open]
        assert closed == []

    def test_every_weekend_service_has_a_window(self) -> None:
        """Each service open on weekends is served by at least one window of the center."""
        center = read_catalog(CHUNAN)["sites"][0]
        served = set().union(*(w["services"] for w in center["windows"]))
        assert set().union(*WEEKEND_KINDS.values()) <= served
