"""{{ market_note }} in status updates and client digests: the most relevant fresh note the
recipient has not had, a different one next time, nothing (and no dangling sentence) when none."""

import datetime as dt
from datetime import timedelta

from django.utils import timezone

from followups.content import render_list
from followups.models import MarketNoteUse, Message, MessageKind
from followups.planners import plan_all
from followups.relay import _market_note_uses_record, relay_batch
from market.services import note_create
from tests.factories import CandidacyFactory, ContactFactory, JobFactory, OrganizationFactory

T0_DATE = dt.date(2026, 3, 2)


def _note(author, title, tags, days_old, body=""):
    return note_create(
        author=author,
        title=title,
        tags=tags,
        body=body,
        true_as_of=T0_DATE - dt.timedelta(days=days_old),
    )


def _next_update(clock, outbox):
    outbox.clear()
    clock.shift(timedelta(days=7, minutes=1))
    plan_all(now=timezone.now())
    clock.shift(timedelta(hours=4))
    relay_batch(now=timezone.now())
    [email] = outbox
    return email


def test_status_updates_carry_a_new_note_each_time_then_none(clock, recruiter, outbox):
    ana = ContactFactory(first_name="Ana", last_name="Smith", tags=["python"])
    job = JobFactory(
        owner=recruiter,
        organization=OrganizationFactory(name="Acme", industry="Fintech"),
        title="Data lead",
        location="Berlin",
    )
    CandidacyFactory(job=job, contact=ana)
    best = _note(
        recruiter,
        "Berlin fintechs are hiring Python engineers again",
        ["python", "berlin"],
        10,
        body="**Three** of our clients reopened roles this month.\n\nMore below.",
    )
    second = _note(recruiter, "Fintech offers now include a remote week.", ["fintech"], 20)
    _note(recruiter, "Rust in Paris", ["rust", "paris"], 1)

    first_email = _next_update(clock, outbox)
    second_email = _next_update(clock, outbox)
    third_email = _next_update(clock, outbox)

    assert (
        "at the latest.\n\n"
        "One thing I am seeing in the market: Berlin fintechs are hiring Python engineers again. "
        "Three of our clients reopened roles this month.\n\n"
        "If you have a question"
    ) in first_email.body
    assert (
        "One thing I am seeing in the market: Fintech offers now include a remote week.\n\n"
        "If you have a question"
    ) in second_email.body
    assert "market" not in third_email.body
    assert "at the latest.\n\nIf you have a question in the meantime" in third_email.body
    assert "<p></p>" not in third_email.alternatives[0][0]
    messages = list(Message.objects.filter(kind=MessageKind.STATUS_UPDATE).order_by("sent_at"))
    assert list(MarketNoteUse.objects.order_by("used_at").values_list("note_id", "message_id")) == [
        (best.pk, messages[0].pk),
        (second.pk, messages[1].pk),
    ]


def test_usage_is_logged_once_even_if_the_relay_records_again(clock, recruiter, outbox):
    ana = ContactFactory(first_name="Ana", tags=["python"])
    CandidacyFactory(job=JobFactory(owner=recruiter), contact=ana)
    _note(recruiter, "Python demand is up", ["python"], 5)
    _next_update(clock, outbox)
    message = Message.objects.get(kind=MessageKind.STATUS_UPDATE)
    [rendered] = render_list([message], now=timezone.now())

    _market_note_uses_record([(message, rendered)], now=timezone.now())

    assert MarketNoteUse.objects.count() == 1


def test_the_recruiter_can_remove_or_swap_the_note(clock, recruiter, outbox):
    ana = ContactFactory(first_name="Ana", tags=["python"])
    CandidacyFactory(job=JobFactory(owner=recruiter), contact=ana)
    _note(recruiter, "Python demand is up", ["python"], 5)
    other = _note(recruiter, "Hiring slows in December", ["hiring"], 5)
    clock.shift(timedelta(days=7, minutes=1))
    plan_all(now=timezone.now())
    message = Message.objects.select_related("contact", "owner", "job__organization").get()

    [chosen] = render_list([message])
    message.market_note = other
    [swapped] = render_list([message])
    message.market_note_removed = True
    [removed] = render_list([message])

    assert "Python demand is up." in chosen.text
    assert "Hiring slows in December." in swapped.text
    assert swapped.market_note_id == other.pk
    assert "market" not in removed.text
    assert removed.market_note_id is None


def test_the_preview_shows_the_note_and_swaps_or_removes_it(clock, client, recruiter, outbox):
    ana = ContactFactory(first_name="Ana", tags=["python"])
    CandidacyFactory(job=JobFactory(owner=recruiter), contact=ana)
    best = _note(recruiter, "Python demand is up", ["python"], 5)
    other = _note(recruiter, "Python contracts pay more", ["python"], 60)
    clock.shift(timedelta(days=7, minutes=1))
    plan_all(now=timezone.now())
    message = Message.objects.get()
    client.force_login(recruiter)
    url = f"/messages/{message.pk}/"

    first = client.get(url)
    client.post(f"{url}market-note", {"note": str(other.pk)})
    swapped = client.get(url)
    client.post(f"{url}market-note", {"note": "none"})
    removed = client.get(url)

    assert first.context["market"].chosen == best
    assert [s.note for s in first.context["market"].alternatives] == [other]
    assert "Python demand is up." in first.context["preview"].text
    assert swapped.context["market"].chosen == other
    assert "Python contracts pay more." in swapped.context["preview"].text
    assert removed.context["market"].chosen is None
    assert "market" not in removed.context["preview"].text
    assert "You removed the market note" in removed.content.decode()


def test_the_api_lists_a_message_notes_swaps_one_and_logs_each_use(
    clock, recruiter, other_recruiter, api, outbox, django_assert_num_queries
):
    ana = ContactFactory(first_name="Ana", last_name="Smith", tags=["python"])
    CandidacyFactory(job=JobFactory(owner=recruiter), contact=ana)
    python = _note(recruiter, "Python demand is up", ["python"], 5)
    hiring = _note(recruiter, "Python hiring slows in December", ["python", "hiring"], 30)
    note_create(author=other_recruiter, title="Python is mine", tags=["python"],
                true_as_of=T0_DATE, visibility="private")  # fmt: skip
    clock.shift(timedelta(days=7, minutes=1))
    plan_all(now=timezone.now())
    message = Message.objects.get()
    url = f"/api/v1/messages/{message.pk}/market-notes/"
    rosa_api = api
    rosa_api.force_login(recruiter)

    found = rosa_api.get(url).json()
    assert (found["chosen"]["title"], found["removed"]) == ("Python demand is up", False)
    assert [(s["note"]["title"], s["reason"]) for s in found["alternatives"]] == [
        ("Python hiring slows in December", "matches python; 37 days old")  # a week on
    ]

    swapped = rosa_api.post(url, {"note": hiring.pk}, format="json")
    assert swapped.status_code == 200
    message.refresh_from_db()
    assert (message.market_note_id, message.market_note_removed) == (hiring.pk, False)
    bad = rosa_api.post(url, {"note": 10**9}, format="json")
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"]["note"] == ["No such market note."]

    clock.shift(timedelta(hours=4))
    relay_batch(now=timezone.now())
    rosa_api.force_login(recruiter)
    uses = rosa_api.get("/api/v1/market-note-uses/", {"contact": ana.pk}).json()["results"]
    assert [(u["note_title"], u["contact_name"], u["message"]) for u in uses] == [
        ("Python hiring slows in December", "Ana Smith", message.pk)
    ]
    assert rosa_api.get("/api/v1/market-note-uses/", {"note": python.pk}).json()["results"] == []
    assert rosa_api.get("/api/v1/market-note-uses/", {"contact": "x"}).status_code == 400
    with django_assert_num_queries(3):  # the session, the user, the page
        assert len(rosa_api.get("/api/v1/market-note-uses/").json()["results"]) == 1
    for contact in ContactFactory.create_batch(3):
        MarketNoteUse.objects.create(
            contact=contact, note=python, message=message, used_at=timezone.now()
        )
    with django_assert_num_queries(3):
        assert len(rosa_api.get("/api/v1/market-note-uses/").json()["results"]) == 4


def test_a_client_digest_carries_the_market_of_this_week(clock, recruiter, outbox):
    manager = ContactFactory(
        first_name="Hana", roles=["hiring_manager"], emails=["hana@acme.example"]
    )
    JobFactory(
        owner=recruiter, hiring_manager=manager, title="Data lead", location="Berlin",
        organization=OrganizationFactory(name="Acme", industry="Fintech"),
    )  # fmt: skip
    week_day = T0_DATE + timedelta(days=7)  # the digest leaves a week after T0
    note_create(author=recruiter, title="Berlin salaries for data leads rose 4%", tags=["berlin"],
                true_as_of=week_day - timedelta(days=1), source="Our Q1 placements")  # fmt: skip
    note_create(author=recruiter, title="Fintech hiring picks up", tags=["fintech"],
                true_as_of=week_day - timedelta(days=3))  # fmt: skip
    note_create(author=recruiter, title="Data teams shrink in Munich", tags=["data"],
                true_as_of=week_day - timedelta(days=20))  # fmt: skip
    clock.shift(timedelta(days=7))
    assert plan_all(now=timezone.now()).digests == 1
    assert relay_batch(now=timezone.now()).sent == 1
    [email] = outbox
    text = email.body

    # The best note is the digest's {{ market_note }}; the section lists the other fresh ones of
    # the week (the 20-day-old note is fresh, but not this week's: it is left out).
    assert "One thing I am seeing in the market: Berlin salaries for data leads rose 4%." in text
    assert "What I am hearing in your market this week:\n- Fintech hiring picks up.\n\n" in text
    assert "Munich" not in text
    html = email.alternatives[0][0]
    assert (
        "<p>What I am hearing in your market this week:<br>\n- Fintech hiring picks up.</p>" in html
    )
