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
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from shared import schema
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
        mark = {"ok": "正常 ok  ", "warn": "注意 warn", "fail": "失败 FAIL"}[self.outcome]
        return f"[{mark}] {self.name}: {self.detail}"

    def to_json(self) -> dict[str, str]:
        return {"check": self.name, "outcome": self.outcome, "detail": self.detail}


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
            yield Check("database", "fail", f"{exc}; check the server address, the password "
                        f"and that the server accepts this PC (pg_hba.conf / bind-address)", 5)
            return
        yield Check("database", "ok", f"connected to {Database.redacted(plan.database_url)}")
        if not status.current:
            found = status.database or "none"
            yield Check("schema", "fail", f"database schema {found}, this HallQueue needs "
                        f"{status.code}: run 'hallq-admin db upgrade' with the owner's URL", 5)
            return
        yield Check("schema", "ok", f"schema {status.code} matches this HallQueue")

        def site() -> Check:
            windows = hall_state.list_windows(db, site=plan.site or None)
            sites = sorted({w.site for w in windows})
            label = plan.site or (sites[0] if sites else "")
            if plan.kind == "counter" and plan.window:
                if not any(w.number == plan.window and w.active for w in windows):
                    numbers = ", ".join(str(w.number) for w in windows if w.active) or "none"
                    return Check("window", "fail", f"site {label} has no active window "
                                 f"{plan.window} (its windows: {numbers}); fix --window or "
                                 f"add it with 'hallq-admin window add'", 2)
                return Check("window", "ok", f"window {plan.window} of site {label}")
            return Check("site", "ok", f"site {label}: {len(windows)} windows")

        yield _guard("site", site)
    finally:
        db.dispose()


# For IT setting up the PC (not the citizen's "请联系工作人员" message): what to look at
# for each reason of shared.printing.printers.TicketPrinterError.
PRINTER_CHECKS: dict[str, str] = {
    "unreachable": "check the address and port (tcp://IP:9100) are right and reachable from "
                   "this PC (ping it; a firewall may block the port), that the printer is "
                   "switched on and its network or USB cable is plugged in",
    "no_answer": "the printer took the connection but did not answer the status query: check "
                 "it is switched on and not showing an error light, that the port is its raw "
                 "ESC/POS port (usually 9100), that its status replies are not switched off in its "
                 "settings and that no other program holds it",
    "paper_out": "load a paper roll and close the cover",
    "cover_open": "close the printer's cover (press until it clicks)",
    "offline": "the printer reports it is off line: check the paper, the cover and the "
               "error light, then press its feed button or switch it off and on",
    "interrupted": "the connection broke while printing: check the cable or network, the "
                   "power, and that the paper did not run out or jam",
    "driver": "install the printer's driver or the Python package named above, and check "
              "the printer name in the URL (docs/printing.md)",
}


def printer_failure(url: str, exc: PrinterError) -> str:
    """The printer check's failure line for IT: the printer's URL, why it failed and what
    to check."""
    reason = getattr(exc, "reason", "")
    detail = getattr(exc, "detail", "") or str(exc)
    detail = detail.removeprefix(f"{url}: ")
    advice = PRINTER_CHECKS.get(reason, "check the printer URL (docs/printing.md), that the "
                                        "printer is switched on, has paper and its cover is "
                                        "closed")
    cause = f"{reason.replace('_', ' ')} ({detail})" if reason else detail
    return f"printer {url} failed: {cause}; {advice}"


def check_printer(plan: TerminalPlan, *, test_slip: bool) -> Check:
    from shared.printing.printers import check_ready, open_printer, print_ticket
    from shared.printing.slip import TicketSlip

    if not plan.printer:
        if plan.kind == "kiosk":
            return Check("printer", "warn", "no printer: the kiosk will show numbers on screen "
                         "only; pass --printer tcp://IP:9100 (docs/printing.md)")
        return Check("printer", "ok", "no printer configured")

    def run() -> Check:
        printer = open_printer(plan.printer, timeout=3.0)
        try:
            check_ready(printer, url=plan.printer, timeout=3.0)
        finally:
            printer.close()
        if not test_slip:
            return Check("printer", "ok", f"{plan.printer} is on line (add --test-print for "
                         f"a test slip)")
        slip = TicketSlip(
            center_name="HallQueue 打印测试", ticket_id=0, number="T000",
            service_name="打印机测试 printer test", windows=[], people_ahead=0,
            estimated_wait_minutes=None, issued_at=dt.datetime.now().astimezone(),
            materials=["能看清本行中文，打印设置即正确"], footer="测试凭条，不是号票",
            kind_label=None)
        print_ticket(plan.printer, slip, "raster", timeout=3.0)
        return Check("printer", "ok", f"{plan.printer}: test slip printed (T000); check that "
                     f"the Chinese on it is legible")

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
        checks.append(Check("sound", "ok", "output " + ", ".join(outputs)))
    elif needs_sound:
        what = "the hall display cannot speak calls" if plan.kind == "display" else \
            "no sound for calls and voice guidance"
        checks.append(Check("sound", "fail" if plan.kind == "display" else "warn",
                            f"no audio output device found: {what}; connect speakers and "
                            f"check the system's sound settings", 2))
    if not has_display():
        checks.append(Check("screens", "warn", "no display to look at (DISPLAY and "
                            "WAYLAND_DISPLAY unset); run the setup in the desktop session to "
                            "check the screens"))
        return checks
    found = screens()
    described = ", ".join(f"{name} {w}×{h}" for name, w, h in found) or "none"
    smallest = SMALLEST_SCREEN.get(plan.kind)
    if smallest and found and not any(max(w, h) >= max(smallest) and min(w, h) >= min(smallest)
                                      for _n, w, h in found):
        checks.append(Check("screens", "warn", f"{described}: smaller than the "
                            f"{smallest[0]}×{smallest[1]} this terminal is made for"))
    else:
        checks.append(Check("screens", "ok" if found else "warn", described))
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
    checks = [Check("config", "ok", f"wrote {path} (readable by this user only)")]
    checks += check_database(plan)
    if plan.kind in ("kiosk", "counter"):
        checks.append(check_printer(plan, test_slip=test_slip))
    checks += check_devices(plan)
    return checks


def exit_code(checks: list[Check]) -> int:
    """0 when nothing failed, else the first failed check's code."""
    return next((c.exit_code or 1 for c in checks if c.outcome == "fail"), 0)
