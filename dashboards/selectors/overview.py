"""The team overview: every figure for a scope and a period, for the team and per recruiter,
in one SQL statement (GROUPING SETS, FILTER, percentile_cont), plus the cards' previews (one
statement) and the split suggestions (three queries): five queries whatever the team's size."""

# ruff: noqa: S608 - SQL composed from the figure registry's constants; values are parameters.

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter

from django.db import connection
from django.utils import timezone

from dashboards.selectors.drilldown import rows_sql
from dashboards.selectors.figures import CARDS, FIGURES, Figure
from dashboards.selectors.scope import Period, Scope
from dashboards.selectors.sources import SOURCES, Context, with_clause
from dashboards.selectors.splits import split_suggestion_fired
from jobs.divergence import SplitSuggestion

PREVIEW_ROWS = 5
# The per-client rows a card shows: the clients with the most counted, then by name (a team can
# work for thousands of clients; the drill-downs filter by any of them).
CLIENT_ROWS = 10


@dataclass
class FigureValues:
    """One figure's value for the scope (`total`), per owner and per client (organization)."""

    figure: Figure
    total: float | int | None = None
    owners: dict[int, float | int | None] = field(default_factory=dict)
    organizations: dict[int, float | int | None] = field(default_factory=dict)

    def owner(self, owner_id: int) -> float | int | None:
        return self.owners.get(owner_id, self._empty())

    def organization(self, organization_id: int) -> float | int | None:
        return self.organizations.get(organization_id, self._empty())

    def _empty(self) -> int | None:
        return 0 if self.figure.measure in ("count", "sum", "python") else None


@dataclass
class Overview:
    scope: Scope
    period: Period
    now: datetime
    values: dict[str, FigureValues]
    organizations: dict[int, str]  # the clients of the per-client figures, id -> name
    organizations_more: int  # clients with figures beyond CLIENT_ROWS, left out
    previews: dict[str, list[dict]]
    split_suggestions: dict[int, SplitSuggestion]  # the jobs whose suggestion fires

    def value(self, key: str, owner_id: int | None = None) -> float | int | None:
        values = self.values[key]
        return values.total if owner_id is None else values.owner(owner_id)


def _number(figure: Figure, value: float | None) -> float | int | None:
    if value is None:
        return 0 if figure.measure in ("count", "sum") else None
    if figure.measure in ("count", "sum"):
        return int(value)
    return float(value)


def _aggregates_sql(ctx: Context, figures: list[Figure]) -> str:
    by_source: dict[str, list[Figure]] = defaultdict(list)
    for figure in figures:
        by_source[figure.source].append(figure)
    selects = []
    for name, group in by_source.items():
        aggregates = ", ".join(f"{f.aggregate()} AS f{i}" for i, f in enumerate(group))
        values = ", ".join(f"('{f.key}', a.f{i}::float8)" for i, f in enumerate(group))
        if any(f.by_organization for f in group):
            sets = "(owner_id), (organization_id), ()"
            dim = (
                "CASE WHEN GROUPING(owner_id) = 0 THEN 'owner' "
                "WHEN GROUPING(organization_id) = 0 THEN 'organization' ELSE 'total' END"
            )
            group_id = (
                "CASE WHEN GROUPING(owner_id) = 0 THEN owner_id "
                "WHEN GROUPING(organization_id) = 0 THEN organization_id END"
            )
        else:
            sets = "(owner_id), ()"
            dim = "CASE WHEN GROUPING(owner_id) = 0 THEN 'owner' ELSE 'total' END"
            group_id = "CASE WHEN GROUPING(owner_id) = 0 THEN owner_id END"
        selects.append(
            f"SELECT a.dim, a.group_id, v.figure, v.value FROM ("
            f"SELECT {dim} AS dim, {group_id} AS group_id, {aggregates} FROM src_{name} "
            f"GROUP BY GROUPING SETS ({sets})) a "
            f"CROSS JOIN LATERAL (VALUES {values}) v(figure, value)"
        )
    sources = [SOURCES[name] for name in by_source]
    union = "\nUNION ALL\n".join(selects)
    return (
        with_clause(ctx, sources)
        + f"""
    SELECT x.dim, x.group_id, x.figure, x.value, o.name
    FROM ({union}) x
    LEFT JOIN contacts_organization o ON x.dim = 'organization' AND o.id = x.group_id"""
    )


def _figure_values(ctx: Context) -> tuple[dict[str, FigureValues], dict[int, str]]:
    figures = [f for f in FIGURES.values() if f.measure != "python"]
    values = {key: FigureValues(figure=figure) for key, figure in FIGURES.items()}
    organizations: dict[int, str] = {}
    with connection.cursor() as cursor:
        cursor.execute(_aggregates_sql(ctx, figures), ctx.params())
        for dim, group_id, key, value, organization_name in cursor.fetchall():
            figure = FIGURES[key]
            number = _number(figure, value)
            if dim == "total":
                values[key].total = number
            elif dim == "owner" and group_id is not None:
                values[key].owners[group_id] = number
            elif dim == "organization" and group_id is not None and figure.by_organization:
                values[key].organizations[group_id] = number
                organizations[group_id] = organization_name
    for key, figure in FIGURES.items():
        if values[key].total is None and figure.measure in ("count", "sum"):
            values[key].total = 0
    return values, organizations


def _busiest_clients(
    values: dict[str, FigureValues], organizations: dict[int, str]
) -> tuple[dict[int, str], int]:
    """The CLIENT_ROWS clients with the most rows counted by the per-client figures (then by
    name), and how many more there are; the others' values are dropped."""
    counts = [v for v in values.values() if v.figure.by_organization and v.figure.is_count]

    def weight(pk: int) -> float:
        return sum(v.organizations.get(pk) or 0 for v in counts)

    ranked = sorted(organizations, key=lambda pk: (-weight(pk), organizations[pk] or "", pk))
    kept = set(ranked[:CLIENT_ROWS])
    for figure_values in values.values():
        figure_values.organizations = {
            pk: value for pk, value in figure_values.organizations.items() if pk in kept
        }
    shown = {pk: organizations[pk] for pk in ranked[:CLIENT_ROWS]}
    return shown, max(0, len(organizations) - CLIENT_ROWS)


def _previews(ctx: Context, keys: list[str]) -> dict[str, list[dict]]:
    """The first rows of these figures' drill-downs, in one statement (they share a source)."""
    previews: dict[str, list[dict]] = {key: [] for key in keys}
    if not keys:
        return previews
    figures = [FIGURES[key] for key in keys]
    sources = sorted({figure.source for figure in figures})
    if len(sources) != 1:
        raise ValueError(f"Previews in one statement share a source, not {sources}.")
    parts = [
        f"SELECT '{figure.key}' AS figure, p{i}.* FROM ({rows_sql(figure, limit=True)}) p{i}"
        for i, figure in enumerate(figures)
    ]
    sql = with_clause(ctx, [SOURCES[name] for name in sources]) + " UNION ALL ".join(
        f"({part})" for part in parts
    )
    params = ctx.params() | {"d_limit": PREVIEW_ROWS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        for row in cursor.fetchall():
            record = dict(zip(names, row, strict=True))
            previews[record["figure"]].append(record)
    for key, rows in previews.items():
        source = SOURCES[FIGURES[key].source]
        column = FIGURES[key].order or source.order
        rows.sort(key=itemgetter(column, "key"), reverse=source.descending)
    return previews


def overview_get(*, scope: Scope, period: Period, now: datetime | None = None) -> Overview:
    """Every figure of every card for the scope and period."""
    now = now or timezone.now()
    ctx = Context(now=now, period=period, owner_ids=scope.owner_ids)
    values, organizations = _figure_values(ctx)
    organizations, more = _busiest_clients(values, organizations)
    fired = split_suggestion_fired(owner_ids=scope.owner_ids)
    split = values["pipeline.split"]
    split.total = len(fired)
    for suggestion in fired.values():
        if suggestion.owner_id is not None:
            split.owners[suggestion.owner_id] = (split.owners.get(suggestion.owner_id) or 0) + 1
    preview_keys = [key for card in CARDS for key in card.previews]
    return Overview(
        scope=scope,
        period=period,
        now=now,
        values=values,
        organizations=organizations,
        organizations_more=more,
        previews=_previews(ctx, preview_keys),
        split_suggestions=fired,
    )
