"""How planner statements run: in bounded chunks, each its own transaction.

A planner is one INSERT ... SELECT. Over a big book one statement for everything grows with its
own inserts (the NOT EXISTS it checks reads the rows it has just written) and holds one long
transaction; a run stopped half-way loses everything. So each statement takes a range of the
driving table's primary keys (`%(lo)s <= id < %(hi)s`, the placeholders its SQL names) and the
ranges run one after the other, each committed alone. Every row has a unique idempotency key, so a
run that stops between chunks leaves whole chunks behind and the next run carries on.
"""

from django.conf import settings
from django.db import connection, transaction


def execute(sql: str, params: dict) -> int:
    """Run one planner statement; returns how many rows it inserted."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def execute_once(sql: str, params: dict) -> int:
    """Run one planner statement as its own transaction."""
    with transaction.atomic():
        return execute(sql, params)


def id_bounds(table: str) -> tuple[int, int] | None:
    """The smallest and largest primary key of one of the planners' own driving tables."""
    with connection.cursor() as cursor:
        # The table name is one of the planners' constants, never input.
        cursor.execute(f"SELECT min(id), max(id) FROM {table}")  # noqa: S608
        low, high = cursor.fetchone()
    return None if low is None else (low, high)


def execute_chunked(
    sql: str,
    params: dict,
    *,
    table: str,
) -> int:
    """Run `sql` once per range of `table`'s ids, each range in its own transaction."""
    bounds = id_bounds(table)
    if bounds is None:
        return 0
    size = settings.FOLLOWUPS_PLAN_CHUNK
    inserted = 0
    for low in range(bounds[0], bounds[1] + 1, size):
        with transaction.atomic():
            inserted += execute(sql, {**params, "lo": low, "hi": low + size})
    return inserted
