"""The service catalog: sites, departments, services and windows, loaded from a TOML file.

The catalog is data (``resources/catalog/chunan.toml`` for the Chun'an center). Loading
validates the whole file first and reports the first problem with file, key and reason;
only a valid file is applied, in one transaction. Loading the same file twice changes
nothing; an edited file updates what changed and disables what disappeared, so history
keeps its references. Format: docs/catalog.md.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import feed
from shared.db import Database
from shared.errors import CatalogError
from shared.hours import DEFAULT_CALENDAR, WEEKDAY_KEYS, parse_span
from shared.models import Department, Service, Site, SiteState, Window, WindowService
from shared.routing import RoutingRules
from shared.ticket_number import is_prefix

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Control characters (NUL included) have no place in a name; a guide keeps its line breaks.
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
GUIDE_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# Limits checked before anything reaches the database, the same on every backend: names
# are the columns' lengths in shared/models.py; the rest keep slips and screens sane.
NAME_MAX = 100  # site, department, service and window names: String(100)
MATERIAL_MAX = 200  # one required material, one line on the slip
MATERIALS_MAX = 30  # required materials per service
GUIDE_MAX = 5000
DAILY_QUOTA_MAX = 9999  # numbers per service, site and day (A9999)
TARGET_MINUTES_MAX = 1440  # a day
# The codes of the provincial 好差评 system (docs/evaluation.md): the site's 12-digit
# administrative division code (行政区划代码), the department's code (18-character
# 统一社会信用代码 or 9-character 组织机构代码), the service item's code (事项编码).
REGION_CODE_RE = re.compile(r"^\d{12}$")
DEPARTMENT_CODE_RE = re.compile(r"^[0-9A-Z]{18}$|^[0-9A-Z]{8}-?[0-9A-Z]$")
ITEM_CODE_RE = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
ITEM_VERSION_RE = re.compile(r"^[0-9A-Za-z._-]{1,16}$")


@dataclass
class LoadReport:
    """What a load changed, by kind: created, updated, disabled."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.disabled)


class _Checker:
    """Reads typed values out of the parsed TOML, raising CatalogError with the key path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, reason: str) -> CatalogError:
        return CatalogError(f"{self.source}: {key}: {reason}")

    def get(self, table: dict[str, Any], key: str, path: str, kind: type | tuple[type, ...],
            default: Any = ..., *, allowed: set[str] | None = None) -> Any:
        if key not in table:
            if default is ...:
                raise self.fail(f"{path}.{key}".lstrip("."), "缺少此项 (is required)")
            return default
        value = table[key]
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise self.fail(f"{path}.{key}".lstrip("."), f"类型应为 {names}，现为 {value!r} "
                                                        f"(must be {names}, got {value!r})")
        return value

    def text(self, table: dict[str, Any], key: str, path: str, max_length: int,
             default: Any = ..., *, multiline: bool = False) -> str:
        """A string of at most ``max_length`` characters without control characters."""
        value: str = self.get(table, key, path, str, default)
        full = f"{path}.{key}".lstrip(".")
        if len(value) > max_length:
            raise self.fail(full, f"长 {len(value)} 个字符，最多 {max_length} 个 "
                                  f"(is {len(value)} characters long; at most {max_length} allowed)")
        if (GUIDE_CONTROL_RE if multiline else CONTROL_RE).search(value):
            allowed = ("（换行和制表符可以）", ", line breaks and tabs are allowed") if multiline \
                else ("", "")
            raise self.fail(full, f"含有 NUL 等控制字符{allowed[0]}，请删除 "
                                  f"(contains a control character such as NUL{allowed[1]}; "
                                  "remove it)")
        return value

    def number(self, table: dict[str, Any], key: str, path: str, low: int, high: int,
               default: Any = ...) -> Any:
        """A whole number from ``low`` to ``high`` (or the default, which may be None)."""
        value = self.get(table, key, path, int, default)
        if value is not None and not low <= value <= high:
            raise self.fail(f"{path}.{key}".lstrip("."), f"须为 {low} 到 {high} 的整数，现为 {value} "
                                                        f"(must be a whole number from {low} "
                                                        f"to {high}, got {value})")
        return value

    def code(self, table: dict[str, Any], path: str) -> str:
        value = self.get(table, "code", path, str)
        if not CODE_RE.match(value):
            raise self.fail(f"{path}.code", f"{value!r} 须为 1-32 个字母、数字、- 或 _ "
                                              f"({value!r} must be 1-32 letters, digits, - or _)")
        return value

    def pattern(self, table: dict[str, Any], key: str, path: str, regex: re.Pattern[str],
                what: str) -> str:
        """An optional code of a given shape ("" when absent); ``what`` is "中文 (English)"."""
        value: str = self.get(table, key, path, str, "")
        if value and not regex.match(value):
            zh, en = what[:-1].split(" (", 1)
            raise self.fail(f"{path}.{key}".lstrip("."), f"{value!r} 须为 {zh} ({value!r} must be {en})")
        return value

    def unknown(self, table: dict[str, Any], path: str, known: set[str]) -> None:
        extra = sorted(set(table) - known)
        if extra:
            raise self.fail(f"{path}.{extra[0]}".lstrip("."), "不是已知的设置项 (is not a known key)")

    def spans(self, value: Any, key: str) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "须为时间段列表，如 \"08:30-17:00\" "
                                 "(must be a list of time ranges like \"08:30-17:00\")")
        try:
            spans = [parse_span(v) for v in value]
        except ValueError as exc:
            raise self.fail(key, str(exc)) from None
        for (_, end), (start, _) in itertools.pairwise(spans):
            if start < end:
                raise self.fail(key, "时间段重叠或顺序颠倒 (time ranges overlap or are out of order)")
        return list(value)


def read_catalog(path: Path) -> dict[str, Any]:
    """Parse and validate a catalog file; return the normalised data.

    A UTF-8 byte order mark (Windows Notepad writes one) is accepted.
    """
    source = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise CatalogError(f"{source}: 找不到目录文件 ({source}: file not found)") from None
    except IsADirectoryError:
        raise CatalogError(f"{source}: 是文件夹，不是目录文件 "
                           f"({source}: is a folder, not a catalog file)") from None
    except OSError as exc:
        raise CatalogError(f"{source}: 无法读取文件 ({source}: cannot read the file: "
                           f"{exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        # tomllib words its reason in English only; the Chinese half keeps its position
        at = re.search(r"at line (\d+), column (\d+)", str(exc))
        where = f"第 {at[1]} 行第 {at[2]} 列" if at else ""
        raise CatalogError(f"{source}: {where}不是有效的 TOML "
                           f"({source}: not valid TOML: {exc})") from None
    return validate(raw, source)


def validate(raw: dict[str, Any], source: str = "<catalog>") -> dict[str, Any]:
    c = _Checker(source)
    c.unknown(raw, "", {"sites", "departments"})
    departments: list[dict[str, Any]] = []
    services: dict[str, dict[str, Any]] = {}
    prefixes: dict[str, str] = {}
    dep_codes: set[str] = set()
    for i, dep in enumerate(c.get(raw, "departments", "", list)):
        path = f"departments[{i}]"
        if not isinstance(dep, dict):
            raise c.fail(path, "须为表 (must be a table)")
        c.unknown(dep, path, {"code", "name", "services", "department_code"})
        code = c.code(dep, path)
        if code in dep_codes:
            raise c.fail(f"{path}.code", f"部门代码 {code!r} 重复 (duplicate department code {code!r})")
        dep_codes.add(code)
        item: dict[str, Any] = {"code": code, "name": c.text(dep, "name", path, NAME_MAX),
                                "services": [],
                "department_code": c.pattern(
                    dep, "department_code", path, DEPARTMENT_CODE_RE,
                    "18 位统一社会信用代码或 9 位组织机构代码（数字和大写字母） (an 18-character unified "
                    "social credit code or a 9-character organisation code, digits and capital "
                    "letters)")}
        for j, svc in enumerate(c.get(dep, "services", path, list, [])):
            spath = f"{path}.services[{j}]"
            if not isinstance(svc, dict):
                raise c.fail(spath, "须为表 (must be a table)")
            normalised = _service(c, svc, spath)
            if normalised["code"] in services:
                raise c.fail(f"{spath}.code", f"事项代码 {normalised['code']!r} 重复 "
                                            f"(duplicate service code {normalised['code']!r})")
            services[normalised["code"]] = normalised
            prefixes.setdefault(normalised["prefix"], normalised["code"])
            item["services"].append(normalised)
        departments.append(item)
    sites = []
    site_codes: set[str] = set()
    for i, site in enumerate(c.get(raw, "sites", "", list)):
        path = f"sites[{i}]"
        if not isinstance(site, dict):
            raise c.fail(path, "须为表 (must be a table)")
        normalised = _site(c, site, path, services)
        if normalised["code"] in site_codes:
            raise c.fail(f"{path}.code", f"大厅代码 {normalised['code']!r} 重复 "
                                         f"(duplicate site code {normalised['code']!r})")
        site_codes.add(normalised["code"])
        sites.append(normalised)
    if not sites:
        raise c.fail("sites", "至少需要一个大厅 (at least one site is required)")
    return {"departments": departments, "sites": sites}


def _service(c: _Checker, svc: dict[str, Any], path: str) -> dict[str, Any]:
    c.unknown(svc, path, {"code", "name", "prefix", "hours", "weekend", "holiday",
                          "daily_quota", "target_minutes", "materials", "guide", "item_code",
                          "item_version", "case_number_required"})
    prefix = c.get(svc, "prefix", path, str)
    if not is_prefix(prefix):
        raise c.fail(f"{path}.prefix", f"{prefix!r} 须为一到两个大写字母 "
                                          f"({prefix!r} must be one or two capital letters)")
    hours = c.get(svc, "hours", path, dict, {})
    for day, value in hours.items():
        if day not in WEEKDAY_KEYS:
            raise c.fail(f"{path}.hours.{day}", f"须为 {', '.join(WEEKDAY_KEYS)} 之一 "
                                                  f"(must be one of {', '.join(WEEKDAY_KEYS)})")
        hours[day] = c.spans(value, f"{path}.hours.{day}")
    quota = c.number(svc, "daily_quota", path, 1, DAILY_QUOTA_MAX, None)
    target = c.number(svc, "target_minutes", path, 1, TARGET_MINUTES_MAX, 15)
    materials = c.get(svc, "materials", path, list, [])
    if not all(isinstance(m, str) and m.strip() for m in materials):
        raise c.fail(f"{path}.materials", "须为非空文本的列表 (must be a list of non-empty strings)")
    if len(materials) > MATERIALS_MAX:
        raise c.fail(f"{path}.materials", f"有 {len(materials)} 项，最多 {MATERIALS_MAX} 项 "
                                          f"(has {len(materials)} entries; at most "
                                          f"{MATERIALS_MAX} allowed)")
    for i, material in enumerate(materials):
        c.text({f"materials[{i}]": material}, f"materials[{i}]", path, MATERIAL_MAX)
    return {
        "code": c.code(svc, path), "name": c.text(svc, "name", path, NAME_MAX), "prefix": prefix,
        "hours": hours, "weekend": c.get(svc, "weekend", path, bool, False),
        "holiday": c.get(svc, "holiday", path, bool, False), "daily_quota": quota,
        "target_minutes": target, "materials": materials,
        "guide": c.text(svc, "guide", path, GUIDE_MAX, "", multiline=True),
        "item_code": c.pattern(svc, "item_code", path, ITEM_CODE_RE,
                               "事项编码：1-64 个字母、数字、- 或 _ "
                               "(the service item code: 1-64 letters, digits, - or _)"),
        "item_version": c.pattern(svc, "item_version", path, ITEM_VERSION_RE,
                                  "版本号，如 1.0：1-16 个字母、数字、.、- 或 _ (a version like 1.0: 1-16 "
                                  "letters, digits, ., - or _)"),
        "case_required": c.get(svc, "case_number_required", path, bool, False),
    }


def _site(c: _Checker, site: dict[str, Any], path: str, services: dict[str, dict[str, Any]]
          ) -> dict[str, Any]:
    c.unknown(site, path, {"code", "name", "timezone", "calendar", "routing", "windows", "web",
                           "region_code"})
    zone = c.get(site, "timezone", path, str, "Asia/Shanghai")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise c.fail(f"{path}.timezone", f"未知的时区 {zone!r} (unknown time zone {zone!r})") from None
    calendar = _calendar(c, c.get(site, "calendar", path, dict, {}), f"{path}.calendar")
    routing = c.get(site, "routing", path, dict, {})
    try:
        RoutingRules.from_mapping(routing)
    except ValueError as exc:
        raise c.fail(f"{path}.routing", str(exc)) from None
    windows = []
    numbers: set[int] = set()
    for i, win in enumerate(c.get(site, "windows", path, list, [])):
        wpath = f"{path}.windows[{i}]"
        if not isinstance(win, dict):
            raise c.fail(wpath, "须为表 (must be a table)")
        c.unknown(win, wpath, {"number", "name", "comprehensive", "services"})
        number = c.get(win, "number", wpath, int)
        if not 1 <= number <= 999:
            raise c.fail(f"{wpath}.number", "须在 1 到 999 之间 (must be between 1 and 999)")
        if number in numbers:
            raise c.fail(f"{wpath}.number", f"{number} 号窗口出现了两次 (window {number} appears twice)")
        numbers.add(number)
        served = c.get(win, "services", wpath, dict)
        if not served:
            raise c.fail(f"{wpath}.services", "窗口至少要办理一个事项 "
                                                   "(a window must serve at least one service)")
        for code, weight in served.items():
            if code not in services:
                raise c.fail(f"{wpath}.services.{code}", "没有这个代码的事项 "
                                                                 "(no service with this code)")
            if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 100:
                raise c.fail(f"{wpath}.services.{code}", "权重须为 1 到 100 的数 "
                                                          "(weight must be a number from 1 to 100)")
        windows.append({"number": number, "name": c.text(win, "name", wpath, NAME_MAX),
                        "comprehensive": c.get(win, "comprehensive", wpath, bool, len(served) > 1),
                        "services": dict(served)})
    return {"code": c.code(site, path), "name": c.text(site, "name", path, NAME_MAX),
            "timezone": zone, "calendar": calendar, "routing": routing, "windows": windows,
            "web": _web(c, c.get(site, "web", path, dict, {}), f"{path}.web"),
            "region_code": c.pattern(site, "region_code", path, REGION_CODE_RE,
                                     "12 位行政区划代码，如 330127000000 (the 12-digit "
                                     "administrative division code, like 330127000000)")}


WEB_BASE_URL_MAX = 200


def _web(c: _Checker, web: dict[str, Any], path: str) -> dict[str, Any] | None:
    """The site's public web page settings: the base URL the ticket's QR code links to
    (the hallq-web service as citizens reach it, e.g. https://queue.example.gov.cn) and
    remote tickets (远程取号) with their daily cap per service."""
    c.unknown(web, path, {"base_url", "remote_tickets", "remote_daily_cap"})
    if not web:
        return None
    result: dict[str, Any] = {
        "remote_tickets": c.get(web, "remote_tickets", path, bool, False),
        "remote_daily_cap": c.number(web, "remote_daily_cap", path, 1, 9999, 30),
    }
    if "base_url" in web:
        url = c.text(web, "base_url", path, WEB_BASE_URL_MAX)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
                or parts.fragment or not url.isascii() or " " in url:
            raise c.fail(f"{path}.base_url", f"须为不带查询参数和片段的 http(s) 网址，如 "
                                             f"https://queue.example.gov.cn，现为 {url!r} "
                                             f"(must be an http(s) address without query or "
                                             f"fragment, like https://queue.example.gov.cn, "
                                             f"got {url!r})")
        result["base_url"] = url.rstrip("/")
    return result


def _calendar(c: _Checker, cal: dict[str, Any], path: str) -> dict[str, Any]:
    c.unknown(cal, path, set(DEFAULT_CALENDAR))
    result = dict(DEFAULT_CALENDAR)
    for key in ("workday_hours", "weekend_hours"):
        if key in cal:
            result[key] = c.spans(cal[key], f"{path}.{key}")
    if cal.get("lunch_break") is not None:
        lunch = c.spans(cal["lunch_break"], f"{path}.lunch_break")
        if len(lunch) != 1:
            raise c.fail(f"{path}.lunch_break", f"须为一个时间段，如 \"12:00-13:30\"，现有 "
                                                f"{len(lunch)} 个；请改短 workday_hours "
                                                f"(must be one time range like \"12:00-13:30\", "
                                                f"got {len(lunch)}; shorten workday_hours instead)")
        result["lunch_break"] = lunch[0]
    cutoff = c.get(cal, "issue_cutoff_minutes", path, int, 30)
    if not 0 <= cutoff <= 240:
        raise c.fail(f"{path}.issue_cutoff_minutes", "须在 0 到 240 之间 (must be between 0 and 240)")
    result["issue_cutoff_minutes"] = cutoff
    for key in ("holidays", "workdays"):
        days = c.get(cal, key, path, list, [])
        for i, day in enumerate(days):
            # TOML's own dates (holidays = [2026-10-01]) are accepted as well as strings;
            # Python would also read "20261001" or "2026-W40-4", which never match a day.
            text = day.isoformat() if type(day) is dt.date else day
            try:
                if not isinstance(text, str) or not DATE_RE.match(text):
                    raise ValueError(text)
                dt.date.fromisoformat(text)
            except ValueError:
                raise c.fail(f"{path}.{key}[{i}]", f"{day!r} 不是日期，请写成 2026-10-01 这样 "
                                                   f"({day!r} is not a date like 2026-10-01; "
                                                   f"write YYYY-MM-DD)") from None
        result[key] = sorted(d.isoformat() if type(d) is dt.date else d for d in days)
    return result


# --------------------------------------------------------------------------- applying


def load_catalog(db: Database, path: Path) -> LoadReport:
    """Validate ``path`` and apply it in one transaction."""
    data = read_catalog(path)
    return db.write(lambda session: apply_catalog(session, data), name="catalog_load")


def _sync(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def apply_catalog(session: Session, data: dict[str, Any]) -> LoadReport:
    report = LoadReport()

    def upsert(model: Any, existing: dict[Any, Any], key: Any, label: str,
               values: dict[str, Any], **identity: Any) -> Any:
        obj = existing.get(key)
        if obj is None:
            obj = model(**identity, **values)
            session.add(obj)
            report.created.append(label)
        elif _sync(obj, values):
            report.updated.append(label)
        return obj

    deps = {d.code: d for d in session.scalars(select(Department))}
    svcs = {s.code: s for s in session.scalars(select(Service))}
    seen_services: set[str] = set()
    for order, dep in enumerate(data["departments"]):
        department = upsert(Department, deps, dep["code"], f"department {dep['code']}",
                            {"name": dep["name"], "sort_order": order, "active": True,
                             "department_code": dep["department_code"]},
                            code=dep["code"])
        session.flush()
        for sorder, svc in enumerate(dep["services"]):
            values = {k: v for k, v in svc.items() if k != "code"}
            values.update(department_id=department.id, sort_order=sorder, active=True)
            upsert(Service, svcs, svc["code"], f"service {svc['code']}", values, code=svc["code"])
            seen_services.add(svc["code"])
    listed_deps = {d["code"] for d in data["departments"]}
    for code, dep in deps.items():
        if code not in listed_deps and dep.active:
            dep.active = False
            report.disabled.append(f"department {code}")
    for code, svc in svcs.items():
        if code not in seen_services and svc.active:
            svc.active = False
            report.disabled.append(f"service {code}")
    session.flush()
    services_by_code = {s.code: s for s in session.scalars(select(Service))}

    sites = {s.code: s for s in session.scalars(select(Site))}
    for site_data in data["sites"]:
        values = {k: site_data.get(k) for k in ("name", "timezone", "calendar", "routing", "web",
                                                "region_code")}
        site = upsert(Site, sites, site_data["code"], f"site {site_data['code']}",
                      {**values, "active": True}, code=site_data["code"])
        session.flush()
        if session.get(SiteState, site.id) is None:
            session.add(SiteState(site_id=site.id, version=0, open_day=None))
        _apply_windows(session, site, site_data["windows"], services_by_code, report)
    listed_sites = {s["code"] for s in data["sites"]}
    for code, site in sites.items():
        if code not in listed_sites and site.active:
            site.active = False
            report.disabled.append(f"site {code}")
    session.flush()
    if report.changed:
        for site in session.scalars(select(Site)):
            feed.touch(session, site.id)
    return report


def _apply_windows(session: Session, site: Site, windows: list[dict[str, Any]],
                   services: dict[str, Service], report: LoadReport) -> None:
    existing = {w.number: w for w in session.scalars(select(Window).where(Window.site_id == site.id))}
    for win in windows:
        label = f"window {site.code}/{win['number']}"
        values = {"name": win["name"], "comprehensive": win["comprehensive"], "active": True}
        window = existing.get(win["number"])
        if window is None:
            window = Window(site_id=site.id, number=win["number"], **values)
            session.add(window)
            session.flush()
            report.created.append(label)
            changed = False
        else:
            changed = _sync(window, values)
        links = {ws.service_id: ws for ws in window.services}
        wanted = {services[code].id: weight for code, weight in win["services"].items()}
        for service_id, weight in wanted.items():
            link = links.get(service_id)
            if link is None:
                window.services.append(WindowService(service_id=service_id, weight=weight,
                                                     credit=0, active=True))
                changed = True
            else:
                changed |= _sync(link, {"weight": weight, "active": True})
        for service_id, link in links.items():
            if service_id not in wanted and link.active:
                link.active = False
                changed = True
        if changed and label not in report.created:
            report.updated.append(label)
    listed = {w["number"] for w in windows}
    for number, window in existing.items():
        if number not in listed and window.active:
            window.active = False
            report.disabled.append(f"window {site.code}/{number}")


def catalog_summary(db: Database) -> dict[str, Any]:
    """The catalog as stored (for ``catalog show``), including disabled entries."""
    with db.read() as session:
        deps = session.scalars(select(Department).order_by(Department.sort_order)).all()
        result: dict[str, Any] = {"departments": [], "sites": []}
        for dep in deps:
            svcs = session.scalars(select(Service).where(Service.department_id == dep.id)
                                   .order_by(Service.sort_order)).all()
            result["departments"].append({
                "code": dep.code, "name": dep.name, "active": dep.active,
                "department_code": dep.department_code,
                "services": [{
                    "code": s.code, "name": s.name, "prefix": s.prefix, "active": s.active,
                    "weekend": s.weekend, "holiday": s.holiday, "daily_quota": s.daily_quota,
                    "target_minutes": s.target_minutes, "hours": s.hours,
                    "materials": s.materials, "item_code": s.item_code,
                    "item_version": s.item_version, "case_number_required": s.case_required,
                } for s in svcs],
            })
        for site in session.scalars(select(Site).order_by(Site.id)):
            windows = session.scalars(select(Window).where(Window.site_id == site.id)
                                      .order_by(Window.number)).all()
            result["sites"].append({
                "code": site.code, "name": site.name, "timezone": site.timezone,
                "region_code": site.region_code,
                "active": site.active, "calendar": site.calendar, "routing": site.routing,
                "windows": [{
                    "number": w.number, "name": w.name, "active": w.active,
                    "comprehensive": w.comprehensive,
                    "services": {session.get(Service, ws.service_id).code: ws.weight  # type: ignore[union-attr]
                                 for ws in w.services if ws.active},
                } for w in windows],
            })
        return result
