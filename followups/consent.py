"""The re-consent email of a retention review (crm.privacy.retention): what it says, how it is
queued and what its link does.

"Ask again" writes the email when it is asked (`reconsent_ask`): it says what we hold about the
person and why, and links to `/consent/<token>/` (a contact token, as in the unsubscribe link,
valid CONSENT_LINK_VALIDITY). It goes through the outbox like a one-off email, once per lawful
basis date (its idempotency key), so a double click queues one. On the page the person either
lets us keep their details (`consent_confirm`: consent from today, "consent email") or asks to
be forgotten (`erasure_request`: a to-do for the owner's manager, who erases them). Either is a
note on their timeline.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.models import User
from contacts import services as contact_services
from contacts.models import Contact
from contacts.permissions import can_review_lawful_basis
from followups.content import contact_token, contact_token_read
from followups.models import FollowUp, Message, MessageKind
from followups.ratings import manager_of
from followups.rendering import Rendered, render
from followups.suppression import is_suppressed
from jobs.models import Candidacy
from relationships import services as relationship_services
from relationships.models import Interaction, Relationship

CONSENT_SALT = "followups.consent"
# The link works this long after it was sent: long enough for a holiday, short enough that an
# old email does not keep speaking for the person.
CONSENT_LINK_VALIDITY = timedelta(days=60)
CONSENT_SOURCE = "consent email"

# Why we hold the details, by lawful basis, as the person should read it.
WHY = {
    Contact.LawfulBasis.LEGITIMATE_INTEREST: (
        "because, as recruiters, we thought you would like to hear about roles that fit your "
        "experience"
    ),
    Contact.LawfulBasis.CONSENT: "because you told us we could",
    Contact.LawfulBasis.CONTRACT: "because we worked together under an agreement",
}

WORDS = {
    "subject": "May we keep your details? A quick question from {{ recruiter_name }}",
    "text": (
        "Hi {{ first_name }},\n\n"
        "It has been a while since we were last in touch, so I would like to check that you are "
        "still happy for us to keep your details.\n\n"
        "This is what we hold about you:\n{{ held }}\n\n"
        "We have kept them since {{ since }} {{ why }}. We use them only to get in touch about "
        "roles that may suit you, and we never sell them or pass them on without asking you.\n\n"
        "To let us keep them, or to ask us to forget you, follow this link: {{ consent_url }}\n\n"
        "It takes one click either way, and the link works until {{ valid_until }}. If we do "
        "not hear from you, I will decide whether we still have a good reason to keep your "
        "details, and delete them if we do not. You can also just reply to this email.\n\n"
        "Best wishes,\n{{ recruiter_signature }}\n"
    ),
    "html": (
        "<p>Hi {{ first_name }},</p>\n"
        "<p>It has been a while since we were last in touch, so I would like to check that you "
        "are still happy for us to keep your details.</p>\n"
        "<p>This is what we hold about you:<br>\n{{ held }}</p>\n"
        "<p>We have kept them since {{ since }} {{ why }}. We use them only to get in touch "
        "about roles that may suit you, and we never sell them or pass them on without asking "
        "you.</p>\n"
        '<p>To let us keep them, or to ask us to forget you, follow this link: <a href="'
        '{{ consent_url }}">{{ consent_url }}</a></p>\n'
        "<p>It takes one click either way, and the link works until {{ valid_until }}. If we "
        "do not hear from you, I will decide whether we still have a good reason to keep your "
        "details, and delete them if we do not. You can also just reply to this email.</p>\n"
        "<p>Best wishes,<br>\n{{ recruiter_signature }}</p>\n"
    ),
}


# --- the link ------------------------------------------------------------------------------------


def consent_url(contact_id: int) -> str:
    token = contact_token(contact_id, salt=CONSENT_SALT)
    return f"{settings.SITE_URL.rstrip('/')}{reverse('followups:consent', args=[token])}"


def consent_contact_id(token: str) -> int:
    """The contact a consent link was made for; signing.BadSignature when forged, made for
    another use (an unsubscribe token) or older than CONSENT_LINK_VALIDITY."""
    return contact_token_read(token, salt=CONSENT_SALT, validity=CONSENT_LINK_VALIDITY)


# --- the email -----------------------------------------------------------------------------------


def held_list(contact: Contact) -> list[str]:
    """What we hold about the person, in their words: their details as the contact row has
    them, then what other tables keep about them (three counts on indexed keys)."""
    identities = ["your name"]
    if contact.emails:
        identities.append("email address" if len(contact.emails) == 1 else "email addresses")
    if contact.phones:
        identities.append("phone number" if len(contact.phones) == 1 else "phone numbers")
    if contact.linkedin_url:
        identities.append("LinkedIn profile")
    held = [_listed(identities)]
    position = " at ".join(
        part for part in (contact.title, contact.organization and contact.organization.name) if part
    )
    if position:
        held.append(f"your position: {position}")
    if contact.location:
        held.append(f"where you are based: {contact.location}")
    counted = (
        (contact.facts.count(), "a note of something you told us", "notes of things you told us"),
        (
            Interaction.objects.filter(contact=contact).count(),
            "a record of one conversation or email with you",
            "a record of our conversations and emails ({n})",
        ),
        (
            Candidacy.objects.filter(contact=contact).count(),
            "the role we discussed with you",
            "the roles we discussed with you ({n})",
        ),
    )
    for count, one, many in counted:
        if count:
            held.append(one if count == 1 else many.format(n=count))
    return held


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def reconsent_render(*, contact: Contact, owner: User, now: datetime) -> Rendered:
    """The email, as it will leave: the same words in the text and the HTML part."""
    recruiter_name = owner.get_full_name() or owner.username
    values = {
        "first_name": contact.first_name,
        "recruiter_name": recruiter_name,
        "recruiter_signature": "\n".join(filter(None, [recruiter_name, owner.email])),
        "held": "\n".join(f"- {item}" for item in held_list(contact)),
        "since": dateformat.format(contact.lawful_basis_on, "j F Y"),
        "why": WHY[Contact.LawfulBasis(contact.lawful_basis)],
        "consent_url": consent_url(contact.pk),
        "valid_until": dateformat.format(timezone.localdate(now + CONSENT_LINK_VALIDITY), "j F Y"),
    }
    return render(**WORDS, values=values)


def reconsent_key(contact: Contact) -> str:
    """One question per lawful basis date: asked again only once the basis changed."""
    return f"reconsent:{contact.pk}:{contact.lawful_basis_on.isoformat()}"


# --- asking --------------------------------------------------------------------------------------


@transaction.atomic
def reconsent_ask(*, contact: Contact, user: User) -> tuple[Message, bool]:
    """Queue the re-consent email to the contact, on behalf of their owner; (the message, whether
    it is new). Asked already for this basis date: that message, nothing new. The owner, their
    manager or an admin asks."""
    contact = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=contact.pk)
    )
    if not can_review_lawful_basis(user, contact):
        raise PermissionDenied(
            "Only the contact's owner, their manager or an admin asks them for consent."
        )
    key = reconsent_key(contact)
    asked = Message.objects.filter(idempotency_key=key).first()
    if asked is not None:
        return asked, False
    relationship = Relationship.objects.select_related("owner").filter(contact=contact).first()
    if relationship is None:
        raise ValidationError(f"{contact} has no owner to write to them.")
    recipient = contact.primary_email.lower()
    if contact.do_not_contact:
        raise ValidationError(f"{contact} is marked do not contact.")
    if not recipient:
        raise ValidationError(f"{contact} has no email address: call them instead.")
    if is_suppressed(recipient):
        raise ValidationError(f"{recipient} is suppressed: it bounced, complained or unsubscribed.")
    now = timezone.now()
    words = reconsent_render(contact=contact, owner=relationship.owner, now=now)
    message = Message(
        kind=MessageKind.RECONSENT,
        owner=relationship.owner,
        contact=contact,
        recipient=recipient,
        subject=words.subject[:300],
        text=words.text,
        html=words.html,
        edited=True,
        idempotency_key=key,
        send_after=now,
    )
    message.full_clean()
    message.save()
    return message, True


# --- the person's answer -------------------------------------------------------------------------


@transaction.atomic
def consent_confirm(*, contact: Contact) -> Contact:
    """The person lets us keep their details: consent from today, from the consent email."""
    already = (
        contact.lawful_basis == Contact.LawfulBasis.CONSENT
        and contact.lawful_basis_on == timezone.localdate()
        and contact.lawful_basis_source == CONSENT_SOURCE
    )
    contact = contact_services.contact_lawful_basis_record(
        contact=contact, basis=Contact.LawfulBasis.CONSENT, source=CONSENT_SOURCE
    )
    if not already:
        relationship_services.interaction_log(
            contact=contact,
            kind=Interaction.Kind.NOTE,
            direction=Interaction.Direction.INBOUND,
            summary="Confirmed by email that we may keep their details (consent)",
        )
    return contact


@transaction.atomic
def erasure_request(*, contact: Contact, requested_by: User | None = None) -> FollowUp:
    """A to-do for the owner's manager (who erases people) to erase the contact, one open at a
    time: the person asked on the re-consent page (`requested_by` None), or their owner (their
    manager, an admin) decided so in a retention review."""
    if requested_by is not None and not can_review_lawful_basis(requested_by, contact):
        raise PermissionDenied(
            "Only the contact's owner, their manager or an admin asks for their erasure."
        )
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    open_request = (
        FollowUp.objects.open()
        .filter(contact=contact, reason=FollowUp.Reason.ERASURE_REQUEST)
        .first()
    )
    if open_request is not None:
        return open_request
    now = timezone.now()
    manager = manager_of(_owner_of(contact))
    if requested_by is None:
        summary = "Asked to be forgotten (the re-consent email): erase their details"
        note = f"Asked by email to be forgotten: erasure requested from {manager}"
    else:
        summary = f"Retention review by {requested_by}: erase their details"
        note = f"Retention review: {requested_by} asked {manager} to erase their details"
    request = FollowUp(
        owner=manager,
        contact=contact,
        kind=FollowUp.Kind.TODO,
        reason=FollowUp.Reason.ERASURE_REQUEST,
        summary=summary[:300],
        due_at=now + timedelta(days=1),
        idempotency_key=f"erasure_request:{contact.pk}:{int(now.timestamp())}",
    )
    request.full_clean()
    request.save()
    relationship_services.interaction_log(
        contact=contact,
        kind=Interaction.Kind.NOTE,
        direction=Interaction.Direction.INBOUND
        if requested_by is None
        else Interaction.Direction.INTERNAL,
        summary=note[:300],
        recruiter=requested_by,
        occurred_at=now,
    )
    return request


def _owner_of(contact: Contact) -> User:
    """Their owner; else (no relationship left) whoever sent them the question."""
    relationship = Relationship.objects.select_related("owner").filter(contact=contact).first()
    if relationship is not None:
        return relationship.owner
    asked = (
        Message.objects.select_related("owner")
        .filter(contact=contact, kind=MessageKind.RECONSENT)
        .order_by("-send_after", "-id")
        .first()
    )
    if asked is None:
        raise ValidationError(f"{contact} has no owner and was never asked.")
    return asked.owner
