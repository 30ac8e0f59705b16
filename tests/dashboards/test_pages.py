"""The dashboards' pages and CSV exports: what each persona may open, the records behind every
count (page and CSV), paging, and a constant number of queries."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine

from dashboards import views
from dashboards.selectors import FIGURES
from tests.dashboards.conftest import NOW
from tests.dashboards.test_overview import EXPECTED
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def signed_in(client, user):
    client.force_login(user)
    return client


# --- who sees what -------------------------------------------------------------------------------

PAGES = ["/dashboards/", "/dashboards/export.csv", "/dashboards/trends/",
         "/dashboards/now.breached/", "/dashboards/now.breached/export.csv"]  # fmt: skip


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_go_to_the_login_page(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", PAGES)
def test_a_recruiter_sees_their_own_card_only(shared_history, client, url):
    h = shared_history
    signed_in(client, h.rosa)

    assert client.get(url).status_code == 200
    assert client.get(f"{url}?scope=recruiter:{h.rosa.pk}").status_code == 200
    for other in (f"recruiter:{h.tom.pk}", f"team:{h.rosa.team_id}", "everyone"):
        assert client.get(f"{url}?scope={other}").status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_a_manager_sees_their_team_and_its_recruiters(shared_history, client, url):
    h = shared_history
    signed_in(client, h.maya)

    for mine in ("", f"?scope=team:{h.maya.team_id}", f"?scope=recruiter:{h.tom.pk}"):
        assert client.get(f"{url}{mine}").status_code == 200
    for other in (f"team:{h.bob.team_id}", f"recruiter:{h.bob.pk}", "everyone"):
        assert client.get(f"{url}?scope={other}").status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_an_admin_picks_any_team_or_everyone(shared_history, client, url, admin_user):
    h = shared_history
    signed_in(client, admin_user)

    for scope in ("everyone", f"team:{h.bob.team_id}", f"recruiter:{h.rosa.pk}"):
        assert client.get(f"{url}?scope={scope}").status_code == 200


def test_unknown_figures_teams_and_scopes_are_not_found(shared_history, client, admin_user):
    signed_in(client, admin_user)

    assert client.get("/dashboards/no.such/").status_code == 404
    assert client.get("/dashboards/?scope=team:999999").status_code == 404
    assert client.get("/dashboards/?scope=martians").status_code == 404
    assert client.get("/dashboards/now.queue/?organization=x").status_code == 404


def test_the_default_scope_per_persona(shared_history, client, admin_user):
    h = shared_history

    def label(user):
        signed_in(client, user)
        return client.get("/dashboards/").context["choice"].scope.label

    assert label(h.rosa) == "Rosa Reyes"
    assert label(h.maya) == "London desk"
    assert label(admin_user) == "London desk"  # the admin persona sits on the London desk
    assert label(UserFactory(username="root", role="admin", team=None)) == "Everyone"


# --- the overview page ---------------------------------------------------------------------------


def test_overview_page_shows_every_card_with_links_to_the_records(shared_history, client):
    h = shared_history
    response = signed_in(client, h.maya).get("/dashboards/?period=week")

    assert response.status_code == 200
    page = response.content.decode()
    for card in ("promises", "now", "fading", "closures", "digests", "debt", "relationships",
                 "pipeline", "deliverability", "handoffs"):  # fmt: skip
        assert f'data-testid="card-{card}"' in page
    team = f"scope=team%3A{h.rosa.team_id}&amp;period=week"
    assert f'href="/dashboards/now.breached/?{team}" aria-label="6 breached">6</a>' in page
    rosa = f"scope=recruiter%3A{h.rosa.pk}&amp;period=week"
    assert f'href="/dashboards/now.breached/?{rosa}" aria-label="5 breached">5</a>' in page
    acme = f"{team}&amp;organization={h.data_lead.organization_id}"
    assert f'href="/dashboards/decision.median_days/?{acme}" aria-label="2.0 d median"' in page
    assert 'class="text-danger fw-semibold">-15 d 3 h</span>' in page  # Jack, in red


def test_overview_export_has_a_line_per_figure_and_row(shared_history, client):
    h = shared_history
    rows = csv_rows(signed_in(client, h.maya).get("/dashboards/export.csv?period=week"))

    assert rows[0] == ["card", "figure", "label", "row", "value"]
    lines = {(row[1], row[3]): row[4] for row in rows[1:]}
    assert lines[("now.breached", "London desk")] == "6"
    assert lines[("now.breached", str(h.rosa))] == "5"
    assert lines[("closure.notified_pct", "London desk")] == "66.7 %"
    assert lines[("promises.client_digest.kept", "Globex")] == "100.0 %"
    assert lines[("fading.quiet_longest", str(h.tom))] == "—"


def test_overview_period_choice_and_a_bad_custom_period(shared_history, client):
    signed_in(client, shared_history.maya)

    custom = client.get("/dashboards/?period=custom&start=2025-01-06&end=2025-01-12")
    assert custom.context["choice"].period.label == "06 Jan 2025 – 12 Jan 2025"
    backwards = client.get("/dashboards/?period=custom&start=2025-01-12&end=2025-01-06")
    assert backwards.context["choice"].period.label == "This week"
    assert backwards.context["form"].errors == {"end": ["The period ends before it starts."]}


# --- every count is the number of its records, on the page and in the CSV ------------------------

COUNT_FIGURES = [key for key, figure in FIGURES.items() if figure.is_count]


@pytest.mark.parametrize("key", COUNT_FIGURES)
def test_count_equals_the_records_on_the_page_and_in_the_csv(
    shared_history, client, monkeypatch, key
):
    monkeypatch.setattr(views, "PAGE_SIZE", 500)
    signed_in(client, shared_history.maya)

    overview = client.get("/dashboards/?period=week").context["cards"]
    page = client.get(f"/dashboards/{key}/?period=week")
    exported = csv_rows(client.get(f"/dashboards/{key}/export.csv?period=week"))

    count = EXPECTED[key][0]
    shown = {value.url: value.text for table in overview for cell in table.total.cells
             for value in cell}  # fmt: skip
    url = f"/dashboards/{key}/?scope=team%3A{shared_history.rosa.team_id}&period=week"
    if url in shown:  # the figures a card shows (the others are on their records' page only)
        assert shown[url] == str(count)
    assert len(page.context["rows"]) == count
    assert len(exported) - 1 == count


def test_split_suggestion_records_are_the_jobs_it_fires_on(shared_history, client):
    signed_in(client, shared_history.maya)

    page = client.get("/dashboards/pipeline.split/")

    assert page.status_code == 200
    assert page.context["rows"] == []


# --- the records pages ---------------------------------------------------------------------------


def test_records_page_in_order_with_links_and_pages(shared_history, client, monkeypatch):
    h = shared_history
    monkeypatch.setattr(views, "PAGE_SIZE", 3)
    signed_in(client, h.maya)

    first = client.get("/dashboards/now.queue/")
    names = [cells[2]["text"] for cells in first.context["rows"]]
    assert names == ["Jack Cole", "Gina Ross", "Dan Wu"]
    assert first.context["rows"][0][2]["url"] == f"/contacts/{h.jack.pk}/"
    assert first.context["rows"][2][3]["url"] == f"/jobs/{h.data_lead.pk}/"
    assert first.context["rows"][0][8] == {"text": "-15 d 3 h", "url": "",
                                           "css": "text-danger fw-semibold"}  # fmt: skip
    second = client.get(first.context["next_url"])
    third = client.get(second.context["next_url"])
    assert [cells[2]["text"].split()[0] for cells in second.context["rows"]] == [
        "Hana",  # the Data lead digest, to its hiring manager
        "Dan",  # his status update, due at the same time
        "Cleo",
    ]
    assert [cells[1]["text"] for cells in third.context["rows"]] == ["Due soon"]
    assert third.context["next_url"] == ""
    assert third.context["first_url"].startswith("/dashboards/now.queue/")


def test_records_page_htmx_partial_and_a_bad_cursor(shared_history, client):
    signed_in(client, shared_history.maya)

    partial = client.get("/dashboards/now.queue/", HTTP_HX_REQUEST="true")
    bad = client.get("/dashboards/now.queue/?after=bm90LWEtY3Vyc29y")

    assert "<html" not in partial.content.decode()
    assert 'data-testid="records"' in partial.content.decode()
    assert bad.status_code == 200
    assert bad.context["cursor_error"].startswith("This page link is not valid")
    assert len(bad.context["rows"]) == 7


def test_records_per_client(shared_history, client):
    h = shared_history
    signed_in(client, h.maya)

    page = client.get(
        f"/dashboards/promises.client_digest.met/?organization={h.backend.organization_id}"
    )
    other = client.get(
        f"/dashboards/promises.client_digest.met/?organization={h.data_lead.organization_id}"
    )

    assert [cells[3]["text"] for cells in page.context["rows"]] == ["Backend"]
    assert other.context["rows"] == []


def test_csv_cells_are_formula_safe(shared_history, client):
    h = shared_history
    h.jack.first_name = "=HYPERLINK(1)"
    h.jack.save(update_fields=["first_name"])
    signed_in(client, h.maya)

    rows = csv_rows(client.get("/dashboards/rel.untouched/export.csv"))

    assert rows[1][0] == "'=HYPERLINK(1) Cole"


# --- trends --------------------------------------------------------------------------------------


def test_trends_page_and_partial(shared_history, client):
    signed_in(client, shared_history.maya)

    page = client.get("/dashboards/trends/")
    partial = client.get("/dashboards/trends/", HTTP_HX_REQUEST="true").content.decode()

    assert page.status_code == 200
    assert 'id="trends-data" type="application/json"' in partial
    assert 'data-chart="trends-data"' in partial
    assert "<script>" not in partial.replace('<script id="trends-data"', "")
    assert page.context["rows"][-1] == (
        page.context["trends"].weeks[-1],
        ["0.0 %", "33.3 %", "50.0 %", "0.0 %", "100.0 %", "66.7 %", "2"],
    )


# --- a constant number of queries ----------------------------------------------------------------


def team_of(size: int):
    """A desk of `size` recruiters, each with an overdue follow-up, a breached timer and a
    drill-down row or two, and its manager."""
    from tests.factories import CandidacyFactory, JobFactory, RelationshipFactory

    team = TeamFactory(name=f"Desk of {size}")
    manager = UserFactory(username=f"boss{size}", role="manager", team=team)
    with time_machine.travel(NOW - timedelta(days=30), tick=False):
        for index in range(size):
            recruiter = UserFactory(username=f"r{size}-{index}", team=team)
            job = JobFactory(owner=recruiter)
            CandidacyFactory(job=job, stage="submitted")
            RelationshipFactory(owner=recruiter, tier="A")
    return team, manager


@pytest.mark.parametrize("size", [1, 3])
def test_overview_queries_do_not_grow_with_the_team(client, django_assert_num_queries, size):
    _, manager = team_of(size)
    signed_in(client, manager)

    # session, user, team, members, the figures, the previews, split suggestions (3)
    with django_assert_num_queries(9):
        response = client.get("/dashboards/?period=4weeks")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.parametrize("key", ["now.queue", "rel.overdue", "pipeline.in_stage_median_days"])
def test_records_queries_do_not_grow_with_the_rows(client, django_assert_num_queries, size, key):
    _, manager = team_of(size)
    signed_in(client, manager)

    # session, user, team, members, the page
    with django_assert_num_queries(5):
        response = client.get(f"/dashboards/{key}/")
    # each recruiter: a status update, a wait on the client and a relationship, all breached
    per_recruiter = {"now.queue": 3, "rel.overdue": 1, "pipeline.in_stage_median_days": 1}
    assert len(response.context["rows"]) == per_recruiter[key] * size


@pytest.mark.parametrize("size", [1, 3])
def test_trends_queries_do_not_grow_with_the_team(client, django_assert_num_queries, size):
    _, manager = team_of(size)
    signed_in(client, manager)

    with django_assert_num_queries(5):
        assert client.get("/dashboards/trends/").status_code == 200
