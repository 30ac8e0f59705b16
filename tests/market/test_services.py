import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from market.models import MarketNote
from market.services import note_confirm, note_create, note_retire, note_update
from tests.factories import TeamFactory, UserFactory

AS_OF = dt.date(2026, 11, 2)
SALARY = {
    "kind": "salary",
    "role": "Backend engineer",
    "seniority": "Senior",
    "region": "Berlin",
    "currency": "EUR",
    "period": "year",
    "p25": 70000,
    "median": 80000,
    "p75": 92000,
    "sample_size": 41,
    "source": "Placements 2026",
}


def test_create_defaults_review_by_to_90_days_and_normalises_tags(recruiter):
    note = note_create(
        author=recruiter,
        title="Python demand",
        true_as_of=AS_OF,
        tags=[" Python", "BERLIN", "python"],
    )

    assert note.review_by == dt.date(2027, 1, 31)
    assert note.tags == ["python", "berlin"]
    assert note.visibility == "agency"
    assert note.team is None


def test_team_note_is_for_the_authors_team(recruiter, admin_user):
    paris = TeamFactory(name="Paris desk")
    note = note_create(author=recruiter, title="Desk gossip", true_as_of=AS_OF, visibility="team")

    assert note.team == recruiter.team
    with pytest.raises(PermissionDenied):
        note_create(author=recruiter, title="X", true_as_of=AS_OF, visibility="team", team=paris)
    by_admin = note_create(
        author=admin_user, title="For Paris", true_as_of=AS_OF, visibility="team", team=paris
    )
    assert by_admin.team == paris


NOT_HTTP = "Enter an address starting with http:// or https://."
UNKNOWN_CURRENCY = "XYZ is not a currency we know (ISO 4217, e.g. EUR)."
REVIEW_TOO_EARLY = "The review date is before the date the note is true as of."


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({**SALARY, "p25": 85000}, "p25", "The 25th percentile is above the median."),
        ({**SALARY, "currency": "XYZ"}, "currency", UNKNOWN_CURRENCY),
        ({"review_by": dt.date(2026, 11, 1)}, "review_by", REVIEW_TOO_EARLY),
        ({"source_url": "javascript:alert(1)"}, "source_url", NOT_HTTP),
        ({"source_url": "ftp://example.com/file"}, "source_url", NOT_HTTP),
    ],
)
def test_bad_input_is_a_field_error_and_saves_nothing(recruiter, fields, field, message):
    with pytest.raises(ValidationError) as raised:
        note_create(author=recruiter, title="Salaries", true_as_of=AS_OF, **fields)

    assert raised.value.message_dict[field] == [message]
    assert MarketNote.objects.count() == 0


def test_update_refuses_bad_input_and_keeps_the_note(recruiter):
    note = note_create(author=recruiter, title="Salaries", true_as_of=AS_OF, **SALARY)

    with pytest.raises(ValidationError) as raised:
        note_update(note=note, user=recruiter, p75=60000)

    assert raised.value.message_dict == {"p75": ["The 75th percentile is below the median."]}
    note.refresh_from_db()
    assert (note.p25, note.median, note.p75) == (70000, 80000, 92000)


def test_salary_fact_needs_its_range(recruiter):
    with pytest.raises(ValidationError) as raised:
        note_create(author=recruiter, title="Salaries", true_as_of=AS_OF, kind="salary")

    assert sorted(raised.value.message_dict) == [
        "currency", "median", "p25", "p75", "period", "region", "role", "source",
    ]  # fmt: skip


def test_who_may_change_a_note(recruiter, other_recruiter, manager, admin_user):
    elsewhere = UserFactory(username="mo", role=User.Role.MANAGER, team=TeamFactory(name="Paris"))
    note = note_create(author=recruiter, title="Python demand", true_as_of=AS_OF)

    with pytest.raises(PermissionDenied):
        note_update(note=note, user=other_recruiter, title="Mine now")
    with pytest.raises(PermissionDenied):
        note_retire(note=note, user=elsewhere)
    assert note_update(note=note, user=manager, title="By the manager").title == "By the manager"
    assert note_update(note=note, user=admin_user, title="By the admin").title == "By the admin"
    assert note_update(note=note, user=recruiter, title="Back").title == "Back"


def test_confirm_sets_review_by_anew_and_retire_keeps_the_note(recruiter):
    note = note_create(author=recruiter, title="Python demand", true_as_of=AS_OF)

    confirmed = note_confirm(note=note, user=recruiter, today=dt.date(2027, 2, 10))
    retired = note_retire(note=note, user=recruiter)

    assert confirmed.review_by == dt.date(2027, 5, 11)
    assert retired.retired_at is not None
    assert MarketNote.objects.get(pk=note.pk).title == "Python demand"
    with pytest.raises(ValidationError):
        note_confirm(note=note, user=recruiter)
