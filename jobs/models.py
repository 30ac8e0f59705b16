"""Jobs with a structured intake, the candidate pipeline, interviewer feedback and splits.

The follow-through engine (followups) reads these tables: open candidacies by
`last_candidate_touch_at` (status updates), closed ones by `decided_at` (closure notices), and
candidacies awaiting the client (chasing). Keep the names stable.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from contacts.models import Contact, Organization
from core.models import TimestampedModel
from relationships.models import Handoff


class Job(TimestampedModel):
    """A client's opening, owned by a recruiter."""

    class Status(models.TextChoices):
        INTAKE = "intake", "Intake"
        OPEN = "open", "Open"
        ON_HOLD = "on_hold", "On hold"
        FILLED = "filled", "Filled"
        CANCELLED = "cancelled", "Cancelled"
        SPLIT = "split", "Split"

    ACTIVE_STATUSES = frozenset({Status.INTAKE, Status.OPEN, Status.ON_HOLD})

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="jobs")
    hiring_manager = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs_managed"
    )
    interviewers = models.ManyToManyField(Contact, blank=True, related_name="jobs_interviewing")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs"
    )
    title = models.CharField(max_length=200)
    openings = models.PositiveSmallIntegerField(default=1)
    location = models.CharField(max_length=200, blank=True)
    compensation_min = models.PositiveIntegerField(null=True, blank=True)
    compensation_max = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217, e.g. EUR.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INTAKE)
    # Candidate-facing messages name the client by this alias when it is set (confidential search).
    client_alias = models.CharField(max_length=200, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    split_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="split_into"
    )
    intake_signed_off_on = models.DateField(
        null=True, blank=True, help_text="When the client signed the intake off."
    )
    # Recorded when the job was opened although its intake was incomplete.
    intake_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intake_override_at = models.DateTimeField(null=True, blank=True)
    intake_override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-id"], name="jobs_job_status"),
            models.Index(fields=["owner", "status", "-id"], name="jobs_job_owner"),
            models.Index(fields=["organization", "status", "-id"], name="jobs_job_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(openings__gte=1),
                name="jobs_job_openings_positive",
                violation_error_message="A job has at least one opening.",
            ),
            models.CheckConstraint(
                condition=Q(compensation_min__isnull=True)
                | Q(compensation_max__isnull=True)
                | Q(compensation_min__lte=models.F("compensation_max")),
                name="jobs_job_compensation_range",
                violation_error_message="The minimum compensation is above the maximum.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def client_name_for_candidates(self) -> str:
        """What candidate-facing messages call the client."""
        return self.client_alias or self.organization.name


class IntakeItem(models.Model):
    """One structured answer of a job's intake. Must-haves and nice-to-haves are the criteria
    interviewers score candidates on."""

    class Kind(models.TextChoices):
        ASKED_FOR = "asked_for", "What they asked for"
        REALLY_NEED = "really_need", "What they really need"
        WHY_OPEN = "why_open", "Why the role is open"
        SUCCESS_6M = "success_6m", "Success after 6 months"
        SUCCESS_12M = "success_12m", "Success after 12 months"
        WHO_DID_WELL = "who_did_well", "Who did well here before"
        MUST_HAVE = "must_have", "Must-have"
        NICE_TO_HAVE = "nice_to_have", "Nice-to-have"
        DEAL_BREAKER = "deal_breaker", "Deal-breaker"

    CRITERION_KINDS = frozenset({Kind.MUST_HAVE, Kind.NICE_TO_HAVE})

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="intake_items")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.CharField(max_length=500)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job", "kind", "position", "id"]
        indexes = [models.Index(fields=["job", "kind", "position"], name="jobs_intake_job")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="jobs_intake_text",
                violation_error_message="An intake item needs text.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text}"

    @property
    def is_criterion(self) -> bool:
        return self.kind in self.CRITERION_KINDS


def intake_completeness(filled_kinds: set[str]) -> tuple[int, list[str]]:
    """Percent of the intake's kinds that have at least one item, and the labels still missing.
    Every kind counts except nice-to-haves, which a good intake may honestly lack."""
    required = [kind for kind in IntakeItem.Kind if kind != IntakeItem.Kind.NICE_TO_HAVE]
    missing = [kind.label for kind in required if kind.value not in filled_kinds]
    return round(100 * (len(required) - len(missing)) / len(required)), missing


class CandidacyQuerySet(models.QuerySet):
    def open(self) -> "CandidacyQuerySet":
        return self.filter(decided_at__isnull=True)

    def closed(self) -> "CandidacyQuerySet":
        return self.filter(decided_at__isnull=False)

    def awaiting_client(self) -> "CandidacyQuerySet":
        return self.open().filter(
            stage__in=[Candidacy.Stage.SUBMITTED, Candidacy.Stage.CLIENT_INTERVIEW]
        )

    def owned_by(self, user) -> "CandidacyQuerySet":
        return self.filter(job__owner=user)


class Candidacy(TimestampedModel):
    """A contact in a job's pipeline. Open while `decided_at` is null."""

    class Stage(models.TextChoices):
        SOURCED = "sourced", "Sourced"
        CONTACTED = "contacted", "Contacted"
        SCREENING = "screening", "Screening"
        SUBMITTED = "submitted", "Submitted to client"
        CLIENT_INTERVIEW = "client_interview", "Client interview"
        OFFER = "offer", "Offer"
        PLACED = "placed", "Placed"

    class Outcome(models.TextChoices):
        REJECTED_BY_CLIENT = "rejected_by_client", "Rejected by the client"
        NOT_A_FIT = "not_a_fit", "Not a fit"
        CANDIDATE_WITHDREW = "candidate_withdrew", "Candidate withdrew"
        JOB_FILLED = "job_filled", "Job filled"
        JOB_CANCELLED = "job_cancelled", "Job cancelled"
        PLACED = "placed", "Placed"

    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="candidacies")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="candidacies")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SOURCED)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    stage_entered_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The last candidate-facing message or call about this candidacy (status updates key on it).
    last_candidate_touch_at = models.DateTimeField(null=True, blank=True)
    # Set on the copy a split made when a candidacy was routed to both new jobs.
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    objects = CandidacyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "candidacies"
        indexes = [
            models.Index(
                fields=["job", "stage", "stage_entered_at"],
                condition=Q(decided_at__isnull=True),
                name="jobs_cand_board",
            ),
            models.Index(
                fields=["last_candidate_touch_at"],
                condition=Q(decided_at__isnull=True),
                name="jobs_cand_open_touch",
            ),
            models.Index(
                fields=["decided_at"],
                condition=Q(decided_at__isnull=False),
                name="jobs_cand_decided",
            ),
            models.Index(fields=["contact", "-created_at"], name="jobs_cand_contact"),
            models.Index(fields=["job", "-id"], name="jobs_cand_job"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "contact"],
                condition=Q(decided_at__isnull=True),
                name="jobs_candidacy_one_open",
                violation_error_message="This contact already has an open candidacy for this job.",
            ),
            models.CheckConstraint(
                condition=(Q(decided_at__isnull=True) & Q(outcome=""))
                | (Q(decided_at__isnull=False) & ~Q(outcome="")),
                name="jobs_candidacy_outcome_when_decided",
                violation_error_message="A closed candidacy has an outcome; an open one has none.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} for job {self.job_id} ({self.stage})"

    @property
    def is_open(self) -> bool:
        return self.decided_at is None


class StageChange(models.Model):
    """One move in a candidacy's pipeline, or its close (with an outcome)."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="stage_changes")
    # The job the move happened in: a split moves candidacies, the original's history stays.
    job = models.ForeignKey(Job, on_delete=models.PROTECT, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Candidacy.Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Candidacy.Stage.choices)
    outcome = models.CharField(max_length=20, choices=Candidacy.Outcome.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    # A copy of a change made on the candidacy this one was copied from by a split, kept so the
    # copy's history shows; reports count only the originals, so nothing counts twice.
    is_copy = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["candidacy", "at"], name="jobs_stagechange_cand"),
            models.Index(fields=["job", "to_stage"], name="jobs_stagechange_job"),
            # Dashboards: who entered a stage in a period (conversion, waits on the client).
            models.Index(fields=["to_stage", "at"], name="jobs_stagechange_stage_at"),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage or '—'} → {self.to_stage} {self.outcome}".strip()


class Feedback(models.Model):
    """An interviewer's scorecard on a candidacy, entered by the recruiter."""

    class Recommendation(models.TextChoices):
        STRONG_NO = "strong_no", "Strong no"
        NO = "no", "No"
        MIXED = "mixed", "Mixed"
        YES = "yes", "Yes"
        STRONG_YES = "strong_yes", "Strong yes"

    # For comparing recommendations: how far apart two interviewers are.
    RECOMMENDATION_VALUE = {"strong_no": -2, "no": -1, "mixed": 0, "yes": 1, "strong_yes": 2}

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="feedback")
    interviewer = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="feedback_given"
    )
    recommendation = models.CharField(max_length=16, choices=Recommendation.choices)
    notes = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "feedback"
        indexes = [models.Index(fields=["candidacy", "-at"], name="jobs_feedback_cand")]

    def __str__(self) -> str:
        return f"{self.interviewer_id} on {self.candidacy_id}: {self.recommendation}"

    @property
    def recommendation_value(self) -> int:
        return self.RECOMMENDATION_VALUE[self.recommendation]


class FeedbackScore(models.Model):
    """A score from 1 to 5 on one of the job's criteria (a must-have or nice-to-have)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(IntakeItem, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["feedback", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "criterion"],
                name="jobs_feedbackscore_unique",
                violation_error_message="This criterion is already scored in this feedback.",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="jobs_feedbackscore_range",
                violation_error_message="A score is from 1 to 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class HandedOffJob(models.Model):
    """A job that moved to another recruiter with a handoff, and the open candidacies it carried
    (each a promise to a candidate): what the handoff moved, kept for the managers' dashboards."""

    handoff = models.ForeignKey(Handoff, on_delete=models.CASCADE, related_name="jobs_moved")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="handoffs")
    open_candidacies = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["handoff", "job"]
        constraints = [
            models.UniqueConstraint(fields=["handoff", "job"], name="jobs_handedoffjob_unique"),
        ]

    def __str__(self) -> str:
        return f"Job {self.job_id} in handoff {self.handoff_id}"
