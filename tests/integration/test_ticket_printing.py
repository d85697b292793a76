"""Printing issued tickets from the database: slip content, reprint marks, PDF, CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from shared import i18n, issuing, queue
from shared.cli import print_cmds
from shared.cli.base import ArgumentParser, Cli, CommandTree
from shared.config import Config
from shared.db import Database
from shared.errors import NotFound, PrinterError, UsageError
from shared.models import Service
from shared.read import hall_state
from shared.read.kiosk_view import service_guides
from shared.read.site import site_info
from shared.ticket_print import build_slip, print_issued_ticket
from testkit.fake_printer import FakePrinter
from tests.escpos_decoder import decode, text_lines

FOOTER = "请留意叫号"


def printed(printer: FakePrinter) -> str:
    printer.wait_idle()
    return "\n".join(line.text for line in text_lines(decode(printer.received)))


@pytest.mark.all_backends
def test_slip_is_built_from_the_records(db: Database) -> None:
    """The slip carries the site's name, service, serving windows, people ahead, the
    issue time in the site's zone, materials and the footer."""
    issuing.issue_ticket(db, "SA", site="hall")
    issued = issuing.issue_ticket(db, "SA", site="hall", kind="green")
    slip, pending = build_slip(db, issued.ticket.id, footer=FOOTER, paper_width_mm=58)
    assert (slip.center_name, slip.number, slip.service_name) == ("测试服务中心", "A002", "甲业务")
    assert slip.windows == ["1号窗口", "2号窗口"]
    assert slip.materials == ["身份证原件", "申请表"]
    assert slip.people_ahead == 0  # green goes first
    assert slip.kind_label == "绿色通道"
    assert slip.issued_at.utcoffset() is not None and slip.issued_at.utcoffset().total_seconds() == 8 * 3600
    assert (slip.footer, slip.paper_width_mm, pending) == (FOOTER, 58, False)


def test_the_slip_stays_chinese_on_an_english_kiosk(db: Database) -> None:
    """Every line of the printed slip is Chinese, its kind too, whatever the screen speaks."""
    issued = issuing.issue_ticket(db, "SA", site="hall", kind="green")
    i18n.set_language("en")
    try:
        slip, _pending = build_slip(db, issued.ticket.id, footer=FOOTER, paper_width_mm=58)
    finally:
        i18n.set_language("zh_CN")
    assert slip.kind_label == "绿色通道"


def test_failed_print_marks_and_reprint_clears(db: Database) -> None:
    """A print that fails marks the ticket for reprint; a successful reprint clears it."""
    ticket = issuing.issue_ticket(db, "SB", site="hall").ticket
    with FakePrinter.out_of_paper() as empty:
        result = print_issued_ticket(db, ticket.id, empty.url, "text", footer=FOOTER)
    assert not result.printed and result.marked_for_reprint
    assert result.error is not None and result.error.reason == "paper_out"
    assert hall_state.get_ticket(db, ticket.id).print_pending
    with FakePrinter() as good:
        again = print_issued_ticket(db, ticket.id, good.url, "text", footer=FOOTER)
        text = printed(good)
    assert again.printed
    assert "B001" in text and "户口簿" in text and FOOTER in text
    assert not hall_state.get_ticket(db, ticket.id).print_pending


def test_pdf_export_leaves_the_mark(db: Database, tmp_path: Path) -> None:
    """A PDF is written for a marked ticket, which stays marked until a slip prints."""
    ticket = issuing.issue_ticket(db, "SA", site="hall").ticket
    queue.mark_print_failed(db, ticket.id, "test")
    out = tmp_path / "a001.pdf"
    result = print_issued_ticket(db, ticket.id, None, "pdf", footer=FOOTER, out=out)
    assert result.printed and out.read_bytes().startswith(b"%PDF")
    assert hall_state.get_ticket(db, ticket.id).print_pending


def test_bad_mode_combinations_are_refused(db: Database) -> None:
    """A mode without its target is a usage error naming what is missing."""
    ticket = issuing.issue_ticket(db, "SA", site="hall").ticket
    with pytest.raises(UsageError, match="--out"):
        print_issued_ticket(db, ticket.id, None, "pdf", footer=FOOTER)
    with pytest.raises(UsageError, match="no printer"):
        print_issued_ticket(db, ticket.id, "", "raster", footer=FOOTER)
    with pytest.raises(UsageError, match="print mode"):
        print_issued_ticket(db, ticket.id, "tcp://127.0.0.1:9", "png", footer=FOOTER)


def test_service_guides_report_quota_left(db: Database) -> None:
    """The guides list only services offered at the site, with today's quota left."""
    issuing.issue_ticket(db, "SC", site="hall")
    guides = service_guides(db, site="hall")
    assert sorted(guides) == ["SA", "SB", "SC", "SD"]
    assert guides["SC"].quota_left == 2 and guides["SA"].quota_left is None
    assert sorted(service_guides(db, site="town")) == ["SA", "SD"]
    assert site_info(db, site="town", links=True).name == "测试派出所"


def test_service_guides_of_named_services(db: Database) -> None:
    """Named services come back even where the site does not offer them or after they
    were withdrawn (the counter's materials-missing notice of a held ticket); an unknown
    code is refused."""
    guides = service_guides(db, site="town", services=["SB"])
    assert list(guides) == ["SB"] and guides["SB"].windows == []
    db.write(lambda s: s.execute(update(Service).where(Service.code == "SA")
                                 .values(active=False)))
    assert "SA" not in service_guides(db, site="hall")
    withdrawn = service_guides(db, site="hall", services=["SA"])["SA"]
    assert (withdrawn.name, withdrawn.materials) == ("甲业务", ["身份证原件", "申请表"])
    with pytest.raises(NotFound, match="XX"):
        service_guides(db, site="hall", services=["XX"])


def run_cli(db: Database, *argv: str) -> int:
    parser = ArgumentParser(prog="hallq-admin")
    print_cmds.register(CommandTree(parser))
    args = parser.parse_args(["ticket", "print", *argv])
    config = Config(database_url=str(db.url))
    return int(args.handler(Cli(args, config, db)))


def test_cli_ticket_print(db: Database, capsys: pytest.CaptureFixture[str],
                          tmp_path: Path) -> None:
    """``ticket print A001 --printer URL`` prints the slip; ``--mode pdf --out`` saves it;
    a failing printer exits with the printer error."""
    issuing.issue_ticket(db, "SA", site="hall")
    with FakePrinter() as good:
        assert run_cli(db, "A001", "--site", "hall", "--printer", good.url, "--mode", "text") == 0
        assert "A001" in printed(good)
    assert "已打印 A001" in capsys.readouterr().out
    out = tmp_path / "t.pdf"
    assert run_cli(db, "A001", "--site", "hall", "--mode", "pdf", "--out", str(out)) == 0
    assert out.exists()
    with FakePrinter.out_of_paper() as empty, pytest.raises(PrinterError, match="缺纸"):
        run_cli(db, "A001", "--site", "hall", "--printer", empty.url)
    assert hall_state.get_ticket(db, "A001", site="hall").print_pending


def test_cli_parser_rejects_unknown_mode() -> None:
    """An unknown --mode is a one-line usage error (exit 2)."""
    parser = ArgumentParser(prog="hallq-admin")
    print_cmds.register(CommandTree(parser))
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(["ticket", "print", "A001", "--mode", "png"])
    assert exit_info.value.code == 2
