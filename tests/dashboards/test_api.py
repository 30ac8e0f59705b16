"""The dashboards' API: the page's figures as JSON on the known history (conftest.py), the
pages' permissions per persona, paging, a constant number of queries and the schema."""

import pytest
import time_machine
from rest_framework.authtoken.models import Token

from dashboards.selectors import FIGURES
from tests.dashboards.conftest import NOW
from tests.dashboards.test_overview import EXPECTED
from tests.dashboards.test_pages import team_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OVERVIEW = "/api/v1/dashboards/overview/"
TRENDS = "/api/v1/dashboards/trends/"
BREACHED = "/api/v1/dashboards/figures/now.breached/"
URLS = [OVERVIEW, TRENDS, BREACHED]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def signed_in(api, user):
    api.force_login(user)
    return api


# --- the page's figures --------------------------------------------------------------------------


def test_overview_has_every_figure_of_the_page(shared_history, api):
    h = shared_history
    response = signed_in(api, h.maya).get(OVERVIEW, {"period": "week"})

    assert response.status_code == 200
    data = response.json()
    assert data["scope"] == {"param": f"team:{h.rosa.team_id}", "kind": "team",
                             "label": "London desk"}  # fmt: skip
    assert data["period"] == {
        "key": "week",
        "label": "This week",
        "start": "2026-03-02T00:00:00Z",
        "end": "2026-03-09T00:00:00Z",
    }
    figures = {figure["key"]: figure for figure in data["figures"]}
    assert sorted(figures) == sorted(FIGURES)
    found = {}
    for key, figure in figures.items():
        owners = {owner["name"]: owner["value"] for owner in figure["owners"]}
        found[key] = (figure["total"], owners[str(h.rosa)], owners[str(h.tom)])
    assert found == EXPECTED
    assert [owner["id"] for owner in figures["now.breached"]["owners"]] == [
        h.maya.pk,
        h.rosa.pk,
        h.tom.pk,
        h.una.pk,
    ]
    digests = figures["promises.client_digest.kept"]
    assert digests["organizations"] == [
        {"id": h.data_lead.organization_id, "name": "Acme", "value": 0.0},
        {"id": h.backend.organization_id, "name": "Globex", "value": 100.0},
    ]
    assert figures["now.breached"]["organizations"] == []
    assert (figures["now.breached"]["label"], figures["now.breached"]["unit"]) == (
        FIGURES["now.breached"].label,
        "count",
    )


def test_a_recruiter_overview_is_their_own_card(shared_history, api):
    h = shared_history
    data = signed_in(api, h.rosa).get(OVERVIEW).json()

    assert data["scope"]["param"] == f"recruiter:{h.rosa.pk}"
    figures = {figure["key"]: figure for figure in data["figures"]}
    assert {key: figure["total"] for key, figure in figures.items()} == {
        key: rosa for key, (_, rosa, _) in EXPECTED.items()
    }


def test_a_custom_period_and_bad_ones(shared_history, api):
    signed_in(api, shared_history.maya)

    custom = api.get(OVERVIEW, {"period": "custom", "start": "2026-03-02", "end": "2026-03-08"})
    assert custom.json()["period"]["label"] == "02 Mar 2026 – 08 Mar 2026"
    closed = {f["key"]: f["total"] for f in custom.json()["figures"]}["closure.decided"]
    assert closed == 3
    backwards = api.get(OVERVIEW, {"period": "custom", "start": "2026-03-08", "end": "2026-03-02"})
    assert backwards.status_code == 400
    assert backwards.json()["error"] == {
        "code": "invalid",
        "message": "Some fields are not valid.",
        "fields": {"end": ["The period ends before it starts."]},
    }
    assert api.get(OVERVIEW, {"period": "decade"}).status_code == 400


def test_trends_are_the_page_series(shared_history, api):
    h = shared_history
    data = signed_in(api, h.maya).get(TRENDS).json()

    assert data["scope"]["label"] == "London desk"
    assert len(data["weeks"]) == 12
    assert data["weeks"][-1] == "2026-03-02"
    series = {series["key"]: series for series in data["series"]}
    assert series["closure"]["values"][-1] == 66.7
    assert series["debt"]["values"][-1] == 2
    assert series["debt"]["unit"] == "count"
    assert series["promises.client_digest"]["values"][-1] == 50.0


@pytest.mark.parametrize("key", [key for key, figure in FIGURES.items() if figure.is_count])
def test_count_equals_the_records_of_the_api(shared_history, api, key):
    signed_in(api, shared_history.maya)

    response = api.get(f"/api/v1/dashboards/figures/{key}/", {"period": "week", "limit": 200})

    assert response.status_code == 200
    assert response.json()["next"] is None
    assert len(response.json()["results"]) == EXPECTED[key][0]


def test_records_in_order_a_page_at_a_time(shared_history, api):
    h = shared_history
    signed_in(api, h.maya)

    first = api.get("/api/v1/dashboards/figures/now.queue/", {"limit": 3}).json()
    assert [row["contact_name"] for row in first["results"]] == ["Jack Cole", "Gina Ross", "Dan Wu"]
    assert first["results"][0]["contact_id"] == h.jack.pk
    assert first["results"][0]["owner_name"] == "Rosa Reyes"
    assert first["next"].startswith("http://testserver/api/v1/dashboards/figures/now.queue/?")
    second = api.get(first["next"]).json()
    third = api.get(second["next"]).json()
    keys = [row["key"] for page in (first, second, third) for row in page["results"]]
    assert len(keys) == EXPECTED["now.queue"][0] == len(set(keys))
    assert third["next"] is None
    bad = api.get("/api/v1/dashboards/figures/now.queue/", {"after": "nonsense"})
    assert bad.status_code == 400
    assert list(bad.json()["error"]["fields"]) == ["after"]
    assert api.get("/api/v1/dashboards/figures/now.queue/", {"limit": 0}).status_code == 400


def test_records_of_one_client(shared_history, api):
    h = shared_history
    signed_in(api, h.maya)

    acme = api.get(
        "/api/v1/dashboards/figures/decision.count/",
        {"period": "week", "organization": h.data_lead.organization_id},
    ).json()["results"]
    assert [row["organization_name"] for row in acme] == ["Acme"]


# --- who sees what -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", URLS)
def test_anonymous_and_bad_tokens_get_401(api, url):
    assert api.get(url).status_code == 401
    response = api.get(url, HTTP_AUTHORIZATION="Token not-a-real-key")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


@pytest.mark.parametrize("url", URLS)
def test_a_recruiter_reads_their_own_figures_only(shared_history, api, url):
    h = shared_history
    token = Token.objects.create(user=h.rosa)
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}

    assert api.get(url, **headers).status_code == 200
    assert api.get(url, {"scope": f"recruiter:{h.rosa.pk}"}, **headers).status_code == 200
    for other in (f"recruiter:{h.tom.pk}", f"team:{h.rosa.team_id}", "everyone"):
        response = api.get(url, {"scope": other}, **headers)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("url", URLS)
def test_a_manager_reads_their_team_and_its_recruiters(shared_history, api, url):
    h = shared_history
    signed_in(api, h.maya)

    for mine in ({}, {"scope": f"team:{h.maya.team_id}"}, {"scope": f"recruiter:{h.tom.pk}"}):
        assert api.get(url, mine).status_code == 200
    for other in (f"team:{h.bob.team_id}", f"recruiter:{h.bob.pk}", "everyone"):
        assert api.get(url, {"scope": other}).status_code == 403


@pytest.mark.parametrize("url", URLS)
def test_an_admin_reads_any_team_or_everyone(shared_history, api, url, admin_user):
    h = shared_history
    signed_in(api, admin_user)

    for scope in ("everyone", f"team:{h.bob.team_id}", f"recruiter:{h.rosa.pk}"):
        assert api.get(url, {"scope": scope}).status_code == 200


def test_unknown_figures_teams_and_scopes_are_not_found(shared_history, api, admin_user):
    signed_in(api, admin_user)

    response = api.get("/api/v1/dashboards/figures/no.such/")
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "not_found", "message": "No such figure.",
                                        "fields": {}}  # fmt: skip
    assert api.get(OVERVIEW, {"scope": "team:999999"}).status_code == 404
    assert api.get(OVERVIEW, {"scope": "martians"}).status_code == 404
    assert api.get(TRENDS, {"scope": "recruiter:999999"}).status_code == 404


def test_everyone_is_an_admin_default_without_a_team(shared_history, api):
    root = UserFactory(username="root", role="admin", team=None)

    assert signed_in(api, root).get(OVERVIEW).json()["scope"]["label"] == "Everyone"


# --- a constant number of queries ----------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 3])
def test_records_queries_do_not_grow_with_the_rows(api, django_assert_num_queries, size):
    _, manager = team_of(size)
    signed_in(api, manager)

    # session, user, team, members, the page
    with django_assert_num_queries(5):
        response = api.get("/api/v1/dashboards/figures/now.queue/")
    assert len(response.json()["results"]) == 3 * size


@pytest.mark.parametrize("size", [1, 3])
def test_overview_queries_do_not_grow_with_the_team(api, django_assert_num_queries, size):
    _, manager = team_of(size)
    signed_in(api, manager)

    # session, user, team, members, the figures, the previews, split suggestions (3)
    with django_assert_num_queries(9):
        assert api.get(OVERVIEW, {"period": "4weeks"}).status_code == 200


# --- OpenAPI -------------------------------------------------------------------------------------


def test_schema_documents_the_dashboards(rosa_api):
    response = rosa_api.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/dashboards/overview/", "/api/v1/dashboards/trends/",
            "/api/v1/dashboards/figures/{key}/"} <= set(paths)  # fmt: skip
    figure = paths["/api/v1/dashboards/figures/{key}/"]["get"]
    names = {parameter["name"] for parameter in figure["parameters"]}
    assert names == {"key", "scope", "period", "start", "end", "organization", "after", "limit"}
    ok = figure["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/PaginatedFigureRecordList"}
    assert set(figure["responses"]) == {"200", "400", "401", "403", "404"} - {"401"}
