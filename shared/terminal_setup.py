"""Setting up one PC of the hall in one command (``hallq-admin setup terminal``).

Writes the PC's terminal config (owner-only: it holds the database credential) and then
checks, one line each, what the terminal needs: the database and its schema, the site and
window, the printer (a test slip on request), sound output and the screens. Every check
that fails says what to fix; a check that only warns (e.g. no sound device on a counter)
does not fail the set-up.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from shared import i18n, schema
from shared.config import CONFIG_FILE, load_config
from shared.db import Database
from shared.errors import (
    ConfigError,
    DatabaseUnavailable,
    HallQueueError,
    PrinterError,
    SchemaMismatch,
    UsageError,
)
from shared.read import hall_state

log = logging.getLogger(__name__)

KINDS = ("kiosk", "counter", "display", "supervisor")
Kind = Literal["kiosk", "counter", "display", "supervisor"]
Outcome = Literal["ok", "warn", "fail"]
# The smallest screens the citizen-facing terminals are designed for (docs/deployment.md).
SMALLEST_SCREEN = {"kiosk": (1024, 600), "display": (1280, 720)}


@dataclass
class Check:
    name: str  # database, schema, site, window, printer, sound, screens, config
    outcome: Outcome
    detail: str  # what was found, or what to fix
    exit_code: int = 0  # for a failed check: the code the command exits with

    def line(self) -> str:
        """The check's line in the current language (``detail`` is "中文 (English)")."""
        chinese = i18n.language() == i18n.SOURCE_LANGUAGE
        mark = {"ok": ("正常", "ok  "), "warn": ("注意", "warn"),
                "fail": ("失败", "FAIL")}[self.outcome][0 if chinese else 1]
        name = CHECK_NAMES.get(self.name, self.name) if chinese else self.name
        return f"[{mark}] {name}: {i18n.one_language(self.detail)}"

    def to_json(self) -> dict[str, str]:
        return {"check": self.name, "outcome": self.outcome,
                "detail": i18n.one_language(self.detail)}


# The checks' names as a Chinese line shows them (JSON keeps the English key).
CHECK_NAMES = {"database": "数据库", "schema": "数据库结构", "site": "大厅", "window": "窗口",
               "printer": "打印机", "sound": "声音", "screens": "屏幕", "config": "配置文件"}


@dataclass
class TerminalPlan:
    kind: Kind
    database_url: str
    site: str = ""
    window: int = 0
    printer: str = ""
    language: str = "zh_CN"
    extra: dict[str, object] = field(default_factory=dict)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    # A TOML basic string accepts JSON's escapes; ensure_ascii=False keeps Chinese readable.
    return json.dumps(str(value), ensure_ascii=False)


def config_text(plan: TerminalPlan) -> str:
    """The config file for ``plan``: only the keys that differ from the defaults."""
    lines = [f"# HallQueue {plan.kind} terminal, written by hallq-admin setup terminal "
             f"on {dt.date.today().isoformat()}.",
             "# Every key: docs/config.md. This file holds the database password: keep it "
             "readable by this PC's terminal user only.",
             f"database_url = {_toml_value(plan.database_url)}"]
    if plan.site:
        lines.append(f"site = {_toml_value(plan.site)}")
    if plan.language != "zh_CN":
        lines.append(f"language = {_toml_value(plan.language)}")
    section: dict[str, object] = {}
    if plan.kind == "kiosk" and plan.printer:
        section["printer"] = plan.printer
    if plan.kind == "counter":
        if plan.window:
            section["window"] = plan.window
        if plan.printer:
            section["printer"] = plan.printer
    section.update(plan.extra)
    if section and plan.kind in ("kiosk", "counter", "display"):
        lines += ["", f"[{plan.kind}]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in section.items()]
    return "\n".join(lines) + "\n"


def write_config(plan: TerminalPlan, path: Path, *, replace: bool) -> None:
    """Write the config atomically, owner-only, and read it back through the same loader
    the terminal uses, so a file that would not load is never left behind."""
    if path.is_dir():
        raise UsageError(f"{path}: 是文件夹，请写出配置文件本身，如 {path / CONFIG_FILE} "
                         f"({path}: is a folder; name the config file, e.g. {path / CONFIG_FILE})")
    if path.exists() and not replace:
        raise UsageError(f"{path}: 已有配置文件；加 --force 替换（旧文件保留为 {path.name}.bak） "
                         f"({path}: a config file is already there; add --force to replace it, "
                         f"the old one is kept as {path.name}.bak)")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = config_text(plan)
    handle, temporary = tempfile.mkstemp(prefix=".hallqueue-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        if sys.platform != "win32":
            os.chmod(temporary, 0o600)
        load_config(temporary)  # raises ConfigError naming the key if anything is wrong
        if path.exists():
            os.replace(path, path.with_name(path.name + ".bak"))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _guard(name: str, work: Callable[[], Check]) -> Check:
    try:
        return work()
    except (DatabaseUnavailable, SchemaMismatch) as exc:
        return Check(name, "fail", str(exc), 5)
    except PrinterError as exc:
        return Check(name, "fail", str(exc), 6)
    except HallQueueError as exc:
        return Check(name, "fail", str(exc), exc.exit_code)


def check_database(plan: TerminalPlan) -> Iterator[Check]:
    """Connection, schema, site and (counter) window; stops at the first failure."""
    db = Database(plan.database_url)
    try:
        try:
            status = schema.status(db)
        except DatabaseUnavailable as exc:
            zh, en = i18n.both(str(exc))
            yield Check("database", "fail", f"{zh}；请检查服务器地址、密码，以及服务器是否允许本机"
                        f"连接（pg_hba.conf / bind-address） ({en}; check the server address, "
                        f"the password and that the server accepts this PC "
                        f"(pg_hba.conf / bind-address))", 5)
            return
        url = Database.redacted(plan.database_url)
        yield Check("database", "ok", f"已连接 {url} (connected to {url})")
        if not status.current:
            yield Check("schema", "fail", f"数据库结构为 {status.database or '无'}，本 HallQueue "
                        f"需要 {status.code}：请用数据库所有者的 URL 运行 'hallq-admin db upgrade' "
                        f"(database schema {status.database or 'none'}, this HallQueue needs "
                        f"{status.code}: run 'hallq-admin db upgrade' with the owner's URL)", 5)
            return
        yield Check("schema", "ok", f"数据库结构 {status.code} 与本 HallQueue 一致 "
                    f"(schema {status.code} matches this HallQueue)")

        def site() -> Check:
            windows = hall_state.list_windows(db, site=plan.site or None)
            sites = sorted({w.site for w in windows})
            label = plan.site or (sites[0] if sites else "")
            if plan.kind == "counter" and plan.window:
                if not any(w.number == plan.window and w.active for w in windows):
                    numbers = ", ".join(str(w.number) for w in windows if w.active)
                    return Check("window", "fail", f"大厅 {label} 没有启用的 {plan.window} 号窗口"
                                 f"（现有窗口：{numbers or '无'}）；请改正 --window 或用 "
                                 f"'hallq-admin window add' 添加 (site {label} has no active "
                                 f"window {plan.window} (its windows: {numbers or 'none'}); fix "
                                 f"--window or add it with 'hallq-admin window add')", 2)
                return Check("window", "ok", f"大厅 {label} 的 {plan.window} 号窗口 "
                             f"(window {plan.window} of site {label})")
            return Check("site", "ok", f"大厅 {label}：{len(windows)} 个窗口 "
                         f"(site {label}: {len(windows)} windows)")

        yield _guard("site", site)
    finally:
        db.dispose()


# For IT setting up the PC (not the citizen's "请联系工作人员" message): what each reason of
# shared.printing.printers.TicketPrinterError is called and what to look at: (Chinese
# name, Chinese advice, English name, English advice).
PRINTER_CHECKS: dict[str, tuple[str, str, str, str]] = {
    "unreachable": ("无法连接", "请检查地址和端口（tcp://IP:9100）是否正确、本机能否连到"
                    "（ping 一下；防火墙可能挡住端口），打印机是否开机，网线或 USB 线是否插好",
                    "unreachable", "check the address and port (tcp://IP:9100) are right and "
                    "reachable from this PC (ping it; a firewall may block the port), that the "
                    "printer is switched on and its network or USB cable is plugged in"),
    "no_answer": ("无应答", "打印机接受了连接但没有回答状态查询：请检查它已开机且没有亮错误灯，端口是它的 "
                  "ESC/POS 原始端口（通常为 9100），设置里没有关闭状态回复，也没有别的程序占用它",
                  "no answer", "the printer took the connection but did not answer the status "
                  "query: check it is switched on and not showing an error light, that the port "
                  "is its raw ESC/POS port (usually 9100), that its status replies are not "
                  "switched off in its settings and that no other program holds it"),
    "paper_out": ("缺纸", "请装入纸卷并合上机盖", "paper out", "load a paper roll and close the cover"),
    "cover_open": ("机盖打开", "请合上打印机机盖（按到咔嗒一声）", "cover open",
                   "close the printer's cover (press until it clicks)"),
    "offline": ("脱机", "打印机报告脱机：请检查纸张、机盖和错误灯，然后按进纸键或关机再开机",
                "offline", "the printer reports it is off line: check the paper, the cover and "
                "the error light, then press its feed button or switch it off and on"),
    "interrupted": ("打印中断", "打印时连接中断：请检查线缆或网络、电源，以及纸是否用完或卡纸",
                    "interrupted", "the connection broke while printing: check the cable or "
                    "network, the power, and that the paper did not run out or jam"),
    "driver": ("缺少驱动", "请安装打印机驱动或上面提到的 Python 包，并检查 URL 中的打印机名称"
               "（docs/printing.md）", "driver", "install the printer's driver or the Python "
               "package named above, and check the printer name in the URL (docs/printing.md)"),
}
_PRINTER_ADVICE = ("请检查打印机 URL（docs/printing.md），以及打印机已开机、有纸、机盖已合上",
                   "check the printer URL (docs/printing.md), that the printer is switched on, "
                   "has paper and its cover is closed")


def printer_failure(url: str, exc: PrinterError) -> str:
    """The printer check's failure line for IT, "中文 (English)": the printer's URL, why it
    failed and what to check. The printer's or the system's own detail, in English as it
    came, is in the English half and the log; the Chinese half names the reason only."""
    reason = getattr(exc, "reason", "")
    detail = getattr(exc, "detail", "") or str(exc)
    detail = detail.removeprefix(f"{url}: ")
    log.warning("printer check of %s failed: %s: %s", url, reason or "printer", detail)
    zh_reason, zh_advice, en_reason, en_advice = PRINTER_CHECKS.get(
        reason, ("", _PRINTER_ADVICE[0], reason.replace("_", " "), _PRINTER_ADVICE[1]))
    zh_cause = zh_reason or i18n.both(str(exc))[0]
    en_cause = f"{en_reason} ({detail})" if reason else detail
    return (f"打印机 {url} 故障：{zh_cause}；{zh_advice} "
            f"(printer {url} failed: {en_cause}; {en_advice})")


def check_printer(plan: TerminalPlan, *, test_slip: bool) -> Check:
    from shared.printing.printers import check_ready, open_printer, print_ticket
    from shared.printing.slip import TicketSlip

    if not plan.printer:
        if plan.kind == "kiosk":
            return Check("printer", "warn", "未配置打印机：取号机只在屏幕上显示号码；请用 --printer "
                         "tcp://IP:9100 指定（docs/printing.md） (no printer: the kiosk will "
                         "show numbers on screen only; pass --printer tcp://IP:9100 "
                         "(docs/printing.md))")
        return Check("printer", "ok", "未配置打印机 (no printer configured)")

    def run() -> Check:
        printer = open_printer(plan.printer, timeout=3.0)
        try:
            check_ready(printer, url=plan.printer, timeout=3.0)
        finally:
            printer.close()
        if not test_slip:
            return Check("printer", "ok", f"{plan.printer} 在线（加 --test-print 可打印测试凭条） "
                         f"({plan.printer} is on line (add --test-print for a test slip))")
        slip = TicketSlip(
            center_name="HallQueue 打印测试", ticket_id=0, number="T000",
            service_name="打印机测试 printer test", windows=[], people_ahead=0,
            estimated_wait_minutes=None, issued_at=dt.datetime.now().astimezone(),
            materials=["能看清本行中文，打印设置即正确"], footer="测试凭条，不是号票",
            kind_label=None)
        print_ticket(plan.printer, slip, "raster", timeout=3.0)
        return Check("printer", "ok", f"{plan.printer}：已打印测试凭条（T000），请确认上面的中文"
                     f"清晰可读 ({plan.printer}: test slip printed (T000); check that the "
                     f"Chinese on it is legible)")

    def reported() -> Check:
        try:
            return run()
        except PrinterError as exc:  # its message is the citizen's; IT needs the reason
            return Check("printer", "fail", printer_failure(plan.printer, exc), exc.exit_code)

    return _guard("printer", reported)


def check_devices(plan: TerminalPlan) -> list[Check]:
    """Sound output and screens, as Qt sees them on this PC."""
    from shared.qt.devices import audio_outputs, has_display, screens

    checks: list[Check] = []
    needs_sound = plan.kind in ("display", "counter", "kiosk")
    outputs = audio_outputs()
    if outputs:
        names = ", ".join(outputs)
        checks.append(Check("sound", "ok", f"声音输出 {names} (output {names})"))
    elif needs_sound:
        zh, en = ("大厅显示屏无法播报叫号", "the hall display cannot speak calls") \
            if plan.kind == "display" else ("叫号和语音引导没有声音", "no sound for calls and "
                                                               "voice guidance")
        checks.append(Check("sound", "fail" if plan.kind == "display" else "warn",
                            f"未找到声音输出设备：{zh}；请连接音箱并检查系统的声音设置 "
                            f"(no audio output device found: {en}; connect speakers and "
                            f"check the system's sound settings)", 2))
    if not has_display():
        checks.append(Check("screens", "warn", "没有可查看的显示（DISPLAY 和 WAYLAND_DISPLAY "
                            "都未设置）；请在桌面会话中运行设置以检查屏幕 (no display to look "
                            "at (DISPLAY and WAYLAND_DISPLAY unset); run the setup in the "
                            "desktop session to check the screens)"))
        return checks
    found = screens()
    described = ", ".join(f"{name} {w}×{h}" for name, w, h in found)
    smallest = SMALLEST_SCREEN.get(plan.kind)
    if smallest and found and not any(max(w, h) >= max(smallest) and min(w, h) >= min(smallest)
                                      for _n, w, h in found):
        checks.append(Check("screens", "warn", f"屏幕 {described} 小于本终端所需的 "
                            f"{smallest[0]}×{smallest[1]} ({described}: smaller than the "
                            f"{smallest[0]}×{smallest[1]} this terminal is made for)"))
    elif found:
        checks.append(Check("screens", "ok", f"屏幕 {described} (screens {described})"))
    else:
        checks.append(Check("screens", "warn", "未找到屏幕 (no screen found)"))
    return checks


def set_up(plan: TerminalPlan, path: Path, *, replace: bool, test_slip: bool) -> list[Check]:
    """Write the config at ``path`` and run every check for the terminal's kind."""
    if plan.kind not in KINDS:
        raise UsageError(f"终端类型 {plan.kind!r} 须为 {', '.join(KINDS)} 之一 "
                         f"(kind {plan.kind!r} is not one of {', '.join(KINDS)})")
    if plan.kind == "counter" and plan.window and not 1 <= plan.window <= 999:
        raise UsageError(f"窗口号 {plan.window} 须在 1 到 999 之间 (window {plan.window} must be 1-999)")
    try:
        write_config(plan, path, replace=replace)
    except OSError as exc:
        raise ConfigError(f"{path}: 无法写入配置文件 "
                          f"({path}: cannot write the config file: {exc.strerror})") from None
    checks = [Check("config", "ok", f"已写入 {path}（仅本用户可读） "
                    f"(wrote {path}; readable by this user only)")]
    checks += check_database(plan)
    if plan.kind in ("kiosk", "counter"):
        checks.append(check_printer(plan, test_slip=test_slip))
    checks += check_devices(plan)
    return checks


def exit_code(checks: list[Check]) -> int:
    """0 when nothing failed, else the first failed check's code."""
    return next((c.exit_code or 1 for c in checks if c.outcome == "fail"), 0)
