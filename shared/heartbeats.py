"""Device health: every terminal's heartbeat, and what the supervisor makes of them.

Each kiosk, counter, hall display and supervisor PC writes one row (its kind and name)
every :data:`BEAT_SECONDS`: the HallQueue version it runs and the schema that version
needs, its printer's state (paper out, cover open, off line…), whether it has sound, and
its last error. The supervisor's 设备 tab, its live-view alerts and ``hallq-admin terminal
list`` read them through :func:`list_terminals`, which flags a terminal silent for over
:data:`SILENT_AFTER`, a printer that cannot print, a hall display without sound and a
version that does not match.

A heartbeat is a plain write, outside the queue's change feed: sixty PCs beating every
few seconds must not wake every screen of the hall. Times are the server's clock.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import Database, server_now
from shared.errors import UsageError
from shared.i18n import QT_TRANSLATE_NOOP, SOURCE_LANGUAGE, language, translate
from shared.models import Site, TerminalHeartbeat
from shared.schema import code_revision

log = logging.getLogger(__name__)

KINDS = ("kiosk", "counter", "display", "supervisor")
# What a terminal may report of its printer; the last four mean it cannot print now.
PRINTER_STATES = ("ready", "paper_low", "paper_out", "cover_open", "offline", "unreachable")
PRINTER_FAULTS = frozenset({"paper_out", "cover_open", "offline", "unreachable"})
AUDIO_STATES = ("ok", "none")
BEAT_SECONDS = 15
SILENT_AFTER = dt.timedelta(seconds=60)
NAME_MAX = 100
ERROR_MAX = 300
WINDOW_DISPLAY_SUFFIX = "号窗口屏"  # see counter_app/terminal.py


def app_version() -> str:
    """This HallQueue's version, from its installed metadata (the bundle carries it too)."""
    try:
        return metadata.version("hallqueue")
    except metadata.PackageNotFoundError:  # a bare source tree on sys.path
        return "unknown"


def default_name(kind: str, window: int | None = None) -> str:
    """A terminal's name when its config gives none: the PC's host name, and the window."""
    host = socket.gethostname() or "pc"
    return f"{host}/{window}号窗口" if kind == "counter" and window else host


@dataclass(frozen=True)
class Heartbeat:
    """What one terminal says about itself in one beat."""

    kind: str
    name: str
    site: str | None = None
    printer: str | None = None  # one of PRINTER_STATES; None: the terminal has no printer
    audio: str | None = None  # "ok", "none"; None: the terminal plays no sound
    last_error: str | None = None
    first: bool = False  # the first beat since the terminal started
    host: str = field(default_factory=socket.gethostname)
    version: str = field(default_factory=app_version)
    schema_revision: str = field(default_factory=code_revision)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise UsageError(f"终端类型 {self.kind!r} 须为 {', '.join(KINDS)} 之一 "
                             f"(terminal kind {self.kind!r} is not one of {', '.join(KINDS)})")
        if not self.name.strip() or len(self.name) > NAME_MAX:
            raise UsageError(f"终端名称须为 1-{NAME_MAX} 个字符，现为 {len(self.name)} 个 "
                             f"(terminal name must be 1-{NAME_MAX} characters, got "
                             f"{len(self.name)})")
        if self.printer is not None and self.printer not in PRINTER_STATES:
            raise UsageError(f"打印机状态 {self.printer!r} 须为 {', '.join(PRINTER_STATES)} 之一 "
                             f"(printer state {self.printer!r} is not one of "
                             f"{', '.join(PRINTER_STATES)})")
        if self.audio is not None and self.audio not in AUDIO_STATES:
            raise UsageError(f"声音状态 {self.audio!r} 须为 ok, none 之一 "
                             f"(audio state {self.audio!r} is not one of ok, none)")


def _values(session: Session, beat: Heartbeat, now: dt.datetime) -> dict[str, Any]:
    site_id = None
    if beat.site:
        site_id = session.execute(select(Site.id).where(Site.code == beat.site)).scalar()
    error = (beat.last_error or "").strip().splitlines()
    return {"site_id": site_id, "host": beat.host[:NAME_MAX], "version": beat.version[:32],
            "schema_revision": beat.schema_revision[:16], "printer": beat.printer,
            "audio": beat.audio, "last_error": error[0][:ERROR_MAX] if error else None,
            "seen_at": now}


def record(db: Database, beat: Heartbeat) -> None:
    """Write ``beat`` as its terminal's row (one transaction; the first beat also sets the
    start time)."""

    def op(session: Session) -> None:
        now = server_now(session)
        values = _values(session, beat, now)
        if beat.first:
            values["started_at"] = now
        changed = cast("CursorResult[Any]", session.execute(
            update(TerminalHeartbeat)
            .where(TerminalHeartbeat.kind == beat.kind, TerminalHeartbeat.name == beat.name)
            .values(**values))).rowcount
        if not changed:
            session.add(TerminalHeartbeat(kind=beat.kind, name=beat.name,
                                          **{"started_at": now, **values}))

    try:
        db.write(op, name="heartbeat")
    except IntegrityError:  # its first row was inserted meanwhile (two beats racing)
        db.write(op, name="heartbeat")


@dataclass(frozen=True)
class TerminalStatus:
    """One terminal as the supervisor sees it."""

    kind: str
    name: str
    site: str | None
    host: str
    version: str
    schema_revision: str
    printer: str | None
    audio: str | None
    last_error: str | None
    started_at: dt.datetime
    seen_at: dt.datetime
    silent_seconds: int
    alerts: tuple[str, ...]  # "silent", "printer", "sound", "version"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "site": self.site, "host": self.host,
                "version": self.version, "schema_revision": self.schema_revision,
                "printer": self.printer, "audio": self.audio, "last_error": self.last_error,
                "started_at": self.started_at.isoformat(), "seen_at": self.seen_at.isoformat(),
                "silent_seconds": self.silent_seconds, "alerts": list(self.alerts)}


def is_hall_display(kind: str, name: str) -> bool:
    """A hall display speaks the calls; a window's own display (named "…号窗口屏" by the
    counter that drives it) only shows them."""
    return kind == "display" and not name.endswith(WINDOW_DISPLAY_SUFFIX)


def alerts_for(row: TerminalHeartbeat, now: dt.datetime, *, version: str, revision: str
               ) -> tuple[str, ...]:
    found = []
    if now - row.seen_at > SILENT_AFTER:
        found.append("silent")
    if row.printer in PRINTER_FAULTS:
        found.append("printer")
    if row.audio == "none" and is_hall_display(row.kind, row.name):
        found.append("sound")  # `setup terminal --kind display` fails this too
    if row.version != version or row.schema_revision != revision:
        found.append("version")
    return tuple(found)


def list_terminals(db: Database, *, site: str | None = None) -> list[TerminalStatus]:
    """Every terminal that ever beat (at ``site``, or all), most urgent first: those with
    alerts, then by kind and name."""
    version, revision = app_version(), code_revision()
    with db.read() as session:
        now = server_now(session)
        query = select(TerminalHeartbeat, Site.code).outerjoin(
            Site, Site.id == TerminalHeartbeat.site_id)
        if site:
            query = query.where(Site.code == site)
        rows = session.execute(query).all()
        found = [TerminalStatus(
            kind=row.kind, name=row.name, site=code, host=row.host, version=row.version,
            schema_revision=row.schema_revision, printer=row.printer, audio=row.audio,
            last_error=row.last_error, started_at=row.started_at, seen_at=row.seen_at,
            silent_seconds=max(0, int((now - row.seen_at).total_seconds())),
            alerts=alerts_for(row, now, version=version, revision=revision))
            for row, code in rows]
    return sorted(found, key=lambda t: (not t.alerts, KINDS.index(t.kind), t.name))


_ALERT_TEXT = {
    "silent": ("已失联 {minutes} 分钟", "silent for {minutes} min"),
    "printer": ("打印机：{printer}", "printer: {printer}"),
    "sound": ("没有声音输出，无法语音叫号", "no sound output: cannot speak the calls"),
    "version": ("版本 {version}（结构 {revision}）与本程序不一致",
                "version {version} (schema {revision}) differs from this program's"),
}
# The printer states in words (context DeviceText, as the supervisor's 设备 tab says them).
PRINTER_TEXT = {"ready": QT_TRANSLATE_NOOP("DeviceText", "正常"),
                "paper_low": QT_TRANSLATE_NOOP("DeviceText", "纸将用完"),
                "paper_out": QT_TRANSLATE_NOOP("DeviceText", "缺纸"),
                "cover_open": QT_TRANSLATE_NOOP("DeviceText", "机盖打开"),
                "offline": QT_TRANSLATE_NOOP("DeviceText", "离线"),
                "unreachable": QT_TRANSLATE_NOOP("DeviceText", "连接不上")}


def printer_words(state: str) -> str:
    """A printer state (PRINTER_STATES) in words of the current language."""
    return translate("DeviceText", PRINTER_TEXT[state]) if state in PRINTER_TEXT else state


def describe_alert(terminal: TerminalStatus, alert: str, *, chinese: bool | None = None
                   ) -> str:
    """One alert of ``terminal`` in words, for the CLI and the supervisor; in the current
    language unless ``chinese`` says which."""
    if chinese is None:
        chinese = language() == SOURCE_LANGUAGE
    text = _ALERT_TEXT[alert][0 if chinese else 1]
    printer = terminal.printer or ""
    return text.format(minutes=max(1, terminal.silent_seconds // 60),
                       printer=PRINTER_TEXT.get(printer, printer) if chinese
                       else printer_words(printer),
                       version=terminal.version, revision=terminal.schema_revision)


# A terminal's last error is stored as "logger: first line of the message" (error_text,
# as shared/qt/heartbeat.py's handler writes it): English detail from the program, for the
# terminal's log and ``terminal list --json``. People read which part of the terminal
# failed, told by the logger's name, in their language.
_ERROR_PARTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("print", "escpos"), QT_TRANSLATE_NOOP("DeviceText", "打印出错")),
    (("announcer", "voice"), QT_TRANSLATE_NOOP("DeviceText", "语音播报出错")),
    (("shared.db", "feed"), QT_TRANSLATE_NOOP("DeviceText", "数据库连接出错")),
)
_OTHER_ERROR = QT_TRANSLATE_NOOP("DeviceText", "程序出错")


def error_text(logger: str, message: str) -> str:
    """What a terminal stores as its last error: ``logger``'s first line of ``message``."""
    lines = message.strip().splitlines()
    return f"{logger}: {lines[0] if lines else ''}"[:ERROR_MAX]


def error_words(last_error: str | None) -> str:
    """A terminal's stored last error as people read it, in the current language ("" for
    none): the part that failed (printing, the voice, the database) or 程序出错."""
    if not last_error:
        return ""
    logger, sep, _message = last_error.partition(": ")
    if sep and " " not in logger:
        for names, words in _ERROR_PARTS:
            if any(name in logger for name in names):
                return translate("DeviceText", words)
    return translate("DeviceText", _OTHER_ERROR)
