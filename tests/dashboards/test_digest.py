"""The managers' weekly digest: planned on Monday 07:00 by a real Celery worker (time-machine
for the rows the test makes, `at` for the tasks), queued through the outbox and sent by the
relay once per manager and week; none for a manager who opted out, nor for a recruiter."""

from collections import Counter
from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings

from dashboards import tasks
from dashboards.digest import manager_digest_plan
from followups import tasks as followups_tasks
from followups.models import Message, MessageKind
from followups.relay import relay_batch
from followups.services import message_prerendered_schedule
from relationships.models import Interaction
from tests.dashboards.conftest import build_history, people
from tests.factories import ContactFactory, RelationshipFactory, TeamFactory, UserFactory
from tests.followups.workers import worker_start

MONDAY = datetime(2026, 3, 9, 7, 0, tzinfo=UTC)  # the Monday after the history's week
SUBJECT = "Your team's week: London desk, 02 Mar 2026 – 08 Mar 2026"


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        started = worker_start(tmp_path_factory.mktemp("dashboards"), name="dashboards")
    yield started
    started.stop()


def team_history():
    """The known history, and Bea, Berlin's manager, who opted out of the digest."""
    h = build_history(**people())
    with time_machine.travel(datetime(2026, 1, 1, 9, tzinfo=UTC), tick=False) as clock:
        for i in range(4):  # four relationships breached since 25 January
            clock.move_to(datetime(2026, 1, 11, 9, i, tzinfo=UTC))
            RelationshipFactory(
                owner=h.rosa,
                tier="A",
                contact=ContactFactory(first_name=f"Old{i}", last_name="Friend"),
            )
    h.bea = UserFactory(
        username="bea", first_name="Bea", role="manager", team=TeamFactory(name="Berlin desk"),
        manager_digest=False,
    )  # fmt: skip
    return h


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_each_manager_gets_one_digest_however_often_beat_runs(worker):
    worker.record_path.write_text("")
    h = team_history()
    at = MONDAY.isoformat()

    with time_machine.travel(MONDAY, tick=False):
        worker.send(tasks.manager_digest_plan_task, at=at)
        worker.send(tasks.manager_digest_plan_task, at=at)  # beat (or a retry) runs it again
        worker.send(followups_tasks.relay, at=at)
        worker.drain()

    digests = list(Message.objects.filter(kind=MessageKind.MANAGER_DIGEST))
    assert [(m.owner, m.recipient, m.status, m.idempotency_key) for m in digests] == [
        (h.maya, "maya@rapport.example", "sent", f"manager_digest:{h.maya.pk}:2026-W11"),
    ]
    digest = digests[0]
    assert digest.subject == SUBJECT
    assert digest.sent_at == MONDAY
    assert Counter(worker.sent_keys()) == {digest.idempotency_key: 1}
    # The week's figures are the overview's (tests/dashboards/test_overview.py, EXPECTED).
    assert "  Decisions with a closure notice: 66.7 %\n" in digest.text
    assert "  Candidacies decided: 3\n" in digest.text
    # The oldest ten of the eleven breached, oldest first: the four old friends, then the
    # history's.
    breached = digest.text.split("Breached now: ")[1].split("\n\n")[0]
    assert breached.splitlines() == [
        "11 (the oldest 10)",
        "  Relationship touch - Old0 Friend (Rosa Reyes): due 25 Jan 2026 09:00, -42 d 22 h",
        "  Relationship touch - Old1 Friend (Rosa Reyes): due 25 Jan 2026 09:01, -42 d 21 h",
        "  Relationship touch - Old2 Friend (Rosa Reyes): due 25 Jan 2026 09:02, -42 d 21 h",
        "  Relationship touch - Old3 Friend (Rosa Reyes): due 25 Jan 2026 09:03, -42 d 21 h",
        "  Relationship touch - Jack Cole (Rosa Reyes): due 18 Feb 2026 09:00, -18 d 22 h",
        "  Relationship touch - Gina Ross (Tom Brandt): due 23 Feb 2026 09:00, -13 d 22 h",
        "  Client decision - Dan Wu, Data lead (Rosa Reyes): due 1 Mar 2026 09:00, -7 d 22 h",
        "  Client digest - Hana Mori, Data lead (Rosa Reyes): due 2 Mar 2026 09:00, -6 d 22 h",
        "  Status update - Dan Wu, Data lead (Rosa Reyes): due 2 Mar 2026 09:00, -6 d 22 h",
        f"  Closure notice - {h.cleo.contact.full_name}, Data lead (Rosa Reyes): "
        "due 4 Mar 2026 12:00, -4 d 19 h",
    ]
    team = f"scope=team%3A{h.maya.team_id}"
    assert (
        f"The overview: {settings.SITE_URL}/dashboards/?{team}"
        "&period=custom&start=2026-03-02&end=2026-03-08\n"
    ) in digest.text
    assert f"Everything breached: {settings.SITE_URL}/dashboards/now.breached/?{team}\n" in (
        digest.text
    )
    assert "<td>Jack Cole</td>" in digest.html
    assert "client&#x27;s decision" in digest.html  # escaped
    assert f'<a href="{settings.SITE_URL}/dashboards/digest/">Stop it</a>' in digest.html
    # A message to a user is on no contact's timeline.
    assert not Interaction.objects.filter(summary__contains="weekly digest").exists()


@pytest.mark.django_db
def test_a_prerendered_message_leaves_with_its_own_words(manager, mailoutbox):
    message, created = message_prerendered_schedule(
        kind=MessageKind.MANAGER_DIGEST, owner=manager, recipient="maya@rapport.example",
        subject="Hello <Maya>", text="Plain {{ first_name }}", html="<p>Hi</p>",
        idempotency_key="manager_digest:test", send_after=MONDAY,
    )  # fmt: skip
    again, created_again = message_prerendered_schedule(
        kind=MessageKind.MANAGER_DIGEST, owner=manager, recipient="other@rapport.example",
        subject="Other", text="Other", html="", idempotency_key="manager_digest:test",
        send_after=MONDAY,
    )  # fmt: skip

    assert (created, created_again, again.pk) == (True, False, message.pk)
    assert relay_batch(now=MONDAY).sent == 1
    (email,) = mailoutbox
    assert (email.subject, email.body, email.to) == (
        "Hello <Maya>",
        "Plain {{ first_name }}",
        ["maya@rapport.example"],
    )
    assert email.alternatives[0].content == "<p>Hi</p>"
    assert "List-Unsubscribe" not in email.extra_headers
    assert Interaction.objects.count() == 0


@pytest.mark.django_db
def test_opt_out_from_the_profile_page(client, manager, recruiter):
    client.force_login(manager)
    page = client.get("/dashboards/digest/")
    assert page.status_code == 200
    assert 'href="/dashboards/digest/"' in page.content.decode()  # the user menu links it

    response = client.post("/dashboards/digest/", {})

    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.manager_digest is False
    client.post("/dashboards/digest/", {"manager_digest": "on"})
    manager.refresh_from_db()
    assert manager.manager_digest is True
    client.force_login(recruiter)
    assert client.get("/dashboards/digest/").status_code == 403


@pytest.mark.django_db
def test_planning_skips_recruiters_and_managers_who_opted_out(manager, recruiter):
    UserFactory(username="bea", role="manager", manager_digest=False)

    assert manager_digest_plan(now=MONDAY) == 1
    assert manager_digest_plan(now=MONDAY) == 0
    assert list(Message.objects.values_list("owner__username", flat=True)) == [manager.username]
