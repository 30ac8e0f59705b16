"""Dashboard snapshots: the overview and the trends as of a recent moment, kept in Redis.

At a million contacts a team's overview takes seconds of SQL (bench/README: "dashboard overview
computed"), too slow to run for every page view. A figure a minute old is as useful to a manager
as one a second old, so the pages and the API serve the latest snapshot of their scope and
period and say when it was computed:

- no snapshot, or one older than `DASHBOARD_SNAPSHOT_SECONDS`: computed for this request and
  kept (the first view of the morning pays);
- one older than `DASHBOARD_FRESH_SECONDS`: served as it is, and one worker task (not one per
  view: a flag in Redis) computes the next;
- Redis away: computed for the request, as if there were none.

Snapshots hold what the selectors computed, never anything else: the figures still have one
home (dashboards.selectors). The drill-down lists are always read live, so a list may hold a
row more or less than its card when something changed since the snapshot; the card says how old
it is. `DASHBOARD_SNAPSHOT_SECONDS=0` turns snapshots off (the tests run that way, except the
ones about snapshots)."""

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Generic, TypeVar

from celery import current_app
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dashboards import selectors
from dashboards.selectors import Overview, Period, Scope, Trends

logger = logging.getLogger(__name__)
T = TypeVar("T")
OVERVIEW, TRENDS = "overview", "trends"
REFRESH_TASK = "dashboards.snapshot_refresh"


@dataclass(frozen=True)
class Snapshot(Generic[T]):
    value: T
    computed_at: dt.datetime
    live: bool  # computed for this request


def _key(kind: str, scope: Scope, period: Period | None) -> str:
    when = "" if period is None else f":{period.start.isoformat()}:{period.end.isoformat()}"
    return f"dashboards:{kind}:{scope.param}{when}"


def _compute(kind: str, scope: Scope, period: Period | None, now: dt.datetime):
    if kind == OVERVIEW:
        if period is None:
            raise ValueError("an overview is of a period")
        return selectors.overview_get(scope=scope, period=period, now=now)
    return selectors.trends_get(scope=scope, now=now)


def _period_payload(period: Period | None) -> dict | None:
    if period is None:
        return None
    return {
        "key": period.key,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "label": period.label,
    }


def _store(key: str, now: dt.datetime, value) -> None:
    try:
        caches["dashboards"].set(key, (now, value), timeout=settings.DASHBOARD_SNAPSHOT_SECONDS)
    except Exception:  # Redis away: the figure was computed and is shown all the same
        logger.warning("dashboards: could not keep the snapshot %s", key, exc_info=True)


def _latest(kind: str, scope: Scope, period: Period | None) -> Snapshot:
    now = timezone.now()
    max_age = settings.DASHBOARD_SNAPSHOT_SECONDS
    if max_age <= 0:
        return Snapshot(_compute(kind, scope, period, now), now, live=True)
    key = _key(kind, scope, period)
    cache = caches["dashboards"]
    try:
        found = cache.get(key)
    except Exception:
        logger.warning("dashboards: snapshots unreadable, computing %s", key, exc_info=True)
        found = None
    if found is not None:
        computed_at, value = found
        age = (now - computed_at).total_seconds()
        if 0 <= age <= max_age:
            if age > settings.DASHBOARD_FRESH_SECONDS:
                _refresh_request(key, kind, scope, period)
            return Snapshot(value, computed_at, live=False)
    value = _compute(kind, scope, period, now)
    _store(key, now, value)
    return Snapshot(value, now, live=True)


def _refresh_request(key: str, kind: str, scope: Scope, period: Period | None) -> None:
    """Queue one refresh of `key`: the flag lets only the first stale view queue it."""
    try:
        first = caches["dashboards"].add(
            f"{key}:refreshing", 1, timeout=settings.DASHBOARD_SNAPSHOT_SECONDS
        )
    except Exception:
        return
    if first:
        kwargs = {"kind": kind, "scope": scope.param, "period": _period_payload(period)}
        transaction.on_commit(lambda: current_app.send_task(REFRESH_TASK, kwargs=kwargs))


def overview_latest(*, scope: Scope, period: Period) -> Snapshot[Overview]:
    return _latest(OVERVIEW, scope, period)


def trends_latest(*, scope: Scope) -> Snapshot[Trends]:
    return _latest(TRENDS, scope, None)


def snapshot_refresh(*, kind: str, scope: Scope, period: Period | None) -> dt.datetime:
    """Compute the snapshot now and keep it (the worker's side of a stale view)."""
    now = timezone.now()
    key = _key(kind, scope, period)
    _store(key, now, _compute(kind, scope, period, now))
    caches["dashboards"].delete(f"{key}:refreshing")
    return now


def period_from_payload(payload: dict | None) -> Period | None:
    if payload is None:
        return None
    start, end = parse_datetime(payload["start"]), parse_datetime(payload["end"])
    if start is None or end is None:
        raise ValueError(f"not a period: {payload!r}")
    return Period(payload["key"], start, end, payload["label"])
