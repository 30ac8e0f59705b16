"""Dashboard snapshots (dashboards.snapshots) in the real Redis: computed once, served while
fresh, served and refreshed once when stale, computed again when too old, and never when off."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings

from dashboards import snapshots
from dashboards.tasks import snapshot_refresh_task
from followups.services import followup_create
from tests.dashboards.conftest import NOW

OVERVIEW = "/api/v1/dashboards/overview/"
TRENDS = "/api/v1/dashboards/trends/"


@pytest.fixture
def snapshots_on(settings):
    """Snapshots on, under a key prefix of this test's own in the real Redis."""
    settings.CACHES = {
        **settings.CACHES,
        "dashboards": {**settings.CACHES["dashboards"], "KEY_PREFIX": f"t-{uuid.uuid4().hex}"},
    }
    settings.DASHBOARD_SNAPSHOT_SECONDS = 900
    settings.DASHBOARD_FRESH_SECONDS = 60
    return settings


def overdue(api, user) -> int:
    api.force_login(user)
    response = api.get(OVERVIEW, {"period": "week"})
    assert response.status_code == 200
    [figure] = [f for f in response.json()["figures"] if f["key"] == "debt.overdue"]
    return figure["total"]


def test_a_snapshot_is_served_while_fresh_then_refreshed_once(
    history, api, snapshots_on, django_capture_on_commit_callbacks
):
    h = history
    with time_machine.travel(NOW, tick=False) as clock:
        assert overdue(api, h.maya) == 2  # computed for this view, and kept
        followup_create(owner=h.rosa, contact=h.jack, due_at=NOW - timedelta(days=1),
                        summary="Call Jack")  # fmt: skip

        clock.move_to(NOW + timedelta(seconds=60))
        with django_capture_on_commit_callbacks() as queued:
            assert overdue(api, h.maya) == 2  # fresh: the snapshot, without Jack's
        assert queued == []

        clock.move_to(NOW + timedelta(seconds=61))
        with django_capture_on_commit_callbacks(execute=False) as queued:
            assert overdue(api, h.maya) == 2  # stale: served, and one refresh queued
            assert overdue(api, h.maya) == 2  # the second stale view queues nothing more
        assert len(queued) == 1

        # What the worker does with that task (run here in the test's transaction).
        team = f"team:{h.rosa.team_id}"
        period = {"key": "week", "start": "2026-03-02T00:00:00+00:00",
                  "end": "2026-03-09T00:00:00+00:00", "label": "This week"}  # fmt: skip
        spec = {"kind": "overview", "scope": team, "period": period, "figure": "",
                "organization": None, "limit": 0}  # fmt: skip
        snapshot_refresh_task.apply(kwargs={"spec": spec})
        assert overdue(api, h.maya) == 3

        # A snapshot older than DASHBOARD_SNAPSHOT_SECONDS is not served: computed again.
        followup_create(owner=h.rosa, contact=h.jack, due_at=NOW - timedelta(days=1),
                        summary="Call Jack again")  # fmt: skip
        clock.move_to(NOW + timedelta(seconds=61 + 901))
        assert overdue(api, h.maya) == 4


def test_the_page_says_how_old_its_figures_are(history, client, snapshots_on):
    h = history
    client.force_login(h.maya)
    with time_machine.travel(NOW, tick=False) as clock:
        first = client.get("/dashboards/").content.decode()
        assert 'data-testid="snapshot-age"' not in first  # computed for this view
        clock.move_to(NOW + timedelta(minutes=2))
        second = client.get("/dashboards/").content.decode()
    assert "These figures were computed 2\xa0minutes ago, at 12:00" in second


def test_trends_are_snapshots_too(history, api, snapshots_on):
    h = history
    api.force_login(h.maya)
    with time_machine.travel(NOW, tick=False):
        first = api.get(TRENDS).json()
        followup_create(owner=h.rosa, contact=h.jack, due_at=NOW - timedelta(days=1),
                        summary="Call Jack")  # fmt: skip
        assert api.get(TRENDS).json() == first
        team = snapshots.Scope.for_param(f"team:{h.rosa.team_id}")
        assert snapshots.trends_latest(scope=team).live is False


def test_a_drill_down_first_page_is_the_snapshot_of_its_card(history, api, snapshots_on):
    h = history
    api.force_login(h.maya)
    url = "/api/v1/dashboards/figures/debt.overdue/"
    with time_machine.travel(NOW, tick=False):
        first = api.get(url, {"period": "week", "limit": 1}).json()
        followup_create(owner=h.rosa, contact=h.jack, due_at=NOW - timedelta(days=10),
                        summary="Call Jack")  # fmt: skip
        again = api.get(url, {"period": "week", "limit": 1}).json()
        assert again == first  # the first page: as of the snapshot, as its card
        # The next page is read live, after the first page's last row.
        rest = api.get(first["next"]).json()
    assert [row["summary"] for row in first["results"]] == ["Call Gina back"]
    assert [row["summary"] for row in rest["results"]] == ["Send Finn the role"]


def test_off_means_every_view_computes(history, api):
    assert settings.DASHBOARD_SNAPSHOT_SECONDS == 0  # how the other tests run
    h = history
    with time_machine.travel(NOW, tick=False):
        assert overdue(api, h.maya) == 2
        followup_create(owner=h.rosa, contact=h.jack, due_at=NOW - timedelta(days=1),
                        summary="Call Jack")  # fmt: skip
        assert overdue(api, h.maya) == 3
