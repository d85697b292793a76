"""``hallq-admin ticket print TICKET [--printer URL] [--mode text|raster|pdf --out FILE]``:
(re)print a ticket's slip, e.g. one the kiosk marked for reprint, or save it as a PDF.

The printer and mode default to the terminal config's ``[kiosk]`` section. A slip that
prints clears the ticket's reprint mark; one that fails sets it and exits 6.
"""

from __future__ import annotations

from pathlib import Path

from shared import i18n
from shared.cli.base import Cli, CommandTree, say, whole_number
from shared.cli.output import emit_json, ticket_payload
from shared.errors import PrinterError
from shared.i18n import QT_TRANSLATE_NOOP
from shared.read import hall_state

HELP = QT_TRANSLATE_NOOP("Cli", "票号与叫号")


def register(tree: CommandTree) -> None:
    """Add ``ticket print`` to the command tree."""
    parser = tree.command(
        "ticket", "print", run_print,
        QT_TRANSLATE_NOOP("Cli", "打印或补打凭条"),
        group_help=HELP, site=True, json=True)
    parser.add_argument("ticket", metavar="TICKET",
                        help=QT_TRANSLATE_NOOP("Cli", "票的 id，或当日的号码如 A017"))
    parser.add_argument("--printer", metavar="URL",
                        help=QT_TRANSLATE_NOOP("Cli", "如 tcp://192.168.1.50:9100（默认：配置文件中的 "
                                                      "kiosk.printer）"))
    parser.add_argument("--mode", choices=("text", "raster", "pdf"),
                        help=QT_TRANSLATE_NOOP("Cli", "text（GB18030 字库打印机）、raster（任何打印机）或 "
                                                      "pdf（默认：kiosk.print_mode）"))
    parser.add_argument("--out", metavar="FILE", type=Path,
                        help=QT_TRANSLATE_NOOP("Cli", "PDF 文件（pdf 模式）"))
    parser.add_argument("--width", metavar="MM", type=whole_number, choices=(58, 80),
                        help=QT_TRANSLATE_NOOP("Cli", "纸宽（默认：kiosk.paper_width_mm）"))


def run_print(cli: Cli) -> int:
    kiosk = cli.config.kiosk
    ticket = hall_state.get_ticket(cli.db, cli.args.ticket, site=cli.site)
    mode = cli.args.mode or ("pdf" if cli.args.out else kiosk.print_mode)
    # Imported here: python-escpos and reportlab are slow to load for other commands.
    from shared.ticket_print import print_issued_ticket

    result = print_issued_ticket(
        cli.db, ticket.id, cli.args.printer or kiosk.printer, mode, footer=kiosk.footer,
        paper_width_mm=cli.args.width or kiosk.paper_width_mm, out=cli.args.out)
    if cli.json:
        after = hall_state.get_ticket(cli.db, ticket.id)
        emit_json(ticket_payload(after, printed=result.printed,
                                 error=str(result.error) if result.error else None,
                                 out=str(cli.args.out) if cli.args.out else None))
    if result.error is not None:
        marked = "，已标记待补打" if result.marked_for_reprint else ""
        problem = i18n.both(str(result.error))[0].rstrip("。")
        raise PrinterError(f"{ticket.number} 未打印：{problem}{marked} "
                           f"(not printed: {result.error.detail})")
    if cli.json:
        return 0
    if mode == "pdf":
        say(QT_TRANSLATE_NOOP("Cli", "已保存 {number} 的凭条 PDF：{path}"),
            number=ticket.number, path=cli.args.out)
    else:
        say(QT_TRANSLATE_NOOP("Cli", "已打印 {number} 的凭条"), number=ticket.number)
    return 0
