from datetime import timedelta

from django.utils import timezone

from followups.models import FollowUp, Message
from followups.services import followup_create, handoff_introductions_schedule
from relationships.services import relationship_handoff
from tests.factories import ContactFactory, RelationshipFactory


def test_handoff_moves_open_follow_ups_and_scheduled_messages(recruiter, other_recruiter):
    ana = RelationshipFactory(owner=recruiter, contact=ContactFactory(first_name="Ana")).contact
    ben = RelationshipFactory(owner=recruiter).contact
    now = timezone.now()
    followup_create(owner=recruiter, contact=ana, due_at=now, summary="Call Ana")
    done = followup_create(owner=recruiter, contact=ana, due_at=now, summary="Old")
    FollowUp.objects.filter(pk=done.pk).update(completed_at=now, outcome="ok")
    followup_create(owner=recruiter, contact=ben, due_at=now, summary="Call Ben")
    scheduled = Message.objects.create(
        kind="status_update", owner=recruiter, contact=ana, recipient="ana@mail.example",
        idempotency_key="k1", send_after=now + timedelta(hours=1),
    )  # fmt: skip
    sent = Message.objects.create(
        kind="status_update", owner=recruiter, contact=ana, recipient="ana@mail.example",
        idempotency_key="k2", send_after=now, status="sent",
    )  # fmt: skip

    handoff = relationship_handoff(
        from_recruiter=recruiter, to_recruiter=other_recruiter, performed_by=recruiter,
        contacts=[ana], note="Ana prefers mornings",
    )  # fmt: skip

    owners = dict(FollowUp.objects.values_list("summary", "owner_id"))
    assert owners == {"Call Ana": other_recruiter.pk, "Old": recruiter.pk, "Call Ben": recruiter.pk}
    assert Message.objects.get(pk=scheduled.pk).owner_id == other_recruiter.pk
    assert Message.objects.get(pk=sent.pk).owner_id == recruiter.pk

    assert handoff_introductions_schedule(handoff=handoff, user=recruiter) == 1
    intro = Message.objects.get(kind="introduction")
    assert (intro.owner_id, intro.contact_id, intro.idempotency_key) == (
        other_recruiter.pk,
        ana.pk,
        f"introduction:{handoff.pk}:{ana.pk}",
    )
    assert handoff_introductions_schedule(handoff=handoff, user=recruiter) == 0
    assert Message.objects.filter(kind="introduction").count() == 1
