"""Demo follow-through: the policy, a few manual follow-ups (overdue, later today, upcoming) and a
scheduled introduction for each demo recruiter, then the planners run over the demo's weeks of
history: status updates for quiet candidates, client digests, closure notices, follow-ups for
overdue relationships and clients to chase. Idempotent (keys)."""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from followups.models import FollowUp, Message, MessageKind
from followups.planners import plan_all
from relationships.models import Relationship

MANUAL = [
    # summary, kind, hours from now (None: later today)
    ("Send the shortlist before the client call", FollowUp.Kind.TODO, -20),
    ("Check in after the final interview", FollowUp.Kind.CALL, None),
    ("Coffee to talk about next year's plans", FollowUp.Kind.MEETING, 50),
]


def _due(now: dt.datetime, hours: int | None) -> dt.datetime:
    if hours is not None:
        return now + dt.timedelta(hours=hours)
    # Later today, whatever the hour of the load: halfway to midnight, at most two hours on.
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    left = midnight + dt.timedelta(days=1) - now
    return now + min(dt.timedelta(hours=2), left / 2)


def load(stdout) -> None:
    now = timezone.now()
    for recruiter in User.objects.filter(username__in=["recruiter", "recruiter2"]):
        relationships = list(
            Relationship.objects.filter(owner=recruiter)
            .select_related("contact")
            .order_by("id")[:4]
        )
        if not relationships:
            continue
        for index, (summary, kind, hours) in enumerate(MANUAL):
            contact = relationships[index % len(relationships)].contact
            FollowUp.objects.get_or_create(
                idempotency_key=f"demo:{recruiter.pk}:{index}",
                defaults={
                    "owner": recruiter,
                    "contact": contact,
                    "summary": summary,
                    "kind": kind,
                    "due_at": _due(now, hours),
                },
            )
        contact = relationships[-1].contact
        if contact.emails:
            Message.objects.get_or_create(
                idempotency_key=f"demo:introduction:{recruiter.pk}",
                defaults={
                    "kind": MessageKind.INTRODUCTION,
                    "owner": recruiter,
                    "contact": contact,
                    "recipient": contact.emails[0],
                    "personal_note": "Looking forward to working together.",
                    "send_after": now + dt.timedelta(hours=6),
                },
            )
    result = plan_all(now=now)
    stdout.write(
        f"Follow-through: {result.cadence_followups} relationship follow-ups and "
        f"{result.messages} messages planned."
    )
