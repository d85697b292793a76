"""``hallq-admin appointment add|list|cancel|import|check-in``: bookings (预约), typed in
or imported from the government service platform's CSV export."""

from __future__ import annotations

from pathlib import Path

from shared import appointments, issuing
from shared.appointments import AppointmentView
from shared.cli.base import Cli, CommandTree, iso_date, say, tr
from shared.cli.output import emit_json, ticket_payload
from shared.errors import ImportFileError
from shared.i18n import QT_TRANSLATE_NOOP
from shared.vocabulary import appointment_state_label

HELP = QT_TRANSLATE_NOOP("Cli", "预约")


def register(tree: CommandTree) -> None:
    add = tree.command("appointment", "add", run_add, QT_TRANSLATE_NOOP("Cli", "新增预约"),
                       group_help=HELP, site=True, json=True)
    add.add_argument("code", metavar="CODE", help=QT_TRANSLATE_NOOP("Cli", "预约平台给出的预约码"))
    add.add_argument("--service", required=True, metavar="CODE")
    add.add_argument("--date", required=True, type=iso_date, metavar="YYYY-MM-DD")
    add.add_argument("--slot", required=True, metavar="HH:MM-HH:MM",
                     help=QT_TRANSLATE_NOOP("Cli", "如 09:00-09:30"))
    add.add_argument("--name", default="", help=QT_TRANSLATE_NOOP("Cli", "群众姓名"))
    add.add_argument("--phone", default="")
    listing = tree.command("appointment", "list", run_list, QT_TRANSLATE_NOOP("Cli", "列出预约"),
                           group_help=HELP, site=True, json=True)
    listing.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD")
    cancel = tree.command("appointment", "cancel", run_cancel, QT_TRANSLATE_NOOP("Cli", "取消预约"),
                          group_help=HELP, json=True)
    cancel.add_argument("code", metavar="CODE")
    imp = tree.command("appointment", "import", run_import,
                       QT_TRANSLATE_NOOP("Cli", "导入预约 CSV"), group_help=HELP,
                       json=True)
    imp.add_argument("file", metavar="FILE.csv", type=Path,
                     help=tr(QT_TRANSLATE_NOOP("Cli", "UTF-8 编码的 CSV，列为 {columns}"),
                             columns=",".join(appointments.CSV_COLUMNS)))
    check_in = tree.command("appointment", "check-in", run_check_in,
                            QT_TRANSLATE_NOOP("Cli", "预约签到取号"),
                            group_help=HELP, site=True, json=True, actor=True,
                            request_id=True)
    check_in.add_argument("code", metavar="CODE")


def _line(appt: AppointmentView) -> str:
    who = " ".join(part for part in (appt.citizen_name, appt.phone) if part)
    return (f"{appt.code:<16} {appt.day} {appt.slot_start}-{appt.slot_end} {appt.site} "
            f"{appt.service}  {appointment_state_label(appt.state)}  {who}").rstrip()


def run_add(cli: Cli) -> int:
    a = cli.args
    appt = appointments.add_appointment(cli.db, code=a.code, service=a.service, day=a.date,
                                        slot=a.slot, site=cli.site, name=a.name, phone=a.phone)
    if cli.json:
        emit_json({"appointment": appt.to_json()})
    else:
        say(QT_TRANSLATE_NOOP("Cli", "已新增预约 {code}：{day} {start}-{end} {service}"),
            code=appt.code, day=appt.day, start=appt.slot_start, end=appt.slot_end,
            service=appt.service)
    return 0


def run_list(cli: Cli) -> int:
    booked = appointments.list_appointments(cli.db, site=cli.site, day=cli.args.date)
    if cli.json:
        emit_json({"appointments": [a.to_json() for a in booked]})
        return 0
    if not booked:
        say(QT_TRANSLATE_NOOP("Cli", "没有预约"))
    for appt in booked:
        say(_line(appt))
    return 0


def run_cancel(cli: Cli) -> int:
    appt = appointments.cancel_appointment(cli.db, cli.args.code)
    if cli.json:
        emit_json({"appointment": appt.to_json()})
    else:
        say(QT_TRANSLATE_NOOP("Cli", "已取消预约 {code}"), code=appt.code)
    return 0


def run_import(cli: Cli) -> int:
    path: Path = cli.args.file
    if not path.is_file():
        raise ImportFileError(f"{path}: 文件不存在 (file not found)")
    count = appointments.import_csv(cli.db, path)
    if cli.json:
        emit_json({"imported": count})
    else:
        say(QT_TRANSLATE_NOOP("Cli", "已导入 {count} 条预约：{path}"), count=count, path=path)
    return 0


def run_check_in(cli: Cli) -> int:
    issued = issuing.check_in_appointment(cli.db, cli.args.code, site=cli.site, actor=cli.actor,
                                          request_key=cli.request_key)
    t = issued.ticket
    if cli.json:
        emit_json(ticket_payload(t, people_ahead=issued.people_ahead,
                                 estimated_wait_minutes=issued.estimated_wait_minutes,
                                 windows=issued.windows, materials=issued.materials))
    else:
        say(QT_TRANSLATE_NOOP("Cli", "已签到取号 {number} ({service}) 前面 {ahead} 人"),
            number=t.number, service=t.service_name, ahead=issued.people_ahead)
    return 0
