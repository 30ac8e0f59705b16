"""A split job: scheduled messages follow their candidacy to the job it moved to, and the
original's digest (it is no longer open) does not go out."""

from datetime import timedelta

from django.utils import timezone

from followups.models import Message, MessageKind
from followups.planners import plan_all
from followups.relay import relay_batch
from jobs.services import job_split
from tests.factories import CandidacyFactory, ContactFactory, JobFactory


def test_split_moves_scheduled_updates_to_the_new_job_and_cancels_the_digest(
    clock, recruiter, outbox
):
    manager = ContactFactory(roles=["hiring_manager"])
    job = JobFactory(owner=recruiter, hiring_manager=manager, title="Engineer")
    to_a = CandidacyFactory(job=job, contact=ContactFactory(first_name="Ana"))
    to_b = CandidacyFactory(job=job, contact=ContactFactory(first_name="Ben"))
    clock.shift(timedelta(days=7, minutes=1))
    plan_all(now=timezone.now())
    assert sorted(Message.objects.values_list("kind", "job_id")) == [
        (MessageKind.CLIENT_DIGEST, job.pk),
        (MessageKind.STATUS_UPDATE, job.pk),
        (MessageKind.STATUS_UPDATE, job.pk),
    ]

    job_a, job_b = job_split(
        job=job,
        user=recruiter,
        title_a="Engineer (platform)",
        title_b="Engineer (client-facing)",
        routes={to_a.pk: "a", to_b.pk: "b"},
    )

    updates = dict(
        Message.objects.filter(kind=MessageKind.STATUS_UPDATE).values_list("candidacy_id", "job_id")
    )
    assert updates == {to_a.pk: job_a.pk, to_b.pk: job_b.pk}
    digest = Message.objects.get(kind=MessageKind.CLIENT_DIGEST, job=job)
    assert (digest.status, digest.skip_reason) == ("cancelled", "the job was split")

    clock.shift(timedelta(hours=4))
    relay_batch(now=timezone.now())

    assert sorted(message.subject for message in outbox) == [
        f"Engineer (client-facing) at {job.organization.name}: where things stand",
        f"Engineer (platform) at {job.organization.name}: where things stand",
    ]
