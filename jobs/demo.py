"""Demo jobs for `manage.py load_demo`: pipelines over the demo companies and people, a job
that clearly needs splitting (its two interviewers want different people, five client
interviews, no offer), a job still in intake and a filled one. Idempotent."""

from accounts.models import User
from contacts.demo import MARKER_DOMAIN
from contacts.models import Contact, Organization
from jobs import services
from jobs.models import Job

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
    criteria = {item.text: item.pk for item in job.intake_items.all() if item.is_criterion}
    for (first, last), (technical, client_facing) in SPLIT_PIPELINE.items():
        candidacy = services.candidacy_add(
            job=job, contact=_person(first, last), user=owner, stage="screening"
        )
        services.candidacy_move(candidacy=candidacy, to_stage="submitted", user=owner)
        services.candidacy_move(candidacy=candidacy, to_stage="client_interview", user=owner)
        scores = {criteria[TECHNICAL]: technical, criteria[CLIENT_FACING]: client_facing}
        strong_technically = technical > client_facing
        for interviewer, likes_technical in ((malik, True), (sofia, False)):
            services.feedback_record(
                candidacy=candidacy,
                interviewer=interviewer,
                recommendation="yes" if strong_technically == likes_technical else "no",
                scores=scores,
                user=owner,
            )
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
    for (first, last), stage in [
        (("Marco", "Rossi"), "screening"),
        (("Lea", "Fischer"), "submitted"),
        (("Ines", "Kowalska"), "sourced"),
    ]:
        services.candidacy_add(job=job, contact=_person(first, last), user=owner, stage=stage)
    return job


def _intake_job(owner: User) -> Job:
    return services.job_create(
        organization=_organization("brightpath-demo.example"),
        owner=owner,
        title="Clinical Data Lead",
        location="Munich",
        hiring_manager=_person("Hannah", "Becker"),
        intake={"asked_for": ["A data lead for the clinical studies team"]},
    )


def _filled_job(owner: User) -> Job:
    job = services.job_create(
        organization=_organization(MARKER_DOMAIN),
        owner=owner,
        title="Product Designer",
        hiring_manager=_person("Sofia", "Lindqvist"),
        intake={"asked_for": ["A product designer for the driver app"]},
    )
    services.job_open(job=job, user=owner, override_reason="Client needed CVs the same week")
    placed = services.candidacy_add(
        job=job, contact=_person("Chloe", "Dubois"), user=owner, stage="client_interview"
    )
    services.candidacy_move(candidacy=placed, to_stage="offer", user=owner)
    services.candidacy_move(candidacy=placed, to_stage="placed", user=owner)
    services.candidacy_add(job=job, contact=_person("Ines", "Kowalska"), user=owner)
    services.job_close(job=job, status="filled", user=owner, reason="Chloe accepted the offer")
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
