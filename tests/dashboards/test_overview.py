"""Every figure of the overview on the known history (conftest.py), worked out by hand."""

import datetime as dt

import pytest

from dashboards.selectors import FIGURES, Period, Scope, figure_get, figure_page, overview_get
from dashboards.selectors.overview import FigureValues, _busiest_clients
from tests.dashboards.conftest import NOW, at

pytestmark = pytest.mark.django_db

# figure: (London desk total, Rosa, Tom). Una and Maya own nothing: 0 for counts, None (no
# rows to measure) for the rest.
EXPECTED = {
    # Timers due this week: Dan's status update (due Mon 09:00, never sent) breached; closure
    # notices: Ana's at her deadline, Ben's call a minute late, Cleo's never; the Data lead
    # digest never sent, the Backend one exactly on time; Hugo touched a day late; Eve's
    # submittal decided in two of its five days.
    "promises.status_update.kept": (0.0, 0.0, None),
    "promises.status_update.met": (0, 0, 0),
    "promises.status_update.late": (0, 0, 0),
    "promises.status_update.breached": (1, 1, 0),
    "promises.closure.kept": (33.3, 33.3, None),
    "promises.closure.met": (1, 1, 0),
    "promises.closure.late": (1, 1, 0),
    "promises.closure.breached": (1, 1, 0),
    "promises.client_digest.kept": (50.0, 0.0, 100.0),
    "promises.client_digest.met": (1, 0, 1),
    "promises.client_digest.late": (0, 0, 0),
    "promises.client_digest.breached": (1, 1, 0),
    "promises.relationship_touch.kept": (0.0, None, 0.0),
    "promises.relationship_touch.met": (0, 0, 0),
    "promises.relationship_touch.late": (1, 0, 1),
    "promises.relationship_touch.breached": (0, 0, 0),
    "promises.client_decision.kept": (100.0, 100.0, None),
    "promises.client_decision.met": (1, 1, 0),
    "promises.client_decision.late": (0, 0, 0),
    "promises.client_decision.breached": (0, 0, 0),
    # Open now: Rosa's Jack (tier C, untouched since November), Dan's wait on the client and
    # his status update, the Data lead digest, Cleo's notice; Tom's Gina. Due soon: Hana.
    "now.queue": (7, 6, 1),
    "now.breached": (6, 5, 1),
    "now.due_soon": (1, 1, 0),
    "fading.quiet": (1, 1, 0),
    "fading.quiet_longest": (10.1, 10.1, None),  # Dan: 10 days 3 hours
    "fading.waiting": (1, 1, 0),
    "fading.waiting_longest": (9.1, 9.1, None),  # Dan, submitted 9 days 3 hours ago
    # Ana, Ben and Cleo decided on Monday: two notified, 48 h and 48 h 1 min after.
    "closure.decided": (3, 3, 0),
    "closure.notified_pct": (66.7, 66.7, None),
    "closure.notified": (2, 2, 0),
    "closure.median_hours": (48.0, 48.0, None),
    "closure.p90_hours": (48.0, 48.0, None),
    "closure.without_notice": (1, 1, 0),
    # No one wrote back this week (tests/dashboards/test_replies.py has replies).
    "replies.owed": (0, 0, 0),
    "replies.on_time_pct": (None, None, None),
    "replies.median_hours": (None, None, None),
    "replies.p90_hours": (None, None, None),
    "replies.waiting": (0, 0, 0),
    # Rosa's two closure notices this week asked for a rating; no one has answered yet
    # (tests/dashboards/test_ratings.py has answers).
    "ratings.asked": (2, 2, 0),
    "ratings.answered_pct": (0.0, 0.0, None),
    "ratings.good_pct": (None, None, None),
    "ratings.good_pct.screening": (None, None, None),
    "ratings.good_pct.client": (None, None, None),
    "ratings.good_pct.offer": (None, None, None),
    "ratings.not_good": (0, 0, 0),
    "ratings.comments": (0, 0, 0),
    "decision.count": (1, 1, 0),
    "decision.median_days": (2.0, 2.0, None),
    "decision.p90_days": (2.0, 2.0, None),
    # Tom's call to Gina (due Tue) and the follow-up about Finn he handed to Rosa (due Wed);
    # Ben's closure notice turned into a call, made.
    "debt.overdue": (2, 1, 1),
    "debt.overdue_median_days": (1.6, 1.1, 2.1),
    "debt.overdue_max_days": (2.1, 1.1, 2.1),
    "debt.calls_opened": (1, 1, 0),
    "debt.calls_open": (0, 0, 0),
    "rel.overdue": (2, 1, 1),
    "rel.untouched": (1, 1, 0),
    "rel.overdue.A.client": (1, 0, 1),
    "rel.overdue.A.candidate": (0, 0, 0),
    "rel.overdue.B.client": (0, 0, 0),
    "rel.overdue.B.candidate": (0, 0, 0),
    "rel.overdue.C.client": (0, 0, 0),
    "rel.overdue.C.candidate": (1, 1, 0),
    "pipeline.stalled": (1, 0, 1),  # the Archivist job: open since 9 Feb, nobody moved
    "pipeline.split": (0, 0, 0),
    "pipeline.in_stage_median_days": (5.1, 5.1, None),  # Dan 9.1 days, Eve 1.1
    "pipeline.submitted": (1, 1, 0),
    "pipeline.interview": (1, 1, 0),
    "pipeline.offer": (0, 0, 0),
    "pipeline.placed": (0, 0, 0),
    "pipeline.to_interview_pct": (100.0, 100.0, None),
    "pipeline.to_offer_pct": (0.0, 0.0, None),
    "pipeline.to_placed_pct": (None, None, None),
    # Sent this week: Tom's digest (it bounced: Gil's address is suppressed), Ana's notice.
    "deliver.sent": (2, 1, 1),
    "deliver.bounce_pct": (50.0, 0.0, 100.0),
    "deliver.bounced": (1, 0, 1),
    "deliver.complaint_pct": (0.0, 0.0, 0.0),
    "deliver.complained": (0, 0, 0),
    "deliver.suppressed": (1, 0, 1),
    # Tom handed Finn, and the follow-up about him, to Rosa.
    "handoffs.given": (1, 0, 1),
    "handoffs.received": (1, 1, 0),
    "handoffs.relationships_out": (1, 0, 1),
    "handoffs.relationships_in": (1, 1, 0),
    "handoffs.promises_out": (1, 0, 1),
    "handoffs.promises_in": (1, 1, 0),
    "handoffs.jobs_out": (0, 0, 0),
    "handoffs.jobs_in": (0, 0, 0),
}
PERIOD_FREE = {key for key in EXPECTED if key.split(".")[0] in ("now", "fading", "rel")} | {
    "debt.overdue",
    "debt.overdue_median_days",
    "debt.overdue_max_days",
    "pipeline.stalled",
    "pipeline.split",
    "pipeline.in_stage_median_days",
}


def nothing(key):
    return 0 if FIGURES[key].measure in ("count", "sum", "python") else None


def test_every_figure_is_in_the_expectations():
    assert sorted(EXPECTED) == sorted(FIGURES)


def test_overview_of_the_team_this_week(shared_history):
    h = shared_history
    overview = overview_get(
        scope=Scope.for_team(h.rosa.team), period=Period.this_week(NOW), now=NOW
    )

    found = {
        key: (
            overview.value(key),
            overview.value(key, h.rosa.pk),
            overview.value(key, h.tom.pk),
        )
        for key in EXPECTED
    }
    assert found == EXPECTED
    assert {key: overview.value(key, h.una.pk) for key in EXPECTED} == {
        key: nothing(key) for key in EXPECTED
    }
    assert [member.username for member in overview.scope.members] == ["maya", "rosa", "tom", "una"]


def test_overview_per_client(shared_history):
    h = shared_history
    overview = overview_get(
        scope=Scope.for_team(h.rosa.team), period=Period.this_week(NOW), now=NOW
    )

    acme, globex = h.data_lead.organization_id, h.backend.organization_id
    assert overview.organizations == {acme: "Acme", globex: "Globex"}
    digests = overview.values["promises.client_digest.kept"]
    assert (digests.organization(acme), digests.organization(globex)) == (0.0, 100.0)
    decisions = overview.values["decision.median_days"]
    assert (decisions.organization(acme), decisions.organization(globex)) == (2.0, None)


def test_overview_previews_list_the_oldest_first(shared_history):
    overview = overview_get(
        scope=Scope.for_team(shared_history.rosa.team), period=Period.this_week(NOW), now=NOW
    )

    queue = [
        (row["kind"], row["contact_name"], row["owner_name"])
        for row in overview.previews["now.queue"]
    ]
    assert queue == [
        ("relationship_touch", "Jack Cole", "Rosa Reyes"),
        ("relationship_touch", "Gina Ross", "Tom Brandt"),
        ("client_decision", "Dan Wu", "Rosa Reyes"),
        ("client_digest", "Hana Mori", "Rosa Reyes"),
        ("status_update", "Dan Wu", "Rosa Reyes"),
    ]
    assert overview.previews["now.queue"][0]["time_left"] == -dt.timedelta(days=15, hours=3)
    assert [row["contact_name"] for row in overview.previews["fading.waiting"]] == ["Dan Wu"]


def test_overview_of_one_recruiter_is_their_row_of_the_team(shared_history):
    h = shared_history
    overview = overview_get(scope=Scope.for_recruiter(h.tom), period=Period.this_week(NOW), now=NOW)

    assert {key: overview.value(key) for key in EXPECTED} == {
        key: tom for key, (_, _, tom) in EXPECTED.items()
    }


def test_overview_of_an_empty_team(shared_history, empty_team):
    overview = overview_get(scope=Scope.for_team(empty_team), period=Period.this_week(NOW), now=NOW)

    assert overview.scope.members == ()
    assert {key: overview.value(key) for key in EXPECTED} == {key: nothing(key) for key in EXPECTED}
    assert overview.previews == {"now.queue": [], "fading.quiet": [], "fading.waiting": []}


def test_overview_of_an_empty_period_keeps_the_figures_of_now(shared_history):
    h = shared_history
    period = Period.custom(dt.date(2025, 1, 6), dt.date(2025, 1, 12))
    overview = overview_get(scope=Scope.for_team(h.rosa.team), period=period, now=NOW)

    found = {key: overview.value(key) for key in EXPECTED}
    assert found == {
        key: (total if key in PERIOD_FREE else nothing(key))
        for key, (total, _, _) in EXPECTED.items()
    }


def test_overview_of_everyone_adds_berlin(shared_history):
    overview = overview_get(scope=Scope.for_everyone(), period=Period.this_week(NOW), now=NOW)

    # Bob's Iris (untouched since 9 Feb), his candidate's status update and wait on the client.
    assert overview.value("rel.overdue") == 3
    assert overview.value("now.breached") == 9
    assert overview.value("promises.status_update.breached") == 2
    assert overview.value("debt.overdue") == 3
    assert overview.value("closure.decided") == 3
    assert overview.value("rel.overdue", shared_history.bob.pk) == 1


def test_period_boundaries():
    thursday = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)
    week = Period.this_week(thursday)
    four = Period.last_4_weeks(thursday)
    quarter = Period.last_quarter(thursday)
    january = Period.last_quarter(dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    custom = Period.custom(dt.date(2026, 2, 1), dt.date(2026, 2, 28))

    assert (week.start, week.end) == (at(30, 0), at(37, 0))
    assert (four.start, four.end) == (at(9, 0), at(37, 0))
    assert (quarter.start, quarter.end, quarter.label) == (
        dt.datetime(2025, 10, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        "Last quarter (Q4 2025)",
    )
    assert (january.start, january.end) == (
        dt.datetime(2025, 10, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    assert (custom.start, custom.end) == (at(1, 0), at(29, 0))
    assert custom.query() == {"period": "custom", "start": "2026-02-01", "end": "2026-02-28"}


# --- every count agrees with its records ---------------------------------------------------------

COUNT_FIGURES = [key for key, figure in FIGURES.items() if figure.is_count]


@pytest.mark.parametrize("key", COUNT_FIGURES)
def test_each_count_is_the_number_of_its_records(shared_history, key):
    scope = Scope.for_team(shared_history.rosa.team)
    period = Period.this_week(NOW)
    figure = figure_get(key)

    page = figure_page(figure=figure, scope=scope, period=period, now=NOW, limit=500)

    assert len(page.rows) == EXPECTED[key][0]
    assert page.next_cursor == ""
    rosa = figure_page(
        figure=figure, scope=Scope.for_recruiter(shared_history.rosa), period=period, now=NOW
    )
    assert len(rosa.rows) == EXPECTED[key][1]


def test_a_card_shows_the_ten_busiest_clients_and_counts_the_others():
    decisions = FigureValues(figure=FIGURES["decision.count"])
    median = FigureValues(figure=FIGURES["decision.median_days"])
    names = {pk: f"Client {pk:02d}" for pk in range(1, 13)}
    decisions.organizations = {pk: pk % 4 for pk in names}  # 12 -> 0, 11 -> 3, ...
    median.organizations = dict.fromkeys(names, 1.5)
    values = {"decision.count": decisions, "decision.median_days": median}

    shown, more = _busiest_clients(values, names)

    assert list(shown) == [3, 7, 11, 2, 6, 10, 1, 5, 9, 4]  # most counted, then by name
    assert more == 2
    assert sorted(decisions.organizations) == sorted(shown)
    assert sorted(median.organizations) == sorted(shown)
