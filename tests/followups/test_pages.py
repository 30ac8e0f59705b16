from datetime import timedelta

import pytest
from django.utils import timezone

from followups.models import FollowUp, Message
from followups.services import followup_create
from jobs.models import Candidacy
from relationships.models import Interaction
from tests.factories import CandidacyFactory, ContactFactory, JobFactory


def _message(owner, *, status="scheduled", **fields):
    candidacy = CandidacyFactory(job=JobFactory(owner=owner, title="Data lead"))
    return Message.objects.create(
        kind="status_update",
        owner=owner,
        contact=candidacy.contact,
        job=candidacy.job,
        candidacy=candidacy,
        recipient=candidacy.contact.emails[0],
        idempotency_key=f"status_update:{candidacy.pk}:x",
        send_after=timezone.now() + timedelta(hours=4),
        status=status,
        **fields,
    )


@pytest.fixture
def logged_in(client, recruiter, password):
    client.login(username=recruiter.username, password=password)
    return client


def test_my_day_shows_follow_ups_and_outgoing_messages(logged_in, recruiter):
    contact = ContactFactory(first_name="Ana", last_name="Smith")
    now = timezone.now()
    followup_create(
        owner=recruiter, contact=contact, due_at=now - timedelta(days=1), summary="Call back"
    )
    message = _message(recruiter)

    response = logged_in.get("/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Call back" in body
    assert f"/messages/{message.pk}/" in body
    assert "Status update to" in body


@pytest.mark.parametrize("rows", [1, 3])
def test_my_day_query_count_is_constant(logged_in, recruiter, django_assert_num_queries, rows):
    for index in range(rows):
        contact = ContactFactory()
        followup_create(
            owner=recruiter,
            contact=contact,
            due_at=timezone.now() + timedelta(hours=index),
            summary="x",
        )
        _message(recruiter)

    with django_assert_num_queries(4):
        logged_in.get("/")


@pytest.mark.parametrize("rows", [1, 3])
def test_message_list_query_count_is_constant(
    logged_in, recruiter, django_assert_num_queries, rows
):
    for _ in range(rows):
        _message(recruiter)
        _message(recruiter, status="sent")

    with django_assert_num_queries(4):
        response = logged_in.get("/messages/")
    assert response.content.decode().count('data-testid="message-row"') == rows * 2


def test_complete_follow_up_logs_the_outcome_on_the_timeline(logged_in, recruiter):
    contact = ContactFactory()
    followup = followup_create(
        owner=recruiter, contact=contact, due_at=timezone.now(), summary="Call about Berlin"
    )

    response = logged_in.post(f"/followups/{followup.pk}/complete", {"outcome": "Interested"})

    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.outcome == "Interested"
    interaction = Interaction.objects.get(contact=contact)
    assert (interaction.kind, interaction.summary) == ("call", "Call about Berlin: Interested")


def test_snooze_moves_the_due_time(logged_in, recruiter):
    followup = followup_create(
        owner=recruiter, contact=ContactFactory(), due_at=timezone.now(), summary="x"
    )

    logged_in.post(f"/followups/{followup.pk}/snooze", {"until": "2099-01-05T10:00"})

    followup.refresh_from_db()
    assert (followup.due_at.year, followup.snooze_count) == (2099, 1)


def test_new_follow_up_page(logged_in, recruiter):
    contact = ContactFactory()

    response = logged_in.post(
        f"/followups/new/{contact.pk}",
        {"summary": "Coffee", "kind": "meeting", "due_at": "2099-01-05T10:00"},
    )

    assert response.status_code == 302
    assert FollowUp.objects.get().summary == "Coffee"


def test_edit_message_sends_the_recruiters_words(logged_in, recruiter):
    message = _message(recruiter)

    response = logged_in.post(
        f"/messages/{message.pk}/edit", {"subject": "News", "text": "Hi, quick news."}
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.subject, message.text, message.edited) == ("News", "Hi, quick news.", True)


def test_skip_needs_a_reason_and_touches_nothing(logged_in, recruiter):
    message = _message(recruiter)

    refused = logged_in.post(f"/messages/{message.pk}/skip", {"reason": ""})
    skipped = logged_in.post(f"/messages/{message.pk}/skip", {"reason": "Called her today"})

    assert (refused.status_code, skipped.status_code) == (400, 302)
    message.refresh_from_db()
    assert (message.status, message.skip_reason) == ("skipped", "Called her today")
    assert Candidacy.objects.get().last_candidate_touch_at is None


def test_send_now_moves_send_after_to_now(logged_in, recruiter, django_capture_on_commit_callbacks):
    message = _message(recruiter)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        logged_in.post(f"/messages/{message.pk}/send-now")

    message.refresh_from_db()
    assert message.send_after <= timezone.now()
    assert len(callbacks) == 1


def test_other_recruiter_cannot_see_or_change_my_message(
    client, recruiter, other_recruiter, password
):
    message = _message(recruiter)
    client.login(username=other_recruiter.username, password=password)

    assert client.get(f"/messages/{message.pk}/").status_code == 404
    assert client.post(f"/messages/{message.pk}/skip", {"reason": "x"}).status_code == 404
    message.refresh_from_db()
    assert message.status == "scheduled"


def test_manager_may_skip_a_recruiters_message(client, recruiter, manager, password):
    message = _message(recruiter)
    client.login(username=manager.username, password=password)

    response = client.post(f"/messages/{message.pk}/skip", {"reason": "Covering for Rosa"})

    assert response.status_code == 302


def test_pages_need_a_login(client, recruiter):
    message = _message(recruiter)

    response = client.get(f"/messages/{message.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_admin_edits_the_policy(client, admin_user, password):
    client.login(username=admin_user.username, password=password)
    fields = {
        "update_cadence_days": 5,
        "review_window_hours": 2,
        "closure_undo_minutes": 30,
        "closure_deadline_hours": 24,
        "digest_cadence_days": 7,
        "chase_client_days": 4,
        "max_attempts": 3,
    }

    response = client.post("/followups/policy/", fields)

    assert response.status_code == 302
    from followups.models import Policy

    policy = Policy.current()
    assert (policy.update_cadence_days, policy.review_window_hours) == (5, 2)


def test_done_on_a_follow_up_a_logged_call_completed_logs_no_second_call(logged_in, recruiter):
    contact = ContactFactory()
    followup = followup_create(
        owner=recruiter,
        contact=contact,
        due_at=timezone.now(),
        summary="Keep in touch",
        reason="relationship_cadence",
    )
    logged_in.post(
        f"/contacts/{contact.pk}/interactions/",
        {"log-kind": "call", "log-direction": "outbound", "log-summary": "Caught up"},
    )

    response = logged_in.post(f"/followups/{followup.pk}/complete", {"outcome": "Caught up"})

    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.outcome.startswith("Touched: call on ")
    assert list(Interaction.objects.filter(contact=contact).values_list("kind", flat=True)) == [
        "call"
    ]
    page = logged_in.get("/", follow=True).content.decode()
    assert "Already done: Keep in touch (Touched: call on " in page
    assert page.count('data-testid="followup"') == 0
