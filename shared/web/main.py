"""``hallq-web``: serve the citizen's phone pages (docs/web.md).

    hallq-web --database postgresql+psycopg://hallq_web:…@db/hall --port 8080 \\
              --trusted-proxy 127.0.0.1

The database URL comes from ``--database``, ``$HALLQ_DATABASE_URL`` or the config file,
as for every HallQueue program; give it a read-only login (docs/web.md), never the
owner's. Listens on 127.0.0.1 by default: publish it through the county's reverse proxy
with TLS.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from shared.config import load_config
from shared.db import Database
from shared.errors import HallQueueError
from shared.i18n import LANGUAGES, QT_TRANSLATE_NOOP, SOURCE_LANGUAGE, one_language, set_language
from shared.logs import setup_logging
from shared.options import ArgumentParser, requested_language, tr
from shared.schema import ensure_current

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="hallq-web", description=QT_TRANSLATE_NOOP(
            "Cli", "群众手机页面服务：取号进度、大厅公开页、远程取号（见 docs/web.md）"))
    parser.add_argument("--config", type=Path, help=QT_TRANSLATE_NOOP(
        "Cli", "配置文件（默认在系统的配置目录中）"))
    parser.add_argument("--database", help=QT_TRANSLATE_NOOP("Cli", "数据库 URL（只读登录；见 docs/web.md）"))
    parser.add_argument("--host", default="127.0.0.1",
                        help=QT_TRANSLATE_NOOP("Cli", "监听地址（默认 127.0.0.1，置于反向代理之后）"))
    parser.add_argument("--port", type=int, default=8080, help=QT_TRANSLATE_NOOP("Cli", "端口（默认 8080）"))
    parser.add_argument("--trusted-proxy", action="append", default=[], metavar="ADDRESS",
                        help=QT_TRANSLATE_NOOP(
                            "Cli", "可信的反向代理，其 X-Forwarded-For 指明客户端（可重复）"))
    parser.add_argument("--rate-limit", type=int, default=120, metavar="PER_MINUTE",
                        help=QT_TRANSLATE_NOOP("Cli", "每个客户端每分钟的请求数（默认 120；0 表示不限）"))
    parser.add_argument("--burst", type=int, default=40,
                        help=QT_TRANSLATE_NOOP("Cli", "客户端可一次发出的请求数（默认 40）"))
    parser.add_argument("--max-watchers", type=int, default=5000,
                        help=QT_TRANSLATE_NOOP("Cli", "实时更新连接总数的上限（默认 5000）"))
    parser.add_argument("--gateway-url", metavar="URL",
                        help=QT_TRANSLATE_NOOP("Cli", "短信/微信提醒网关地址（见 docs/web.md）；其令牌读自 "
                                                  "$HALLQ_GATEWAY_TOKEN"))
    parser.add_argument("--notify-ahead", type=int, default=3, metavar="N",
                        help=QT_TRANSLATE_NOOP("Cli", "前面还有 N 人时发送“快到了”提醒（默认 3）"))
    parser.add_argument("--verbose", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "日志同时写到标准错误输出"))
    parser.add_argument("--lang", choices=LANGUAGES, help=QT_TRANSLATE_NOOP("Cli", "帮助与提示的语言"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    set_language(requested_language(words) or SOURCE_LANGUAGE)  # for --help
    args = build_parser().parse_args(words)
    # Imported here: the web framework is needed only by this command.
    import uvicorn

    from shared.web import notify
    from shared.web.app import WebSettings, create_app

    problems = []
    if not 1 <= args.port <= 65535:
        problems.append(tr(QT_TRANSLATE_NOOP("Cli", "--port {port} 须为 1-65535"), port=args.port))
    if args.rate_limit < 0 or args.burst < 1:
        problems.append(tr(QT_TRANSLATE_NOOP("Cli", "--rate-limit 须不小于 0，--burst 须至少为 1")))
    if args.max_watchers < 1:
        problems.append(tr(QT_TRANSLATE_NOOP("Cli", "--max-watchers 须至少为 1")))
    for proxy in args.trusted_proxy:
        try:
            ipaddress.ip_address(proxy)
        except ValueError:
            problems.append(tr(QT_TRANSLATE_NOOP("Cli", "--trusted-proxy {proxy} 不是 IP 地址"),
                               proxy=repr(proxy)))
    if args.gateway_url and not args.gateway_url.startswith(("http://", "https://")):
        problems.append(tr(QT_TRANSLATE_NOOP("Cli", "--gateway-url {url} 须为 http(s) 地址"),
                           url=repr(args.gateway_url)))
    if not 0 <= args.notify_ahead <= 50:
        problems.append(tr(QT_TRANSLATE_NOOP("Cli", "--notify-ahead 须为 0-50")))
    if problems:
        print("hallq-web: " + tr(QT_TRANSLATE_NOOP("Cli", "；")).join(problems), file=sys.stderr)
        return 2
    try:
        config = load_config(args.config, database=args.database)
        setup_logging("hallq-web", verbose=args.verbose)
        db = Database(config.database_url)
        ensure_current(db)
    except HallQueueError as exc:
        print(f"hallq-web: {one_language(str(exc))}", file=sys.stderr)
        return exc.exit_code
    settings = WebSettings(rate_per_minute=args.rate_limit, burst=args.burst,
                           trusted_proxies=frozenset(args.trusted_proxy),
                           max_watchers=args.max_watchers,
                           gateway=notify.GatewaySettings(
                               url=args.gateway_url, ahead=args.notify_ahead,
                               token=os.environ.get("HALLQ_GATEWAY_TOKEN", ""))
                           if args.gateway_url else None)
    log.info("hallq-web on %s:%d, database %s", args.host, args.port,
             Database.redacted(config.database_url))
    uvicorn.run(create_app(db, settings), host=args.host, port=args.port,
                log_level="info" if args.verbose else "warning", access_log=False,
                timeout_graceful_shutdown=2, proxy_headers=False)
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
