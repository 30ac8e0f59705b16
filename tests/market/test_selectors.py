import datetime as dt
import random

import pytest
import time_machine
from django.utils import timezone

from contacts.models import Contact
from market import selectors
from market.services import note_confirm, note_create, note_retire
from tests.factories import (
    CandidacyFactory,
    ContactFactory,
    JobFactory,
    OrganizationFactory,
    TeamFactory,
    UserFactory,
)

TODAY = dt.date(2026, 12, 1)
NOON = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


def note(author, title, tags, *, days_old=0, **fields):
    return note_create(
        author=author,
        title=title,
        tags=tags,
        true_as_of=TODAY - dt.timedelta(days=days_old),
        **fields,
    )


@pytest.fixture
def contact(db):
    return ContactFactory(tags=["python", "django"], location="Berlin, Germany")


@pytest.fixture
def candidacy(contact):
    org = OrganizationFactory(industry="Fintech")
    return CandidacyFactory(
        contact=contact,
        job=JobFactory(organization=org, location="Munich", title="Backend engineer"),
    )


@time_machine.travel(NOON)
def test_contact_terms_include_tags_place_industry_and_open_jobs(contact, candidacy):
    assert selectors.contact_terms(contact) == [
        "python", "django", "berlin", "germany", "munich", "fintech", "backend", "engineer",
    ]  # fmt: skip


@time_machine.travel(NOON)
def test_relevance_order_and_reasons_for_a_contact(recruiter, contact, candidacy):
    note(recruiter, "Berlin python salaries", ["python", "berlin"], days_old=12, **SALARY)
    note(recruiter, "Fintech hiring freeze", ["fintech"], days_old=3, kind="hiring_news")
    note(recruiter, "Django trend", ["django", "python", "berlin"], days_old=90)
    note(
        recruiter,
        "Munich interview loops",
        ["munich"],
        days_old=170,
        kind="process",
        review_by=TODAY,
    )
    note(recruiter, "Rust in Paris", ["rust", "paris"])

    suggestions = selectors.contact_suggestions(user=recruiter, contact=contact, limit=5)

    assert [(s.note.title, s.reason, round(s.score, 3)) for s in suggestions] == [
        ("Berlin python salaries", "matches python, berlin; 12 days old", 6.933),
        ("Django trend", "matches django, python, berlin; 90 days old", 3.5),
        ("Fintech hiring freeze", "matches fintech; 3 days old", 2.983),
        ("Munich interview loops", "matches munich; 170 days old", 2.056),
    ]


@time_machine.travel(NOON)
def test_job_suggestions_use_location_industry_and_title(recruiter):
    job = JobFactory(
        title="Data engineer", location="Lyon", organization=OrganizationFactory(industry="Energy")
    )
    note(recruiter, "Energy data teams grow", ["energy", "data"], days_old=30)
    note(recruiter, "Lyon commute", ["lyon"], days_old=60)

    assert [s.reason for s in selectors.job_suggestions(user=recruiter, job=job)] == [
        "matches energy, data; 30 days old",
        "matches lyon; 60 days old",
    ]


@time_machine.travel(NOON)
def test_stale_retired_private_and_other_team_notes_never_appear(
    recruiter, other_recruiter, contact
):
    paris = UserFactory(username="pia", team=TeamFactory(name="Paris desk"))
    note(recruiter, "Visible", ["python"])
    note(recruiter, "Team, mine", ["python"], visibility="team")
    note(other_recruiter, "Tom's own", ["python"], visibility="private")
    note(paris, "Paris team", ["python"], visibility="team")
    note(recruiter, "Stale", ["python"], review_by=TODAY - dt.timedelta(days=1), days_old=100)
    note_retire(note=note(recruiter, "Retired", ["python"]), user=recruiter)

    titles = {
        s.note.title
        for s in selectors.contact_suggestions(user=recruiter, contact=contact, limit=10)
    }

    assert titles == {"Visible", "Team, mine"}


def test_passing_review_by_leaves_suggestions_until_confirmed(client, recruiter, contact):
    with time_machine.travel(NOON):
        written = note(recruiter, "Python demand", ["python"])
    later = dt.datetime(2027, 3, 2, 9, tzinfo=dt.UTC)  # 91 days on

    with time_machine.travel(later):
        client.force_login(recruiter)
        assert selectors.contact_suggestions(user=recruiter, contact=contact) == []
        assert selectors.stale_note_count(user=recruiter) == 1
        page = client.get("/")
        assert "1 note to review" in page.content.decode()

        note_confirm(note=written, user=recruiter)

        assert [
            s.note.title for s in selectors.contact_suggestions(user=recruiter, contact=contact)
        ] == ["Python demand"]
        assert selectors.stale_note_count(user=recruiter) == 0
        assert "note to review" not in client.get("/").content.decode()
        assert timezone.localdate() == dt.date(2027, 3, 2)


@time_machine.travel(NOON)
def test_suggestions_cost_a_constant_number_of_queries(
    recruiter, contact, candidacy, django_assert_num_queries
):
    contact = Contact.objects.get(pk=contact.pk)  # without its organization: one query more
    note(recruiter, "One", ["python"])
    with django_assert_num_queries(3):
        assert len(selectors.contact_suggestions(user=recruiter, contact=contact)) == 1
    note(recruiter, "Two", ["berlin"])
    note(recruiter, "Three", ["munich"])
    with django_assert_num_queries(3):
        assert len(selectors.contact_suggestions(user=recruiter, contact=contact)) == 3


SALARY = {
    "kind": "salary",
    "role": "Python developer",
    "region": "Berlin",
    "currency": "EUR",
    "period": "year",
    "p25": 65000,
    "median": 75000,
    "p75": 88000,
    "source": "Our placements",
}


# --- one note for each of many recipients: the pair-first shortcut is exact ---------------------


def _request(key, user, terms, exclude=()):
    return selectors.NoteRequest(key=key, user=user, terms=terms, exclude_ids=list(exclude))


def _top_titles(requests, **kwargs):
    found = selectors.note_top_for_each(requests, today=TODAY, **kwargs)
    return {key: [n.title for n in notes] for key, notes in found.items()}


@time_machine.travel(NOON)
def test_a_note_sharing_two_terms_settles_a_request_without_the_full_scoring(recruiter):
    # The second best, "Three terms, old", scores 3 x 2 + 0.06: more than any one-term note can
    # (a salary fact as of today, 3 + 1).
    note(recruiter, "Two terms", ["python", "berlin"], kind="hiring_news")
    note(recruiter, "One term, newer", ["python"], **SALARY)
    note(
        recruiter,
        "Three terms, old",
        ["python", "berlin", "django"],
        days_old=170,
        kind="process",
        review_by=TODAY,
    )

    assert _top_titles([_request(1, recruiter, ["python", "berlin", "django"])], per=2) == {
        1: ["Three terms, old", "Two terms"]
    }


@time_machine.travel(NOON)
def test_a_one_term_salary_note_still_beats_a_two_term_trend(recruiter):
    # The two-term trend scores 2 + 0.5; the salary fact on one term 3 + 1: the shortcut cannot
    # settle this request, and the full scoring finds the salary fact.
    note(recruiter, "Trend on two", ["python", "berlin"], days_old=90)
    note(recruiter, "Salary on one", ["python"], **SALARY)

    assert _top_titles([_request(7, recruiter, ["python", "berlin"])], per=2) == {
        7: ["Salary on one", "Trend on two"]
    }


@time_machine.travel(NOON)
def test_many_requests_get_what_scoring_every_note_would_give(recruiter, other_recruiter):
    """A dense set: 90 notes over 8 terms, 40 requests (one to six terms, some exclusions, two
    users): the statement's answer equals scoring every visible fresh note in Python."""
    rng = random.Random(12)  # noqa: S311 - test data, not secrets
    vocabulary = ["python", "go", "rust", "berlin", "paris", "fintech", "health", "remote"]
    kinds = ["salary", "hiring_news", "process", "trend", "regulation"]
    weights = {"salary": 3, "hiring_news": 2, "process": 2, "trend": 1, "regulation": 1}
    notes = []
    for n in range(90):
        kind = rng.choice(kinds)
        extra = SALARY if kind == "salary" else {"kind": kind}
        made = note(
            rng.choice([recruiter, recruiter, other_recruiter]),
            f"Note {n}",
            rng.sample(vocabulary, k=rng.choice([1, 2, 3, 4])),
            days_old=rng.randint(0, 200),
            visibility=rng.choice(["agency", "agency", "private"]),
            **extra,
        )
        if n % 15 == 0:
            note_retire(note=made, user=made.author)
        notes.append(made)
    for made in notes:
        made.refresh_from_db()
    requests = [
        _request(
            key,
            rng.choice([recruiter, other_recruiter]),
            rng.sample(vocabulary, k=rng.randint(1, 6)),
            exclude=[n.pk for n in rng.sample(notes, k=rng.choice([0, 3]))],
        )
        for key in range(40)
    ]

    def expected(request, per):
        terms = set(request.terms)
        scored = [
            (
                len(terms & set(n.tags)) * weights[n.kind]
                + max(0.0, 1 - (TODAY - n.true_as_of).days / 180),
                n.true_as_of,
                n.pk,
                n.title,
            )
            for n in notes
            if terms & set(n.tags)
            and n.retired_at is None
            and n.review_by >= TODAY
            and n.pk not in request.exclude_ids
            and (n.visibility == "agency" or n.author_id == request.user.pk)
        ]
        return [title for *_, title in sorted(scored, reverse=True)[:per]]

    for per in (1, 3):
        want = {r.key: expected(r, per) for r in requests}
        assert _top_titles(requests, per=per) == {k: v for k, v in want.items() if v}
    # One to six terms: requests the pairs can settle, and one-term ones they cannot.
    assert len({len(r.terms) for r in requests}) == 6
