import datetime as dt

import pytest
import time_machine

from market.models import MarketNote
from market.services import note_create
from tests.factories import ContactFactory

NOON = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 1)


def make(author, title="Python demand", **fields):
    return note_create(author=author, title=title, true_as_of=TODAY, tags=["python"], **fields)


@time_machine.travel(NOON)
def test_create_read_change_confirm_and_retire(rosa_api):
    created = rosa_api.post(
        "/api/v1/market-notes/",
        {"title": "Python demand", "kind": "trend", "tags": ["Python"], "true_as_of": "2026-12-01"},
        format="json",
    )
    pk = created.json()["id"]
    changed = rosa_api.patch(f"/api/v1/market-notes/{pk}/", {"title": "Python demand up"})
    confirmed = rosa_api.post(f"/api/v1/market-notes/{pk}/confirm/")
    retired = rosa_api.delete(f"/api/v1/market-notes/{pk}/")

    assert created.status_code == 201
    assert (created.json()["tags"], created.json()["review_by"]) == (["python"], "2027-03-01")
    assert changed.json()["title"] == "Python demand up"
    assert confirmed.json()["review_by"] == "2027-03-01"
    assert retired.status_code == 204
    assert MarketNote.objects.get(pk=pk).retired_at is not None


@time_machine.travel(NOON)
def test_bad_salary_is_a_field_error_and_saves_nothing(rosa_api):
    response = rosa_api.post(
        "/api/v1/market-notes/",
        {
            "title": "Salaries", "kind": "salary", "true_as_of": "2026-12-01",
            "role": "Engineer", "region": "Berlin", "currency": "XYZ", "period": "year",
            "p25": 90000, "median": 80000, "p75": 95000, "source": "Placements",
        },
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    assert MarketNote.objects.count() == 0
    body = str(response.json())
    assert "XYZ is not a currency we know" in body
    assert "The 25th percentile is above the median." in body


@time_machine.travel(NOON)
def test_visibility_and_permissions(rosa_api, recruiter, other_recruiter):
    mine = make(recruiter)
    make(other_recruiter, title="Tom's private", visibility="private")
    theirs = make(other_recruiter, title="Tom's")

    listed = rosa_api.get("/api/v1/market-notes/").json()["results"]
    refused = rosa_api.patch(f"/api/v1/market-notes/{theirs.pk}/", {"title": "Mine now"})

    assert {note["title"] for note in listed} == {"Python demand", "Tom's"}
    assert refused.status_code == 403
    assert rosa_api.get(f"/api/v1/market-notes/{mine.pk}/").status_code == 200


@pytest.mark.parametrize("count", [1, 3])
@time_machine.travel(NOON)
def test_suggestions_for_a_contact_cost_constant_queries(
    rosa_api, recruiter, count, django_assert_num_queries
):
    contact = ContactFactory(tags=["python"], location="Berlin")
    for index in range(count):
        make(recruiter, title=f"Note {index}")

    # session, user, contact, open candidacies' jobs, notes
    with django_assert_num_queries(5):
        response = rosa_api.get(f"/api/v1/market-notes/suggestions/?contact={contact.pk}")

    assert [s["reason"] for s in response.json()] == ["matches python; as of today"] * count
