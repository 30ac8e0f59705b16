import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from followups.models import FollowUp, Policy
from followups.services import followup_create
from jobs.models import Candidacy
from relationships.models import Interaction
from tests.factories import ContactFactory, StatusUpdateFactory
from tests.helpers import texts


def test_my_day_shows_follow_ups_and_outgoing_messages(rosa_client, recruiter):
    contact = ContactFactory(first_name="Ana", last_name="Smith")
    now = timezone.now()
    followup_create(
        owner=recruiter, contact=contact, due_at=now - timedelta(days=1), summary="Call back"
    )
    message = StatusUpdateFactory(owner=recruiter)

    response = rosa_client.get("/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Call back" in body
    assert f"/messages/{message.pk}/" in body
    assert "Status update to" in body


@pytest.mark.parametrize("rows", [1, 3])
def test_my_day_query_count_is_constant(rosa_client, recruiter, django_assert_num_queries, rows):
    for index in range(rows):
        contact = ContactFactory()
        followup_create(
            owner=recruiter,
            contact=contact,
            due_at=timezone.now() + timedelta(hours=index),
            summary="x",
        )
        StatusUpdateFactory(owner=recruiter)

    # session, user, agenda, outgoing messages, market notes to review, the privacy review
    with django_assert_num_queries(6):
        rosa_client.get("/")


@pytest.mark.parametrize("rows", [1, 3])
def test_message_list_query_count_is_constant(
    rosa_client, recruiter, django_assert_num_queries, rows
):
    for _ in range(rows):
        StatusUpdateFactory(owner=recruiter)
        StatusUpdateFactory(owner=recruiter, status="sent")

    with django_assert_num_queries(4):
        response = rosa_client.get("/messages/")
    assert response.content.decode().count('data-testid="message-row"') == rows * 2


def test_complete_follow_up_logs_the_outcome_on_the_timeline(rosa_client, recruiter):
    contact = ContactFactory()
    followup = followup_create(
        owner=recruiter, contact=contact, due_at=timezone.now(), summary="Call about Berlin"
    )

    response = rosa_client.post(f"/followups/{followup.pk}/complete", {"outcome": "Interested"})

    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.outcome == "Interested"
    interaction = Interaction.objects.get(contact=contact)
    assert (interaction.kind, interaction.summary) == ("call", "Call about Berlin: Interested")


def test_snooze_moves_the_due_time(rosa_client, recruiter):
    followup = followup_create(
        owner=recruiter, contact=ContactFactory(), due_at=timezone.now(), summary="x"
    )

    rosa_client.post(f"/followups/{followup.pk}/snooze", {"until": "2099-01-05T10:00"})

    followup.refresh_from_db()
    assert (followup.due_at.year, followup.snooze_count) == (2099, 1)


# Wednesday 4 March 2026, 15:20 UTC (the site's time zone).
WEDNESDAY = datetime(2026, 3, 4, 15, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("preset", "until"),
    [
        ("tomorrow", datetime(2026, 3, 5, 9, 0, tzinfo=UTC)),
        ("monday", datetime(2026, 3, 9, 9, 0, tzinfo=UTC)),
        ("week", datetime(2026, 3, 11, 9, 0, tzinfo=UTC)),
    ],
)
def test_snooze_in_one_click_to_a_preset_computed_when_posted(
    rosa_client, recruiter, preset, until
):
    with time_machine.travel(WEDNESDAY - timedelta(days=2), tick=False):
        followup = followup_create(
            owner=recruiter, contact=ContactFactory(), due_at=timezone.now(), summary="x"
        )
        page = rosa_client.get("/").content.decode()
    with time_machine.travel(WEDNESDAY, tick=False):
        response = rosa_client.post(f"/followups/{followup.pk}/snooze", {"preset": preset})

    assert response.status_code == 302
    followup.refresh_from_db()
    assert (followup.due_at, followup.snooze_count) == (until, 1)
    buttons = re.findall(r'name="preset" value="(\w+)" formnovalidate[^>]*>([^<]+)<', page)
    assert buttons == [
        ("tomorrow", "Tomorrow 9:00"),
        ("monday", "Next Monday"),
        ("week", "In a week"),
    ]


def test_snooze_on_a_monday_wakes_next_monday_not_today(rosa_client, recruiter):
    monday = datetime(2026, 3, 9, 7, 0, tzinfo=UTC)
    with time_machine.travel(monday, tick=False):
        followup = followup_create(
            owner=recruiter, contact=ContactFactory(), due_at=monday, summary="x"
        )
        rosa_client.post(f"/followups/{followup.pk}/snooze", {"preset": "monday"})

    followup.refresh_from_db()
    assert followup.due_at == datetime(2026, 3, 16, 9, 0, tzinfo=UTC)


def test_snooze_without_a_time_says_so(rosa_client, recruiter):
    followup = followup_create(
        owner=recruiter, contact=ContactFactory(), due_at=timezone.now(), summary="x"
    )

    response = rosa_client.post(f"/followups/{followup.pk}/snooze", {"until": ""}, follow=True)

    assert "Not snoozed: Choose when to be reminded again." in response.content.decode()
    followup.refresh_from_db()
    assert followup.snooze_count == 0


def test_my_day_counts_only_groups_that_have_follow_ups(rosa_client, recruiter):
    followup_create(
        owner=recruiter,
        contact=ContactFactory(),
        due_at=timezone.now() + timedelta(days=3),
        summary="Coffee",
    )

    page = rosa_client.get("/").content

    # No red "0" beside "Overdue" when nothing is overdue.
    assert texts(page, "overdue-count") == []
    assert texts(page, "today-count") == []
    assert texts(page, "upcoming-count") == ["1"]


def test_new_follow_up_page(rosa_client, recruiter):
    contact = ContactFactory()

    response = rosa_client.post(
        f"/followups/new/{contact.pk}",
        {"summary": "Coffee", "kind": "meeting", "due_at": "2099-01-05T10:00"},
    )

    assert response.status_code == 302
    assert FollowUp.objects.get().summary == "Coffee"


def test_edit_message_sends_the_recruiters_words(rosa_client, recruiter):
    message = StatusUpdateFactory(owner=recruiter)

    response = rosa_client.post(
        f"/messages/{message.pk}/edit", {"subject": "News", "text": "Hi, quick news."}
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.subject, message.text, message.edited) == ("News", "Hi, quick news.", True)


def test_skip_needs_a_reason_and_touches_nothing(rosa_client, recruiter):
    message = StatusUpdateFactory(owner=recruiter)

    refused = rosa_client.post(f"/messages/{message.pk}/skip", {"reason": ""})
    skipped = rosa_client.post(f"/messages/{message.pk}/skip", {"reason": "Called her today"})

    assert (refused.status_code, skipped.status_code) == (400, 302)
    message.refresh_from_db()
    assert (message.status, message.skip_reason) == ("skipped", "Called her today")
    assert Candidacy.objects.get().last_candidate_touch_at is None


def test_send_now_moves_send_after_to_now(
    rosa_client, recruiter, django_capture_on_commit_callbacks
):
    message = StatusUpdateFactory(owner=recruiter)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rosa_client.post(f"/messages/{message.pk}/send-now")

    message.refresh_from_db()
    assert message.send_after <= timezone.now()
    assert len(callbacks) == 1


def test_other_recruiter_cannot_see_or_change_my_message(
    client, recruiter, other_recruiter, password
):
    message = StatusUpdateFactory(owner=recruiter)
    client.login(username=other_recruiter.username, password=password)

    assert client.get(f"/messages/{message.pk}/").status_code == 404
    assert client.post(f"/messages/{message.pk}/skip", {"reason": "x"}).status_code == 404
    message.refresh_from_db()
    assert message.status == "scheduled"


def test_manager_may_skip_a_recruiters_message(client, recruiter, manager, password):
    message = StatusUpdateFactory(owner=recruiter)
    client.login(username=manager.username, password=password)

    response = client.post(f"/messages/{message.pk}/skip", {"reason": "Covering for Rosa"})

    assert response.status_code == 302


def test_pages_need_a_login(client, recruiter):
    message = StatusUpdateFactory(owner=recruiter)

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
    policy = Policy.current()
    assert (policy.update_cadence_days, policy.review_window_hours) == (5, 2)


def test_policy_page_reads_the_policy_without_writing_it(
    client, admin_user, password, django_assert_num_queries
):
    Policy.objects.all().delete()  # as a flushed database has it: the defaults, unsaved
    client.login(username=admin_user.username, password=password)

    response = client.get("/followups/policy/")

    assert response.status_code == 200
    assert response.context["form"].initial["update_cadence_days"] == 7
    assert not Policy.objects.exists()
    with django_assert_num_queries(1):
        assert Policy.current().max_attempts == 5


def test_done_on_a_follow_up_a_logged_call_completed_logs_no_second_call(rosa_client, recruiter):
    contact = ContactFactory()
    followup = followup_create(
        owner=recruiter,
        contact=contact,
        due_at=timezone.now(),
        summary="Keep in touch",
        reason="relationship_cadence",
    )
    rosa_client.post(
        f"/contacts/{contact.pk}/interactions/",
        {"log-kind": "call", "log-direction": "outbound", "log-summary": "Caught up"},
    )

    response = rosa_client.post(f"/followups/{followup.pk}/complete", {"outcome": "Caught up"})

    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.outcome.startswith("Touched: call on ")
    assert list(Interaction.objects.filter(contact=contact).values_list("kind", flat=True)) == [
        "call"
    ]
    page = rosa_client.get("/", follow=True).content.decode()
    assert "Already done: Keep in touch (Touched: call on " in page
    assert page.count('data-testid="followup"') == 0
