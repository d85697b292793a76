"""The one site type of the read model and its lookup (every terminal starts with it)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam
from sqlalchemy.orm import Session

from shared.db import Database, as_server_time, server_clock
from shared.lookup import choose_site, site_by_code, site_query
from shared.models import Site
from shared.web import tokens


@dataclass(frozen=True)
class SiteInfo:
    """A site as a terminal knows it: its id (the change feed's key), code, name and time
    zone (screens show the site's time, not the PC's) and, for terminals that print or
    show ticket links, the web base URL and the key that signs them."""

    id: int
    code: str
    name: str
    timezone: str  # IANA name
    # The site's web base URL ([sites.web] in the catalog) and the key that signs ticket
    # links; without a base URL the QR carries the bare ticket id.
    web_base_url: str | None = None
    web_secret: bytes | None = field(default=None, repr=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def ticket_url(self, ticket_id: int, day: dt.date) -> str | None:
        """The signed link to a ticket's web page, or None without a web base URL."""
        if not self.web_base_url or self.web_secret is None:
            return None
        return tokens.ticket_url(self.web_base_url, self.web_secret, ticket_id, day)


def site_info(db: Database, site: str | None = None, *, links: bool = False) -> SiteInfo:
    """The site with code ``site`` (or the only active site when None); NotFound names an
    unknown code. With ``links`` (kiosks, printing, the web service) it carries the web
    base URL and the signing key, which is created on first use (a write)."""
    with db.read() as session:
        row = site_by_code(session, site)
        base_url = (row.web or {}).get("base_url")
        found = SiteInfo(row.id, row.code, row.name, row.timezone)
    if not links or not base_url:
        return found
    return SiteInfo(found.id, found.code, found.name, found.timezone,
                    web_base_url=base_url, web_secret=tokens.web_secret(db))


@functools.cache
def _site_and_clock(dialect: str, by_code: bool) -> Select[Any]:
    return site_query(bindparam("code") if by_code else None).add_columns(server_clock(dialect))


def site_and_clock(session: Session, code: str | None) -> tuple[Site, dt.datetime]:
    """The site by code (or the only active one) and the server's clock, in one round
    trip: how every snapshot of :mod:`shared.read` begins."""
    query = _site_and_clock(session.get_bind().dialect.name, code is not None)
    rows = session.execute(query, {"code": code}).all()
    site = choose_site([row[0] for row in rows], code)
    return site, as_server_time(next(row[1] for row in rows if row[0] is site))
