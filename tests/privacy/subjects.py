"""People with a rich history for the subject-access and erasure tests, built through the
services (the relay sends through anymail's test backend): Zebulon Quartermaine, a candidate
owned by Rosa, and Otto Ottoman, another candidate on the same job, whose rows must never show
in Zebulon's export."""

from dataclasses import dataclass
from datetime import timedelta

from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent, AnymailTrackingEvent, EventType
from django.utils import timezone

from accounts.models import User
from contacts.models import Contact, ContactImport
from contacts.services import contact_update
from followups.models import MarketNoteUse, Message, Rating
from followups.relay import relay_batch
from followups.replies import inbound_record
from followups.tracking import tracking_event_record
from jobs.models import Candidacy
from jobs.services import candidacy_move, feedback_record
from market.models import MarketNote
from tests.factories import (
    CandidacyFactory,
    ContactFactory,
    FactFactory,
    InteractionFactory,
    JobFactory,
    RelationshipFactory,
)

ZEBULON_EMAILS = ["zebulon.quartermaine@quartermaine-mail.example", "zq1887@zeppelin.example"]
ZEBULON_PHONES = ["+44 7700 900461"]
ZEBULON_FACTS = ["Collects antique barometers", "Expects 185k to leave Zeppelin Holdings"]
OTTO_EMAIL = "otto.ottoman@ottoman-mail.example"
OTTO_FACT = "Keeps a greenhouse of cacti"


@dataclass
class History:
    person: Contact
    other: Contact
    client: Contact
    candidacy: Candidacy


def _send_due() -> None:
    relay_batch(now=timezone.now())


def _message(*, kind: str, owner: User, contact: Contact, key: str, **fields) -> Message:
    return Message.objects.create(
        kind=kind,
        owner=owner,
        contact=contact,
        recipient=contact.emails[0],
        send_after=timezone.now() - timedelta(minutes=5),
        idempotency_key=key,
        **fields,
    )


def _reply_from(address: str, name: str, subject: str, text: str, key: str) -> None:
    message = AnymailInboundMessage.construct(
        from_email=f"{name} <{address}>",
        to="rosa@rapport.example",
        subject=subject,
        text=text,
        headers=[("Message-ID", f"<{key}@mail.example>")],
    )
    event = AnymailInboundEvent(event_type=EventType.INBOUND, message=message, event_id=key)
    inbound_record(event=event, esp_name="Postmark")


def _candidate(owner: User, *, first: str, last: str, emails: list[str], **fields) -> Contact:
    person = ContactFactory(first_name=first, last_name=last, emails=emails, **fields)
    RelationshipFactory(contact=person, owner=owner)
    return person


def history_build(owner: User) -> History:
    """Zebulon's history: facts (one sensitive), a call, a candidacy submitted to the client
    with an interviewer's feedback, a status update and a one-off email sent by the relay (one
    delivered, with a tracking event), the client's digest naming him, his reply, a rating, a
    market note he was sent, audit entries and an upload that lists him. Otto has the same on
    the same job."""
    zebulon = _candidate(
        owner,
        first="Zebulon",
        last="Quartermaine",
        emails=ZEBULON_EMAILS,
        phones=ZEBULON_PHONES,
        linkedin_url="https://www.linkedin.com/in/zebulon-quartermaine-1887",
        title="Airship navigator",
        location="Lower Slaughter",
        tags=["airships"],
        source="Met at the Quartermaine gala",
    )
    otto = _candidate(owner, first="Otto", last="Ottoman", emails=[OTTO_EMAIL])
    client = ContactFactory(
        first_name="Clara", last_name="Client", emails=["clara@client.example"], roles=["client"]
    )
    FactFactory(contact=zebulon, text=ZEBULON_FACTS[0], author=owner)
    FactFactory(contact=zebulon, text=ZEBULON_FACTS[1], category="salary", author=owner)
    FactFactory(contact=otto, text=OTTO_FACT, author=owner)
    contact_update(contact=zebulon, user=owner, title="Chief airship navigator")
    InteractionFactory(
        contact=zebulon,
        kind="call",
        summary="Zebulon Quartermaine on his next move",
        body="Wants to stay near Lower Slaughter.",
        recruiter=owner,
    )
    InteractionFactory(contact=otto, kind="call", summary="Otto Ottoman on cacti", recruiter=owner)
    job = JobFactory(owner=owner, title="Airship lead", hiring_manager=client)
    interviewer = ContactFactory(first_name="Ivo", last_name="Interviewer", roles=["interviewer"])
    candidacy = CandidacyFactory(job=job, contact=zebulon, user=owner)
    other_candidacy = CandidacyFactory(job=job, contact=otto, user=owner)
    for each in (candidacy, other_candidacy):
        candidacy_move(candidacy=each, to_stage="submitted", user=owner, note="Strong profile")
    criterion = job.intake_items.filter(kind="must_have").first()
    feedback_record(
        candidacy=candidacy,
        interviewer=interviewer,
        recommendation="yes",
        user=owner,
        scores={criterion.pk: 4},
        notes="Zebulon knew every airship by name.",
    )
    feedback_record(
        candidacy=other_candidacy,
        interviewer=interviewer,
        recommendation="no",
        user=owner,
        notes="Otto talked about cacti.",
    )
    for person, each in ((zebulon, candidacy), (otto, other_candidacy)):
        _message(
            kind="status_update",
            owner=owner,
            contact=person,
            key=f"status_update:{each.pk}:privacy",
            candidacy=each,
            job=job,
        )
    _message(
        kind="one_off",
        owner=owner,
        contact=zebulon,
        key="one_off:privacy",
        edited=True,
        subject="Zebulon, a quick question",
        text="Dear Zebulon Quartermaine, are you free on Tuesday?",
    )
    _message(
        kind="client_digest", owner=owner, contact=client, key="client_digest:privacy", job=job
    )
    _send_due()
    update = Message.objects.get(contact=zebulon, kind="status_update")
    tracking_event_record(
        event=AnymailTrackingEvent(
            event_type=EventType.DELIVERED,
            event_id="pm-delivery-1001",
            message_id=update.esp_message_id,
            recipient=update.recipient,
            timestamp=timezone.now(),
            description=f"Delivered to {update.recipient}",
        ),
        esp_name="Postmark",
    )
    _reply_from(
        ZEBULON_EMAILS[0],
        "Zebulon Quartermaine",
        "Re: a quick question",
        "Tuesday works. Zebulon\n+44 7700 900461",
        "zebulon-reply",
    )
    _reply_from(OTTO_EMAIL, "Otto Ottoman", "Re: update", "Thanks, Otto", "otto-reply")
    for person in (zebulon, otto):
        message = Message.objects.get(contact=person, kind="status_update")
        Rating.objects.create(
            message=message,
            contact=person,
            requested_at=timezone.now(),
            valid_until=timezone.now() + timedelta(days=28),
            answer="not_good",
            comment=f"{person.full_name} felt ignored",
            answered_at=timezone.now(),
        )
    note = MarketNote.objects.create(
        title="Airship pay rises", true_as_of=timezone.localdate(), author=owner, tags=["airships"]
    )
    MarketNoteUse.objects.create(contact=zebulon, note=note, message=update, used_at=timezone.now())
    ContactImport.objects.create(
        file_name="gala-guests.csv",
        content=(
            "first_name,last_name,email,phone\n"
            f"Zebulon,Quartermaine,{ZEBULON_EMAILS[1]},{ZEBULON_PHONES[0]}\n"
            "Petra,Present,petra@present.example,\n"
        ),
        mapping=["first_name", "last_name", "email", "phone"],
        result={
            "rows": [
                ["Zebulon", "Quartermaine", ZEBULON_EMAILS[1], ZEBULON_PHONES[0]],
                ["Petra", "Present", "petra@present.example", ""],
            ],
            "created": 2,
        },
        created_by=owner,
    )
    return History(person=zebulon, other=otto, client=client, candidacy=candidacy)
