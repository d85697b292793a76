"""Every bad input is exit 2 and one line naming the file, key or line and what is
allowed, with nothing written, the same on every backend (issue 12, section 4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from shared.db import Database
from tests.cli.conftest import Result, Run
from tests.conftest import TEST_CATALOG

HALL = ("--site", "hall")
RANGE = ("--from", "2026-03-01", "--to", "2026-03-02")


@pytest.fixture
def admin(admin: Run) -> Run:
    """hallq-admin in English: the needles below are the English of each refusal (the
    Chinese is the same message's other half; tests/cli/test_cli_language.py)."""

    def call(*args: str, **kwargs: Any) -> Result:
        return admin("--lang", "en", *args, **kwargs)

    return call


def refused(result: Result, *needles: str) -> None:
    """Exit 2, exactly one line on stderr, naming what it should."""
    assert result.code == 2, (result.code, result.err)
    assert len(result.err_lines) == 1, result.err
    assert result.err.startswith("hallq-admin")
    for needle in needles:
        assert needle in result.err, (needle, result.err)


def no_tickets(admin: Run) -> None:
    listed = admin("ticket", "list", "--json", *HALL)
    assert listed.code == 0, listed.err
    assert listed.json["tickets"] == []


# --------------------------------------------------------------------------- command line


@pytest.mark.all_backends
@pytest.mark.parametrize(("ticket", "needle"), [
    pytest.param("99999999999999999999", "no ticket", id="id-too-large"),
    pytest.param("²", "ASCII", id="superscript-digit"),
    pytest.param("１", "ASCII", id="full-width-digit"),
    pytest.param("Ａ００１", "ASCII", id="full-width-number"),
])
def test_ticket_show_refuses_what_cannot_be_a_ticket(admin: Run, ticket: str, needle: str) -> None:
    """`ticket show` of an id beyond any column or of non-ASCII digits is one exit-2 line."""
    refused(admin("ticket", "show", ticket, *HALL), needle)


@pytest.mark.all_backends
@pytest.mark.parametrize("argv", [
    pytest.param(("ticket", "call-next", "--window", "５"), id="call-next-full-width-window"),
    pytest.param(("ticket", "issue", "SA", "--window", "¹"), id="issue-superscript-window"),
    pytest.param(("ticket", "transfer", "1", "--to-window", "２"), id="transfer-full-width"),
])
def test_window_numbers_take_ascii_digits_only(admin: Run, argv: tuple[str, ...]) -> None:
    """`--window ５` was read as window 5; now it is refused, saying ASCII digits 0-9."""
    refused(admin(*argv, *HALL), "ASCII digits 0-9")
    no_tickets(admin)


def test_stats_window_and_print_width_take_ascii_digits(admin: Run) -> None:
    """argparse's int() reads full-width digits too; these options refuse them."""
    refused(admin("stats", *RANGE, "--site", "hall", "--window", "３"), "ASCII digits 0-9")
    refused(admin("ticket", "print", "1", "--width", "８０"), "ASCII digits 0-9")


@pytest.mark.parametrize(("url", "needle"), [
    pytest.param("postgresql+psycopg://u@127.0.0.1:abc/db", "port must be a number", id="port"),
    pytest.param("mysql+pymysql://u@127.0.0.1:3306/db?bogus=1", "'bogus'", id="mysql-option"),
    pytest.param("mysql+pymysql://u@127.0.0.1:3306/db?ssl_ca=/nonexistent/ca.pem",
                 "no such file /nonexistent/ca.pem", id="mysql-ca-file"),
])
def test_a_malformed_database_url_names_what_is_wrong(admin: Run, url: str, needle: str) -> None:
    """A URL no driver can take is exit 2 naming the part, before any connection (these
    ended in "unexpected error": a ValueError of the port, PyMySQL's TypeError)."""
    refused(admin("ticket", "list", *HALL, database=url), needle)


@pytest.mark.parametrize(("option", "needle"), [
    pytest.param("sslmode=bogus", 'invalid sslmode value: "bogus"', id="sslmode"),
    pytest.param("bogus=1", 'invalid connection option "bogus"', id="unknown-option"),
])
def test_a_connection_option_postgresql_refuses_is_not_an_unreachable_server(
        admin: Run, option: str, needle: str) -> None:
    """libpq's refusal of a ?option is said as a wrong URL (exit 2), not as "cannot reach
    the database" (exit 5): nothing about the network is wrong. libpq checks these
    before it connects, so no server is needed."""
    refused(admin("ticket", "list", *HALL,
                  database=f"postgresql+psycopg://u@127.0.0.1:1/db?{option}"), needle)


@pytest.mark.all_backends
@pytest.mark.parametrize(("argv", "needle"), [
    pytest.param(("clerk", "add", "li2", "--name", "李" * 101, "--password-stdin"),
                 "the clerk's name must be 1-100 characters; it is 101", id="clerk-name"),
    pytest.param(("site", "add", "zz", "站" * 300), "the site's name must be 1-100",
                 id="site-name"),
    pytest.param(("site", "add", "zz2", "a\x01b"), "the site's name contains a control",
                 id="site-name-control"),
    pytest.param(("window", "add", "77", "--name", "窗" * 101, "--service", "SA", *HALL),
                 "the window's name must be 1-100", id="window-name"),
])
def test_a_name_longer_than_its_column_or_with_control_characters_is_refused(
        admin: Run, argv: tuple[str, ...], needle: str) -> None:
    """Was "unexpected error" on the servers for a clerk, and for a site or window the
    name silently cut to 100 characters (control characters kept)."""
    refused(admin(*argv, stdin="Secret-Pass-4711\n"), needle)


def test_config_naming_a_folder(admin: Run, tmp_path: Path) -> None:
    """--config naming a folder is one line saying so, not IsADirectoryError."""
    refused(admin("--config", str(tmp_path), "ticket", "list"), str(tmp_path), "is a folder")


@pytest.mark.parametrize("out", ["/proc/nope.pdf", "{tmp}"])
def test_report_to_an_unwritable_place(admin: Run, tmp_path: Path, out: str) -> None:
    """report --out /proc/nope.pdf or a folder: one line naming the path, exit 2."""
    target = out.format(tmp=tmp_path)
    refused(admin("report", *RANGE, "--format", "pdf", "--out", target), target,
            "cannot write")


# --------------------------------------------------------------------------- catalog


def catalog_with(tmp_path: Path, old: str, new: str) -> Path:
    text = TEST_CATALOG.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.all_backends
@pytest.mark.parametrize(("old", "new", "key", "allowed"), [
    pytest.param('name = "甲业务"', f'name = "{"甲" * 101}"', "departments[0].services[0].name",
                 "at most 100", id="service-name-101"),
    pytest.param('name = "甲业务"', f'name = "{"x" * 100_000}"',
                 "departments[0].services[0].name", "at most 100", id="service-name-100000"),
    pytest.param('name = "一号部门"', f'name = "{"部" * 101}"', "departments[0].name",
                 "at most 100", id="department-name"),
    pytest.param("daily_quota = 3", "daily_quota = 99999999999",
                 "departments[1].services[0].daily_quota", "from 1 to 9999", id="quota"),
    pytest.param("target_minutes = 15", "target_minutes = 9999999999999",
                 "departments[0].services[0].target_minutes", "from 1 to 1440", id="target"),
    pytest.param('name = "甲业务"', 'name = "甲\\u0000业务"', "departments[0].services[0].name",
                 "control character", id="nul"),
    pytest.param("issue_cutoff_minutes = 0\n",
                 'issue_cutoff_minutes = 0\nholidays = ["20261001", "2026-W40-4"]\n',
                 "sites[0].calendar.holidays[0]", "YYYY-MM-DD", id="holiday-format"),
    pytest.param("issue_cutoff_minutes = 0\n",
                 'issue_cutoff_minutes = 0\nlunch_break = ["11:30-12:00", "12:30-13:00"]\n',
                 "sites[0].calendar.lunch_break", "one time range", id="two-lunch-breaks"),
])
def test_bad_catalog_is_exit_2_and_loads_nothing(admin: Run, tmp_path: Path, old: str, new: str,
                                                 key: str, allowed: str) -> None:
    """Validated before the database, so every backend answers the same and nothing
    changes (a service renamed in the same file is not renamed either)."""
    before = admin("catalog", "show", "--json").json
    path = catalog_with(tmp_path, 'name = "乙业务"', 'name = "乙业务（新）"')
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = admin("catalog", "load", str(path))
    refused(result, f"{path}: {key}: ", allowed)
    assert len(result.err) < 400  # the 100,000 characters are not echoed
    assert admin("catalog", "show", "--json").json == before


@pytest.mark.all_backends
def test_catalog_with_a_bom_loads(admin: Run, tmp_path: Path) -> None:
    """A catalog saved as UTF-8 with BOM loads (here: one service renamed)."""
    path = catalog_with(tmp_path, 'name = "乙业务"', 'name = "乙业务（新）"')
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = admin("catalog", "load", str(path), "--json")
    assert result.code == 0, result.err
    assert result.json["updated"] == ["service SB"]


# --------------------------------------------------------------------------- appointment CSV


HEADER = "code,site,service,date,slot,name,phone\n"


def future(days: int = 30) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def imported(admin: Run, path: Path) -> Result:
    return admin("appointment", "import", str(path))


def no_appointments(admin: Run) -> None:
    assert admin("appointment", "list", "--json").json == {"appointments": []}


@pytest.mark.all_backends
def test_gb18030_csv_from_excel_is_accepted(admin: Run, tmp_path: Path) -> None:
    """Excel on a Chinese Windows saves CSV as GBK: read as GB18030, names intact."""
    path = tmp_path / "platform.csv"
    path.write_bytes((HEADER + f"YY1,hall,SA,{future()},09:00-09:30,张三丰,13800000000\n"
                      f"YY2,hall,SB,{future()},09:30-10:00,欧阳娜娜,\n").encode("gb18030"))
    result = imported(admin, path)
    assert result.code == 0, result.err
    names = [a["name"] for a in admin("appointment", "list", "--json").json["appointments"]]
    assert sorted(names) == ["张三丰", "欧阳娜娜"]


def test_csv_in_neither_utf8_nor_gb18030_says_how_to_save(admin: Run, tmp_path: Path) -> None:
    """Bytes no Chinese encoding reads: the line says how to save as CSV UTF-8 (in English
    here; tests/cli/test_cli_language.py has the Chinese)."""
    path = tmp_path / "platform.csv"
    path.write_bytes(HEADER.encode() + b"YY1,hall,SA,2099-01-01,09:00-09:30,\x80\xff\xff,1\n")
    refused(imported(admin, path), str(path), "not UTF-8", "save it as 'CSV UTF-8'")
    no_appointments(admin)


@pytest.mark.all_backends
def test_nul_in_a_row_names_the_line_and_keeps_personal_data_out_of_the_log(
        admin: Run, tmp_path: Path, log_file: Path) -> None:
    """A NUL is refused before the database; neither the error nor the log holds the
    row's name or phone."""
    path = tmp_path / "platform.csv"
    path.write_text(HEADER + f"YY1,hall,SA,{future()},09:00-09:30,王小明,13900001111\n"
                    f"YY2,hall,SA,{future()},09:30-10:00,李\x00雷,13722223333\n",
                    encoding="utf-8")
    result = imported(admin, path)
    refused(result, f"{path}: line 3: ", "name", "control character")
    for secret in ("李", "13722223333", "王小明", "13900001111"):
        assert secret not in result.err
        assert secret not in log_file.read_text(encoding="utf-8")
    no_appointments(admin)


@pytest.mark.all_backends
@pytest.mark.parametrize(("name", "phone", "needle"), [
    pytest.param("张" * 101, "1", "name is 101 characters long; at most 100", id="name-101"),
    pytest.param("张三", "1" * 33, "phone is 33 characters long; at most 32", id="phone-33"),
])
def test_too_long_name_or_phone_is_refused_not_cut(admin: Run, tmp_path: Path, name: str,
                                                   phone: str, needle: str) -> None:
    """Names over 100 and phones over 32 characters are refused, naming the line."""
    path = tmp_path / "platform.csv"
    path.write_text(HEADER + f"YY1,hall,SA,{future()},09:00-09:30,{name},{phone}\n",
                    encoding="utf-8")
    refused(imported(admin, path), f"{path}: line 2: ", needle)
    no_appointments(admin)


def test_multi_line_quoted_field_keeps_line_numbers(admin: Run, tmp_path: Path) -> None:
    """A remark quoted over two lines (lines 2-3; extra columns are ignored): the bad row
    after it is line 4, as an editor shows it."""
    path = tmp_path / "platform.csv"
    path.write_text(HEADER.replace("\n", ",remark\n")
                    + f'YY1,hall,SA,{future()},09:00-09:30,张三,1,"代办\n携带委托书"\n'
                    f"YY2,hall,NOPE,{future()},09:30-10:00,李四,2,\n", encoding="utf-8")
    refused(imported(admin, path), f"{path}: line 4: ", "NOPE")
    no_appointments(admin)


@pytest.mark.all_backends
def test_date_in_the_past_is_refused(admin: Run, tmp_path: Path) -> None:
    """A booking for a day already gone is refused, naming the line and the date."""
    past = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    path = tmp_path / "platform.csv"
    path.write_text(HEADER + f"YY1,hall,SA,{future()},09:00-09:30,张三,1\n"
                    f"YY2,hall,SA,{past},09:00-09:30,李四,2\n", encoding="utf-8")
    refused(imported(admin, path), f"{path}: line 3: ", past, "in the past")
    no_appointments(admin)


@pytest.mark.parametrize("date", ["20991201", "2099-W40-4"])
def test_date_must_be_written_yyyy_mm_dd(admin: Run, tmp_path: Path, date: str) -> None:
    path = tmp_path / "platform.csv"
    path.write_text(HEADER + f"YY1,hall,SA,{date},09:00-09:30,张三,1\n", encoding="utf-8")
    refused(imported(admin, path), f"{path}: line 2: ", "2026-11-25")
    no_appointments(admin)


def test_appointment_add_refuses_a_long_name(admin: Run, db: Database) -> None:
    """The same limits for a booking typed in: refused, not cut to 100 characters."""
    result = admin("appointment", "add", "YY9", "--service", "SA", "--date", future(),
                   "--slot", "09:00-09:30", "--name", "张" * 101, *HALL)
    refused(result, "name is 101 characters long")
    no_appointments(admin)


def _month_after_this() -> str:
    # Not begun anywhere on Earth yet: the month after the one UTC+14 is in.
    ahead = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date().replace(day=28)
    return f"{ahead + dt.timedelta(days=4):%Y-%m}"


@pytest.mark.parametrize("month", ["0000-01", "0001-01", "1999-12", "9999-12", "2026-1",
                                   "2026-13", "2026-00", " 2026-03", "2026-03\n", "2026-03-01", "２０２６-03",
                                   "next"])
def test_report_monthly_month_is_strictly_yyyy_mm_of_a_month_begun(admin: Run, tmp_path: Path,
                                                                    month: str) -> None:
    out = tmp_path / "bulletin.xlsx"
    month = _month_after_this() if month == "next" else month
    refused(admin("report", "monthly", "--month", month, "--format", "xlsx", "--out", str(out)),
            "--month")
    assert not out.exists()


def test_report_monthly_of_a_past_december(admin: Run, tmp_path: Path) -> None:
    out = tmp_path / "bulletin.xlsx"
    done = admin("report", "monthly", "--month", "2025-12", "--format", "xlsx", "--out", str(out))
    assert done.code == 0, done.err
    assert out.stat().st_size > 0
