"""Per-terminal configuration: one TOML file on each PC.

Looked up at ``--config PATH``, else ``$HALLQ_CONFIG``, else ``hallqueue.toml`` in the
platform's config directory (platformdirs). The database URL comes from ``--database``
first, then ``$HALLQ_DATABASE_URL``, then the file; with none, a SQLite file in the user
data directory. Every wrong value is reported with its key and the reason. The example
with every key is docs/config.md.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from shared.errors import ConfigError

if TYPE_CHECKING:
    from shared.followups import FollowUpRules

APP_NAME = "HallQueue"
CONFIG_FILE = "hallqueue.toml"


@dataclass
class KioskConfig:
    printer: str = ""  # e.g. tcp://192.168.1.50:9100; empty: no printer (screen only)
    print_mode: str = "raster"  # raster (any printer) or text (GB18030 firmware)
    # Ask the printer's status before and after each ticket (DLE EOT); false only for a
    # printer that never answers, which the kiosk would otherwise call "not connected".
    printer_status: bool = True
    paper_width_mm: int = 80
    footer: str = "请留意叫号，过号请到窗口重新排队"
    # scrypt hashes written by `hallq-admin pin hash`; empty: not set, nothing unlocks.
    staff_pin_hash: str = ""  # guide desk: green-channel tickets, reprints
    admin_pin_hash: str = ""  # leave full screen / quit
    idle_seconds: int = 20
    fullscreen: bool = True
    orientation: str = "auto"  # auto, portrait or landscape
    name: str = ""  # shown to staff on help requests (一键求助); empty: from the PC's name


@dataclass
class CounterConfig:
    window: int = 0  # 0: chosen at login
    printer: str = ""  # reprints and missing-materials slips; empty: no reprint button
    print_mode: str = "raster"
    paper_width_mm: int = 80
    window_display_screen: int = -1  # screen index for the window display (窗口屏); -1: none
    evaluation_timeout_seconds: int = 30
    # Log the clerk out after this many minutes without a key or a click (0: never).
    idle_logout_minutes: int = 15
    evaluation_screen: int = -1  # screen index for the evaluation pad; -1: a separate window


@dataclass
class DisplayConfig:
    screen: str = ""  # index or name; empty: the primary screen
    notice: str = "欢迎来到淳安县行政服务中心，请按叫号顺序到窗口办理业务。"
    voice: str = "clips"  # clips (pre-recorded WAV) or tts (system text-to-speech)
    highlight_seconds: int = 8
    fullscreen: bool = True


@dataclass
class DatabaseConfig:
    """How long one terminal may hold what others need (docs/config.md, "[database]")."""

    # PostgreSQL/MariaDB: how long a statement waits for a row another terminal holds
    # before the operation looks for a stuck terminal and tries again.
    lock_timeout_ms: int = 1000
    # The server ends a session that keeps a transaction open while its terminal sends
    # nothing (frozen PC, pulled cable) for this long; the terminal's operation fails.
    idle_in_transaction_timeout_ms: int = 2000
    # The longest one statement may run (reports included).
    statement_timeout_ms: int = 60_000
    # TCP keepalives on both ends: a silent peer is declared dead after
    # idle + interval * count seconds.
    keepalive_idle_s: int = 10
    keepalive_interval_s: int = 2
    keepalive_count: int = 3
    # SQLite: how long to wait for another program's write before reporting it.
    busy_timeout_ms: int = 10_000


@dataclass
class HcpConfig:
    """The push to the provincial 好差评 system (docs/evaluation.md, "[hcp]")."""

    url: str = ""  # where `hallq-admin hcp push` posts each rating; empty: push refused
    token: str = ""  # sent as "Authorization: Bearer <token>" when set
    timeout_seconds: int = 10  # one attempt's whole exchange at most
    # A rating is sent once this old, so that a bad rating's reasons given on the pad
    # afterwards go with it.
    settle_seconds: int = 120
    retry_base_seconds: int = 30  # wait after the first failure, doubled after each
    retry_max_seconds: int = 3600
    batch: int = 50  # records per round
    poll_seconds: int = 30  # the long-running push: pause between rounds
    # Province field -> HallQueue source field or "=literal"; empty: the default mapping.
    fields: dict[str, Any] = field(default_factory=dict)
    # Province field -> {HallQueue value: province value}, e.g. handleState codes.
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class FollowUpConfig:
    """Deadlines of a bad rating's follow-up, in working days of the site's calendar after
    the rated case's business day (shared/followups.py; docs/evaluation.md)."""

    contact_days: int = 1  # first contact (回访)
    rectify_days: int = 5  # rectification (整改); some provinces ask 15


@dataclass
class Config:
    database_url: str = ""
    site: str = ""  # site code; empty: the only site
    language: str = "zh_CN"  # or en
    poll_interval_ms: int = 250
    # How often at most a screen re-reads for changes made elsewhere (shared.feed.RefreshPacer).
    refresh_ms: int = 1000
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    # `hallq-admin privacy purge`: erase citizens' names and phones older than this.
    privacy_days: int = 180
    kiosk: KioskConfig = field(default_factory=KioskConfig)
    counter: CounterConfig = field(default_factory=CounterConfig)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    hcp: HcpConfig = field(default_factory=HcpConfig)
    followup: FollowUpConfig = field(default_factory=FollowUpConfig)
    source: Path | None = None

    @property
    def site_code(self) -> str | None:
        return self.site or None

    @property
    def follow_up_rules(self) -> FollowUpRules:
        from shared.followups import FollowUpRules

        return FollowUpRules(self.followup.contact_days, self.followup.rectify_days)


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_FILE


def default_database_url() -> str:
    data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return f"sqlite:///{data / 'hallqueue.db'}"


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


_CHOICES: dict[str, set[Any]] = {
    "kiosk.print_mode": {"raster", "text"},
    "kiosk.paper_width_mm": {58, 80},
    "counter.print_mode": {"raster", "text"},
    "counter.paper_width_mm": {58, 80},
    "kiosk.orientation": {"auto", "portrait", "landscape"},
    "display.voice": {"clips", "tts"},
    "language": {"zh_CN", "en"},
}
_RANGES = {
    "poll_interval_ms": (20, 10_000),
    "refresh_ms": (0, 10_000),
    "privacy_days": (1, 36_500),
    "kiosk.idle_seconds": (5, 600),
    "counter.window": (0, 999),
    "counter.window_display_screen": (-1, 16),
    "counter.evaluation_timeout_seconds": (5, 600),
    "counter.idle_logout_minutes": (0, 480),
    "display.highlight_seconds": (1, 120),
    "followup.contact_days": (1, 30),
    "followup.rectify_days": (1, 60),
    "database.lock_timeout_ms": (100, 600_000),
    "database.idle_in_transaction_timeout_ms": (1000, 3_600_000),
    "database.statement_timeout_ms": (1000, 3_600_000),
    "database.keepalive_idle_s": (1, 7200),
    "database.keepalive_interval_s": (1, 600),
    "database.keepalive_count": (1, 50),
    "database.busy_timeout_ms": (100, 600_000),
    "hcp.timeout_seconds": (1, 120),
    "hcp.settle_seconds": (0, 3600),
    "hcp.retry_base_seconds": (1, 3600),
    "hcp.retry_max_seconds": (1, 86_400),
    "hcp.batch": (1, 1000),
    "hcp.poll_seconds": (1, 3600),
}


def _looks_like_hash(value: str) -> bool:
    """The shape of shared.pins.hash_pin's output (not imported: config loads first):
    scrypt parameters the kiosk can check with (n a power of two, r and p small), a salt
    and a 32-byte digest in base64 — anything else would fail only when a PIN is typed."""
    import base64
    import binascii

    parts = value.split("$")
    if len(parts) != 6 or parts[0] != "scrypt" or not all(
            p.isascii() and p.isdigit() for p in parts[1:4]):
        return False
    n, r, p = (int(x) for x in parts[1:4])
    if not (2 <= n <= 2 ** 20 and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16
            and 128 * n * r <= 32 * 2 ** 20):
        return False
    try:
        salt = base64.b64decode(parts[4], validate=True)
        digest = base64.b64decode(parts[5], validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(salt) >= 8 and len(digest) == 32


def _fill(target: Any, data: dict[str, Any], prefix: str, source: str) -> None:
    known = {f.name: f for f in fields(target) if f.name != "source"}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if key not in known and path in ("kiosk.staff_pin", "kiosk.admin_pin"):
            raise ConfigError(f"{source}: {path}: PIN 不再明文保存，请运行 hallq-admin pin hash "
                              f"并改设 {path}_hash ({source}: {path}: PINs are no longer kept in "
                              f"plain text: run 'hallq-admin pin hash' and set {path}_hash instead)")
        if key not in known:
            raise ConfigError(f"{source}: {path}: 不是已知的设置项 ({source}: {path}: is not a "
                              f"known setting)")
        current = getattr(target, key)
        if hasattr(current, "__dataclass_fields__"):
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: {path}: 须为表 [{path}] ({source}: {path}: must be "
                                  f"a table [{path}])")
            _fill(current, value, f"{path}.", source)
            continue
        expected = type(current)
        if (expected is int and (isinstance(value, bool) or not isinstance(value, int))) or \
                not isinstance(value, expected):
            raise ConfigError(f"{source}: {path}: 类型应为 {expected.__name__}，现为 {value!r} "
                              f"({source}: {path}: must be {expected.__name__}, got {value!r})")
        if path in _CHOICES and value not in _CHOICES[path]:
            options = ", ".join(str(c) for c in sorted(_CHOICES[path], key=str))
            raise ConfigError(f"{source}: {path}: {value!r} 须为 {options} 之一 "
                              f"({source}: {path}: {value!r} is not one of {options})")
        if path in _RANGES:
            low, high = _RANGES[path]
            if not low <= value <= high:
                raise ConfigError(f"{source}: {path}: 须在 {low} 到 {high} 之间 "
                                  f"({source}: {path}: must be between {low} and {high})")
        # The keypad types only 0-9: full-width (１２３４) or superscript digits pass
        # str.isdigit() but could never be typed.
        if path.endswith("_pin_hash") and value and not _looks_like_hash(value):
            raise ConfigError(f"{source}: {path}: 须为 hallq-admin pin hash 生成的散列值，"
                              f"不是 PIN 本身 ({source}: {path}: must be a hash written by "
                              f"'hallq-admin pin hash' (scrypt$...), not the PIN itself)")
        if path == "hcp.token" and value and not _visible_ascii(value):
            # Never the token itself: it is a secret, and error lines reach the log.
            raise ConfigError(f"{source}: {path}: 只能含可见 ASCII 字符（不含空格、换行、中文等） "
                              f"({source}: {path}: may hold only visible ASCII characters, "
                              f"! to ~: no spaces, line breaks or other characters)")
        if path == "hcp.url" and value and not _http_url(value):
            raise ConfigError(f"{source}: {path}: 须为 http:// 或 https:// 开头且含主机名的网址 "
                              f"({source}: {path}: must be an http:// or https:// URL with a "
                              f"host, e.g. https://hcp.example.gov.cn/api/rate)")
        setattr(target, key, value)


def _visible_ascii(text: str) -> bool:
    """What an HTTP header value may carry without quoting (a token goes in one)."""
    return all("!" <= char <= "~" for char in text)


def _http_url(text: str) -> bool:
    from urllib.parse import urlsplit

    if not _visible_ascii(text):
        return False
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a port out of range or not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def load_config(path: Path | str | None = None, *, database: str | None = None) -> Config:
    """Read the terminal's config; an explicit ``path`` must exist, the default may not."""
    explicit = path or os.environ.get("HALLQ_CONFIG")
    file = Path(explicit) if explicit else default_config_path()
    config = Config()
    if file.is_dir():
        raise ConfigError(f"{file}: 是文件夹，--config 和 HALLQ_CONFIG 须指向配置文件本身 "
                          f"({file}: is a folder; --config and HALLQ_CONFIG name the config "
                          f"file itself, e.g. {file / CONFIG_FILE})")
    if file.exists():
        try:
            # utf-8-sig: Windows Notepad may save with a byte order mark.
            data = tomllib.loads(file.read_text(encoding="utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: 不是有效的 TOML ({file}: not valid TOML: {exc})") from None
        except OSError as exc:
            raise ConfigError(f"{file}: 无法读取配置文件 ({file}: cannot read the config file: "
                              f"{exc.strerror})") from None
        _fill(config, data, "", str(file))
        if config.followup.contact_days > config.followup.rectify_days:
            raise ConfigError(f"{file}: followup.contact_days: 不能大于 followup.rectify_days "
                              f"({config.followup.rectify_days}) "
                              f"({file}: followup.contact_days: must not be more than "
                              f"followup.rectify_days ({config.followup.rectify_days}))")
        config.source = file
    elif explicit:
        raise ConfigError(f"{file}: 找不到配置文件 ({file}: config file not found)")
    url = database or os.environ.get("HALLQ_DATABASE_URL") or config.database_url
    config.database_url = url or default_database_url()
    return config


def exposure_warning(config: Config) -> str | None:
    """A warning when the config file holds a secret (a database password, the 好差评 push
    token) and other users of this PC may read it (POSIX permissions; on Windows the user
    profile's ACL protects it).
    ``hallq-admin setup terminal`` writes it owner-only; a copy made by hand may not be."""
    file = config.source
    if file is None or os.name != "posix":
        return None
    try:
        mode = file.stat().st_mode
    except OSError:
        return None
    if not mode & 0o077:
        return None
    from sqlalchemy.engine import make_url  # only needed when there is something to say

    try:
        password = make_url(config.database_url).password
    except Exception:  # an invalid URL is reported when the database is opened
        password = None
    if password:
        secret = ("数据库密码", "a database password")
    elif config.hcp.token:
        secret = ("好差评上报令牌", "the 好差评 push token ([hcp] token)")
    else:
        return None
    return (f"{file}: 配置文件含{secret[0]}且其他用户可读，请执行 chmod 600 {file} (the config "
            f"holds {secret[1]} and is readable by other users of this PC "
            f"(mode {mode & 0o777:o}): chmod 600 it)")
