"""Demo jobs for `manage.py load_demo`: pipelines over the demo companies and people, a job
that clearly needs splitting (its two interviewers want different people, five client
interviews, no offer), a job still in intake and a filled one. Idempotent.

The agency has been at it for weeks: jobs opened and candidates moved on the dates below (days
before the load), so on the first run the planners find real work: quiet candidates owed a
status update, clients owed their digest, a client to chase, closure notices of yesterday's
placement."""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from contacts.demo import MARKER_DOMAIN
from contacts.models import Contact, Organization
from jobs import services
from jobs.models import Candidacy, Job
from relationships.models import Interaction
from relationships.services import interaction_log

SPLIT_JOB = "Senior Software Engineer"
TECHNICAL = "Technical depth"
CLIENT_FACING = "Client-facing experience"

NORTHWIND_INTAKE = {
    "asked_for": ["A senior engineer for the routing platform"],
    "really_need": [
        "Someone to rebuild the routing engine",
        "Someone to run workshops with the logistics customers",
    ],
    "why_open": ["The platform grew and the team lead moved to the customer side"],
    "success_6m": ["New routing engine in production for one region"],
    "success_12m": ["Customers plan their fleets with it without our help"],
    "who_did_well": ["Engineers who were curious about the warehouses"],
    "must_have": [TECHNICAL, CLIENT_FACING],
    "nice_to_have": ["Logistics background"],
    "deal_breaker": ["No German or English at work level"],
}

# candidate: (technical depth, client-facing experience) as every interviewer scores them
SPLIT_PIPELINE = {
    ("Ana", "Smith"): (5, 2),
    ("Emeka", "Nwosu"): (5, 1),
    ("Kenji", "Tanaka"): (4, 2),
    ("Ben", "Carter"): (2, 5),
    ("Farah", "Haddad"): (2, 4),
}
# candidate: days ago they were screened, submitted, interviewed by the client, and last heard
# from us (None: not since they were screened).
SPLIT_DAYS = {
    ("Ana", "Smith"): (40, 34, 7, 2),
    ("Emeka", "Nwosu"): (38, 31, 6, 10),
    ("Kenji", "Tanaka"): (33, 26, 4, None),
    ("Ben", "Carter"): (30, 21, 3, 5),
    ("Farah", "Haddad"): (28, 18, 2, 1),
}


def _ago(days: float, hour: int = 10) -> dt.datetime:
    """A working hour `days` before today (never later than now)."""
    now = timezone.now()
    moment = timezone.localtime(now - dt.timedelta(days=days)).replace(
        hour=hour, minute=15, second=0, microsecond=0
    )
    return min(moment, now - dt.timedelta(minutes=5))


def _dated(job: Job, *, created: dt.datetime, opened: dt.datetime | None = None) -> Job:
    """Date a job as it happened (the services stamp everything with now)."""
    fields = {"created_at": created}
    if opened is not None:
        fields["opened_at"] = opened
        if job.intake_override_at:
            fields["intake_override_at"] = opened
    Job.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


def _history(candidacy: Candidacy, moments: list[dt.datetime]) -> None:
    """Date a candidacy's history: its stage changes, in order, and their timeline rows happened
    at `moments`; it was added at the first and entered its stage (or closed) at the last."""
    changes = list(candidacy.stage_changes.order_by("id"))
    rows = list(
        Interaction.objects.filter(
            contact_id=candidacy.contact_id,
            kind=Interaction.Kind.STAGE_CHANGE,
            summary__startswith=f"{candidacy.job.title}:",
        ).order_by("-id")[: len(changes)]
    )[::-1]
    if len(changes) != len(moments) or len(rows) != len(moments):
        raise ValueError(f"{candidacy}: {len(changes)} changes, {len(moments)} moments")
    for change, row, moment in zip(changes, rows, moments, strict=True):
        change.at = moment
        change.save(update_fields=["at"])
        Interaction.objects.filter(pk=row.pk).update(occurred_at=moment)
    candidacy.refresh_from_db()
    fields = {"created_at": moments[0], "stage_entered_at": moments[-1]}
    if candidacy.decided_at is not None:
        fields["decided_at"] = moments[-1]
    Candidacy.objects.filter(pk=candidacy.pk).update(**fields)


def _candidate_touch(candidacy: Candidacy, owner: User, days: float | None) -> None:
    """The last time the recruiter updated the candidate themselves (a call)."""
    if days is None:
        return
    at = _ago(days, hour=16)
    interaction_log(
        contact=candidacy.contact,
        kind=Interaction.Kind.CALL,
        summary=f"Update call about {candidacy.job.title}: still waiting for the client",
        recruiter=owner,
        occurred_at=at,
    )
    services.candidacy_candidate_touch_record(candidacy_ids=[candidacy.pk], at=at)


def _person(first: str, last: str) -> Contact:
    return Contact.objects.get(first_name=first, last_name=last)


def _organization(domain: str) -> Organization:
    return Organization.objects.get(domain=domain)


def _split_job(owner: User) -> Job:
    malik, sofia = _person("Malik", "Osei"), _person("Sofia", "Lindqvist")
    job = services.job_create(
        organization=_organization(MARKER_DOMAIN),
        owner=owner,
        title=SPLIT_JOB,
        location="Hamburg",
        compensation_min=80000,
        compensation_max=100000,
        currency="EUR",
        client_alias="A Hamburg logistics company",
        hiring_manager=_person("Clara", "Jensen"),
        interviewers=[malik, sofia],
        intake=NORTHWIND_INTAKE,
    )
    services.job_open(job=job, user=owner)
    job = _dated(job, created=_ago(45), opened=_ago(43))
    criteria = {item.text: item.pk for item in job.intake_items.all() if item.is_criterion}
    for (first, last), (technical, client_facing) in SPLIT_PIPELINE.items():
        screened, submitted, interviewed, touched = SPLIT_DAYS[(first, last)]
        candidacy = services.candidacy_add(
            job=job, contact=_person(first, last), user=owner, stage="screening"
        )
        services.candidacy_move(candidacy=candidacy, to_stage="submitted", user=owner)
        services.candidacy_move(candidacy=candidacy, to_stage="client_interview", user=owner)
        _history(candidacy, [_ago(screened), _ago(submitted, 14), _ago(interviewed, 11)])
        scores = {criteria[TECHNICAL]: technical, criteria[CLIENT_FACING]: client_facing}
        strong_technically = technical > client_facing
        for interviewer, likes_technical in ((malik, True), (sofia, False)):
            services.feedback_record(
                candidacy=candidacy,
                interviewer=interviewer,
                recommendation="yes" if strong_technically == likes_technical else "no",
                scores=scores,
                user=owner,
                at=_ago(interviewed, 15 if likes_technical else 17),
            )
        _candidate_touch(candidacy, owner, touched)
    return job


def _analyst_job(owner: User) -> Job:
    job = services.job_create(
        organization=_organization("helios-demo.example"),
        owner=owner,
        title="Energy Data Analyst",
        location="Lyon",
        hiring_manager=_person("Daniel", "Moreau"),
        interviewers=[_person("Priya", "Raman")],
        intake={
            "asked_for": ["An analyst who knows Python"],
            "really_need": ["Someone who can explain forecasts to traders"],
            "why_open": ["New trading desk"],
            "success_6m": ["Daily forecast report automated"],
            "success_12m": ["Traders trust the forecasts"],
            "who_did_well": ["Analysts with a trading-floor background"],
            "must_have": ["Python", "Talking to traders"],
            "deal_breaker": ["Cannot be in Lyon three days a week"],
        },
    )
    services.job_open(job=job, user=owner)
    job = _dated(job, created=_ago(21), opened=_ago(20))
    # candidate: the stages they went through, days ago each, and the last update call
    for (first, last), stages, touched in [
        (("Marco", "Rossi"), [("sourced", 18), ("contacted", 15), ("screening", 11)], 11),
        (("Lea", "Fischer"), [("screening", 16), ("submitted", 6)], 6),
        (("Ines", "Kowalska"), [("sourced", 2)], None),
    ]:
        (stage, _), *moves = stages
        candidacy = services.candidacy_add(
            job=job, contact=_person(first, last), user=owner, stage=stage
        )
        for next_stage, _ in moves:
            services.candidacy_move(candidacy=candidacy, to_stage=next_stage, user=owner)
        _history(candidacy, [_ago(days, 9 + index) for index, (_, days) in enumerate(stages)])
        _candidate_touch(candidacy, owner, touched)
    return job


def _intake_job(owner: User) -> Job:
    job = services.job_create(
        organization=_organization("brightpath-demo.example"),
        owner=owner,
        title="Clinical Data Lead",
        location="Munich",
        hiring_manager=_person("Hannah", "Becker"),
        intake={"asked_for": ["A data lead for the clinical studies team"]},
    )
    return _dated(job, created=_ago(3))


def _filled_job(owner: User) -> Job:
    job = services.job_create(
        organization=_organization(MARKER_DOMAIN),
        owner=owner,
        title="Product Designer",
        hiring_manager=_person("Sofia", "Lindqvist"),
        intake={"asked_for": ["A product designer for the driver app"]},
    )
    services.job_open(job=job, user=owner, override_reason="Client needed CVs the same week")
    job = _dated(job, created=_ago(30), opened=_ago(29))
    placed = services.candidacy_add(
        job=job, contact=_person("Chloe", "Dubois"), user=owner, stage="client_interview"
    )
    services.candidacy_move(candidacy=placed, to_stage="offer", user=owner)
    services.candidacy_move(candidacy=placed, to_stage="placed", user=owner)
    # Placed yesterday: her closure notice and the client's are still to leave.
    yesterday = timezone.now() - dt.timedelta(hours=20)
    _history(placed, [_ago(26), _ago(8, 15), yesterday])
    also_ran = services.candidacy_add(job=job, contact=_person("Ines", "Kowalska"), user=owner)
    services.job_close(job=job, status="filled", user=owner, reason="Chloe accepted the offer")
    _history(also_ran, [_ago(24), yesterday])
    Job.objects.filter(pk=job.pk).update(closed_at=yesterday)
    return job


def load(stdout) -> None:
    if Job.objects.filter(organization__domain=MARKER_DOMAIN).exists():
        return
    if not Organization.objects.filter(domain=MARKER_DOMAIN).exists():
        return
    recruiters = {
        u.username: u for u in User.objects.filter(username__in=["recruiter", "recruiter2"])
    }
    if len(recruiters) < 2:
        return
    jobs = [
        _split_job(recruiters["recruiter"]),
        _analyst_job(recruiters["recruiter"]),
        _intake_job(recruiters["recruiter2"]),
        _filled_job(recruiters["recruiter2"]),
    ]
    stdout.write(f"  demo: {len(jobs)} jobs; “{SPLIT_JOB}” needs splitting")
