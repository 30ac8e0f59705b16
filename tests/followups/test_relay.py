from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from followups.models import FollowUp, Message, MessageKind, Suppression
from followups.planners import plan_all
from followups.relay import lease, messages_sweep, relay_batch
from jobs.models import Candidacy
from jobs.services import candidacy_close, job_close
from relationships.models import Interaction, Relationship
from tests.factories import CandidacyFactory, ContactFactory, JobFactory, RelationshipFactory
from tests.followups.backends import ScriptedBackend, esp_error
from tests.followups.conftest import T0
from tests.helpers import statements


def _quiet_candidacy(clock, recruiter, **contact):
    candidacy = CandidacyFactory(
        job=JobFactory(owner=recruiter, title="Data lead"),
        contact=ContactFactory(first_name="Ana", **contact),
    )
    RelationshipFactory(contact=candidacy.contact, owner=recruiter)
    clock.shift(timedelta(days=7, minutes=1))
    plan_all(now=timezone.now())
    return candidacy


def test_relay_sends_after_the_review_window_and_records_everything(clock, recruiter, outbox):
    candidacy = _quiet_candidacy(clock, recruiter)
    assert relay_batch(now=timezone.now()).claimed == 0
    clock.shift(timedelta(hours=4))

    result = relay_batch(now=timezone.now())

    assert (result.claimed, result.sent) == (1, 1)
    message = Message.objects.get()
    assert message.status == Message.Status.SENT
    assert message.sent_at == timezone.now()
    assert message.esp_message_id == "0"
    assert message.subject.startswith("Data lead at ")
    assert message.subject.endswith(": where things stand")
    assert "Hi Ana," in message.text
    [email] = outbox
    assert email.to == [candidacy.contact.emails[0]]
    assert email.subject == message.subject
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.extra_headers["List-Unsubscribe"].startswith(f"<{settings.SITE_URL}/unsubscribe/")
    assert email.from_email == '"Rosa Reyes via Rapport" <rapport@localhost>'
    assert email.alternatives[0][1] == "text/html"
    interaction = Interaction.objects.get(contact=candidacy.contact, kind="message")
    assert interaction.summary == f"Status update sent: {message.subject}"
    assert interaction.recruiter_id == recruiter.pk
    candidacy.refresh_from_db()
    assert candidacy.last_candidate_touch_at == timezone.now()
    candidacy.contact.relationship.refresh_from_db()
    assert candidacy.contact.relationship.last_touch_at == timezone.now()


def test_contact_without_email_becomes_a_call(clock, recruiter, outbox):
    candidacy = _quiet_candidacy(clock, recruiter, emails=[])
    clock.shift(timedelta(hours=4))

    relay_batch(now=timezone.now())

    message = Message.objects.get()
    assert (message.status, message.skip_reason) == ("suppressed", "no email address")
    assert outbox == []
    followup = FollowUp.objects.get()
    assert (followup.reason, followup.kind, followup.owner_id, followup.candidacy_id) == (
        "call_instead",
        "call",
        recruiter.pk,
        candidacy.pk,
    )
    assert followup.summary == (
        f"Call {candidacy.contact.full_name} instead: the status update could not be emailed "
        "(no email address)"
    )
    plan_all(now=timezone.now())
    assert FollowUp.objects.count() == 1


def test_suppressed_address_is_not_emailed(clock, recruiter, outbox):
    candidacy = _quiet_candidacy(clock, recruiter)
    Suppression.objects.create(email=candidacy.contact.emails[0], reason="bounced")
    clock.shift(timedelta(hours=4))

    relay_batch(now=timezone.now())

    assert Message.objects.get().status == "suppressed"
    assert outbox == []
    assert FollowUp.objects.filter(reason="call_instead").count() == 1


def test_transient_esp_error_retries_with_backoff(clock, recruiter, outbox):
    _quiet_candidacy(clock, recruiter)
    clock.shift(timedelta(hours=4))
    ScriptedBackend.failures = [esp_error(503, "Service Unavailable")]

    first = relay_batch(now=timezone.now())

    message = Message.objects.get()
    assert (first.retried, message.status, message.attempts) == (1, "scheduled", 1)
    # 30 s from the ESP's answer, a moment after the batch's start.
    waited = message.send_after - timezone.now()
    assert timedelta(seconds=30) < waited < timedelta(seconds=35)
    assert "ESP API response 503 (Service Unavailable)" in message.last_error
    clock.shift(timedelta(seconds=31))

    second = relay_batch(now=timezone.now())

    message.refresh_from_db()
    assert (second.sent, message.status, message.attempts) == (1, "sent", 2)
    assert len(outbox) == 1
    assert FollowUp.objects.count() == 0


def test_permanent_esp_error_fails_into_a_call(clock, recruiter, outbox):
    candidacy = _quiet_candidacy(clock, recruiter)
    clock.shift(timedelta(hours=4))
    ScriptedBackend.failures = [esp_error(422, "Unprocessable Entity")]

    result = relay_batch(now=timezone.now())

    message = Message.objects.get()
    assert (result.failed, message.status, message.attempts) == (1, "failed", 1)
    followup = FollowUp.objects.get()
    assert (followup.reason, followup.message_id, followup.contact_id) == (
        "call_instead",
        message.pk,
        candidacy.contact_id,
    )
    candidacy.refresh_from_db()
    assert candidacy.last_candidate_touch_at is None


def test_transient_errors_past_max_attempts_fail(clock, recruiter, outbox):
    _quiet_candidacy(clock, recruiter)
    clock.shift(timedelta(hours=4))
    ScriptedBackend.failures = [esp_error(500, "Internal Server Error") for _ in range(5)]

    for _ in range(5):
        relay_batch(now=timezone.now())
        clock.shift(timedelta(hours=1))

    message = Message.objects.get()
    assert (message.status, message.attempts) == ("failed", 5)
    assert FollowUp.objects.filter(reason="call_instead").count() == 1


def test_status_update_for_a_closed_candidacy_is_cancelled(clock, recruiter, outbox):
    candidacy = _quiet_candidacy(clock, recruiter)
    candidacy_close(
        candidacy=Candidacy.objects.get(pk=candidacy.pk), outcome="not_a_fit", user=None
    )
    clock.shift(timedelta(hours=4))

    relay_batch(now=timezone.now())

    update = Message.objects.get(kind=MessageKind.STATUS_UPDATE)
    assert (update.status, update.skip_reason) == ("cancelled", "the candidacy is closed")


def test_sweeper_returns_messages_stuck_in_sending_after_the_lease(clock, recruiter, outbox):
    _quiet_candidacy(clock, recruiter)
    clock.shift(timedelta(hours=4))
    Message.objects.update(
        status="sending",
        claimed_at=timezone.now(),
        lease_until=timezone.now() + lease(),
        attempts=1,
    )
    assert messages_sweep(now=timezone.now() + timedelta(minutes=4)) == 0

    recovered = messages_sweep(now=timezone.now() + timedelta(minutes=6))

    message = Message.objects.get()
    assert (recovered, message.status, message.lease_until) == (1, "scheduled", None)
    assert relay_batch(now=timezone.now() + timedelta(minutes=6)).sent == 1


def test_closure_notice_text_names_the_confidential_alias(clock, recruiter, outbox):
    job = JobFactory(owner=recruiter, title="CTO", client_alias="A fintech in Berlin")
    candidacy = CandidacyFactory(job=job, contact=ContactFactory(first_name="Ana"))
    candidacy_close(candidacy=candidacy, outcome="rejected_by_client", user=recruiter)
    plan_all(now=timezone.now())
    clock.shift(timedelta(hours=1))

    relay_batch(now=timezone.now())

    [email] = outbox
    assert email.subject == "Your application for CTO at A fintech in Berlin"
    assert "I have heard back from A fintech in Berlin about CTO: they have decided" in email.body
    assert job.organization.name not in email.body
    assert T0 + timedelta(hours=1) == Message.objects.get().sent_at


def test_digest_for_a_job_closed_before_it_leaves_is_cancelled(clock, recruiter, outbox):
    job = JobFactory(owner=recruiter, hiring_manager=ContactFactory(roles=["hiring_manager"]))
    clock.shift(timedelta(days=7, minutes=1))
    plan_all(now=timezone.now())
    job_close(job=job, status="filled", user=recruiter)

    relay_batch(now=timezone.now())

    digest = Message.objects.get(kind=MessageKind.CLIENT_DIGEST)
    assert (digest.status, digest.skip_reason) == ("cancelled", "the job is filled")
    assert [m.subject for m in outbox] == []


def test_a_batch_writes_its_timeline_in_one_insert_and_its_clocks_in_one_statement(
    clock, recruiter, outbox
):
    job = JobFactory(owner=recruiter, title="Data lead")
    candidacies = [CandidacyFactory(job=job) for _ in range(3)]
    for candidacy in candidacies[:2]:
        RelationshipFactory(contact=candidacy.contact, owner=recruiter)
    unowned = candidacies[2].contact  # no relationship yet: the sender becomes its owner
    clock.shift(timedelta(days=7, minutes=1))
    plan_all(now=timezone.now())
    clock.shift(timedelta(hours=4))

    with statements() as run:
        result = relay_batch(now=timezone.now())

    assert result.sent == 3
    timeline = [sql for sql in run if "relationships_" in sql.split("(")[0]]
    assert [sql.split("(")[0].strip() for sql in timeline] == [
        'INSERT INTO "relationships_interaction"',
        f"INSERT INTO {Relationship._meta.db_table} AS r",
    ]
    assert Interaction.objects.filter(kind="message").count() == 3
    assert sorted(
        Relationship.objects.values_list("contact_id", "owner_id", "last_touch_at")
    ) == sorted((c.contact_id, recruiter.pk, timezone.now()) for c in candidacies)
    assert Relationship.objects.get(contact=unowned).next_touch_due == timezone.now() + timedelta(
        days=30
    )
