"""What a message says: default templates, merge values for a batch of messages, rendering.

Messages are rendered when they leave (the relay) and on demand for a preview, so an update tells
the truth as of sending, and planning 100,000 rows stays one INSERT ... SELECT.
"""

import functools
from collections import defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.core import signing
from django.db.models import Count
from django.urls import reverse

from followups.models import Message, MessageKind, MessageTemplate
from followups.rendering import Rendered, render
from jobs.models import Candidacy

UNSUBSCRIBE_SALT = "followups.unsubscribe"

DEFAULT_TEMPLATES = {
    MessageKind.STATUS_UPDATE: {
        "subject": "Your application for {{ job_title }}: an update",
        "text": (
            "Hi {{ first_name }},\n\n"
            "A quick update on {{ job_title }} at {{ company }}: you are at the "
            "{{ stage }} stage. {{ next_step }}\n\n{{ personal_note }}\n\n"
            "{{ recruiter_signature }}\n\n"
            "No more updates? Unsubscribe: {{ unsubscribe_url }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p><p>A quick update on {{ job_title }} at {{ company }}: "
            "you are at the {{ stage }} stage. {{ next_step }}</p><p>{{ personal_note }}</p>"
            "<p>{{ recruiter_signature }}</p>"
            '<p><a href="{{ unsubscribe_url }}">Unsubscribe from updates</a></p>'
        ),
    },
    MessageKind.CLOSURE: {
        "subject": "Your application for {{ job_title }}",
        "text": (
            "Hi {{ first_name }},\n\n"
            "Thank you for your time on {{ job_title }} at {{ company }}. {{ outcome }}\n\n"
            "{{ personal_note }}\n\nI will keep you in mind for what comes next.\n\n"
            "{{ recruiter_signature }}\n\n"
            "No more emails from us? Unsubscribe: {{ unsubscribe_url }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p><p>Thank you for your time on {{ job_title }} at "
            "{{ company }}. {{ outcome }}</p><p>{{ personal_note }}</p>"
            "<p>I will keep you in mind for what comes next.</p><p>{{ recruiter_signature }}</p>"
        ),
    },
    MessageKind.CLIENT_DIGEST: {
        "subject": "{{ job_title }}: this week's pipeline",
        "text": (
            "Hi {{ first_name }},\n\nWhere {{ job_title }} stands:\n{{ pipeline }}\n\n"
            "Waiting for your feedback: {{ awaiting_feedback }}\n\n{{ personal_note }}\n\n"
            "{{ recruiter_signature }}\n\nNo more digests? Unsubscribe: {{ unsubscribe_url }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p><p>Where {{ job_title }} stands:</p><p>{{ pipeline }}</p>"
            "<p>Waiting for your feedback: {{ awaiting_feedback }}</p><p>{{ personal_note }}</p>"
            "<p>{{ recruiter_signature }}</p>"
            '<p><a href="{{ unsubscribe_url }}">Unsubscribe from digests</a></p>'
        ),
    },
    MessageKind.JOB_CLOSED: {
        "subject": "{{ job_title }} is closed",
        "text": (
            "Hi {{ first_name }},\n\n{{ job_title }} is now closed: {{ outcome }} "
            "Every candidate in the pipeline is being told.\n\n{{ personal_note }}\n\n"
            "{{ recruiter_signature }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p><p>{{ job_title }} is now closed: {{ outcome }} "
            "Every candidate in the pipeline is being told.</p><p>{{ personal_note }}</p>"
            "<p>{{ recruiter_signature }}</p>"
        ),
    },
    MessageKind.INTRODUCTION: {
        "subject": "Introducing {{ recruiter_name }}, your new contact",
        "text": (
            "Hi {{ first_name }},\n\nI am {{ recruiter_name }} and I am taking over from my "
            "colleague as your contact.\n\n{{ personal_note }}\n\n{{ recruiter_signature }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p><p>I am {{ recruiter_name }} and I am taking over from "
            "my colleague as your contact.</p><p>{{ personal_note }}</p>"
            "<p>{{ recruiter_signature }}</p>"
        ),
    },
}

NEXT_STEPS = {
    Candidacy.Stage.SOURCED: "I will be in touch about next steps soon.",
    Candidacy.Stage.CONTACTED: "I will be in touch about next steps soon.",
    Candidacy.Stage.SCREENING: "Next, we talk through the role and your goals.",
    Candidacy.Stage.SUBMITTED: "Your profile is with the client; I am waiting for their answer.",
    Candidacy.Stage.CLIENT_INTERVIEW: "The client is interviewing; I will pass on their feedback.",
    Candidacy.Stage.OFFER: "We are working on the offer.",
    Candidacy.Stage.PLACED: "Congratulations again.",
}

OUTCOME_SENTENCES = {
    Candidacy.Outcome.REJECTED_BY_CLIENT: "The client has decided not to go further with you.",
    Candidacy.Outcome.NOT_A_FIT: "After careful thought, we will not take this one further.",
    Candidacy.Outcome.CANDIDATE_WITHDREW: "I have noted that you withdrew.",
    Candidacy.Outcome.JOB_FILLED: "The role has been filled.",
    Candidacy.Outcome.JOB_CANCELLED: "The client has cancelled the role.",
    Candidacy.Outcome.PLACED: "Congratulations on the new role.",
}


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


def unsubscribe_token(contact_id: int) -> str:
    return signing.dumps({"c": contact_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_contact_id(token: str) -> int:
    """The contact a token was made for; raises signing.BadSignature when forged."""
    return int(signing.loads(token, salt=UNSUBSCRIBE_SALT)["c"])


@functools.cache
def _unsubscribe_path(placeholder: str = "TOKEN") -> tuple[str, str]:
    """The unsubscribe path around its token, reversed once (the relay builds a link for every
    message it sends)."""
    before, _, after = reverse("followups:unsubscribe", args=[placeholder]).partition(placeholder)
    return before, after


def unsubscribe_url(contact_id: int) -> str:
    before, after = _unsubscribe_path()
    return f"{settings.SITE_URL.rstrip('/')}{before}{unsubscribe_token(contact_id)}{after}"


def _pipelines(job_ids: set[int]) -> dict[int, tuple[str, str]]:
    """Per job: its open pipeline by stage, and who awaits the client's feedback."""
    if not job_ids:
        return {}
    by_stage: dict[int, list[str]] = defaultdict(list)
    labels = dict(Candidacy.Stage.choices)
    rows = (
        Candidacy.objects.open()
        .filter(job_id__in=job_ids)
        .values("job_id", "stage")
        .annotate(n=Count("id"))
        .order_by("job_id", "stage")
    )
    for row in rows:
        by_stage[row["job_id"]].append(f"- {labels[row['stage']]}: {row['n']}")
    waiting: dict[int, list[str]] = defaultdict(list)
    for job_id, first, last in (
        Candidacy.objects.awaiting_client()
        .filter(job_id__in=job_ids)
        .order_by("job_id", "stage_entered_at")
        .values_list("job_id", "contact__first_name", "contact__last_name")
    ):
        waiting[job_id].append(f"{first} {last}".strip())
    return {
        job_id: (
            "\n".join(by_stage[job_id]) or "No one in the pipeline right now.",
            ", ".join(waiting[job_id]) or "no one",
        )
        for job_id in job_ids
    }


def merge_values_list(messages: Sequence[Message]) -> list[dict[str, str]]:
    """Merge values for each message, in order. Expects contact, owner, job__organization and
    candidacy loaded (see selectors.message_relay_list); one more query for digests."""
    digest_jobs = {m.job_id for m in messages if m.kind == MessageKind.CLIENT_DIGEST and m.job_id}
    pipelines = _pipelines(digest_jobs)
    values = []
    for message in messages:
        owner = message.owner
        recruiter_name = owner.get_full_name() or owner.username
        job = message.job
        candidacy = message.candidacy
        company = ""
        if job is not None:
            company = (
                job.organization.name
                if message.kind in (MessageKind.CLIENT_DIGEST, MessageKind.JOB_CLOSED)
                else job.client_name_for_candidates
            )
        outcome = ""
        if candidacy is not None and candidacy.outcome:
            outcome = OUTCOME_SENTENCES.get(candidacy.outcome, "")
        elif job is not None and message.kind == MessageKind.JOB_CLOSED:
            outcome = (
                "it has been filled." if job.status == job.Status.FILLED else "it was cancelled."
            )
        pipeline, awaiting = pipelines.get(message.job_id, ("", ""))
        values.append(
            {
                "first_name": message.contact.first_name,
                "full_name": message.contact.full_name,
                "job_title": job.title if job else "",
                "company": company,
                "stage": candidacy.get_stage_display().lower() if candidacy else "",
                "next_step": NEXT_STEPS.get(candidacy.stage, "") if candidacy else "",
                "outcome": outcome,
                "pipeline": pipeline,
                "awaiting_feedback": awaiting,
                "recruiter_name": recruiter_name,
                "recruiter_signature": "\n".join(filter(None, [recruiter_name, owner.email])),
                "personal_note": message.personal_note,
                "unsubscribe_url": unsubscribe_url(message.contact_id),
            }
        )
    return values


def render_list(
    messages: Sequence[Message], words: dict[str, dict[str, str]] | None = None
) -> list[Rendered]:
    """Each message's subject and bodies: as edited by the recruiter, or from its template."""
    words = words if words is not None else templates_current()
    rendered = []
    for message, values in zip(messages, merge_values_list(messages), strict=True):
        if message.edited:
            rendered.append(Rendered(message.subject, message.text, message.html))
        else:
            rendered.append(render(**words[message.kind], values=values))
    return rendered
