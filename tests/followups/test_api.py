import pytest
from django.utils import timezone

from followups.models import FollowUp
from followups.services import followup_create
from relationships.models import Interaction
from tests.factories import ContactFactory, StatusUpdateFactory


def test_create_complete_and_snooze_follow_ups(rosa_api, recruiter):
    contact = ContactFactory()

    created = rosa_api.post(
        "/api/v1/followups/",
        {"contact": contact.pk, "summary": "Call", "kind": "call", "due_at": "2099-01-01T09:00Z"},
        format="json",
    )
    pk = created.json()["id"]
    snoozed = rosa_api.post(f"/api/v1/followups/{pk}/snooze/", {"until": "2099-01-02T09:00Z"})
    completed = rosa_api.post(f"/api/v1/followups/{pk}/complete/", {"outcome": "Left a voicemail"})

    assert (created.status_code, snoozed.status_code, completed.status_code) == (201, 200, 200)
    assert snoozed.json()["snooze_count"] == 1
    assert completed.json()["outcome"] == "Left a voicemail"
    assert Interaction.objects.get(contact=contact).summary == "Call: Left a voicemail"


def test_follow_up_of_wrong_type_is_a_clear_error(rosa_api):
    response = rosa_api.post(
        "/api/v1/followups/", {"contact": "ana", "summary": "", "due_at": 5}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"contact", "summary", "due_at"}
    assert FollowUp.objects.count() == 0


def test_update_and_delete_a_follow_up(rosa_api, recruiter):
    followup = followup_create(
        owner=recruiter, contact=ContactFactory(), due_at=timezone.now(), summary="x"
    )

    updated = rosa_api.patch(f"/api/v1/followups/{followup.pk}/", {"summary": "y"}, format="json")
    deleted = rosa_api.delete(f"/api/v1/followups/{followup.pk}/")

    assert (updated.status_code, updated.json()["summary"], deleted.status_code) == (200, "y", 204)
    assert FollowUp.objects.count() == 0


def test_other_recruiters_follow_ups_are_not_visible(rosa_api, other_recruiter):
    followup = followup_create(
        owner=other_recruiter, contact=ContactFactory(), due_at=timezone.now(), summary="x"
    )

    assert rosa_api.get(f"/api/v1/followups/{followup.pk}/").status_code == 404
    assert rosa_api.get("/api/v1/followups/").json()["results"] == []


@pytest.mark.parametrize("rows", [1, 3])
def test_list_endpoints_query_count_is_constant(
    rosa_api, recruiter, django_assert_num_queries, rows
):
    for _ in range(rows):
        followup_create(
            owner=recruiter, contact=ContactFactory(), due_at=timezone.now(), summary="x"
        )
        StatusUpdateFactory(owner=recruiter)

    # session, user, the page
    with django_assert_num_queries(3):
        followups = rosa_api.get("/api/v1/followups/")
    with django_assert_num_queries(3):
        messages = rosa_api.get("/api/v1/messages/?status=scheduled")

    assert len(followups.json()["results"]) == len(messages.json()["results"]) == rows


def test_message_preview_edit_skip_and_send_now(rosa_api, recruiter):
    first, second = StatusUpdateFactory(owner=recruiter), StatusUpdateFactory(owner=recruiter)

    preview = rosa_api.get(f"/api/v1/messages/{first.pk}/preview/")
    edited = rosa_api.post(
        f"/api/v1/messages/{first.pk}/edit/", {"subject": "News", "text": "Hi"}, format="json"
    )
    sent_now = rosa_api.post(f"/api/v1/messages/{first.pk}/send-now/")
    skipped = rosa_api.post(f"/api/v1/messages/{second.pk}/skip/", {"reason": "Called instead"})
    too_late = rosa_api.post(f"/api/v1/messages/{second.pk}/skip/", {"reason": "again"})

    company = first.job.organization.name
    assert preview.json()["subject"] == f"Data lead at {company}: where things stand"
    assert (edited.json()["edited"], sent_now.status_code) == (True, 200)
    assert (skipped.json()["status"], skipped.json()["skip_reason"]) == (
        "skipped",
        "Called instead",
    )
    assert too_late.status_code == 400
    assert "too late" in too_late.json()["error"]["fields"]["status"][0]


def test_policy_read_by_all_changed_by_admins(rosa_api, admin_user):
    assert rosa_api.get("/api/v1/policy/").json()["update_cadence_days"] == 7
    assert rosa_api.patch("/api/v1/policy/current/", {"max_attempts": 3}).status_code == 403
    rosa_api.force_login(admin_user)

    response = rosa_api.patch("/api/v1/policy/current/", {"max_attempts": 3}, format="json")

    assert (response.status_code, response.json()["max_attempts"]) == (200, 3)


def test_schema_lists_the_follow_through_endpoints(rosa_api):
    response = rosa_api.get("/api/schema/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "/api/v1/followups/{id}/complete/" in body
    assert "/api/v1/messages/{id}/send-now/" in body
