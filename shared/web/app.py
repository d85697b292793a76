"""The ASGI application of hallq-web (Starlette): the ticket page, the hall page, their
server-sent event streams and the static files.

One :class:`SiteFeed` per site follows the core's change feed (:class:`shared.feed.
ChangeWatcher`: LISTEN/NOTIFY on PostgreSQL, the polled marker elsewhere) in a thread,
reads a :class:`~shared.web.snapshot.SiteSnapshot` after each change and wakes every
event stream of the site; each stream then sends its page's line if it changed. A lost
database keeps the last snapshot (marked stale) and retries; a phone that loses its
connection reconnects by itself (EventSource, ``retry: 1000``).

Every public endpoint is rate-limited per client (:class:`RateLimiter`); the client is the
TCP peer, or the last X-Forwarded-For hop when the peer is a trusted reverse proxy.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import html
import json
import logging
import re
import secrets
import string
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from shared import feed
from shared.db import Database
from shared.errors import HallQueueError, NotFound, QueueRuleError
from shared.lookup import site_query
from shared.models import Appointment, Site, Ticket
from shared.web import notify, remote, tokens
from shared.web.snapshot import SiteSnapshot, build_snapshot

log = logging.getLogger(__name__)

# A snapshot is re-read at least this often even without a change: the estimated waits
# and the business day move with the clock.
REFRESH_SECONDS = 30.0
KEEPALIVE_SECONDS = 15.0
STATIC_FILES = {"ticket.js": "text/javascript", "hall.js": "text/javascript",
                "remote.js": "text/javascript", "web.css": "text/css"}
CSRF_COOKIE = "hallq_csrf"
FORM_MAX_BYTES = 2048


@dataclass
class WebSettings:
    """The service's settings (``hallq-web`` options; docs/web.md)."""

    rate_per_minute: int = 120  # sustained requests per client per minute; 0: no limit
    burst: int = 40  # requests a client may make at once
    trusted_proxies: frozenset[str] = field(default_factory=frozenset)
    max_watchers: int = 5000  # open event streams, all clients together
    poll_interval: float = 0.2  # change-marker polling on SQLite and MariaDB
    gateway: notify.GatewaySettings | None = None  # SMS / WeChat reminders; None: off


class RateLimiter:
    """A token bucket per client: ``burst`` at once, then ``rate_per_minute``."""

    MAX_CLIENTS = 100_000  # forget the longest-idle clients beyond this

    def __init__(self, rate_per_minute: int, burst: int) -> None:
        self.rate = rate_per_minute / 60.0
        self.burst = float(burst)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, client: str, now: float | None = None) -> float:
        """0 if the request may proceed, else the seconds until it would."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        level, stamp = self._buckets.pop(client, (self.burst, now))
        level = min(self.burst, level + (now - stamp) * self.rate)
        if level < 1.0:
            self._buckets[client] = (level, now)
            return (1.0 - level) / self.rate
        self._buckets[client] = (level - 1.0, now)
        while len(self._buckets) > self.MAX_CLIENTS:
            self._buckets.popitem(last=False)
        return 0.0


def client_address(scope: Scope, trusted_proxies: frozenset[str]) -> str:
    peer = scope.get("client")
    host = peer[0] if peer else "unknown"
    if host in trusted_proxies:
        for name, value in scope.get("headers", []):
            if name == b"x-forwarded-for":
                hops = [h.strip() for h in value.decode("latin-1").split(",") if h.strip()]
                if hops:
                    return hops[-1]
    return host


class SecurityMiddleware:
    """Rate limit and the security headers of every response."""

    def __init__(self, app: ASGIApp, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings
        self.limiter = RateLimiter(settings.rate_per_minute, settings.burst)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        wait = 0.0
        if path != "/healthz":
            wait = self.limiter.allow(client_address(scope, self.settings.trusted_proxies))
        if wait > 0:
            response = JSONResponse({"error": "too many requests"}, status_code=429,
                                    headers={"Retry-After": str(max(1, round(wait)))})
            await response(scope, receive, self._with_headers(send, path))
            return
        await self.app(scope, receive, self._with_headers(send, path))

    @staticmethod
    def _with_headers(send: Send, path: str) -> Send:
        # The hall page may be embedded in the county's website; a ticket page may not,
        # and its link (the token) must not leak to other sites through Referer.
        frames = "*" if path.startswith(("/hall", "/static")) else "'none'"
        extra = [
            (b"content-security-policy",
             f"default-src 'self'; img-src 'self' data:; media-src 'self'; "
             f"object-src 'none'; base-uri 'none'; form-action 'self'; "
             f"frame-ancestors {frames}".encode()),
            (b"referrer-policy", b"no-referrer"),
            (b"x-content-type-options", b"nosniff"),
        ]

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        return send_with_headers


class SiteFeed:
    """The latest snapshot of one site, kept current by a thread on the change feed."""

    def __init__(self, db: Database, site_id: int, site_code: str,
                 loop: asyncio.AbstractEventLoop, poll_interval: float,
                 on_snapshot: Callable[[SiteSnapshot], None] | None = None) -> None:
        self.db = db
        self.on_snapshot = on_snapshot
        self.site_id = site_id
        self.site_code = site_code
        self.loop = loop
        self.poll_interval = poll_interval
        self.snapshot: SiteSnapshot | None = None
        self.stale = False  # the database is unreachable: the snapshot may be old
        self.changed = asyncio.Event()
        self._encoded: dict[Any, str] = {}
        self._ticket_events: dict[int, asyncio.Event] = {}
        self._stop = threading.Event()
        loop.call_later(KEEPALIVE_SECONDS, self._tick)
        self._thread = threading.Thread(target=self._run, name=f"web-feed-{site_code}",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        watcher: feed.ChangeWatcher | None = None
        previous: SiteSnapshot | None = None
        last_read = 0.0
        while not self._stop.is_set():
            try:
                if watcher is None:
                    watcher = feed.ChangeWatcher(self.db, self.site_id,
                                                 poll_interval=self.poll_interval)
                version = watcher.wait(timeout=1.0)
                due = time.monotonic() - last_read >= REFRESH_SECONDS
                if version is None and not due and not self.stale:
                    continue
                snapshot = build_snapshot(self.db, self.site_code, watcher.version)
                last_read = time.monotonic()
                changed = _changed_tickets(previous, snapshot)
                previous = snapshot
                self.loop.call_soon_threadsafe(self._publish, snapshot, False, changed)
                if self.on_snapshot is not None:
                    self.on_snapshot(snapshot)
            except Exception as exc:  # the database went away: keep serving, retry
                log.warning("site %s: cannot read the queue (%s); retrying", self.site_code,
                            exc)
                if watcher is not None:
                    watcher.close()
                    watcher = None
                if not self.stale:
                    self.loop.call_soon_threadsafe(self._publish, self.snapshot, True)
                self._stop.wait(1.0)
        if watcher is not None:
            watcher.close()

    def _publish(self, snapshot: SiteSnapshot | None, stale: bool,
                 changed: set[int] | None = None) -> None:
        """Install a snapshot and wake the streams it concerns: the ticket streams whose
        ticket changed (``changed``; None: all of them), and every hall and remote one."""
        wake_all = changed is None or stale != self.stale
        self.snapshot = snapshot
        self.stale = stale
        self._encoded.clear()
        if wake_all:
            self._wake()
            return
        woken, self.changed = self.changed, asyncio.Event()
        woken.set()
        for ticket_id in changed or ():
            event = self._ticket_events.pop(ticket_id, None)
            if event is not None:
                event.set()

    def _wake(self) -> None:
        woken, self.changed = self.changed, asyncio.Event()
        woken.set()
        events, self._ticket_events = self._ticket_events, {}
        for event in events.values():
            event.set()

    def ticket_changed(self, ticket_id: int) -> asyncio.Event:
        """Set at the next change of this ticket's line (or a keep-alive tick): a call
        wakes the phones watching its service's queue, not every phone in the hall."""
        event = self._ticket_events.get(ticket_id)
        if event is None:
            event = self._ticket_events[ticket_id] = asyncio.Event()
        return event

    def _tick(self) -> None:
        """Wake every stream now and then, so each can send its keep-alive comment
        without a timer of its own (thousands of timers cost more than one)."""
        if not self._stop.is_set():
            self._wake()
            self.loop.call_later(KEEPALIVE_SECONDS, self._tick)

    def encoded(self, key: Any, payload: Callable[[], dict[str, Any]]) -> str:
        """A page's JSON for the current snapshot, encoded once however many phones
        watch the same ticket or hall."""
        data = self._encoded.get(key)
        if data is None:
            data = json.dumps(payload(), ensure_ascii=False, separators=(",", ":"))
            self._encoded[key] = data
        return data

    async def current(self, timeout: float = 10.0) -> SiteSnapshot | None:
        if self.snapshot is None and not self.stale:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), timeout)
        return self.snapshot

    async def until(self, condition: Callable[[SiteSnapshot], bool], timeout: float = 3.0
                    ) -> SiteSnapshot | None:
        """The snapshot once ``condition`` holds for it (a row just written reaches the
        snapshot with the next change), or the latest one after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            woken = self.changed
            snapshot = self.snapshot
            remaining = deadline - time.monotonic()
            if (snapshot is not None and condition(snapshot)) or remaining <= 0:
                return snapshot
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), remaining)

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)


def _resource(name: str) -> bytes:
    return resources.files("resources").joinpath("web", name).read_bytes()


def _font() -> bytes:
    return resources.files("resources").joinpath("fonts", "hallq-cjk.ttf").read_bytes()


class WebApp:
    """The routes and their shared state (feeds per site, the web key, watcher count)."""

    TICKET_CACHE = 50_000

    def __init__(self, db: Database, settings: WebSettings) -> None:
        self.db = db
        self.settings = settings
        self.feeds: dict[str, SiteFeed] = {}
        self.watchers = 0
        self._secret: bytes | None = None
        self._closing = threading.Event()
        self._sender_wake = threading.Event()
        self._sender: threading.Thread | None = None
        self._ticket_sites: OrderedDict[int, str] = OrderedDict()
        self._templates = {name: string.Template(_resource(name).decode("utf-8"))
                           for name in ("ticket.html", "hall.html", "message.html",
                                        "remote_form.html", "remote.html")}

    # ------------------------------------------------------------------ reminders

    def _enqueue_reminders(self, snapshot: SiteSnapshot) -> None:
        gateway = self.settings.gateway
        if gateway is not None:
            notify.enqueue(self.db, snapshot, gateway.ahead)
            self._sender_wake.set()

    def _send_reminders(self) -> None:
        gateway = self.settings.gateway
        assert gateway is not None
        sender = notify.Sender(self.db, gateway)
        while not self._closing.is_set():
            try:
                sender.run_once()
            except Exception as exc:  # the database went away: try again shortly
                log.warning("reminder sender: %s", exc)
            self._sender_wake.wait(1.0)
            self._sender_wake.clear()

    def start(self) -> None:
        if self.settings.gateway is not None:
            self._sender = threading.Thread(target=self._send_reminders, name="web-sender",
                                            daemon=True)
            self._sender.start()

    # ------------------------------------------------------------------ state

    def _feed(self, site_id: int, site_code: str) -> SiteFeed:
        found = self.feeds.get(site_code)
        if found is None:
            found = SiteFeed(self.db, site_id, site_code, asyncio.get_running_loop(),
                             self.settings.poll_interval, self._enqueue_reminders)
            self.feeds[site_code] = found
        return found

    async def _site_feed(self, code: str) -> SiteFeed:
        if code in self.feeds:
            return self.feeds[code]
        row = await asyncio.to_thread(self._site_row, code)
        return self._feed(row[0], row[1])

    def _site_row(self, code: str) -> tuple[int, str]:
        with self.db.read() as session:
            site = session.scalar(site_query(code))
            if site is None or not site.active:
                raise NotFound(f"no site {code!r}")
            return site.id, site.code

    def _ticket_site(self, ticket_id: int) -> tuple[int, str] | None:
        with self.db.read() as session:
            row = session.execute(select(Site.id, Site.code).join(Ticket, Ticket.site_id == Site.id)
                                  .where(Ticket.id == ticket_id)).first()
            return (row[0], row[1]) if row else None

    async def _secret_key(self) -> bytes | None:
        if self._secret is None:
            self._secret = await asyncio.to_thread(tokens.read_web_secret, self.db)
        return self._secret

    async def _secret_key_made(self) -> bytes:
        """The web key, made here if no terminal has printed a link yet (the remote
        ticket form signs with it before any ticket exists)."""
        if self._secret is None:
            self._secret = await asyncio.to_thread(tokens.web_secret, self.db)
        return self._secret

    async def _resolve(self, token: str) -> tuple[SiteFeed, int] | str:
        """The feed and ticket id a token names, or the reason it does not ("invalid",
        "expired", "unavailable")."""
        secret = await self._secret_key()
        if secret is None:
            return "invalid"
        try:
            ticket_id, day = tokens.verify(secret, token)
        except tokens.InvalidToken:
            return "invalid"
        site = self._ticket_sites.get(ticket_id)
        if site is None:
            found = await asyncio.to_thread(self._ticket_site, ticket_id)
            if found is None:
                return "invalid"
            self._ticket_sites[ticket_id] = site = found[1]
            self._feed(found[0], found[1])
            while len(self._ticket_sites) > self.TICKET_CACHE:
                self._ticket_sites.popitem(last=False)
        site_feed = self.feeds[site]
        snapshot = await site_feed.current()
        if snapshot is None:
            return "unavailable"
        if day == snapshot.day and ticket_id not in snapshot.tickets:
            # Scanned the moment it was issued: the next snapshot has it.
            snapshot = await site_feed.until(lambda snap: ticket_id in snap.tickets)
        if snapshot is None or day != snapshot.day or ticket_id not in snapshot.tickets:
            return "expired"
        return site_feed, ticket_id

    # ------------------------------------------------------------------ pages

    def _message(self, title: str, text: str, status: int) -> HTMLResponse:
        body = self._templates["message.html"].substitute(
            title=html.escape(title), text=html.escape(text))
        return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})

    def _refusal(self, reason: str) -> HTMLResponse:
        if reason == "expired":
            return self._message("此号已过期", "这张票不是今天的，或已随营业日结束失效。", 410)
        if reason == "unavailable":
            return self._message("暂时无法查询", "排队系统暂时无法连接，请稍后刷新。", 503)
        return self._message("无效的二维码", "请扫描排队票上的二维码。", 404)

    async def ticket_page(self, request: Request) -> Response:
        token = request.path_params["token"]
        resolved = await self._resolve(token)
        if isinstance(resolved, str):
            return self._refusal(resolved)
        site_feed, ticket_id = resolved
        snapshot = site_feed.snapshot
        assert snapshot is not None
        status = snapshot.tickets[ticket_id]
        initial = json.dumps(self._ticket_payload(site_feed, ticket_id), ensure_ascii=False)
        body = self._templates["ticket.html"].substitute(
            number=html.escape(status.number), site_name=html.escape(snapshot.site_name),
            token=html.escape(token), initial=initial.replace("</", "<\\/"))
        return HTMLResponse(body, headers={"Cache-Control": "no-store"})

    def _ticket_payload(self, site_feed: SiteFeed, ticket_id: int) -> dict[str, Any]:
        snapshot = site_feed.snapshot
        assert snapshot is not None
        status = snapshot.tickets.get(ticket_id)
        if status is None:  # the business day rolled over while watching
            return {"state": "expired", "stale": site_feed.stale}
        return {**status.to_json(), "site_name": snapshot.site_name, "stale": site_feed.stale}

    async def ticket_json(self, request: Request) -> Response:
        resolved = await self._resolve(request.path_params["token"])
        if isinstance(resolved, str):
            return JSONResponse({"error": resolved}, status_code=_STATUS[resolved])
        return JSONResponse(self._ticket_payload(*resolved),
                            headers={"Cache-Control": "no-store"})

    async def ticket_events(self, request: Request) -> Response:
        resolved = await self._resolve(request.path_params["token"])
        if isinstance(resolved, str):
            return JSONResponse({"error": resolved}, status_code=_STATUS[resolved])
        site_feed, ticket_id = resolved
        return self._stream(site_feed, ("t", ticket_id),
                            lambda: self._ticket_payload(site_feed, ticket_id),
                            lambda: site_feed.ticket_changed(ticket_id))

    async def hall_page(self, request: Request) -> Response:
        try:
            site_feed = await self._site_feed(request.path_params["site"])
        except NotFound:
            return self._message("没有这个大厅", "请检查网址。", 404)
        snapshot = await site_feed.current()
        if snapshot is None:
            return self._refusal("unavailable")
        initial = json.dumps(self._hall_payload(site_feed), ensure_ascii=False)
        remote_link = (f'<a class="button" href="/hall/{html.escape(snapshot.site_code)}/remote">'
                       f'远程取号</a>' if snapshot.remote_enabled else "")
        body = self._templates["hall.html"].substitute(
            site_name=html.escape(snapshot.site_name), site=html.escape(snapshot.site_code),
            initial=initial.replace("</", "<\\/"), remote_link=remote_link)
        return HTMLResponse(body, headers={"Cache-Control": "no-store"})

    def _hall_payload(self, site_feed: SiteFeed) -> dict[str, Any]:
        snapshot = site_feed.snapshot
        assert snapshot is not None
        return {**snapshot.hall_json(), "stale": site_feed.stale}

    async def hall_json(self, request: Request) -> Response:
        try:
            site_feed = await self._site_feed(request.path_params["site"])
        except NotFound:
            return JSONResponse({"error": "invalid"}, status_code=404)
        if await site_feed.current() is None:
            return JSONResponse({"error": "unavailable"}, status_code=503)
        return JSONResponse(self._hall_payload(site_feed), headers={"Cache-Control": "no-store"})

    async def hall_events(self, request: Request) -> Response:
        try:
            site_feed = await self._site_feed(request.path_params["site"])
        except NotFound:
            return JSONResponse({"error": "invalid"}, status_code=404)
        if await site_feed.current() is None:
            return JSONResponse({"error": "unavailable"}, status_code=503)
        return self._stream(site_feed, ("hall",), lambda: self._hall_payload(site_feed))

    def _stream(self, site_feed: SiteFeed, key: Any, payload: Callable[[], dict[str, Any]],
                wake: Callable[[], asyncio.Event] | None = None) -> Response:
        if self.watchers >= self.settings.max_watchers:
            return JSONResponse({"error": "busy"}, status_code=503, headers={"Retry-After": "5"})
        self.watchers += 1

        async def events() -> AsyncIterator[str]:
            try:
                yield "retry: 1000\n\n"
                sent = None
                last_write = time.monotonic()
                while True:
                    woken = wake() if wake is not None else site_feed.changed
                    data = site_feed.encoded(key, payload)
                    if data != sent:
                        sent = data
                        last_write = time.monotonic()
                        yield f"event: status\ndata: {data}\n\n"
                    elif time.monotonic() - last_write >= KEEPALIVE_SECONDS - 1:
                        last_write = time.monotonic()
                        yield ": keepalive\n\n"
                    await woken.wait()
            finally:
                self.watchers -= 1

        return StreamingResponse(events(), media_type="text/event-stream", headers={
            "Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    # ------------------------------------------------------------------ remote tickets

    async def _csrf_key(self) -> bytes:
        return tokens.purpose_key(await self._secret_key_made(), "csrf")

    async def remote_form(self, request: Request, *, error: str = "", status: int = 200,
                          service: str = "") -> Response:
        try:
            site_feed = await self._site_feed(request.path_params["site"])
        except NotFound:
            return self._message("没有这个大厅", "请检查网址。", 404)
        snapshot = await site_feed.current()
        if snapshot is None:
            return self._refusal("unavailable")
        if not snapshot.remote_enabled:
            return self._message("未开通远程取号", "请到大厅自助机取号。", 404)
        key = await self._csrf_key()
        cookie = request.cookies.get(CSRF_COOKIE) or ""
        if not re.fullmatch(r"[0-9a-f]{32}", cookie):
            cookie = secrets.token_hex(16)
        options = "".join(
            f'<option value="{html.escape(s["service"])}"'
            f'{" selected" if s["service"] == service else ""}>{html.escape(s["name"])}'
            f'（等候 {s["waiting"]} 人）</option>'
            for s in snapshot.services if s["open"])
        body = self._templates["remote_form.html"].substitute(
            site_name=html.escape(snapshot.site_name), site=html.escape(snapshot.site_code),
            options=options or '<option value="">现在没有可取号的业务</option>',
            csrf=_csrf_token(key, cookie),
            error=f'<p class="error" role="alert">{html.escape(error)}</p>' if error else "")
        response = HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})
        response.set_cookie(CSRF_COOKIE, cookie, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https" or
                            request.headers.get("x-forwarded-proto") == "https",
                            path="/hall")
        return response

    async def remote_take(self, request: Request) -> Response:
        site_code = request.path_params["site"]
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > FORM_MAX_BYTES:
                return self._message("请求无效", "表单过长。", 413)
        fields = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        key = await self._csrf_key()
        cookie = request.cookies.get(CSRF_COOKIE, "")
        origin = request.headers.get("origin")
        # Browsers send "Origin: null" under Referrer-Policy no-referrer; then the
        # SameSite=Strict cookie and the token bound to it are the protection.
        same_origin = origin in (None, "null") or \
            urlsplit(origin).netloc == request.headers.get("host")
        if not cookie or not same_origin or not hmac.compare_digest(
                fields.get("csrf", ""), _csrf_token(key, cookie)):
            return self._message("请求无效", "页面已过期，请返回重新打开取号页面。", 403)
        try:
            booking = await asyncio.to_thread(
                remote.take_remote_ticket, self.db, site_code, fields.get("service", ""),
                fields.get("phone", ""))
        except HallQueueError as exc:
            # The citizen reads the Chinese half of "中文 (English)".
            reason = str(exc).split(" (", 1)[0]
            status = 409 if isinstance(exc, QueueRuleError) else 400
            return await self.remote_form(request, error=reason, status=status,
                                          service=fields.get("service", ""))
        secret = await self._secret_key()
        assert secret is not None
        token = tokens.sign(tokens.purpose_key(secret, "remote"), booking.id, booking.day)
        return RedirectResponse(f"/r/{token}", status_code=303)

    async def _resolve_remote(self, token: str) -> tuple[SiteFeed, int] | str:
        secret = await self._secret_key()
        if secret is None:
            return "invalid"
        try:
            booking_id, day = tokens.verify(tokens.purpose_key(secret, "remote"), token)
        except tokens.InvalidToken:
            return "invalid"
        found = await asyncio.to_thread(self._booking_site, booking_id)
        if found is None:
            return "invalid"
        site_feed = self._feed(*found)
        snapshot = await site_feed.current()
        if snapshot is None:
            return "unavailable"
        if snapshot.day == day and booking_id not in snapshot.remote:
            snapshot = await site_feed.until(lambda snap: booking_id in snap.remote)
        if snapshot is None or snapshot.day != day or booking_id not in snapshot.remote:
            return "expired"
        return site_feed, booking_id

    def _booking_site(self, booking_id: int) -> tuple[int, str] | None:
        with self.db.read() as session:
            row = session.execute(
                select(Site.id, Site.code).join(Appointment, Appointment.site_id == Site.id)
                .where(Appointment.id == booking_id, Appointment.remote.is_(True))).first()
            return (row[0], row[1]) if row else None

    def _remote_payload(self, site_feed: SiteFeed, booking_id: int) -> dict[str, Any]:
        snapshot = site_feed.snapshot
        assert snapshot is not None
        booking = snapshot.remote.get(booking_id)
        if booking is None:
            return {"state": "expired", "stale": site_feed.stale}
        service = snapshot.service(booking.service) or {}
        ticket_url = None
        if booking.ticket_id is not None and self._secret is not None:
            ticket_url = "/t/" + tokens.sign(self._secret, booking.ticket_id, snapshot.day)
        return {"state": booking.state, "code": booking.code,
                "service_name": service.get("name", booking.service),
                "waiting": service.get("waiting"),
                "estimated_wait_minutes": service.get("estimated_wait_minutes"),
                "open": service.get("open", False), "ticket_url": ticket_url,
                "site_name": snapshot.site_name, "stale": site_feed.stale}

    async def remote_page(self, request: Request) -> Response:
        token = request.path_params["token"]
        resolved = await self._resolve_remote(token)
        if isinstance(resolved, str):
            return self._refusal(resolved)
        payload = self._remote_payload(*resolved)
        if payload.get("ticket_url"):
            return RedirectResponse(payload["ticket_url"], status_code=303)
        body = self._templates["remote.html"].substitute(
            site_name=html.escape(payload["site_name"]), code=html.escape(payload["code"]),
            token=html.escape(token),
            initial=json.dumps(payload, ensure_ascii=False).replace("</", "<\\/"))
        return HTMLResponse(body, headers={"Cache-Control": "no-store"})

    async def remote_events(self, request: Request) -> Response:
        resolved = await self._resolve_remote(request.path_params["token"])
        if isinstance(resolved, str):
            return JSONResponse({"error": resolved}, status_code=_STATUS[resolved])
        site_feed, booking_id = resolved
        return self._stream(site_feed, ("r", booking_id),
                            lambda: self._remote_payload(site_feed, booking_id))

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name == "hallq-cjk.ttf":
            return Response(_font(), media_type="font/ttf",
                            headers={"Cache-Control": "public, max-age=86400"})
        media = STATIC_FILES.get(name)
        if media is None:
            return Response("not found", status_code=404, media_type="text/plain")
        return Response(_resource(name), media_type=media,
                        headers={"Cache-Control": "public, max-age=3600"})

    async def health(self, _request: Request) -> Response:
        return JSONResponse({"ok": True, "watchers": self.watchers,
                             "sites": {code: {"version": f.snapshot.version if f.snapshot else None,
                                              "stale": f.stale}
                                       for code, f in self.feeds.items()}})

    def close(self) -> None:
        self._closing.set()
        self._sender_wake.set()
        if self._sender is not None:
            self._sender.join(self.settings.gateway.timeout + 2 if self.settings.gateway else 2)
        for site_feed in self.feeds.values():
            site_feed.stop()
        for site_feed in self.feeds.values():
            site_feed.join(3.0)


_STATUS = {"invalid": 404, "expired": 410, "unavailable": 503}


def _changed_tickets(before: SiteSnapshot | None, after: SiteSnapshot) -> set[int] | None:
    """The tickets whose line differs between two snapshots; None when every page may
    have changed (first snapshot, another day, another site name)."""
    if before is None or before.day != after.day or before.site_name != after.site_name:
        return None
    old = before.tickets
    return {ticket_id for ticket_id, status in after.tickets.items()
            if old.get(ticket_id) != status} | (old.keys() - after.tickets.keys())


def _csrf_token(key: bytes, cookie: str) -> str:
    """The form's token: bound to the browser's cookie, so another site cannot make one."""
    return hmac.new(key, cookie.encode(), hashlib.sha256).hexdigest()


def create_app(db: Database, settings: WebSettings | None = None) -> Starlette:
    web = WebApp(db, settings or WebSettings())

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        web.start()
        yield
        await asyncio.to_thread(web.close)

    def route(path: str, endpoint: Callable[[Request], Awaitable[Response]]) -> Route:
        return Route(path, endpoint, methods=["GET", "HEAD"])

    app = Starlette(routes=[
        route("/t/{token}", web.ticket_page),
        route("/api/t/{token}", web.ticket_json),
        route("/api/t/{token}/events", web.ticket_events),
        route("/hall/{site}", web.hall_page),
        route("/api/hall/{site}", web.hall_json),
        route("/api/hall/{site}/events", web.hall_events),
        route("/hall/{site}/remote", web.remote_form),
        Route("/hall/{site}/remote", web.remote_take, methods=["POST"]),
        route("/r/{token}", web.remote_page),
        route("/api/r/{token}/events", web.remote_events),
        route("/static/{name}", web.static),
        route("/healthz", web.health),
    ], lifespan=lifespan)
    app.state.web = web
    app.add_middleware(SecurityMiddleware, settings=web.settings)
    return app

