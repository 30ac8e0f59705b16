"""The audit trail (crm.audit): who changed what, and when, masked where it is sensitive, shown
on the History pages; entries older than AUDIT_RETENTION_DAYS are pruned."""

import datetime as dt

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from crm.audit import HIDDEN, audit_prune
from followups.models import Message, Policy
from tests.factories import (
    ContactFactory,
    FactFactory,
    JobFactory,
    RelationshipFactory,
    StatusUpdateFactory,
)
from tests.helpers import texts

pytestmark = pytest.mark.django_db

NOV_3 = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)


def _entries(model) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
        .select_related("actor")
        .order_by("id")
    )


@time_machine.travel(NOV_3, tick=False)
def test_a_fact_edit_is_recorded_with_author_time_and_the_sensitive_text_masked(
    rosa_client, recruiter
):
    ana = ContactFactory(first_name="Ana", last_name="Lopez")
    RelationshipFactory(contact=ana, owner=recruiter)
    fact = FactFactory(
        contact=ana, category="constraints", text="Needs visa", sensitive=True, author=recruiter
    )

    rosa_client.post(f"/contacts/{ana.pk}/facts/{fact.pk}/pin/")

    entry = LogEntry.objects.filter(object_pk=str(fact.pk), action=LogEntry.Action.UPDATE).get()
    assert (entry.actor, entry.timestamp) == (recruiter, NOV_3)
    assert entry.changes_dict == {"pinned": ["False", "True"]}
    created = LogEntry.objects.get(object_pk=str(fact.pk), action=LogEntry.Action.CREATE)
    assert created.changes_dict["text"] == ["None", HIDDEN]
    assert "Needs visa" not in created.object_repr
    page = rosa_client.get(f"/contacts/{ana.pk}/history/").content.decode()
    assert "Needs visa" not in page
    assert texts(page, "history-entry")[0] == (
        "3 Nov 2026 09:30 Rosa Reyes update · Fact: Constraints: (sensitive) pinned: False → True"
    )


def test_a_contact_page_links_its_history(rosa_client):
    ana = ContactFactory()

    page = rosa_client.get(f"/contacts/{ana.pk}/").content.decode()

    assert f'href="/contacts/{ana.pk}/history/"' in page


@time_machine.travel(NOV_3, tick=False)
def test_a_message_skip_is_recorded_and_shown_on_the_job_history(rosa_api, recruiter, client):
    message = StatusUpdateFactory(owner=recruiter)

    rosa_api.post(f"/api/v1/messages/{message.pk}/skip/", {"reason": "Called instead"})

    entry = [e for e in _entries(Message) if e.action == LogEntry.Action.UPDATE][-1]
    assert (entry.actor, entry.timestamp) == (recruiter, NOV_3)
    assert entry.changes_dict["status"] == ["scheduled", "skipped"]
    assert entry.changes_dict["skip_reason"] == ["", "Called instead"]
    client.force_login(recruiter)
    job_page = client.get(f"/jobs/{message.job_id}/").content.decode()
    assert f'href="/jobs/{message.job_id}/history/"' in job_page
    history = texts(client.get(f"/jobs/{message.job_id}/history/").content, "history-entry")
    assert any("Called instead" in row and "Rosa Reyes" in row for row in history)


@time_machine.travel(NOV_3, tick=False)
def test_a_policy_change_is_recorded_with_its_admin(api, admin_user):
    api.force_login(admin_user)

    response = api.patch("/api/v1/policy/current/", {"max_attempts": 3}, format="json")

    assert response.status_code == 200
    entry = _entries(Policy)[-1]
    assert (entry.actor, entry.timestamp) == (admin_user, NOV_3)
    assert entry.changes_dict["max_attempts"][1] == "3"


def test_contact_emails_are_masked_partly(recruiter):
    ContactFactory(first_name="Ana", last_name="", emails=["ana.lopez@example.com"])

    entry = LogEntry.objects.get(action=LogEntry.Action.CREATE, object_repr="Ana")
    masked = entry.changes_dict["emails"][1]
    assert "ana.lopez" not in masked
    assert masked.startswith("*")


@pytest.mark.parametrize("rows", [1, 3])
def test_the_history_page_runs_constant_queries(
    rosa_client, recruiter, rows, django_assert_num_queries
):
    job = JobFactory(owner=recruiter)
    for _ in range(rows):
        StatusUpdateFactory(owner=recruiter, job=job)

    # the same count whatever the number of entries (session, user, job, content types, entries)
    with django_assert_num_queries(6):
        response = rosa_client.get(f"/jobs/{job.pk}/history/")

    assert response.status_code == 200


def test_entries_older_than_the_retention_are_pruned(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), tick=False):
        ContactFactory(first_name="Old", last_name="", emails=[])
    with time_machine.travel(dt.datetime(2026, 2, 15, tzinfo=dt.UTC), tick=False):
        ContactFactory(first_name="New", last_name="", emails=[])

        deleted = audit_prune()

    assert deleted == 1
    assert list(LogEntry.objects.values_list("object_repr", flat=True)) == ["New"]
