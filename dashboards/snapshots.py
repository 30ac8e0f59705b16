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
home (dashboards.selectors). A drill-down list's first page is a snapshot too (its next pages
are read live, carrying on from its cursor), so a list and its card are of the same moment.
`DASHBOARD_SNAPSHOT_SECONDS=0` turns snapshots off (the tests run that way, except the ones
about snapshots)."""

import dataclasses
import datetime as dt
import hashlib
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
from dashboards.selectors import (
    Figure,
    FigurePage,
    FigureValues,
    Overview,
    Period,
    Scope,
    Series,
    Trends,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")
OVERVIEW, TRENDS, PAGE = "overview", "trends", "page"
REFRESH_TASK = "dashboards.snapshot_refresh"
# The shape of what a snapshot holds, in its key: a release that changes a field of these never
# reads a snapshot an earlier one kept.
SHAPE = hashlib.sha256(
    repr(
        [
            [field.name for field in dataclasses.fields(shape)]
            for shape in (Overview, FigureValues, Figure, Trends, Series, FigurePage, Scope, Period)
        ]
    ).encode()
).hexdigest()[:12]


@dataclass(frozen=True)
class Snapshot(Generic[T]):
    value: T
    computed_at: dt.datetime
    live: bool  # computed for this request


@dataclass(frozen=True)
class Spec:
    """What a snapshot is of: the overview of a scope and period, its trends, or the first page
    of one figure's records (of one client, `organization`)."""

    kind: str
    scope: Scope
    period: Period | None = None
    figure: str = ""
    organization: int | None = None
    limit: int = 0

    @property
    def key(self) -> str:
        parts = ["dashboards", SHAPE, self.kind, self.scope.param]
        if self.period is not None:
            parts += [self.period.start.isoformat(), self.period.end.isoformat()]
        if self.kind == PAGE:
            parts += [self.figure, str(self.organization or ""), str(self.limit)]
        return ":".join(parts)

    def compute(self, now: dt.datetime):
        if self.kind == TRENDS:
            return selectors.trends_get(scope=self.scope, now=now)
        if self.period is None:
            raise ValueError(f"a {self.kind} snapshot is of a period")
        if self.kind == OVERVIEW:
            return selectors.overview_get(scope=self.scope, period=self.period, now=now)
        return selectors.figure_page(
            figure=selectors.figure_get(self.figure), scope=self.scope, period=self.period,
            limit=self.limit, organization_id=self.organization, now=now,
        )  # fmt: skip

    def payload(self) -> dict:
        """The spec as JSON for the refresh task (`Spec.from_payload` reads it back)."""
        period = None
        if self.period is not None:
            period = {
                "key": self.period.key,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
                "label": self.period.label,
            }
        return {
            "kind": self.kind, "scope": self.scope.param, "period": period,
            "figure": self.figure, "organization": self.organization, "limit": self.limit,
        }  # fmt: skip

    @classmethod
    def from_payload(cls, payload: dict) -> "Spec":
        period = None
        if payload.get("period") is not None:
            raw = payload["period"]
            start, end = parse_datetime(raw["start"]), parse_datetime(raw["end"])
            if start is None or end is None:
                raise ValueError(f"not a period: {raw!r}")
            period = Period(raw["key"], start, end, raw["label"])
        return cls(
            kind=payload["kind"], scope=Scope.for_param(payload["scope"]), period=period,
            figure=payload.get("figure", ""), organization=payload.get("organization"),
            limit=payload.get("limit", 0),
        )  # fmt: skip


def _store(key: str, now: dt.datetime, value) -> None:
    try:
        caches["dashboards"].set(key, (now, value), timeout=settings.DASHBOARD_SNAPSHOT_SECONDS)
    except Exception:  # Redis away: the figure was computed and is shown all the same
        logger.warning("dashboards: could not keep the snapshot %s", key, exc_info=True)


def _latest(spec: Spec) -> Snapshot:
    now = timezone.now()
    max_age = settings.DASHBOARD_SNAPSHOT_SECONDS
    if max_age <= 0:
        return Snapshot(spec.compute(now), now, live=True)
    key = spec.key
    try:
        found = caches["dashboards"].get(key)
    except Exception:
        logger.warning("dashboards: snapshots unreadable, computing %s", key, exc_info=True)
        found = None
    if found is not None:
        computed_at, value = found
        age = (now - computed_at).total_seconds()
        if 0 <= age <= max_age:
            if age > settings.DASHBOARD_FRESH_SECONDS:
                _refresh_request(spec)
            return Snapshot(value, computed_at, live=False)
    value = spec.compute(now)
    _store(key, now, value)
    return Snapshot(value, now, live=True)


def _refresh_request(spec: Spec) -> None:
    """Queue one refresh of the snapshot: the flag lets only the first stale view queue it."""
    try:
        first = caches["dashboards"].add(
            f"{spec.key}:refreshing", 1, timeout=settings.DASHBOARD_SNAPSHOT_SECONDS
        )
    except Exception:
        return
    if first:
        kwargs = {"spec": spec.payload()}
        transaction.on_commit(lambda: current_app.send_task(REFRESH_TASK, kwargs=kwargs))


def overview_latest(*, scope: Scope, period: Period) -> Snapshot[Overview]:
    return _latest(Spec(OVERVIEW, scope, period))


def trends_latest(*, scope: Scope) -> Snapshot[Trends]:
    return _latest(Spec(TRENDS, scope))


def figure_page_latest(
    *, figure: Figure, scope: Scope, period: Period, limit: int, organization_id: int | None
) -> Snapshot[FigurePage]:
    """The first page of a figure's records (the pages after it are read live: a cursor
    carries on from any page)."""
    spec = Spec(PAGE, scope, period, figure.key, organization_id, limit)
    return _latest(spec)


def figure_page_read(
    *, figure: Figure, scope: Scope, period: Period, after: str | None, limit: int,
    organization_id: int | None,
) -> FigurePage:  # fmt: skip
    """A page of a figure's records: the first from its snapshot, the others live."""
    if after is None:
        return figure_page_latest(
            figure=figure, scope=scope, period=period, limit=limit,
            organization_id=organization_id,
        ).value  # fmt: skip
    return selectors.figure_page(
        figure=figure, scope=scope, period=period, after=after, limit=limit,
        organization_id=organization_id,
    )  # fmt: skip


def snapshot_refresh(spec: Spec) -> dt.datetime:
    """Compute the snapshot now and keep it (the worker's side of a stale view)."""
    now = timezone.now()
    _store(spec.key, now, spec.compute(now))
    caches["dashboards"].delete(f"{spec.key}:refreshing")
    return now
