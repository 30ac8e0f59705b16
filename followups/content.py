"""What a message says: default templates, merge values for a batch of messages, rendering.

Messages are rendered when they leave (the relay) and on demand for a preview, so an update tells
the truth as of sending, and planning 100,000 rows stays one INSERT ... SELECT.
"""

import base64
import dataclasses
import functools
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import Count
from django.urls import reverse
from django.utils import dateformat, timezone

from core.hashing import keyed_hash
from followups.models import (
    JobPolicy,
    MarketNoteUse,
    Message,
    MessageKind,
    MessageTemplate,
    Policy,
    Rating,
)
from followups.ratings import rating_values
from followups.rendering import Rendered, render
from jobs.models import Candidacy, Job
from market import selectors as market_selectors
from market.models import MarketNote
from market.selectors import note_sentence
from relationships.models import Handoff, Relationship

UNSUBSCRIBE_SALT = "followups.unsubscribe"
# An unsubscribe link works this long after the message was sent (mail is read late, and kept).
UNSUBSCRIBE_VALIDITY = timedelta(days=400)
_TOKEN_PREFIX = "u1."  # noqa: S105 - a format marker, not a secret

# The words of each kind of message, as the recruiter would write them: the recipient's name, the
# job and company as they may see them, what happened, what happens next and when they hear
# again, and the recruiter's name and reply address. Sentences that depend on the stage or the
# outcome are merge values (progress, next_step, outcome, below).
DEFAULT_TEMPLATES = {
    MessageKind.STATUS_UPDATE: {
        "subject": "{{ job_title }} at {{ company }}: where things stand",
        "text": (
            "Hi {{ first_name }},\n\n"
            "Here is the latest on {{ job_title }} at {{ company }}. {{ progress }}\n\n"
            "{{ next_step }} You will hear from me again by {{ next_update }} at the latest.\n\n"
            "{{ market_note }}\n\n"
            "{{ personal_note }}\n\n"
            "If you have a question in the meantime, just reply to this email.\n\n"
            "Best wishes,\n{{ recruiter_signature }}\n\n"
            "Prefer not to get these emails? Unsubscribe: {{ unsubscribe_url }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p>\n"
            "<p>Here is the latest on {{ job_title }} at {{ company }}. {{ progress }}</p>\n"
            "<p>{{ next_step }} You will hear from me again by {{ next_update }} at the latest."
            "</p>\n"
            "<p>{{ market_note }}</p>\n"
            "<p>{{ personal_note }}</p>\n"
            "<p>If you have a question in the meantime, just reply to this email.</p>\n"
            "<p>Best wishes,<br>\n{{ recruiter_signature }}</p>\n"
            '<p>Prefer not to get these emails? <a href="{{ unsubscribe_url }}">Unsubscribe</a>'
            "</p>\n"
        ),
    },
    MessageKind.CLOSURE: {
        "subject": "Your application for {{ job_title }} at {{ company }}",
        "text": (
            "Hi {{ first_name }},\n\n"
            "{{ outcome }}\n\n"
            "{{ next_step }}\n\n"
            "{{ personal_note }}\n\n"
            "{{ rating_question }}\n{{ rating_links }}\n\n"
            "Best wishes,\n{{ recruiter_signature }}\n\n"
            "Prefer not to get emails from me? Unsubscribe: {{ unsubscribe_url }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p>\n"
            "<p>{{ outcome }}</p>\n"
            "<p>{{ next_step }}</p>\n"
            "<p>{{ personal_note }}</p>\n"
            "<p>{{ rating_question }}<br>\n"
            '<a href="{{ rating_good_url }}">Good</a> · <a href="{{ rating_okay_url }}">Okay</a> · '
            '<a href="{{ rating_not_good_url }}">Not good</a></p>\n'
            "<p>Best wishes,<br>\n{{ recruiter_signature }}</p>\n"
            '<p>Prefer not to get emails from me? <a href="{{ unsubscribe_url }}">Unsubscribe</a>'
            "</p>\n"
        ),
    },
    MessageKind.CLIENT_DIGEST: {
        "subject": "{{ job_title }}: where the search stands",
        "text": (
            "Hi {{ first_name }},\n\n"
            "Here is where the search for {{ job_title }} stands:\n{{ pipeline }}\n\n"
            "{{ feedback_request }}\n\n"
            "{{ market_note }}\n\n"
            "{{ market_this_week }}\n\n"
            "{{ personal_note }}\n\n"
            "You will have the next update by {{ next_update }}. If you would like to talk "
            "before then, just reply to this email.\n\n"
            "Best wishes,\n{{ recruiter_signature }}\n\n"
            "Prefer not to get these updates? Unsubscribe: {{ unsubscribe_url }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p>\n"
            "<p>Here is where the search for {{ job_title }} stands:<br>\n{{ pipeline }}</p>\n"
            "<p>{{ feedback_request }}</p>\n"
            "<p>{{ market_note }}</p>\n"
            "<p>{{ market_this_week }}</p>\n"
            "<p>{{ personal_note }}</p>\n"
            "<p>You will have the next update by {{ next_update }}. If you would like to talk "
            "before then, just reply to this email.</p>\n"
            "<p>Best wishes,<br>\n{{ recruiter_signature }}</p>\n"
            '<p>Prefer not to get these updates? <a href="{{ unsubscribe_url }}">Unsubscribe</a>'
            "</p>\n"
        ),
    },
    MessageKind.JOB_CLOSED: {
        "subject": "{{ job_title }}: the search is closed",
        "text": (
            "Hi {{ first_name }},\n\n"
            "{{ outcome }}\n\n"
            "{{ next_step }}\n\n"
            "{{ personal_note }}\n\n"
            "Thank you for working with me on it. If you would like to start a new search, just "
            "reply to this email.\n\n"
            "Best wishes,\n{{ recruiter_signature }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p>\n"
            "<p>{{ outcome }}</p>\n"
            "<p>{{ next_step }}</p>\n"
            "<p>{{ personal_note }}</p>\n"
            "<p>Thank you for working with me on it. If you would like to start a new search, "
            "just reply to this email.</p>\n"
            "<p>Best wishes,<br>\n{{ recruiter_signature }}</p>\n"
        ),
    },
    MessageKind.INTRODUCTION: {
        "subject": "Introducing {{ recruiter_name }}, your new contact",
        "text": (
            "Hi {{ first_name }},\n\n"
            "I am {{ recruiter_name }}, and I am taking over from {{ previous_recruiter }} as "
            "your contact. Your history with us comes with you, so there is no need to start "
            "again.\n\n"
            "{{ personal_note }}\n\n"
            "{{ next_step }}\n\n"
            "Best wishes,\n{{ recruiter_signature }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p>\n"
            "<p>I am {{ recruiter_name }}, and I am taking over from {{ previous_recruiter }} as "
            "your contact. Your history with us comes with you, so there is no need to start "
            "again.</p>\n"
            "<p>{{ personal_note }}</p>\n"
            "<p>{{ next_step }}</p>\n"
            "<p>Best wishes,<br>\n{{ recruiter_signature }}</p>\n"
        ),
    },
}

Stage = Candidacy.Stage
Outcome = Candidacy.Outcome

# A status update: where an open candidacy stands ({company}; {since}: the day the stage began)
# ... (moving to "placed" closes a candidacy, so it gets a closure notice instead)
PROGRESS = {
    Stage.SOURCED: "I have you on my shortlist for it.",
    Stage.CONTACTED: "We have been in touch about it, and you are on my shortlist.",
    Stage.SCREENING: (
        "We are at the screening stage: making sure the role and what you want from your next "
        "move fit together."
    ),
    Stage.SUBMITTED: "I put your profile forward to {company} on {since}, and it is with them now.",
    Stage.CLIENT_INTERVIEW: "You have been in the interview stage with {company} since {since}.",
    Stage.OFFER: "We are at the offer stage with {company}.",
}

# ... and what happens next.
NEXT_STEPS = {
    Stage.SOURCED: (
        "My next step is to talk with you about whether it fits what you are looking for."
    ),
    Stage.CONTACTED: (
        "Next, we find a time to go through the role and what you are looking for in more detail."
    ),
    Stage.SCREENING: "If it is a fit for both of us, I will put your profile forward to {company}.",
    Stage.SUBMITTED: "I am waiting for their answer and will pass it on as soon as I have it.",
    Stage.CLIENT_INTERVIEW: (
        "I am gathering their feedback and will share it with you as soon as I have it."
    ),
    Stage.OFFER: (
        "I am working through the details of the offer with them and will come back to you on "
        "anything that needs your decision."
    ),
}

# A closure notice, by outcome and by whether the candidate had met the client (interviewed):
# what was decided ({job}, {company}) and what happens next.
INTERVIEWED_STAGES = frozenset({Stage.CLIENT_INTERVIEW, Stage.OFFER, Stage.PLACED})
_CLOSED = "This closes your application, so you will not get more updates about it."
_KEEP_IN_MIND = (
    "I would like to keep you in mind for other roles: reply to this email any time to tell me "
    "what you are looking for next."
)
_FEEDBACK = (
    "If you would like to hear the feedback from your interviews, reply to this email and I "
    "will share what I can. I would also like to keep you in mind for other roles."
)
CLOSURES = {
    (Outcome.REJECTED_BY_CLIENT, False): (
        "I have heard back from {company} about {job}: they have decided not to take your "
        "application further. I know this is disappointing, and I am grateful you let me put "
        "your name forward.",
        f"{_CLOSED} {_KEEP_IN_MIND}",
    ),
    (Outcome.REJECTED_BY_CLIENT, True): (
        "I have heard back from {company} after your interviews for {job}: they have decided not "
        "to go ahead with your application. I know this is disappointing, especially after the "
        "time and thought you put into the interviews.",
        f"{_CLOSED} {_FEEDBACK}",
    ),
    (Outcome.NOT_A_FIT, False): (
        "Having looked closely at {job} at {company} and at what you are looking for, I do not "
        "think it is the right fit for you, so I will not take your application further.",
        f"{_CLOSED} {_KEEP_IN_MIND}",
    ),
    (Outcome.NOT_A_FIT, True): (
        "After your interviews for {job} at {company}, it is clear that the role is not the right "
        "fit, so your application will not go further. Thank you for the time and thought you "
        "put into the interviews.",
        f"{_CLOSED} {_FEEDBACK}",
    ),
    **{
        (Outcome.CANDIDATE_WITHDREW, interviewed): (
            "Thank you for letting me know that you are withdrawing from {job} at {company}. I "
            "have closed your application, so you will not get more updates about it.",
            "If your plans change, or you would like to hear about other roles, just reply to "
            "this email.",
        )
        for interviewed in (False, True)
    },
    **{
        (Outcome.JOB_FILLED, interviewed): (
            "{company} has now filled the {job} role, so your application for it has closed. I "
            "am sorry this one did not work out.",
            f"You will not get more updates about it. {_KEEP_IN_MIND}",
        )
        for interviewed in (False, True)
    },
    **{
        (Outcome.JOB_CANCELLED, interviewed): (
            "{company} has decided not to go ahead with the {job} role, so the search has closed, "
            "and your application with it. This was a decision about the role, not about you.",
            f"You will not get more updates about it. {_KEEP_IN_MIND}",
        )
        for interviewed in (False, True)
    },
    **{
        (Outcome.PLACED, interviewed): (
            "Congratulations on your new role as {job} at {company}! I am delighted for you, and "
            "it has been a pleasure working with you.",
            "If anything comes up before your start date, just reply to this email. I wish you "
            "every success in the new role.",
        )
        for interviewed in (False, True)
    },
}

# The client's notice of a closed job ({job}): what happened and what happens next.
JOBS_CLOSED = {
    Job.Status.FILLED: (
        "Congratulations on filling the {job} role! I have closed the search on my side."
    ),
    Job.Status.CANCELLED: (
        "The {job} role is now cancelled, so I have closed the search on my side."
    ),
}
JOB_CLOSED_NEXT_STEP = (
    "I am letting everyone who was still in the running know, so there is nothing you need to do."
)

# Digests leave within a minute or two of falling due (the planner runs every minute, the relay
# every few seconds): the date promised for the next one allows an hour more.
NEXT_UPDATE_SLACK = timedelta(hours=1)


def templates_current() -> dict[str, dict[str, str]]:
    """Each kind's words: the admin's template when there is one, else the default."""
    words = {kind: dict(fields) for kind, fields in DEFAULT_TEMPLATES.items()}
    for template in MessageTemplate.objects.all():
        words[template.kind] = {
            "subject": template.subject,
            "text": template.text,
            "html": template.html,
        }
    return words


def _token_hash(salt: str, purpose: bytes, data: bytes) -> bytes:
    return keyed_hash(salt.encode() + b"." + purpose, data)


def _token_mask(salt: str, nonce: bytes) -> int:
    return int.from_bytes(_token_hash(salt, b"mask", nonce)[:8], "big")


def contact_token(contact_id: int, *, salt: str) -> str:
    """A signed, dated token that names the contact without showing its id: the id is XORed
    with a keyed hash of a nonce (itself a keyed hash of the id and the second, so without
    SECRET_KEY the token reveals nothing, and the same contact's tokens differ from one second
    to the next), and the signature's timestamp makes it expire. No database row needed: the
    relay makes one for every message it sends. `salt` names the use (unsubscribe, consent):
    one use's token is no good for another."""
    second = int(time.time())
    nonce = _token_hash(salt, b"nonce", f"{contact_id}:{second}".encode())[:8]
    masked = (contact_id ^ _token_mask(salt, nonce)).to_bytes(8, "big")
    value = _TOKEN_PREFIX + base64.urlsafe_b64encode(nonce + masked).decode().rstrip("=")
    return signing.TimestampSigner(salt=salt).sign(value)


def contact_token_read(token: str, *, salt: str, validity: timedelta) -> int:
    """The contact a `contact_token` was made for; raises signing.BadSignature when forged or
    made for another use, and signing.SignatureExpired (a BadSignature) when older than
    `validity`."""
    value = signing.TimestampSigner(salt=salt).unsign(token, max_age=validity)
    if not value.startswith(_TOKEN_PREFIX):
        raise signing.BadSignature("Malformed token.")
    try:
        raw = base64.urlsafe_b64decode(value[len(_TOKEN_PREFIX) :] + "==")
    except ValueError as error:
        raise signing.BadSignature("Malformed token.") from error
    if len(raw) != 16:
        raise signing.BadSignature("Malformed token.")
    return int.from_bytes(raw[8:], "big") ^ _token_mask(salt, raw[:8])


def unsubscribe_token(contact_id: int) -> str:
    """The unsubscribe link's token, valid for UNSUBSCRIBE_VALIDITY (see contact_token)."""
    return contact_token(contact_id, salt=UNSUBSCRIBE_SALT)


def unsubscribe_contact_id(token: str) -> int:
    """The contact a token was made for; raises signing.BadSignature when forged and
    signing.SignatureExpired (a BadSignature) when older than UNSUBSCRIBE_VALIDITY. The first
    tokens (`signing.dumps({"c": id})`, same salt and signer) keep working until they expire."""
    signer = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)
    value = signer.unsign(token, max_age=UNSUBSCRIBE_VALIDITY)
    if not value.startswith(_TOKEN_PREFIX):
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_VALIDITY)["c"])
    return contact_token_read(token, salt=UNSUBSCRIBE_SALT, validity=UNSUBSCRIBE_VALIDITY)


@functools.cache
def _unsubscribe_path(placeholder: str = "TOKEN") -> tuple[str, str]:
    """The unsubscribe path around its token, reversed once (the relay builds a link for every
    message it sends)."""
    before, _, after = reverse("followups:unsubscribe", args=[placeholder]).partition(placeholder)
    return before, after


def unsubscribe_url(contact_id: int) -> str:
    before, after = _unsubscribe_path()
    return f"{settings.SITE_URL.rstrip('/')}{before}{unsubscribe_token(contact_id)}{after}"


def _names(names: Sequence[str]) -> str:
    """Ana Smith, Ben Jones and Chloé Martin."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _pipelines(job_ids: set[int]) -> dict[int, tuple[str, str, str]]:
    """Per job: its open pipeline by stage, who awaits the client's feedback, and the sentence
    asking for it (blank when no one waits)."""
    if not job_ids:
        return {}
    by_stage: dict[int, list[str]] = defaultdict(list)
    labels = dict(Candidacy.Stage.choices)
    order = {stage: position for position, stage in enumerate(labels)}
    rows = (
        Candidacy.objects.open()
        .filter(job_id__in=job_ids)
        .values("job_id", "stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    # In the pipeline's order, not the alphabet's.
    for row in sorted(rows, key=lambda row: (row["job_id"], order.get(row["stage"], 99))):
        by_stage[row["job_id"]].append(f"- {labels[row['stage']]}: {row['n']}")
    waiting: dict[int, list[str]] = defaultdict(list)
    for job_id, first, last in (
        Candidacy.objects.awaiting_client()
        .filter(job_id__in=job_ids)
        .order_by("job_id", "stage_entered_at")
        .values_list("job_id", "contact__first_name", "contact__last_name")
    ):
        waiting[job_id].append(f"{first} {last}".strip())
    pipelines = {}
    for job_id in job_ids:
        names = waiting[job_id]
        request = ""
        if names:
            verb = "is" if len(names) == 1 else "are"
            request = (
                f"{_names(names)} {verb} waiting for your feedback: even a quick yes or no lets "
                "me keep them informed."
            )
        pipelines[job_id] = (
            "\n".join(by_stage[job_id]) or "No one in the pipeline right now.",
            ", ".join(names) or "no one",
            request,
        )
    return pipelines


def _handoff_id(message: Message) -> int | None:
    """The handoff an introduction follows, from its key (see
    services.handoff_introductions_schedule)."""
    kind, _, rest = message.idempotency_key.partition(":")
    handoff_id = rest.partition(":")[0]
    return int(handoff_id) if kind == "introduction" and handoff_id.isdigit() else None


@dataclass
class _Batch:
    """What a batch of messages needs besides their own rows, read once per batch."""

    policy: Policy
    # job id -> (update cadence, digest cadence) overrides, None meaning the policy's.
    job_cadences: dict[int, tuple[int | None, int | None]]
    pipelines: dict[int, tuple[str, str, str]]
    # handoff id -> the recruiter who handed over; contact id -> relationship cadence (days).
    handed_over_by: dict[int, str]
    touch_cadences: dict[int, int]

    @classmethod
    def load(cls, messages: Sequence[Message]) -> "_Batch":
        kinds: dict[str, list[Message]] = defaultdict(list)
        for message in messages:
            kinds[message.kind].append(message)
        cadenced = kinds[MessageKind.STATUS_UPDATE] + kinds[MessageKind.CLIENT_DIGEST]
        introductions = kinds[MessageKind.INTRODUCTION]
        return cls(
            policy=Policy.current(),
            job_cadences=_job_cadences({m.job_id for m in cadenced if m.job_id}),
            pipelines=_pipelines({m.job_id for m in kinds[MessageKind.CLIENT_DIGEST] if m.job_id}),
            handed_over_by=_handed_over_by({_handoff_id(m) for m in introductions} - {None}),
            touch_cadences=_touch_cadences({m.contact_id for m in introductions}),
        )


def _job_cadences(job_ids: set[int]) -> dict[int, tuple[int | None, int | None]]:
    if not job_ids:
        return {}
    rows = JobPolicy.objects.filter(job_id__in=job_ids).values_list(
        "job_id", "update_cadence_days", "digest_cadence_days"
    )
    return {job_id: (update, digest) for job_id, update, digest in rows}


def _handed_over_by(handoff_ids: set[int]) -> dict[int, str]:
    if not handoff_ids:
        return {}
    handoffs = Handoff.objects.filter(pk__in=handoff_ids).select_related("from_recruiter")
    return {h.pk: h.from_recruiter.get_full_name() or h.from_recruiter.username for h in handoffs}


def _touch_cadences(contact_ids: set[int]) -> dict[int, int]:
    if not contact_ids:
        return {}
    rows = Relationship.objects.filter(contact_id__in=contact_ids)
    return dict(rows.values_list("contact_id", "cadence_days"))


def _day(moment: datetime) -> str:
    """Monday 16 March, in the agency's time zone."""
    return dateformat.format(timezone.localtime(moment), "l j F")


def _date(moment: datetime) -> str:
    """2 March, in the agency's time zone."""
    return dateformat.format(timezone.localtime(moment), "j F")


def _next_status_update(message: Message, batch: _Batch, leaves: datetime) -> datetime:
    """The next update falls due a cadence after this one's touch, and the planner writes it
    early enough to leave before then (planners.messages.STATUS_UPDATES_SQL,
    Policy.status_update_lead): the promise is the due time itself."""
    override = batch.job_cadences.get(message.job_id, (None, None))[0]
    days = override or batch.policy.update_cadence_days
    return leaves + timedelta(days=days)


def _next_digest(message: Message, batch: _Batch, leaves: datetime) -> datetime | None:
    """Digests fall due every cadence counted from the day the job opened
    (planners.messages.DIGESTS_SQL)."""
    opened = message.job.opened_at if message.job else None
    if opened is None:
        return None
    override = batch.job_cadences.get(message.job_id, (None, None))[1]
    cadence = timedelta(days=override or batch.policy.digest_cadence_days)
    periods = max((leaves - opened) // cadence, 0) + 1
    return opened + cadence * periods + NEXT_UPDATE_SLACK


def _merge_values(message: Message, batch: _Batch, now: datetime) -> dict[str, str]:
    owner = message.owner
    recruiter_name = owner.get_full_name() or owner.username
    job = message.job
    candidacy = message.candidacy
    kind = message.kind
    # When the message leaves: now for the relay, later for a preview of a scheduled one.
    leaves = max(message.send_after, now)
    company = ""
    if job is not None:
        company = (
            job.organization.name
            if kind in (MessageKind.CLIENT_DIGEST, MessageKind.JOB_CLOSED)
            else job.client_name_for_candidates
        )
    words = {"company": company, "job": job.title if job else ""}
    contact = message.contact
    values = {
        "first_name": contact.first_name if contact else "",
        "full_name": contact.full_name if contact else "",
        "job_title": words["job"],
        "company": company,
        "stage": candidacy.get_stage_display().lower() if candidacy else "",
        "recruiter_name": recruiter_name,
        "recruiter_signature": "\n".join(filter(None, [recruiter_name, owner.email])),
        "personal_note": message.personal_note,
        "unsubscribe_url": unsubscribe_url(message.contact_id) if contact else "",
    }
    if kind == MessageKind.STATUS_UPDATE and candidacy is not None:
        since = _date(candidacy.stage_entered_at)
        values["progress"] = PROGRESS.get(candidacy.stage, "").format(**words, since=since)
        values["next_step"] = NEXT_STEPS.get(candidacy.stage, "").format(**words)
        values["next_update"] = _day(_next_status_update(message, batch, leaves))
    elif kind == MessageKind.CLOSURE and candidacy is not None and candidacy.outcome:
        interviewed = candidacy.stage in INTERVIEWED_STAGES
        outcome, next_step = CLOSURES.get((candidacy.outcome, interviewed), ("", ""))
        values["outcome"] = outcome.format(**words)
        values["next_step"] = next_step
    elif kind == MessageKind.JOB_CLOSED and job is not None:
        values["outcome"] = JOBS_CLOSED.get(job.status, "").format(**words)
        values["next_step"] = JOB_CLOSED_NEXT_STEP if job.status in JOBS_CLOSED else ""
    elif kind == MessageKind.CLIENT_DIGEST:
        pipeline, awaiting, request = batch.pipelines.get(message.job_id, ("", "", ""))
        values["pipeline"] = pipeline
        values["awaiting_feedback"] = awaiting
        values["feedback_request"] = request
        next_digest = _next_digest(message, batch, leaves)
        values["next_update"] = _day(next_digest) if next_digest else ""
    elif kind == MessageKind.INTRODUCTION:
        handoff_id = _handoff_id(message)
        values["previous_recruiter"] = batch.handed_over_by.get(handoff_id, "a colleague")
        cadence = batch.touch_cadences.get(message.contact_id)
        values["next_step"] = "Just reply to this email whenever you need me."
        if cadence:
            # Sending it is a touch: the relationship's next one falls due a cadence later.
            values["next_update"] = _day(leaves + timedelta(days=cadence))
            values["next_step"] = (
                f"I will be in touch again by {values['next_update']}; in the meantime, just "
                "reply to this email whenever you need me."
            )
    return values


def merge_values_list(
    messages: Sequence[Message],
    *,
    now: datetime | None = None,
    ratings: Mapping[int, Rating] | None = None,
) -> list[dict[str, str]]:
    """Merge values for each message, in order, as if it left at `now` (or when it is scheduled
    to, if later). Expects contact, owner, job__organization and candidacy loaded (see
    relay.relay_batch); a few more queries per batch, none per message. `ratings` (by message
    id) are the ratings the closure notices ask for: the relay opens them as they leave."""
    now = now or timezone.now()
    batch = _Batch.load(messages)
    notes = market_notes_choose(messages, today=timezone.localdate(now))
    values_list = [_merge_values(message, batch, now) for message in messages]
    this_week = market_this_week_choose(messages, notes, today=timezone.localdate(now))
    for message, values in zip(messages, values_list, strict=True):
        note = notes.get(message.pk)
        values["market_note"] = note_sentence(note) if note else ""
        values["market_note_id"] = str(note.pk) if note else ""
        values.update(rating_values((ratings or {}).get(message.pk)))
        values["market_this_week"] = market_this_week_text(this_week.get(message.pk, []))
    return values_list


MARKET_WEEK_NOTES = 3
MARKET_WEEK_HEADING = "What I am hearing in your market this week:"


def market_this_week_choose(
    messages: Sequence[Message], chosen: dict[int, MarketNote], *, today
) -> dict[int, list[MarketNote]]:
    """For each client digest, by message id: up to three fresh notes on its job's market that
    are true as of the last 7 days, the note it carries as {{ market_note }} left out (two
    queries a batch, whatever its size)."""
    digests = [m for m in messages if m.kind == MessageKind.CLIENT_DIGEST and m.job is not None]
    requests = [
        market_selectors.NoteRequest(
            key=m.pk,
            user=m.owner,
            terms=market_selectors.job_terms(m.job),
            exclude_ids=[chosen[m.pk].pk] if m.pk in chosen else [],
        )
        for m in digests
        if m.job is not None
    ]
    return market_selectors.note_top_for_each(
        requests, today=today, per=MARKET_WEEK_NOTES, since=today - timedelta(days=7)
    )


def market_this_week_text(notes: Sequence[MarketNote]) -> str:
    """The digest's short market section: a heading and a line a note (title and source)."""
    if not notes:
        return ""
    lines = [MARKET_WEEK_HEADING]
    for note in notes:
        source = f" ({note.source})" if note.source else ""
        lines.append(f"- {note.title.rstrip('.')}{source}.")
    return "\n".join(lines)


MARKET_NOTE_KINDS = (MessageKind.STATUS_UPDATE, MessageKind.CLIENT_DIGEST)


def market_notes_choose(messages: Sequence[Message], *, today) -> dict[int, MarketNote]:
    """The market note each message carries, by message id: the recruiter's choice, none when
    they removed it, else the most relevant fresh note its owner may see and its recipient has
    not been sent (three queries a batch, whatever its size)."""
    wanted = [
        m
        for m in messages
        if m.kind in MARKET_NOTE_KINDS and not m.edited and not m.market_note_removed
    ]
    if not wanted:
        return {}
    chosen_ids = {m.pk: m.market_note_id for m in wanted if m.market_note_id}
    chosen = MarketNote.objects.in_bulk(set(chosen_ids.values())) if chosen_ids else {}
    notes = {pk: chosen[note_id] for pk, note_id in chosen_ids.items() if note_id in chosen}
    open_ = [m for m in wanted if not m.market_note_id]
    used: dict[int, list[int]] = defaultdict(list)
    uses = MarketNoteUse.objects.filter(contact_id__in={m.contact_id for m in open_}).exclude(
        message_id__in=[m.pk for m in open_]
    )
    for contact_id, note_id in uses.values_list("contact_id", "note_id"):
        used[contact_id].append(note_id)
    requests = [
        market_selectors.NoteRequest(
            key=m.pk,
            user=m.owner,
            terms=market_selectors.message_terms(contact=m.contact, job=m.job),
            exclude_ids=used[m.contact_id],
        )
        for m in open_
    ]
    notes.update(market_selectors.note_best_for_each(requests, today=today))
    return notes


def render_list(
    messages: Sequence[Message],
    words: dict[str, dict[str, str]] | None = None,
    *,
    now: datetime | None = None,
    ratings: Mapping[int, Rating] | None = None,
) -> list[Rendered]:
    """Each message's subject and bodies: as edited by the recruiter, or from its template."""
    words = words if words is not None else templates_current()
    rendered = []
    for message, values in zip(
        messages, merge_values_list(messages, now=now, ratings=ratings), strict=True
    ):
        if message.edited:
            rendered.append(Rendered(message.subject, message.text, message.html))
        else:
            words_rendered = render(**words[message.kind], values=values)
            template = words[message.kind]
            if (
                values.get("market_note_id")
                and "market_note" in template["text"] + template["html"]
            ):
                words_rendered = dataclasses.replace(
                    words_rendered, market_note_id=int(values["market_note_id"])
                )
            rendered.append(words_rendered)
    return rendered
