"""Readable keys and labels for the groups of a breakdown (codes, window numbers, hours)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import Clerk, Department, Service, Site, Window
from shared.vocabulary import weekday_label

Label = tuple[str, str]  # (stable key for scripts, label for people)


def dimension_labels(session: Session, dimension: str, keys: Sequence[Any]) -> dict[int, Label]:
    """Map each group id of ``dimension`` to its (key, label)."""
    ids = [int(k) for k in keys if k is not None]
    if dimension == "hour":
        return {h: (f"{h:02d}", f"{h:02d}:00-{(h + 1) % 24:02d}:00") for h in ids}
    if dimension == "weekday":
        return {d: (str(d + 1), weekday_label(d)) for d in ids}
    if not ids:
        return {}
    if dimension == "service":
        rows = session.execute(select(Service.id, Service.code, Service.name)
                               .where(Service.id.in_(ids))).all()
        return {r.id: (r.code, r.name) for r in rows}
    if dimension == "department":
        rows = session.execute(select(Department.id, Department.code, Department.name)
                               .where(Department.id.in_(ids))).all()
        return {r.id: (r.code, r.name) for r in rows}
    if dimension == "window":
        return _window_labels(session, ids)
    if dimension == "clerk":
        rows = session.execute(select(Clerk.id, Clerk.login, Clerk.display_name)
                               .where(Clerk.id.in_(ids))).all()
        return {r.id: (r.login, r.display_name) for r in rows}
    raise ValueError(f"unknown dimension {dimension!r}")


def _window_labels(session: Session, ids: list[int]) -> dict[int, Label]:
    rows = session.execute(
        select(Window.id, Window.number, Window.name, Site.code, Site.name.label("site_name"))
        .join(Site, Site.id == Window.site_id).where(Window.id.in_(ids))
    ).all()
    several_sites = len({r.code for r in rows}) > 1
    labels: dict[int, Label] = {}
    for r in rows:
        label = f"{r.number}号 {r.name}"
        key = str(r.number)
        if several_sites:
            label = f"{r.site_name} {label}"
            key = f"{r.code}:{r.number}"
        labels[r.id] = (key, label)
    return labels
