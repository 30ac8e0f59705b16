"""The agency of a simulated year (`bench.simulate`): who works there and what they do, hour by
hour, through the product's own services (never raw SQL), so every write is the one a page or
the API would make: jobs created and opened (`job_create`, `job_open`), candidates onboarded
(`contact_onboard`) and added (`candidacy_add`), moved (`candidacy_move`), called (a call logged
on the timeline, `interaction_log`, as the contact's page logs it), decided (`candidacy_close`),
jobs filled or cancelled (`job_close`) and split (`job_split`), whole desks handed off
(`relationship_handoff`), and recruiters working their My day: the "call instead", the replies
owed and the client chases (`followup_complete`).

Every choice is drawn from one `random.Random(seed)` in a fixed order, so a seed is a year.
Rates are per recruiter (or per job, per candidacy) per working day; the working day is
08:00-18:00 on weekdays, decisions are taken from 09:00 to 16:00 (an agency does not reject
people at night) and the phone is worked every working hour.
"""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from bench.names import CITIES, FIRST, INDUSTRIES, LAST, TITLES

PASSWORD = "rapport-sim"  # noqa: S105 - the simulated agency's logins, local runs only
DOMAIN = "mail.sim.example"
# Candidates at these domains bounce or complain: the ESP says so after the send (simulate.py).
BOUNCE_DOMAIN = "bounce.sim.example"
COMPLAINT_DOMAIN = "complaint.sim.example"
TEAM_SIZE = 10

DECISION_HOURS = range(9, 17)  # the steps at which pipelines move (8 a day)
WORK_HOURS = range(8, 19)  # the steps at which the phone is worked

# Per working day.
JOB_OPENED = 0.07  # per active recruiter: about 18 jobs a year
CANDIDATE_ADDED = 0.45  # per open job in its first SOURCING_DAYS days
SOURCING_DAYS = 35
CANDIDACY_MOVED = 0.10  # per open candidacy: the next step of its pipeline
CANDIDATE_CALLED = 0.04  # per open candidacy: a call about where things are
JOB_CANCELLED = 0.003  # per open job older than 3 weeks
# Per open job whose sourcing is over and whose pipeline is empty: the client found someone
# elsewhere or gave up, and the recruiter cancels it (about a fortnight later).
JOB_ABANDONED = 0.1
JOB_SPLIT = 0.002  # per open job with 4 or more open candidacies
CHASE_DONE = 0.5  # per open client chase, per working hour

# Candidates: no email address, a bouncing one, one that complains.
NO_EMAIL, BOUNCES, COMPLAINS = 0.03, 0.02, 0.005

# What happens when a candidacy's pipeline moves: (to stage, share) or (outcome, share).
NEXT = {
    "sourced": [("contacted", 0.9), ("candidate_withdrew", 0.1)],
    "contacted": [("screening", 0.75), ("not_a_fit", 0.15), ("candidate_withdrew", 0.1)],
    "screening": [("submitted", 0.55), ("not_a_fit", 0.4), ("candidate_withdrew", 0.05)],
    "submitted": [("client_interview", 0.5), ("rejected_by_client", 0.5)],
    "client_interview": [
        ("offer", 0.3),
        ("rejected_by_client", 0.65),
        ("candidate_withdrew", 0.05),
    ],
    "offer": [("placed", 0.8), ("candidate_withdrew", 0.2)],
}
STAGES = ("sourced", "contacted", "screening", "submitted", "client_interview", "offer")


def ascii_name(name: str) -> str:
    """A name as an address's local part: "Schröder" -> "schroder"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum()) or "x"


@dataclass
class Counts:
    """What the agency did (the run prints it beside the service levels)."""

    jobs_opened: int = 0
    jobs_filled: int = 0
    jobs_cancelled: int = 0
    jobs_split: int = 0
    candidates: int = 0
    candidates_without_email: int = 0
    candidacies: int = 0
    moves: int = 0
    decisions: int = 0
    placements: int = 0
    calls: int = 0
    handoffs: int = 0
    calls_instead_made: int = 0
    replies_answered: int = 0
    chases_done: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class Agency:
    rng: random.Random
    recruiters: list = field(default_factory=list)
    managers: dict = field(default_factory=dict)  # team id -> manager
    clients: list = field(default_factory=list)  # (organization, hiring manager)
    active: set = field(default_factory=set)  # recruiter ids still at the agency
    handoff_days: dict = field(default_factory=dict)  # day number -> recruiter index
    counts: Counts = field(default_factory=Counts)
    users: dict = field(default_factory=dict)  # id -> User
    serial: int = 0

    # --- the people ------------------------------------------------------------------------------

    @classmethod
    def found(cls, *, recruiters: int, days: int, seed: int) -> Agency:
        """The agency on its first day: teams of ten with a manager each, an admin, and two
        clients per recruiter, each with a hiring manager who has an email address."""
        from django.contrib.auth.hashers import make_password
        from django.test import override_settings

        from accounts.models import Team, User
        from accounts.services import user_create
        from contacts.models import Organization
        from contacts.services import organization_create
        from relationships.services import contact_onboard

        agency = cls(rng=random.Random(seed))
        rng = agency.rng
        teams = [
            Team.objects.create(name=f"Desk {n + 1}")
            for n in range(math.ceil(recruiters / TEAM_SIZE))
        ]
        # One password hash for every login (hashing 50 passwords costs 15 s of a run).
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            admin = user_create(
                username="sim-admin", password=PASSWORD, email="sim-admin@rapport.example",
                first_name="Ada", last_name="Admin", role=User.Role.ADMIN,
            )  # fmt: skip
            agency.users[admin.pk] = admin
            for n, team in enumerate(teams):
                manager = user_create(
                    username=f"sim-manager{n + 1}", password=PASSWORD,
                    email=f"sim-manager{n + 1}@rapport.example", first_name=rng.choice(FIRST),
                    last_name=rng.choice(LAST), role=User.Role.MANAGER, team=team,
                )  # fmt: skip
                agency.managers[team.pk] = manager
                agency.users[manager.pk] = manager
            for n in range(recruiters):
                recruiter = user_create(
                    username=f"sim-recruiter{n + 1}", password=PASSWORD,
                    email=f"sim-recruiter{n + 1}@rapport.example", first_name=rng.choice(FIRST),
                    last_name=rng.choice(LAST), team=teams[n // TEAM_SIZE],
                )  # fmt: skip
                agency.recruiters.append(recruiter)
                agency.active.add(recruiter.pk)
                agency.users[recruiter.pk] = recruiter
        User.objects.filter(pk__in=list(agency.users)).update(password=make_password(PASSWORD))
        for n in range(2 * recruiters):
            owner = agency.recruiters[n % recruiters]
            name = f"{rng.choice(LAST)} {rng.choice(['GmbH', 'Ltd', 'AG', 'BV', 'Group'])} {n}"
            organization = organization_create(
                name=name, kind=Organization.Kind.CLIENT, industry=rng.choice(INDUSTRIES)
            )
            first, last = rng.choice(FIRST), rng.choice(LAST)
            manager = contact_onboard(
                owner=owner, user=owner, tier="A", first_name=first, last_name=last,
                emails=[f"{ascii_name(first)}.{ascii_name(last)}.hm{n}@{DOMAIN}"],
                organization=organization,
                title="Head of Engineering", roles=["hiring_manager"], source="Referral",
            )  # fmt: skip
            agency.clients.append((organization, manager))
        # One in ten recruiters leaves during the year: their whole desk is handed off.
        leaving = (
            rng.sample(range(recruiters), k=max(1, recruiters // 10)) if recruiters > 1 else []
        )
        for index in leaving:
            agency.handoff_days[rng.randrange(days // 4, max(days // 4 + 1, days - 7))] = index
        return agency

    def user(self, user_id: int):
        return self.users[user_id]

    # --- one step of the clock -----------------------------------------------------------------

    def work(self, *, now: datetime, day: int, step_hours: float) -> None:
        """What the agency does at `now` (a step of `step_hours`), day `day` of the run."""
        local = timezone.localtime(now)
        if local.weekday() >= 5:
            return
        if local.hour in WORK_HOURS:
            self._my_day(now=now, share=step_hours)
        if local.hour in DECISION_HOURS:
            share = step_hours / len(DECISION_HOURS)  # of a working day's rates
            if local.hour == DECISION_HOURS[1] and day in self.handoff_days:
                self._desk_handoff(self.recruiters[self.handoff_days.pop(day)])
            self._jobs_open(share)
            self._pipelines(share, now=now)

    def _chance(self, rate: float, share: float) -> bool:
        return self.rng.random() < rate * share

    def _my_day(self, *, now: datetime, share: float) -> None:
        """Every "call instead" and reply owed is dealt with the working hour it appears; client
        chases within a few hours."""
        from followups.models import FollowUp
        from followups.services import followup_complete

        open_followups = (
            FollowUp.objects.filter(
                completed_at__isnull=True,
                created_at__lte=now,
                reason__in=[
                    FollowUp.Reason.CALL_INSTEAD,
                    FollowUp.Reason.REPLY_OWED,
                    FollowUp.Reason.CHASE_CLIENT,
                ],
            )
            .select_related("contact")
            .order_by("id")
        )
        for followup in open_followups:
            if followup.reason == FollowUp.Reason.CHASE_CLIENT:
                if not self._chance(CHASE_DONE, share):
                    continue
                outcome, counter = "The client will decide this week.", "chases_done"
            elif followup.reason == FollowUp.Reason.REPLY_OWED:
                outcome, counter = "Answered their reply.", "replies_answered"
            else:
                outcome, counter = "Called them instead: they have the news.", "calls_instead_made"
            followup_complete(followup=followup, user=self.user(followup.owner_id), outcome=outcome)
            setattr(self.counts, counter, getattr(self.counts, counter) + 1)

    def _jobs_open(self, share: float) -> None:
        from jobs.models import IntakeItem
        from jobs.services import job_create, job_open

        for recruiter in self.recruiters:
            if recruiter.pk not in self.active or not self._chance(JOB_OPENED, share):
                continue
            organization, hiring_manager = self.rng.choice(self.clients)
            intake = {
                kind.value: [f"{kind.label}: as agreed at intake"]
                for kind in IntakeItem.Kind
                if kind != IntakeItem.Kind.NICE_TO_HAVE
            }
            with transaction.atomic():
                job = job_create(
                    organization=organization, owner=recruiter, title=self.rng.choice(TITLES),
                    openings=1 if self.rng.random() < 0.85 else 2,
                    location=self.rng.choice(CITIES), hiring_manager=hiring_manager,
                    intake=intake,
                )  # fmt: skip
                job_open(job=job, user=recruiter)
            self.counts.jobs_opened += 1

    def _pipelines(self, share: float, *, now: datetime) -> None:
        from jobs.models import Candidacy, Job

        jobs = list(Job.objects.filter(status=Job.Status.OPEN).order_by("id"))
        open_candidacies: dict[int, list] = {job.pk: [] for job in jobs}
        for candidacy in (
            Candidacy.objects.open()
            .filter(job__status=Job.Status.OPEN)
            .select_related("contact")
            .order_by("id")
        ):
            open_candidacies[candidacy.job_id].append(candidacy)
        for job in jobs:
            owner = self.user(job.owner_id)
            age = (now - job.opened_at).days
            if age < SOURCING_DAYS and self._chance(CANDIDATE_ADDED, share):
                self._candidate_add(job, owner)
            pipeline = open_candidacies[job.pk]
            if (age > 21 and self._chance(JOB_CANCELLED, share)) or (
                age >= SOURCING_DAYS and not pipeline and self._chance(JOB_ABANDONED, share)
            ):
                self._job_close(job, owner, "cancelled")
                continue
            if len(pipeline) >= 4 and self._chance(JOB_SPLIT, share):
                self._job_split(job, owner)
                continue
            for candidacy in pipeline:
                if self._chance(CANDIDATE_CALLED, share):
                    self._candidate_call(candidacy, owner, now=now)
                if self._chance(CANDIDACY_MOVED, share) and self._advance(candidacy, job, owner):
                    break  # the job was filled: its other candidacies closed with it

    def _candidate_add(self, job, owner) -> None:
        from jobs.services import candidacy_add
        from relationships.services import contact_onboard

        self.serial += 1
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        roll = self.rng.random()
        domain = (
            None if roll < NO_EMAIL
            else BOUNCE_DOMAIN if roll < NO_EMAIL + BOUNCES
            else COMPLAINT_DOMAIN if roll < NO_EMAIL + BOUNCES + COMPLAINS
            else DOMAIN
        )  # fmt: skip
        emails = (
            [f"{ascii_name(first)}.{ascii_name(last)}.{self.serial}@{domain}"] if domain else []
        )
        with transaction.atomic():
            contact = contact_onboard(
                owner=owner, user=owner, tier=self.rng.choice("BC"), first_name=first,
                last_name=last, emails=emails, roles=["candidate"],
                location=self.rng.choice(CITIES), source="LinkedIn",
            )  # fmt: skip
            candidacy_add(job=job, contact=contact, user=owner)
        self.counts.candidates += 1
        self.counts.candidates_without_email += not emails
        self.counts.candidacies += 1

    def _candidate_call(self, candidacy, owner, *, now: datetime) -> None:
        """A call logged on the contact's page: the relationship's touch (and a "call instead"
        it completes), never a write the page would not make."""
        from relationships.models import Interaction
        from relationships.services import interaction_log

        interaction_log(
            contact=candidacy.contact, kind=Interaction.Kind.CALL,
            summary="Called about where things are", recruiter=owner, occurred_at=now,
        )  # fmt: skip
        self.counts.calls += 1

    def _advance(self, candidacy, job, owner) -> bool:
        """Move the candidacy one step (or decide it); True when that filled the job."""
        from jobs.models import Candidacy
        from jobs.services import candidacy_close, candidacy_move

        step = self._pick(NEXT[candidacy.stage])
        if step in STAGES:
            candidacy_move(candidacy=candidacy, to_stage=step, user=owner)
            self.counts.moves += 1
            return False
        candidacy_close(candidacy=candidacy, outcome=step, user=owner, reason="")
        self.counts.decisions += 1
        if step != Candidacy.Outcome.PLACED:
            return False
        self.counts.placements += 1
        placed = Candidacy.objects.filter(job=job, outcome=Candidacy.Outcome.PLACED).count()
        if placed < job.openings:
            return False
        self._job_close(job, owner, "filled")
        return True

    def _pick(self, choices: list[tuple[str, float]]) -> str:
        """One of `choices` (value, share), drawn by its share; the last when rounding leaves
        the roll above the shares' sum."""
        roll, upto = self.rng.random(), 0.0
        for value, share in choices:
            upto += share
            if roll < upto:
                return value
        return choices[-1][0]

    def _job_close(self, job, owner, status: str) -> None:
        from jobs.services import job_close

        closed = job_close(job=job, status=status, user=owner, reason="")
        self.counts.decisions += closed
        if status == "filled":
            self.counts.jobs_filled += 1
        else:
            self.counts.jobs_cancelled += 1

    def _job_split(self, job, owner) -> None:
        """Split the job in two, routing each open candidacy (read now: one may have been
        added this step) to one side or both, as the split page asks."""
        from jobs.models import Candidacy
        from jobs.services import job_open, job_split

        pipeline = Candidacy.objects.open().filter(job=job).order_by("id").values_list("pk")
        routes = {pk: self.rng.choice(["a", "a", "b", "b", "both"]) for (pk,) in pipeline}
        with transaction.atomic():
            job_a, job_b = job_split(
                job=job, user=owner, title_a=f"{job.title} (senior)",
                title_b=f"{job.title} (mid-level)", routes=routes,
            )  # fmt: skip
            for sibling in (job_a, job_b):
                if sibling.status != "open":
                    job_open(job=sibling, user=owner)
        self.counts.jobs_split += 1

    def _desk_handoff(self, leaving) -> None:
        """A recruiter leaves: their manager hands everything to the teammate with the fewest
        open jobs."""
        from jobs.models import Job
        from relationships.models import Relationship
        from relationships.services import relationship_handoff

        if leaving.pk not in self.active:
            return
        mates = [
            r for r in self.recruiters
            if r.team_id == leaving.team_id and r.pk in self.active and r.pk != leaving.pk
        ] or [r for r in self.recruiters if r.pk in self.active and r.pk != leaving.pk]  # fmt: skip
        if not mates:
            return
        load = {r.pk: Job.objects.filter(owner=r, status="open").count() for r in mates}
        to = min(mates, key=lambda r: (load[r.pk], r.pk))
        self.active.discard(leaving.pk)
        if not Relationship.objects.filter(owner=leaving).exists():
            return
        relationship_handoff(
            from_recruiter=leaving, to_recruiter=to, performed_by=self.managers[leaving.team_id],
            note=f"{leaving} left the agency.",
        )  # fmt: skip
        self.counts.handoffs += 1
