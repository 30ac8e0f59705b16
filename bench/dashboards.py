"""What a dashboard snapshot costs to compute, on the benchmark database, for the bench's manager
(bench1's team) over the last quarter: the overview, the trends and each drill-down's first
page, computed cold as a worker refreshing a snapshot does; then the timers and sources they
read, one by one, and `EXPLAIN (ANALYZE, BUFFERS)` of the three slowest (the plans and indexes).

    DATABASE_URL=... python -m bench.dashboards [--repeats 3] [--explain 3]

Prints one JSON object on its last line (bench.run reads it) after the plans."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/dashboards", description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--explain", type=int, default=3)
    parser.add_argument("--drilldowns", default="now.breached,closure.without_notice")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from dashboards import selectors
    from dashboards.selectors.sources import BASES, SOURCES, Context, with_clause

    manager = User.objects.get(username="bench1")
    scope = selectors.Scope.for_team(manager.team)
    now = timezone.now()
    period = selectors.Period.last_quarter(now)
    computed: dict[str, float] = {}

    def timed(name: str, work) -> None:
        runs = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            work()
            runs.append(_ms(started))
        computed[name] = statistics.median(runs)
        print(f"[dashboards] {name}: median {computed[name]} ms of {runs}", flush=True)

    timed("overview", lambda: selectors.overview_get(scope=scope, period=period, now=now))
    timed("trends", lambda: selectors.trends_get(scope=scope, now=now))
    for key in filter(None, args.drilldowns.split(",")):
        figure = selectors.figure_get(key)
        timed(
            f"drill-down {key}",
            lambda figure=figure: selectors.figure_page(
                figure=figure, scope=scope, period=period, limit=50, now=now
            ),
        )

    ctx = Context(now=now, period=period, owner_ids=scope.owner_ids)
    params = ctx.params()
    parts: dict[str, tuple[str, float, int]] = {}
    with connection.cursor() as cursor:
        statements = {f"timers {name}": f"WITH b AS MATERIALIZED ({sql(ctx)}) SELECT * FROM b"
                      for name, sql in BASES.items()}  # fmt: skip
        statements |= {
            f"source {name}": with_clause(ctx, [source]) + f" SELECT * FROM src_{name}"
            for name, source in SOURCES.items()
            if not source.bases
        }
        for name, sql in statements.items():
            started = time.perf_counter()
            cursor.execute(f"SELECT count(*) FROM ({sql}) x", params)
            rows = cursor.fetchone()[0]
            parts[name] = (sql, _ms(started), rows)
            print(f"[dashboards] {name}: {parts[name][1]} ms, {rows:,} rows", flush=True)
        slowest = sorted(parts.items(), key=lambda item: -item[1][1])[: args.explain]
        for name, (sql, _, _) in slowest:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", params)
            plan = "\n".join(f"    {line}" for (line,) in cursor.fetchall())
            print(f"[dashboards] EXPLAIN of {name}, one of the three slowest:\n{plan}", flush=True)
    print(json.dumps({"computed": computed, "parts": {k: v[1] for k, v in parts.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
