"""One-click ratings after a closure notice (docs/architecture.md, "Ratings").

`rating_request` opens a Rating for a sent closure notice unless a guardrail says no: the person
is do-not-contact, unsubscribed or suppressed, or was asked in the last six months. Its three
links (good / okay / not good) are signed tokens naming the rating and the answer, valid
`rating_valid_days`; no login (the signature is the credential). A click records the answer (a
later click within validity changes it); "not good" opens a follow-up for the owner's manager.
Each answer is a note on the contact's timeline."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from followups.models import FollowUp, Message, MessageKind, Policy, Rating
from followups.suppression import is_suppressed, suppressed_among
from relationships import services as relationship_services
from relationships.models import Interaction

SALT = "followups.ratings"
ASK_AGAIN_AFTER = timedelta(days=182)


def rating_token(rating: Rating, answer: str) -> str:
    return signing.dumps({"r": rating.pk, "a": answer}, salt=SALT, compress=True)


def rating_urls(rating: Rating) -> dict[str, str]:
    return {
        answer: settings.SITE_URL.rstrip("/")
        + reverse("followups:rate", args=[rating_token(rating, answer)])
        for answer in Rating.Answer.values
    }


def rating_from_token(token: str) -> tuple[Rating, str]:
    """The rating and answer a link names; BadSignature when tampered, expired or unknown."""
    value = signing.loads(token, salt=SALT)
    try:
        rating = Rating.objects.select_related("message__owner", "contact").get(pk=value["r"])
    except (Rating.DoesNotExist, KeyError, TypeError) as error:
        raise signing.BadSignature("Unknown rating.") from error
    answer = value.get("a")
    if answer not in Rating.Answer.values:
        raise signing.BadSignature("Unknown answer.")
    if rating.message.sent_at is None or timezone.now() > rating.valid_until:
        raise signing.SignatureExpired("This link has expired.")
    return rating, answer


@transaction.atomic
def rating_request(*, message: Message, now: datetime | None = None) -> Rating | None:
    """A rating for a sent closure notice, or None when a guardrail refuses it."""
    now = now or timezone.now()
    contact = message.contact
    if message.kind != MessageKind.CLOSURE or message.sent_at is None:
        return None
    if contact.do_not_contact or contact.email_opt_out:
        return None
    if is_suppressed(message.recipient):
        return None
    if Rating.objects.filter(contact=contact, requested_at__gt=now - ASK_AGAIN_AFTER).exists():
        return None
    policy = Policy.current()
    rating, _ = Rating.objects.get_or_create(
        message=message,
        defaults={
            "contact": contact,
            "requested_at": now,
            "valid_until": now + timedelta(days=policy.rating_valid_days),
        },
    )
    return rating


RATING_QUESTION = "How well did I keep you informed? One click tells me:"


def closures_to_ask(messages: Sequence[Message], *, now: datetime) -> list[Message]:
    """The closure notices among `messages` that would ask for a rating if they left now: not
    to a suppressed, unsubscribed or do-not-contact person, nor to one asked in the last six
    months, once per person in a batch (two queries, none when no closure is among them)."""
    closures = [
        m
        for m in messages
        if m.kind == MessageKind.CLOSURE
        and m.contact is not None
        and not m.contact.do_not_contact
        and not m.contact.email_opt_out
    ]
    if not closures:
        return []
    suppressed = suppressed_among(m.recipient for m in closures)
    asked = set(
        Rating.objects.filter(
            contact_id__in={m.contact_id for m in closures},
            requested_at__gt=now - ASK_AGAIN_AFTER,
            message__sent_at__isnull=False,
        )
        .exclude(message_id__in=[m.pk for m in closures])
        .values_list("contact_id", flat=True)
    )
    wanted, seen = [], set()
    for message in closures:
        if message.recipient.lower() in suppressed or message.contact_id in asked:
            continue
        if message.contact_id in seen:  # two notices to one person in a batch: ask once
            continue
        seen.add(message.contact_id)
        wanted.append(message)
    return wanted


def ratings_preview_for(messages: Sequence[Message], *, now: datetime) -> dict[int, Rating]:
    """For a preview: the ratings the closure notices would ask for, unsaved (nothing is
    opened; their links name no rating, so they lead to the 'link not valid' page)."""
    return {
        m.pk: Rating(message=m, contact_id=m.contact_id, requested_at=now)
        for m in closures_to_ask(messages, now=now)
    }


def ratings_open_for(messages: Sequence[Message], *, now: datetime) -> dict[int, Rating]:
    """The ratings the closure notices among `messages` ask for, by message id, opened now
    unless a guardrail says no (as `rating_request`, for a relay batch: four queries whatever
    its size). A link works only once its message is recorded sent (`rating_from_token`)."""
    wanted = closures_to_ask(messages, now=now)
    if not wanted:
        return {}
    valid = timedelta(days=Policy.current().rating_valid_days)
    Rating.objects.bulk_create(
        [
            Rating(message=m, contact_id=m.contact_id, requested_at=now, valid_until=now + valid)
            for m in wanted
        ],
        ignore_conflicts=True,  # a retried batch finds its ratings already open
    )
    return {
        rating.message_id: rating
        for rating in Rating.objects.filter(message_id__in=[m.pk for m in wanted])
    }


def rating_values(rating: Rating | None) -> dict[str, str]:
    """The closure notice's rating merge values: the question and its three links, or blanks
    (then the paragraph that holds them disappears)."""
    if rating is None:
        return {"rating_question": "", "rating_links": "", **dict.fromkeys(RATING_URL_FIELDS, "")}
    urls = rating_urls(rating)
    labels = dict(Rating.Answer.choices)
    return {
        "rating_question": RATING_QUESTION,
        "rating_links": "\n".join(f"{labels[answer]}: {urls[answer]}" for answer in urls),
        **{f"rating_{answer}_url": url for answer, url in urls.items()},
    }


RATING_URL_FIELDS = tuple(f"rating_{answer}_url" for answer in Rating.Answer.values)


def manager_of(owner: User) -> User:
    """The first active manager of the owner's team (the owner when there is none): who hears
    of what needs a manager (a “not good” rating, a request to be forgotten)."""
    manager = (
        User.objects.filter(team_id=owner.team_id, role=User.Role.MANAGER, is_active=True)
        .exclude(team_id=None)
        .order_by("id")
        .first()
    )
    return manager or owner


@transaction.atomic
def rating_answer(*, rating: Rating, answer: str, comment: str | None = None) -> Rating:
    """Record (or change) the answer; "not good" opens a follow-up for the owner's manager once."""
    rating = (
        Rating.objects.select_for_update()
        .select_related("message__owner", "contact")
        .get(pk=rating.pk)
    )
    now = timezone.now()
    changed = rating.answer != answer
    rating.answer = answer
    rating.answered_at = now
    if comment is not None:
        rating.comment = comment.strip()[:5000]
    if answer == Rating.Answer.NOT_GOOD and rating.followup_id is None:
        owner = rating.message.owner
        rating.followup = FollowUp.objects.create(
            owner=manager_of(owner),
            contact=rating.contact,
            candidacy_id=rating.message.candidacy_id,
            job_id=rating.message.job_id,
            message=rating.message,
            kind=FollowUp.Kind.CALL,
            reason=FollowUp.Reason.RATING,
            summary=f"{rating.contact} rated us “not good” after {owner}'s closure notice"[:300],
            due_at=now + timedelta(days=1),
            idempotency_key=f"rating:{rating.pk}",
        )
    rating.save()
    if changed or comment:
        relationship_services.interaction_log(
            contact=rating.contact,
            kind=Interaction.Kind.NOTE,
            direction=Interaction.Direction.INBOUND,
            summary=f"Rated us: {rating.get_answer_display()}",
            body=rating.comment,
            occurred_at=now,
        )
    return rating
