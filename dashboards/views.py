"""The managers' pages: the team overview, each figure's records (keyset-paged), the weekly
trends, and their CSV exports. Who sees which scope: dashboards.permissions."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from accounts.services import user_manager_digest_set
from core.exports import csv_response
from core.paging import keyset_page
from dashboards import selectors, snapshots
from dashboards.display import (
    COLUMNS,
    RecordLinks,
    cards_build,
    record_cells,
    scope_and_period_query,
    trend_rows,
    value_text,
)
from dashboards.forms import DashboardFilterForm, DigestSettingsForm
from dashboards.permissions import scope_choices, scope_resolve
from dashboards.selectors import CARDS, Period, Scope

# Read at request time so tests can make pages small.
PAGE_SIZE = selectors.PAGE_SIZE


@dataclass
class Choice:
    scope: Scope
    period: Period
    form: DashboardFilterForm

    @property
    def query(self) -> str:
        return scope_and_period_query(self.scope, self.period)


def _choice(request: HttpRequest) -> Choice:
    """The scope asked for (403 when not the user's to see) and the period."""
    scope = scope_resolve(user=request.user, param=request.GET.get("scope"))
    data = request.GET.copy()
    data["scope"] = scope.param
    data.setdefault("period", Period.WEEK)
    form = DashboardFilterForm(data, scope_choices=scope_choices(user=request.user, scope=scope))
    return Choice(scope=scope, period=form.period_for(timezone.now()), form=form)


def _organization(request: HttpRequest) -> int | None:
    raw = request.GET.get("organization", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Http404("No such client.")
    return int(raw)


def _figure(key: str) -> selectors.Figure:
    try:
        return selectors.figure_get(key)
    except selectors.UnknownFigure as error:
        raise Http404("No such figure.") from error


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    choice = _choice(request)
    snapshot = snapshots.overview_latest(scope=choice.scope, period=choice.period)
    overview, now = snapshot.value, snapshot.computed_at
    return render(
        request,
        "dashboards/index.html",
        {
            "choice": choice,
            "form": choice.form,
            "cards": cards_build(overview, can_open_recruiters=request.user.is_manager),
            "export_url": f"{reverse('dashboards:export')}?{choice.query}",
            "trends_url": f"{reverse('dashboards:trends')}?{choice.query}",
            "now": now,
            "snapshot": snapshot,
        },
    )


@require_GET
def overview_export(request: HttpRequest) -> StreamingHttpResponse:
    """The overview as CSV: one line a figure and a row of its card (the scope's total, each
    member, each client)."""
    choice = _choice(request)
    overview = snapshots.overview_latest(scope=choice.scope, period=choice.period).value
    return csv_response(
        filename=f"dashboard-{choice.period.key}-{timezone.localdate():%Y-%m-%d}.csv",
        header=["card", "figure", "label", "row", "value"],
        rows=_overview_lines(overview),
    )


def _overview_lines(overview: selectors.Overview):
    scope = overview.scope
    for card in CARDS:
        keys = dict.fromkeys(key for column in card.columns for key in column.figures)
        for key in keys:
            values = overview.values[key]
            figure = values.figure
            yield [card.title, key, figure.label, scope.label, value_text(figure, values.total)]
            if scope.kind != Scope.RECRUITER:
                for member in scope.members:
                    value = values.owner(member.pk)
                    yield [card.title, key, figure.label, str(member), value_text(figure, value)]
            if figure.by_organization:
                for pk, name in overview.organizations.items():
                    value = values.organization(pk)
                    yield [card.title, key, figure.label, name, value_text(figure, value)]


@require_GET
def figure_detail(request: HttpRequest, key: str) -> HttpResponse:
    """The records behind one figure, in its order, a page at a time."""
    figure = _figure(key)
    choice = _choice(request)
    organization_id = _organization(request)
    list_url = reverse("dashboards:figure", args=[figure.key])
    paged = keyset_page(
        request,
        list_url=list_url,
        fetch=lambda after: snapshots.figure_page_read(
            figure=figure, scope=choice.scope, period=choice.period, after=after,
            limit=PAGE_SIZE, organization_id=organization_id,
        ),
    )  # fmt: skip
    columns = COLUMNS[figure.source]
    links = RecordLinks()
    context = {
        "choice": choice,
        "figure": figure,
        "headers": [column.header for column in columns],
        "rows": [record_cells(columns, row, links) for row in paged.page.rows],
        **paged.context(),
        "overview_url": f"{reverse('dashboards:index')}?{choice.query}",
        "export_url": f"{reverse('dashboards:figure-export', args=[figure.key])}"
        f"?{paged.filter_query}",
    }
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "dashboards/partials/figure_table.html" if partial else "dashboards/figure.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def figure_export(request: HttpRequest, key: str) -> StreamingHttpResponse:
    """Every record behind the figure as CSV, streamed."""
    figure = _figure(key)
    choice = _choice(request)
    columns = COLUMNS[figure.source]
    rows = selectors.figure_rows(
        figure=figure,
        scope=choice.scope,
        period=choice.period,
        organization_id=_organization(request),
    )
    return csv_response(
        filename=f"{figure.key}-{timezone.localdate():%Y-%m-%d}.csv",
        header=[column.header for column in columns],
        rows=([column.csv(row) for column in columns] for row in rows),
    )


@require_GET
def trends(request: HttpRequest) -> HttpResponse:
    """The weekly series as a chart and a table; the overview loads the partial with htmx."""
    choice = _choice(request)
    snapshot = snapshots.trends_latest(scope=choice.scope)
    found = snapshot.value
    context = {
        "snapshot": snapshot,
        "choice": choice,
        "trends": found,
        "chart": found.chart(),
        "rows": trend_rows(found),
        "overview_url": f"{reverse('dashboards:index')}?{choice.query}",
    }
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "dashboards/partials/trends.html" if partial else "dashboards/trends.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
def digest_settings(request: HttpRequest) -> HttpResponse:
    """A manager's choice of the weekly digest email (dashboards.digest), from the user menu."""
    if not request.user.is_manager:
        raise PermissionDenied("The weekly digest is for managers.")
    form = DigestSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"manager_digest": request.user.manager_digest},
    )
    if request.method == "POST" and form.is_valid():
        enabled = form.cleaned_data["manager_digest"]
        user_manager_digest_set(user=request.user, enabled=enabled)
        messages.success(
            request,
            "You will get the digest every Monday." if enabled else "No more weekly digest.",
        )
        return redirect("dashboards:digest-settings")
    return render(request, "dashboards/digest_settings.html", {"form": form})
