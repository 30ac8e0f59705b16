"""Weekly trends on the known history (conftest.py)."""

import datetime as dt

import pytest

from dashboards.selectors import Scope, trends_get
from tests.dashboards.conftest import NOW

pytestmark = pytest.mark.django_db


def test_trends_of_the_last_twelve_weeks(shared_history, django_assert_num_queries):
    scope = Scope.for_team(shared_history.rosa.team)

    with django_assert_num_queries(1):
        trends = trends_get(scope=scope, now=NOW)

    assert (trends.weeks[0], trends.weeks[-1]) == (dt.date(2025, 12, 15), dt.date(2026, 3, 2))
    assert len(trends.weeks) == 12
    by_key = {series.key: series.values[-3:] for series in trends.series}
    assert by_key == {
        # weeks of 16 Feb, 23 Feb and 2 Mar
        "promises.status_update": [None, None, 0.0],
        "promises.closure": [None, None, 33.3],
        "promises.client_digest": [None, None, 50.0],
        "promises.relationship_touch": [0.0, 0.0, 0.0],  # Jack, Gina, then Hugo late
        "promises.client_decision": [None, 0.0, 100.0],  # Dan's wait, then Eve's
        "closure": [None, None, 66.7],
        "debt": [0, 0, 2],
    }
    earlier = {series.key: series.values[:-3] for series in trends.series}
    assert earlier == {key: [0] * 9 if key == "debt" else [None] * 9 for key in by_key}
    chart = trends.chart()
    assert chart["labels"][-1] == "02 Mar"
    assert [d["yAxisID"] for d in chart["datasets"]] == ["percent"] * 6 + ["count"]
    assert trends.rows()[-1] == (dt.date(2026, 3, 2), [0.0, 33.3, 50.0, 0.0, 100.0, 66.7, 2])


def test_trends_of_an_empty_team(shared_history, empty_team):
    trends = trends_get(scope=Scope.for_team(empty_team), now=NOW)

    assert {series.key: set(series.values) for series in trends.series} == {
        **{series.key: {None} for series in trends.series if series.key != "debt"},
        "debt": {0},
    }
