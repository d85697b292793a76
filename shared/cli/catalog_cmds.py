"""``hallq-admin catalog load|show``: the service catalog file (docs/catalog.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from resources import resource_path
from shared.catalog import catalog_summary, load_catalog
from shared.cli.base import Cli, CommandTree, say, tr
from shared.cli.output import emit_json
from shared.errors import CatalogError
from shared.i18n import QT_TRANSLATE_NOOP

HELP = QT_TRANSLATE_NOOP("Cli", "服务目录")


def register(tree: CommandTree) -> None:
    load = tree.command("catalog", "load", run_load,
                        QT_TRANSLATE_NOOP("Cli", "加载目录文件"),
                        group_help=HELP, json=True)
    load.add_argument("file", metavar="FILE",
                      help=QT_TRANSLATE_NOOP("Cli", "事项目录 TOML 文件，或 HallQueue 自带目录的名称（如 "
                                                    "chunan）"))
    tree.command("catalog", "show", run_show, QT_TRANSLATE_NOOP("Cli", "显示已加载的目录"),
                 group_help=HELP, json=True)


def catalog_file(given: str) -> Path:
    """The file to load: a path, or a bare name of a catalog shipped in resources/catalog/
    (so an installed HallQueue needs no source checkout to load the Chun'an catalog)."""
    path = Path(given)
    if path.is_file():
        return path
    if given.isidentifier():
        try:
            return resource_path("catalog", f"{given}.toml")
        except FileNotFoundError:
            pass
    raise CatalogError(f"{given}: 文件不存在 (file not found)")


def run_load(cli: Cli) -> int:
    path = catalog_file(cli.args.file)
    report = load_catalog(cli.db, path)
    if cli.json:
        emit_json({"created": report.created, "updated": report.updated,
                   "disabled": report.disabled})
        return 0
    if not report.changed:
        say(QT_TRANSLATE_NOOP("Cli", "目录无变化：{path}"), path=path)
        return 0
    for label, items in ((QT_TRANSLATE_NOOP("Cli", "新增"), report.created),
                         (QT_TRANSLATE_NOOP("Cli", "更新"), report.updated),
                         (QT_TRANSLATE_NOOP("Cli", "停用"), report.disabled)):
        if items:
            say(QT_TRANSLATE_NOOP("Cli", "{label} ({count}): {items}"), label=tr(label), count=len(items),
                items=", ".join(items))
    return 0


def run_show(cli: Cli) -> int:
    summary = catalog_summary(cli.db)
    if cli.json:
        emit_json(summary)
        return 0
    if not summary["departments"] and not summary["sites"]:
        say(QT_TRANSLATE_NOOP("Cli", "尚未加载目录：请运行 'hallq-admin catalog load FILE'"))
        return 0
    for dep in summary["departments"]:
        say(f"{dep['name']} [{dep['code']}]{_disabled(dep)}")
        for svc in dep["services"]:
            say("  " + _service_line(svc))
    for site in summary["sites"]:
        say(QT_TRANSLATE_NOOP("Cli", "站点 {code}: {name} ({zone}){state}"), code=site["code"],
            name=site["name"], zone=site["timezone"], state=_disabled(site))
        for win in site["windows"]:
            services = " ".join(f"{code}:{weight}" for code, weight in win["services"].items())
            say(f"  {win['number']:>3} {win['name']} [{services}]{_disabled(win)}")
    return 0


def _disabled(item: dict[str, Any]) -> str:
    return "" if item["active"] else "  " + tr(QT_TRANSLATE_NOOP("Cli", "已停用"))


def _service_line(svc: dict[str, Any]) -> str:
    notes = []
    if svc["weekend"]:
        notes.append(tr(QT_TRANSLATE_NOOP("Cli", "周末")))
    if svc["holiday"]:
        notes.append(tr(QT_TRANSLATE_NOOP("Cli", "节假日")))
    if svc["daily_quota"]:
        notes.append(tr(QT_TRANSLATE_NOOP("Cli", "限 {quota} 号/日"), quota=svc["daily_quota"]))
    notes.append(tr(QT_TRANSLATE_NOOP("Cli", "目标 {minutes} 分钟"), minutes=svc["target_minutes"]))
    separator = tr(QT_TRANSLATE_NOOP("Cli", "，"))
    return (f"{svc['code']:<10} {svc['prefix']:<2} {svc['name']}  {separator.join(notes)}"
            f"{_disabled(svc)}")
