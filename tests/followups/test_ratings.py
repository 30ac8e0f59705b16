from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.utils import timezone

from accounts.models import User
from followups.models import FollowUp, Message, Rating, Suppression
from followups.planners import plan_all
from followups.ratings import SALT, rating_request, rating_token, rating_urls
from followups.relay import relay_batch
from jobs.services import candidacy_close
from relationships.models import Interaction
from tests.factories import (
    CandidacyFactory,
    ContactFactory,
    JobFactory,
    StatusUpdateFactory,
    UserFactory,
)


@pytest.fixture
def closure(clock, recruiter):
    return StatusUpdateFactory(
        owner=recruiter,
        kind="closure",
        idempotency_key="closure:1",
        status="sent",
        sent_at=timezone.now(),
        send_after=timezone.now(),
    )


@pytest.fixture
def rating(closure):
    return rating_request(message=closure)


def _path(rating, answer):
    return f"/rate/{rating_token(rating, answer)}/"


def test_rates_once_and_changes_within_validity(client, rating, clock):
    assert rating.valid_until == rating.requested_at + timedelta(days=28)
    assert set(rating_urls(rating)) == {"good", "okay", "not_good"}

    response = client.get(_path(rating, "good"))
    assert response.status_code == 200
    assert "Your answer: <strong>Good</strong>" in response.content.decode()
    rating.refresh_from_db()
    assert (rating.answer, rating.answered_at) == ("good", timezone.now())

    # The same link again shows the recorded answer and writes nothing new.
    client.get(_path(rating, "good"))
    assert Interaction.objects.filter(summary__startswith="Rated us").count() == 1

    clock.shift(timedelta(days=27))
    response = client.post(_path(rating, "okay"), {"comment": "Slow, but kind."})
    rating.refresh_from_db()
    assert (rating.answer, rating.comment) == ("okay", "Slow, but kind.")
    assert list(
        Interaction.objects.filter(summary__startswith="Rated us").values_list("summary", "body")
    ) == [("Rated us: Okay", "Slow, but kind."), ("Rated us: Good", "")]


def test_bad_tokens_are_a_plain_400_and_record_nothing(client, rating, clock, recruiter):
    other = rating_request(
        message=StatusUpdateFactory(
            owner=recruiter,
            kind="closure",
            idempotency_key="closure:2",
            status="sent",
            sent_at=timezone.now(),
        )
    )
    assert other is not None
    tampered = rating_token(rating, "good")[:-2] + "xx"
    forged = signing.dumps({"r": rating.pk, "a": "excellent"}, salt=SALT, compress=True)
    other_salt = signing.dumps({"r": rating.pk, "a": "good"}, salt="elsewhere")
    for path in (f"/rate/{tampered}/", f"/rate/{forged}/", f"/rate/{other_salt}/"):
        response = client.get(path)
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain"
    valid = _path(rating, "good")
    clock.shift(timedelta(days=28, seconds=1))
    assert client.get(valid).status_code == 400
    assert Rating.objects.exclude(answer="").count() == 0


def test_not_good_opens_a_follow_up_for_the_owners_manager(client, rating, recruiter):
    manager = UserFactory(username="maya2", role=User.Role.MANAGER, team=recruiter.team)
    client.get(_path(rating, "not_good"))
    client.get(_path(rating, "not_good"))
    followup = FollowUp.objects.get(reason="rating")
    expected = manager if recruiter.team_id else recruiter
    assert (followup.owner_id, followup.contact_id) == (expected.pk, rating.contact_id)


def test_guardrails(clock, recruiter, closure):
    unsent = StatusUpdateFactory(owner=recruiter, kind="closure", idempotency_key="closure:u")
    assert rating_request(message=unsent) is None

    first = rating_request(message=closure)
    assert first is not None
    again = StatusUpdateFactory(
        owner=recruiter,
        kind="closure",
        idempotency_key="closure:again",
        candidacy=closure.candidacy,
        status="sent",
        sent_at=timezone.now(),
    )
    clock.shift(timedelta(days=180))
    assert rating_request(message=again) is None
    clock.shift(timedelta(days=3))
    assert rating_request(message=again) is not None

    contact = closure.contact
    for change in ("do_not_contact", "email_opt_out", "suppressed"):
        message = StatusUpdateFactory(
            owner=recruiter,
            kind="closure",
            idempotency_key=f"closure:{change}",
            status="sent",
            sent_at=timezone.now(),
        )
        if change == "suppressed":
            Suppression.objects.create(email=message.recipient, reason="bounced")
        else:
            setattr(message.contact, change, True)
            message.contact.save(update_fields=[change])
        assert rating_request(message=message) is None, change
    assert contact.ratings.count() == 2


# --- the question travels in the closure notice --------------------------------------------------


def _closure_sent(recruiter, contact, outbox, clock):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter), contact=contact)
    candidacy_close(candidacy=candidacy, outcome="not_a_fit", user=recruiter)
    plan_all(now=timezone.now())
    clock.shift(timedelta(hours=1))  # the undo window
    outbox.clear()
    assert relay_batch(now=timezone.now()).sent == 1
    [email] = outbox
    return Message.objects.get(candidacy=candidacy), email


def test_a_closure_notice_asks_once_and_its_link_rates(client, clock, recruiter, outbox):
    ana = ContactFactory(first_name="Ana")
    message, email = _closure_sent(recruiter, ana, outbox, clock)

    rating = Rating.objects.get(message=message)
    good = rating_urls(rating)["good"]
    assert f"Good: {good}\n" in email.body
    assert f'<a href="{good}">Good</a>' in email.alternatives[0][0]
    assert (rating.contact_id, rating.requested_at, rating.answer) == (
        ana.pk,
        message.sent_at,
        "",
    )
    response = client.get(good.removeprefix(settings.SITE_URL.rstrip("/")))
    assert response.status_code == 200
    rating.refresh_from_db()
    assert rating.answer == "good"

    # Another notice to her within six months asks nothing: no question, no empty paragraph.
    clock.shift(timedelta(days=30))
    second, email = _closure_sent(recruiter, ana, outbox, clock)
    assert not Rating.objects.filter(message=second).exists()
    assert "How well did I keep you informed?" not in email.body
    assert "<p></p>" not in email.alternatives[0][0]
    assert 'href=""' not in email.alternatives[0][0]


def test_a_suppressed_or_unsubscribed_person_is_never_asked(clock, recruiter, outbox):
    bounced = ContactFactory(first_name="Ben")
    Suppression.objects.create(email=bounced.emails[0], reason="bounced")
    unsubscribed = ContactFactory(first_name="Cleo", email_opt_out=True)
    for contact in (bounced, unsubscribed):
        candidacy = CandidacyFactory(job=JobFactory(owner=recruiter), contact=contact)
        candidacy_close(candidacy=candidacy, outcome="not_a_fit", user=recruiter)
    plan_all(now=timezone.now())
    clock.shift(timedelta(hours=1))
    relay_batch(now=timezone.now())
    assert Rating.objects.count() == 0


def test_a_closure_preview_shows_the_question_it_will_ask_and_opens_no_rating(
    client, clock, recruiter, outbox
):
    from followups.selectors import message_preview

    ben = ContactFactory(first_name="Ben")
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter), contact=ben)
    candidacy_close(candidacy=candidacy, outcome="not_a_fit", user=recruiter)
    plan_all(now=timezone.now())
    notice = Message.objects.get(candidacy=candidacy)

    preview = message_preview(message=notice)

    assert "How well did I keep you informed? One click tells me:" in preview.text
    assert [line.split(":")[0] for line in preview.text.splitlines() if "/rate/" in line] == [
        "Good",
        "Okay",
        "Not good",
    ]
    assert Rating.objects.count() == 0
    # The preview's link names no rating: it leads to the page for a link that is not valid.
    link = next(line for line in preview.text.splitlines() if line.startswith("Good: "))
    response = client.get(link.removeprefix("Good: ").removeprefix(settings.SITE_URL.rstrip("/")))
    assert response.status_code == 400

    # Once his notice has left and asked, his next one within six months asks nothing, and
    # its preview shows no question.
    clock.shift(timedelta(hours=1))
    assert relay_batch(now=timezone.now()).sent == 1
    again = CandidacyFactory(job=JobFactory(owner=recruiter), contact=ben)
    candidacy_close(candidacy=again, outcome="not_a_fit", user=recruiter)
    plan_all(now=timezone.now())
    second = message_preview(message=Message.objects.get(candidacy=again))
    assert "How well did I keep you informed?" not in second.text
    assert "/rate/" not in second.html
