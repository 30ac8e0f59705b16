"""Weekly trends over the last weeks: promises kept per obligation kind, closure coverage and
follow-up debt, in one statement."""

# ruff: noqa: S608 - SQL composed from this module's constants; every value is a parameter.

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from dashboards.selectors.figures import KIND_PLURALS
from dashboards.selectors.scope import Period, Scope, _midnight, _monday
from dashboards.selectors.sources import SOURCES, Context, with_clause
from followups.servicelevels import TimerKind

WEEKS = 12
PERCENT_SERIES = [
    (f"promises.{kind.value}", f"{KIND_PLURALS[kind]} kept (%)") for kind in TimerKind
]
SERIES = [
    *PERCENT_SERIES,
    ("closure", "Closure coverage (%)"),
    ("debt", "Overdue follow-ups"),
]


@dataclass
class Series:
    key: str
    label: str
    unit: str  # "percent" or "count"
    values: list[float | int | None]


@dataclass
class Trends:
    scope: Scope
    weeks: list[dt.date]  # each week's Monday
    series: list[Series]

    def chart(self) -> dict:
        """The data for Chart.js (read by static/js/dashboards.js from a json_script)."""
        return {
            "labels": [f"{week:%d %b}" for week in self.weeks],
            "datasets": [
                {
                    "label": series.label,
                    "data": series.values,
                    "yAxisID": "count" if series.unit == "count" else "percent",
                }
                for series in self.series
            ],
        }

    def rows(self) -> list[tuple[dt.date, list[float | int | None]]]:
        """The same numbers as a table: one row a week."""
        return [
            (week, [series.values[index] for series in self.series])
            for index, week in enumerate(self.weeks)
        ]


def _statement(ctx: Context) -> str:
    owners = ctx.owners("f.owner_id")
    return (
        with_clause(ctx, [SOURCES["promises"], SOURCES["closures"]])
        + f"""
    , weeks AS (
        SELECT * FROM unnest(%(t_starts)s::timestamptz[], %(t_ends)s::timestamptz[])
            AS w(week, week_end)
    )
    SELECT 'promises.' || t.kind AS series, w.week,
        round(100.0 * count(*) FILTER (WHERE t.state = 'met') / NULLIF(count(*), 0), 1)
    FROM weeks w JOIN src_promises t ON t.due_at >= w.week AND t.due_at < w.week_end
    GROUP BY t.kind, w.week
    UNION ALL
    SELECT 'closure', w.week,
        round(100.0 * count(*) FILTER (WHERE c.met_at IS NOT NULL) / NULLIF(count(*), 0), 1)
    FROM weeks w JOIN src_closures c ON c.started_at >= w.week AND c.started_at < w.week_end
    GROUP BY w.week
    UNION ALL
    SELECT 'debt', w.week, (
        SELECT count(*) FROM followups_followup f
        WHERE f.created_at <= LEAST(w.week_end, %(sl_now)s)
          AND f.due_at < LEAST(w.week_end, %(sl_now)s)
          AND (f.completed_at IS NULL OR f.completed_at > LEAST(w.week_end, %(sl_now)s))
          {owners})
    FROM weeks w"""
    )


def trends_get(*, scope: Scope, weeks: int = WEEKS, now: dt.datetime | None = None) -> Trends:
    """The weekly series of the last `weeks` weeks (this one included), one query. A week's
    promises kept are the timers due in it; its closure coverage, the decisions made in it;
    its follow-up debt, the follow-ups overdue at its end (now, for this week)."""
    now = now or timezone.now()
    monday = _monday(now)
    mondays = [monday - dt.timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
    starts = [_midnight(day) for day in mondays]
    ends = [_midnight(day + dt.timedelta(days=7)) for day in mondays]
    period = Period("trend", starts[0], ends[-1], f"The last {weeks} weeks")
    ctx = Context(now=now, period=period, owner_ids=scope.owner_ids)
    found: dict[tuple[str, dt.datetime], float | int | None] = {}
    with connection.cursor() as cursor:
        cursor.execute(_statement(ctx), ctx.params() | {"t_starts": starts, "t_ends": ends})
        for key, week, value in cursor.fetchall():
            found[(key, week)] = value
    series = []
    for key, label in SERIES:
        unit = "count" if key == "debt" else "percent"
        values = [found.get((key, start)) for start in starts]
        if unit == "count":
            values = [int(value or 0) for value in values]
        else:
            values = [None if value is None else float(value) for value in values]
        series.append(Series(key=key, label=label, unit=unit, values=values))
    return Trends(scope=scope, weeks=mondays, series=series)
