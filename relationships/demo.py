"""Demo relationships, a timeline for everyone and a few connections. Idempotent."""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from contacts.demo import demo_contacts
from relationships.models import Connection, Interaction, Relationship
from relationships.services import connection_create, interaction_log, relationship_create

TOUCHES = [
    # kind, direction, summary, days ago
    ("call", "outbound", "Intro call: what they are looking for next", 60),
    ("email", "outbound", "Sent two roles that match", 41),
    ("meeting", "inbound", "Coffee near their office", 25),
    ("note", "internal", "Reminder: ask about the team offsite", 9),
]


def load(stdout) -> None:
    people = demo_contacts()
    if not people or Relationship.objects.filter(contact__in=people).exists():
        return
    recruiters = list(
        User.objects.filter(username__in=["recruiter", "recruiter2"]).order_by("username")
    )
    if not recruiters:
        return
    now = timezone.now()
    for index, contact in enumerate(people):
        owner = recruiters[index % len(recruiters)]
        relationship_create(contact=contact, owner=owner, tier="ABC"[index % 3])
        # Every third person has gone quiet: their next touch is overdue.
        for kind, direction, summary, days_ago in TOUCHES[: 1 + index % len(TOUCHES)]:
            ago = days_ago * (3 if index % 3 == 2 else 1)
            interaction_log(
                contact=contact,
                kind=kind,
                direction=direction,
                summary=summary,
                recruiter=owner,
                occurred_at=now - dt.timedelta(days=ago, hours=index),
            )
    by_name = {contact.full_name: contact for contact in people}
    links = [
        ("Malik Osei", "Clara Jensen", Connection.Kind.REPORTS_TO),
        ("Sofia Lindqvist", "Clara Jensen", Connection.Kind.REPORTS_TO),
        ("Greta Vogel", "Clara Jensen", Connection.Kind.ASSISTANT_OF),
        ("Ana Smith", "Jonas Weber", Connection.Kind.REFERRED_BY),
        ("Farah Haddad", "Jonas Weber", Connection.Kind.WORKED_WITH),
        ("Kenji Tanaka", "Daniel Moreau", Connection.Kind.INTRODUCED_BY),
    ]
    for source, target, kind in links:
        connection_create(from_contact=by_name[source], to_contact=by_name[target], kind=kind)
    count = Interaction.objects.filter(contact__in=people).count()
    stdout.write(
        f"  demo: {len(people)} relationships, {count} interactions, {len(links)} connections"
    )
