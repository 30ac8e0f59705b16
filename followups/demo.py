"""Demo follow-through: the policy, the planners' follow-ups for overdue relationships, a couple
of manual follow-ups and a scheduled message for each demo recruiter. Idempotent (keys)."""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from followups.models import FollowUp, Message, MessageKind
from followups.planners import plan_all
from relationships.models import Relationship

MANUAL = [
    # summary, kind, hours from now
    ("Send the shortlist before the client call", FollowUp.Kind.TODO, -20),
    ("Check in after the final interview", FollowUp.Kind.CALL, 3),
    ("Coffee to talk about next year's plans", FollowUp.Kind.MEETING, 50),
]


def load(stdout) -> None:
    now = timezone.now()
    for recruiter in User.objects.filter(username__in=["recruiter", "recruiter2"]):
        relationships = list(
            Relationship.objects.filter(owner=recruiter).select_related("contact")[:4]
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
                    "due_at": now + dt.timedelta(hours=hours),
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
