"""The records behind a figure: its source's rows under its predicate, keyset-paged (one query
a page) or all of them for a CSV (streamed from a server-side cursor)."""

# ruff: noqa: S608 - SQL composed from the figure registry's constants; values are parameters.

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.cursors import InvalidCursor, cursor_decode, cursor_encode, cursor_value_comparable
from dashboards.selectors.figures import FIGURES, Figure
from dashboards.selectors.scope import Period, Scope
from dashboards.selectors.sources import SOURCES, Context, with_clause
from dashboards.selectors.splits import split_suggestion_fired

PAGE_SIZE = 50
EXPORT_CHUNK = 2000


class UnknownFigure(LookupError):
    pass


def figure_get(key: str) -> Figure:
    try:
        return FIGURES[key]
    except KeyError as error:
        raise UnknownFigure(key) from error


@dataclass
class FigurePage:
    figure: Figure
    rows: list[dict]
    next_cursor: str


def _order(figure: Figure) -> tuple[str, str, str]:
    """(order column, its SQL type, ASC or DESC)."""
    source = SOURCES[figure.source]
    column = figure.order or source.order
    return column, source.order_type, "DESC" if source.descending else "ASC"


def rows_sql(
    figure: Figure,
    *,
    keyset: bool = False,
    limit: bool = False,
    organization: bool = False,
    alias: str = "r",
) -> str:
    """The figure's rows (with contact, job, client and owner names) as a SELECT over
    `src_<source>`: the same predicate its aggregate filters by. Optional conditions read the
    parameters d_after_value and d_after_key, d_limit, d_organization."""
    column, column_type, direction = _order(figure)
    conditions = [f"({figure.where})"]
    if organization:
        conditions.append("organization_id = %(d_organization)s")
    if keyset:
        compare = "<" if direction == "DESC" else ">"
        conditions.append(
            f"({column}, key) {compare} (%(d_after_value)s::{column_type}, %(d_after_key)s)"
        )
    order = f"{column} {direction}, key {direction}"
    inner = f"SELECT * FROM src_{figure.source} WHERE {' AND '.join(conditions)} ORDER BY {order}"
    if limit:
        inner += " LIMIT %(d_limit)s"
    return f"""
    SELECT {alias}.*, trim(ct.first_name || ' ' || ct.last_name) AS contact_name,
        jb.title AS job_title, org.name AS organization_name,
        COALESCE(NULLIF(trim(u.first_name || ' ' || u.last_name), ''), u.username) AS owner_name
    FROM ({inner}) {alias}
    LEFT JOIN contacts_contact ct ON ct.id = {alias}.contact_id
    LEFT JOIN jobs_job jb ON jb.id = {alias}.job_id
    LEFT JOIN contacts_organization org ON org.id = COALESCE({alias}.organization_id,
        jb.organization_id)
    LEFT JOIN accounts_user u ON u.id = {alias}.owner_id
    ORDER BY {alias}.{column} {direction}, {alias}.key {direction}"""


def _cursor_decode(cursor: str, column_type: str) -> tuple:
    value, key = cursor_decode(cursor, length=2)
    if not isinstance(key, str) or not cursor_value_comparable(key):
        raise InvalidCursor
    if column_type == "timestamptz":
        moment = parse_datetime(value) if isinstance(value, str) else None
        if moment is None:
            raise InvalidCursor
        return moment, key
    if not cursor_value_comparable(value):
        raise InvalidCursor
    return value, key


def _statement(
    figure: Figure, ctx: Context, organization_id: int | None, **options
) -> tuple[str, dict]:
    source = SOURCES[figure.source]
    sql = with_clause(ctx, [source]) + rows_sql(
        figure, organization=organization_id is not None, **options
    )
    params = ctx.params()
    if organization_id is not None:
        params["d_organization"] = organization_id
    if figure.measure == "python":
        params["d_split_job_ids"] = list(split_suggestion_fired(owner_ids=ctx.owner_ids))
    return sql, params


def _fetch(sql: str, params: dict) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def figure_page(
    *,
    figure: Figure,
    scope: Scope,
    period: Period,
    after: str | None = None,
    limit: int = PAGE_SIZE,
    organization_id: int | None = None,
    now: datetime | None = None,
) -> FigurePage:
    """One page of the figure's records, in its order; one query whatever the page holds.
    A bad `after` raises core.cursors.InvalidCursor."""
    ctx = Context(now=now or timezone.now(), period=period, owner_ids=scope.owner_ids)
    column, column_type, _ = _order(figure)
    sql, params = _statement(figure, ctx, organization_id, keyset=after is not None, limit=True)
    if after is not None:
        params["d_after_value"], params["d_after_key"] = _cursor_decode(after, column_type)
    params["d_limit"] = limit + 1
    rows = _fetch(sql, params)
    page = rows[:limit]
    next_cursor = ""
    if len(rows) > limit:
        last = page[-1]
        next_cursor = cursor_encode([last[column], last["key"]])
    return FigurePage(figure=figure, rows=page, next_cursor=next_cursor)


def figure_rows(
    *,
    figure: Figure,
    scope: Scope,
    period: Period,
    organization_id: int | None = None,
    now: datetime | None = None,
) -> Iterator[dict]:
    """Every record of the figure, streamed from a server-side cursor (for the CSV)."""
    ctx = Context(now=now or timezone.now(), period=period, owner_ids=scope.owner_ids)
    sql, params = _statement(figure, ctx, organization_id)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        while chunk := cursor.fetchmany(EXPORT_CHUNK):
            for row in chunk:
                yield dict(zip(names, row, strict=True))
