"""Reads for the managers' dashboards, shared by the pages, the CSV exports, the API and the
weekly digest. Every aggregate is computed in PostgreSQL; each call is a constant number of
queries whatever the team's size.

Two values say what to read:

    Scope   whose figures: Scope.for_team(team), Scope.for_everyone(), Scope.for_recruiter(user)
            (.members are the rows of every card; .owner_ids filters, None for everyone;
            .param is "team:<id>", "recruiter:<id>" or "everyone", .query() {"scope": param}).
            Who may see which: dashboards.permissions.scope_resolve(user=..., param=...) returns
            the Scope or raises PermissionDenied (403) / Http404.
    Period  over which time: Period.this_week(now), Period.last_4_weeks(now),
            Period.last_quarter(now), Period.custom(first_day, last_day) (both included), or
            Period.named(key, now=..., first_day=..., last_day=...); [start, end) in local time.

and four functions read:

    overview_get(*, scope, period, now=None) -> Overview
        Every figure of FIGURES for the scope: Overview.values[key] is a FigureValues with
        .total, .owner(user_id) and, for per-client figures, .organization(org_id); plus the
        cards' previews and the jobs whose split suggestion fires. 5 queries.
    figure_page(*, figure, scope, period, after=None, limit=50, organization_id=None,
                now=None) -> FigurePage
        One keyset page of the records behind a figure (figure_get(key) finds it), filtered
        exactly as the figure counts them: for a count figure, the rows add up to its value.
        `after` is the previous page's next_cursor; a bad one raises InvalidCursor. 1 query.
    figure_rows(*, figure, scope, period, organization_id=None, now=None) -> Iterator[dict]
        All of those records, streamed (for a CSV).
    trends_get(*, scope, weeks=12, now=None) -> Trends
        Weekly series (promises kept per kind, closure coverage, follow-up debt); .chart() is
        Chart.js data, .rows() the same numbers as a table. 1 query.

FIGURES (dashboards.selectors.figures) names every figure ("closure.notified_pct", ...) with
its label, unit and measure; CARDS lays them out as the overview shows them. Jobs with a split
suggestion ("pipeline.split") are the one figure computed in Python (jobs.divergence); its
records are `split_suggestion_fired(scope)`.
"""

from core.cursors import InvalidCursor
from dashboards.selectors.drilldown import (
    PAGE_SIZE,
    FigurePage,
    UnknownFigure,
    figure_get,
    figure_page,
    figure_rows,
)
from dashboards.selectors.figures import CARDS, FIGURES, Card, Column, Figure
from dashboards.selectors.overview import FigureValues, Overview, overview_get
from dashboards.selectors.scope import Period, Scope
from dashboards.selectors.splits import split_candidate_jobs, split_suggestion_fired
from dashboards.selectors.trends import Series, Trends, trends_get

__all__ = [
    "CARDS",
    "FIGURES",
    "PAGE_SIZE",
    "Card",
    "Column",
    "Figure",
    "FigurePage",
    "FigureValues",
    "InvalidCursor",
    "Overview",
    "Period",
    "Scope",
    "Series",
    "Trends",
    "UnknownFigure",
    "figure_get",
    "figure_page",
    "figure_rows",
    "overview_get",
    "split_candidate_jobs",
    "split_suggestion_fired",
    "trends_get",
]
