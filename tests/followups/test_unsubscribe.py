from datetime import timedelta

from django.test import Client
from django.utils import timezone

from followups.content import unsubscribe_token
from followups.models import FollowUp, Message, Suppression
from followups.planners import plan_all
from followups.relay import relay_batch
from tests.factories import CandidacyFactory, ContactFactory, JobFactory


def test_one_click_post_unsubscribes_without_login_or_csrf(db, recruiter):
    contact = ContactFactory(emails=["ana@mail.example"])
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/unsubscribe/{unsubscribe_token(contact.pk)}/",
        {"List-Unsubscribe": "One-Click"},
    )

    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.email_opt_out is True
    assert Suppression.objects.get().email == "ana@mail.example"


def test_unsubscribe_page_works_without_login(client, db):
    contact = ContactFactory(first_name="Ana")

    response = client.get(f"/unsubscribe/{unsubscribe_token(contact.pk)}/")

    assert response.status_code == 200
    assert b"stop the automatic updates" in response.content


def test_forged_unsubscribe_token_is_refused(client, db):
    contact = ContactFactory()
    token = unsubscribe_token(contact.pk)[:-2] + "xx"

    response = client.post(f"/unsubscribe/{token}/")

    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.email_opt_out is False


def test_unsubscribed_candidate_gets_no_more_updates_and_is_called_instead(
    clock, recruiter, outbox
):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    Client().post(f"/unsubscribe/{unsubscribe_token(candidacy.contact_id)}/")
    clock.shift(timedelta(days=7, minutes=1))
    plan_all(now=timezone.now())
    clock.shift(timedelta(hours=4))

    relay_batch(now=timezone.now())

    message = Message.objects.get()
    assert (message.status, message.skip_reason) == ("suppressed", "unsubscribed")
    assert outbox == []
    assert FollowUp.objects.get().reason == "call_instead"


def test_pending_messages_are_suppressed_on_unsubscribe(clock, recruiter, outbox):
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter))
    clock.shift(timedelta(days=7, minutes=1))
    plan_all(now=timezone.now())

    Client().post(f"/unsubscribe/{unsubscribe_token(candidacy.contact_id)}/")

    assert Message.objects.get().status == "suppressed"
    assert FollowUp.objects.get().reason == "call_instead"
