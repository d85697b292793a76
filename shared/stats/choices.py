"""What the supervisor can filter statistics by: sites, departments, services, clerks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from shared.db import Database
from shared.models import Clerk, Department, Service, Site, Window


@dataclass(frozen=True)
class FilterChoices:
    sites: list[tuple[str, str]]  # (code, name)
    departments: list[tuple[str, str]]
    services: list[tuple[str, str, str]]  # (code, name, department code)
    windows: dict[str, list[tuple[int, str]]]  # site code -> (number, name)
    clerks: list[tuple[str, str]]  # (login, display name)


def filter_choices(db: Database) -> FilterChoices:
    """Everything that appears in the filter lists, active or not (history keeps old
    services and windows)."""
    with db.read() as session:
        sites = session.execute(select(Site.code, Site.name).order_by(Site.id)).all()
        departments = session.execute(select(Department.code, Department.name)
                                      .order_by(Department.sort_order, Department.code)).all()
        services = session.execute(
            select(Service.code, Service.name, Department.code)
            .join(Department, Department.id == Service.department_id)
            .order_by(Department.sort_order, Service.sort_order, Service.code)).all()
        windows: dict[str, list[tuple[int, str]]] = {}
        for code, number, name in session.execute(
                select(Site.code, Window.number, Window.name)
                .join(Site, Site.id == Window.site_id).order_by(Site.id, Window.number)):
            windows.setdefault(code, []).append((number, name))
        clerks = session.execute(select(Clerk.login, Clerk.display_name)
                                 .order_by(Clerk.display_name, Clerk.login)).all()
        return FilterChoices(
            sites=[(r[0], r[1]) for r in sites], departments=[(r[0], r[1]) for r in departments],
            services=[(r[0], r[1], r[2]) for r in services], windows=windows,
            clerks=[(r[0], r[1]) for r in clerks])
