"""Follow-through (docs/architecture.md): recruiters' follow-ups, policies, message templates, the
outbox and its delivery tracking, and the suppression list.

Obligations are derived from the state of the database by the planners (followups.planners),
each row carrying a unique idempotency key, so planning twice creates nothing twice.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from contacts.models import Contact
from core.models import TimestampedModel
from jobs.models import Candidacy, Job
from relationships.models import Handoff


class FollowUpQuerySet(models.QuerySet):
    def open(self) -> "FollowUpQuerySet":
        return self.filter(completed_at__isnull=True)

    def owned_by(self, user) -> "FollowUpQuerySet":
        return self.filter(owner=user)


class FollowUp(TimestampedModel):
    """Something a recruiter owes a contact: a call, an email, a meeting or a to-do."""

    class Kind(models.TextChoices):
        CALL = "call", "Call"
        EMAIL = "email", "Email"
        MEETING = "meeting", "Meeting"
        TODO = "todo", "To-do"

    class Reason(models.TextChoices):
        MANUAL = "manual", "Manual"
        RELATIONSHIP_CADENCE = "relationship_cadence", "Relationship cadence"
        CALL_INSTEAD = "call_instead", "Call instead of an undeliverable email"
        CHASE_CLIENT = "chase_client", "Chase the client for a decision"
        HANDOFF = "handoff", "Handoff"
        REPLY_OWED = "reply_owed", "A reply is owed"
        RATING = "rating", 'A "not good" rating'
        ERASURE_REQUEST = "erasure_request", "The person asked to be forgotten"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="followups"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="followups")
    job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="followups"
    )
    candidacy = models.ForeignKey(
        Candidacy, null=True, blank=True, on_delete=models.SET_NULL, related_name="followups"
    )
    # The undeliverable message a "call instead" follow-up replaces.
    message = models.ForeignKey(
        "Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="followups"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CALL)
    reason = models.CharField(max_length=24, choices=Reason.choices, default=Reason.MANUAL)
    summary = models.CharField(max_length=300)
    due_at = models.DateTimeField()
    snooze_count = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(
                fields=["owner", "due_at", "id"],
                condition=Q(completed_at__isnull=True),
                name="followups_open_owner_due",
            ),
            models.Index(
                fields=["contact", "owner"],
                condition=Q(completed_at__isnull=True),
                name="followups_open_contact",
            ),
            # Dashboards: obligations turned into calls in a period.
            models.Index(
                fields=["created_at"],
                condition=Q(reason="call_instead"),
                name="followups_call_instead_created",
            ),
            # The cadence planner's daily touch budget: what each owner was given today.
            models.Index(
                fields=["owner", "created_at"],
                condition=Q(reason="relationship_cadence"),
                name="followups_cadence_owner_day",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(summary=""),
                name="followups_followup_summary",
                violation_error_message="A follow-up needs a summary.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.contact_id}: {self.summary}"

    @property
    def is_open(self) -> bool:
        return self.completed_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()


# A status update leaves this long before its period ends (Policy.status_update_lead).
STATUS_UPDATE_MARGIN = timedelta(hours=1)


class Policy(models.Model):
    """The agency's follow-through defaults: one row (pk 1), edited by admins."""

    update_cadence_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days without a candidate-facing touch before a status update."
    )
    review_window_hours = models.PositiveSmallIntegerField(
        default=4, help_text="Hours a recruiter has to edit or skip an automatic update."
    )
    closure_undo_minutes = models.PositiveSmallIntegerField(
        default=60, help_text="Minutes after a decision before its closure notice leaves."
    )
    closure_deadline_hours = models.PositiveSmallIntegerField(
        default=48, help_text="Hours after a decision by which the closure notice must be sent."
    )
    digest_cadence_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days between two digests to a client."
    )
    chase_client_days = models.PositiveSmallIntegerField(
        default=5, help_text="Days a candidacy may wait for the client before we chase them."
    )
    max_attempts = models.PositiveSmallIntegerField(
        default=5, help_text="Send attempts before a message fails into a call."
    )
    reply_target_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text="Business hours (weekdays) within which a contact's reply is answered.",
    )
    rating_valid_days = models.PositiveSmallIntegerField(
        default=28, help_text="Days a closure notice's rating links stay valid."
    )
    daily_touch_budget = models.PositiveSmallIntegerField(
        default=25,
        help_text="Keep-in-touch calls a recruiter is given a day, most important first; "
        "updates and closure notices to candidates are never budgeted.",
    )

    class Meta:
        verbose_name_plural = "policies"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="followups_policy_singleton"),
            models.CheckConstraint(
                condition=Q(update_cadence_days__gte=1)
                & Q(digest_cadence_days__gte=1)
                & Q(chase_client_days__gte=1)
                & Q(max_attempts__gte=1)
                & Q(daily_touch_budget__gte=1),
                name="followups_policy_positive",
                violation_error_message="Cadences, thresholds and attempts are at least 1.",
            ),
        ]

    def __str__(self) -> str:
        return "Follow-through policy"

    @classmethod
    def current(cls) -> "Policy":
        """The policy: the one row (migration 0002 makes it), or its defaults, unsaved, on a
        database that lost it. A pure read; services.policy_update writes it."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def review_window(self) -> timedelta:
        return timedelta(hours=self.review_window_hours)

    @property
    def status_update_lead(self) -> timedelta:
        """How long before a candidacy's update is due the planner writes it: the review
        window, so the recruiter can still edit or skip it, plus a margin for the relay, so
        the update leaves before its period ends, not a review window after it."""
        return self.review_window + STATUS_UPDATE_MARGIN

    @property
    def closure_undo(self) -> timedelta:
        return timedelta(minutes=self.closure_undo_minutes)

    @property
    def closure_deadline(self) -> timedelta:
        return timedelta(hours=self.closure_deadline_hours)


class PlannerRun(models.Model):
    """The last run of the planning task, one row per task name, for the system status page:
    when it last started and finished, what it planned, and when a run last found another one
    still running and returned at once."""

    name = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    planned = models.JSONField(default=dict, blank=True)
    skipped_at = models.DateTimeField(null=True, blank=True)
    skipped = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} run"

    @property
    def planned_summary(self) -> str:
        """ "status updates 3, closures 1": what the last finished run planned."""
        return ", ".join(
            f"{kind.replace('_', ' ')} {count}" for kind, count in self.planned.items() if count
        )


class JobPolicy(models.Model):
    """A job's overrides of the policy; blank means the agency's default."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="followup_policy")
    update_cadence_days = models.PositiveSmallIntegerField(null=True, blank=True)
    digest_cadence_days = models.PositiveSmallIntegerField(null=True, blank=True)
    chase_client_days = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "job policy"
        verbose_name_plural = "job policies"
        constraints = [
            models.CheckConstraint(
                condition=(Q(update_cadence_days__isnull=True) | Q(update_cadence_days__gte=1))
                & (Q(digest_cadence_days__isnull=True) | Q(digest_cadence_days__gte=1))
                & (Q(chase_client_days__isnull=True) | Q(chase_client_days__gte=1)),
                name="followups_jobpolicy_positive",
                violation_error_message="Cadences and thresholds are at least 1 day.",
            ),
        ]

    def __str__(self) -> str:
        return f"Policy for job {self.job_id}"


class MessageKind(models.TextChoices):
    STATUS_UPDATE = "status_update", "Status update"
    CLOSURE = "closure", "Closure notice"
    CLIENT_DIGEST = "client_digest", "Client digest"
    JOB_CLOSED = "job_closed", "Job closed (to the client)"
    INTRODUCTION = "introduction", "Introduction of a new recruiter"
    # To a user, not a contact: written by the app that plans it (pre-rendered, `edited`).
    MANAGER_DIGEST = "manager_digest", "Manager's weekly digest"
    # Written by a recruiter on the contact page: sent as written, never from a template.
    ONE_OFF = "one_off", "One-off email"
    # A retention review's question to the person (followups.consent): written when asked.
    RECONSENT = "reconsent", "Re-consent request"


# Promises to a person: when one cannot be delivered, the recruiter calls instead.
OBLIGATION_KINDS = frozenset({MessageKind.STATUS_UPDATE, MessageKind.CLOSURE})
# Bulk-ish messages that carry one-click unsubscribe headers (RFC 8058).
UNSUBSCRIBABLE_KINDS = frozenset({MessageKind.STATUS_UPDATE, MessageKind.CLIENT_DIGEST})


class MessageTemplate(TimestampedModel):
    """The words of one kind of message, with merge fields like {{ first_name }}."""

    kind = models.CharField(max_length=16, choices=MessageKind.choices, unique=True)
    subject = models.CharField(max_length=300)
    text = models.TextField(help_text="Plain text body.")
    html = models.TextField(blank=True, help_text="HTML body; blank sends plain text only.")

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        from followups.rendering import merge_fields_unknown

        errors = {}
        for field in ("subject", "text", "html"):
            unknown = merge_fields_unknown(getattr(self, field))
            if unknown:
                names = ", ".join("{{ %s }}" % name for name in unknown)  # noqa: UP031
                errors[field] = f"Unknown merge field: {names}."
        if errors:
            raise ValidationError(errors)


class MessageQuerySet(models.QuerySet):
    def pending(self) -> "MessageQuerySet":
        return self.filter(status__in=Message.PENDING_STATUSES)


class Message(TimestampedModel):
    """One outgoing email, in the outbox first (docs/architecture.md, "The outbox").

    Planned rows keep their template and context (contact, job, candidacy); subject and bodies
    are rendered when the message leaves, unless the recruiter edited them (`edited`)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        CANCELLED = "cancelled", "Cancelled"
        SKIPPED = "skipped", "Skipped"
        SUPPRESSED = "suppressed", "Suppressed"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Complained"

    PENDING_STATUSES = frozenset({Status.SCHEDULED, Status.QUEUED, Status.SENDING})
    UNDELIVERABLE_STATUSES = frozenset(
        {Status.SUPPRESSED, Status.FAILED, Status.BOUNCED, Status.COMPLAINED}
    )
    # Tracking moves a message only forward (docs/architecture.md, "The outbox state machine").
    PROGRESS = {
        Status.SENT: 1,
        Status.DELIVERED: 2,
        Status.BOUNCED: 3,
        Status.COMPLAINED: 4,
    }

    kind = models.CharField(max_length=16, choices=MessageKind.choices)
    # The recruiter the message goes out on behalf of.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="messages"
    )
    # None for a message to a user of Rapport (the manager's digest): no timeline, no opt-out.
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    candidacy = models.ForeignKey(
        Candidacy, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    recipient = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    edited = models.BooleanField(
        default=False, help_text="The recruiter wrote the words: they are sent as they are."
    )
    personal_note = models.TextField(blank=True)
    # The market note the recruiter chose for {{ market_note }} (None: the most relevant one the
    # recipient has not had), or none at all when removed.
    market_note = models.ForeignKey(
        "market.MarketNote", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    market_note_removed = models.BooleanField(default=False, db_default=False)
    idempotency_key = models.CharField(max_length=200, unique=True)
    send_after = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The relay run that holds the row while `sending`, and until when: it renews the lease
    # before every chunk it sends; the sweeper returns rows whose lease ran out.
    claim_token = models.UUIDField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    esp_message_id = models.CharField(max_length=200, blank=True)
    skip_reason = models.TextField(blank=True)
    skipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["send_after", "id"]
        indexes = [
            models.Index(
                fields=["send_after", "id"],
                condition=Q(status="scheduled"),
                name="followups_msg_due",
            ),
            models.Index(
                fields=["lease_until"],
                condition=Q(status="sending"),
                name="followups_msg_sending_lease",
            ),
            models.Index(
                fields=["owner", "send_after"],
                condition=Q(status__in=["scheduled", "queued", "sending"]),
                name="followups_msg_owner_pending",
            ),
            models.Index(
                fields=["candidacy", "kind"],
                condition=Q(candidacy__isnull=False),
                name="followups_msg_candidacy",
            ),
            models.Index(
                fields=["esp_message_id"],
                condition=~Q(esp_message_id=""),
                name="followups_msg_esp_id",
            ),
            models.Index(fields=["contact", "-send_after"], name="followups_msg_contact"),
            # The planners' minutely "call instead" sweep (services.CALL_INSTEAD_SQL) reads only
            # the undeliverable obligations, not every message ever sent.
            models.Index(
                fields=["id"],
                condition=Q(
                    kind__in=["closure", "status_update"],
                    status__in=["bounced", "complained", "failed", "suppressed"],
                ),
                name="followups_msg_undeliverable",
            ),
            # Dashboards: what was sent in a period (deliverability, touches).
            models.Index(
                fields=["sent_at"], condition=Q(sent_at__isnull=False), name="followups_msg_sent"
            ),
        ]
        constraints = [
            # At most one status update on its way per candidacy, whatever the planners' timing:
            # two runs either side of a cadence boundary compute different keys.
            models.UniqueConstraint(
                fields=["candidacy"],
                condition=Q(kind="status_update", status__in=["scheduled", "queued", "sending"]),
                name="followups_msg_one_pending_update",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.contact_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING_STATUSES

    @property
    def is_obligation(self) -> bool:
        return self.kind in OBLIGATION_KINDS


class Suppression(models.Model):
    """An address we never email again: by the address itself, or, once its person was erased
    (crm.privacy), only by its keyed hash (followups.suppression), so the address is gone and a
    later import of it is still never mailed."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Complained (marked as spam)"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        MANUAL = "manual", "Added by hand"
        ERASED = "erased", "Its person was erased"

    # Lowercase; blank once only the hash is kept.
    email = models.CharField(max_length=254, blank=True)
    email_hash = models.CharField(
        max_length=64, blank=True, help_text="Keyed hash of the address (erased people's)."
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email", "id"]
        constraints = [
            models.UniqueConstraint(
                "email", condition=~Q(email=""), name="followups_suppression_email_unique"
            ),
            models.UniqueConstraint(
                "email_hash",
                condition=~Q(email_hash=""),
                name="followups_suppression_hash_unique",
            ),
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(email_hash=""),
                name="followups_suppression_address_or_hash",
                violation_error_message="A suppression names an address or its hash.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email or 'an erased address'} ({self.reason})"


class TrackingEvent(models.Model):
    """One delivery event from the ESP's webhook, kept once (by event id)."""

    event_id = models.CharField(max_length=200, unique=True)
    event_type = models.CharField(max_length=32)
    esp_message_id = models.CharField(max_length=200, blank=True)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    recipient = models.CharField(max_length=254, blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"


class HandedOffWork(models.Model):
    """The open follow-ups and scheduled messages a handoff moved to the new owner, counted when
    it moved them, for the managers' dashboards."""

    handoff = models.OneToOneField(
        Handoff, on_delete=models.CASCADE, related_name="followups_moved"
    )
    followups = models.PositiveIntegerField(default=0)
    messages = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "handed-off work"

    def __str__(self) -> str:
        return f"Work moved by handoff {self.handoff_id}"


class InboundReply(models.Model):
    """One email a person sent back, from the ESP's inbound webhook, kept once (by the ESP's
    event id, else its Message-ID): docs/architecture.md, "Replies"."""

    class MatchedBy(models.TextChoices):
        TOKEN = "token", "Reply-To token"
        THREAD = "thread", "In-Reply-To / References"
        SENDER = "sender", "Sender's address"
        HAND = "hand", "Assigned by hand"

    event_key = models.CharField(max_length=300, unique=True)
    esp_name = models.CharField(max_length=32)
    message_id_header = models.CharField(max_length=300, blank=True)
    from_email = models.CharField(max_length=254, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    recipients = models.TextField(blank=True)
    subject = models.CharField(max_length=300, blank=True)
    reply_text = models.TextField(blank=True, help_text="The new text, quoted history removed.")
    text = models.TextField(blank=True, help_text="The full plain text, quoted history included.")
    html = models.TextField(blank=True, help_text="Sanitised with nh3 before it is stored.")
    attachments = models.JSONField(default=list, blank=True)
    is_auto = models.BooleanField(
        default=False, help_text="An auto-reply: recorded, starts no clock, never suppresses."
    )
    received_at = models.DateTimeField()
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_replies"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    matched_by = models.CharField(max_length=8, choices=MatchedBy.choices, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    interaction = models.ForeignKey(
        "relationships.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    followup = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "inbound replies"
        indexes = [
            models.Index(
                fields=["-received_at", "-id"],
                condition=Q(contact__isnull=True),
                name="followups_inbound_unmatched",
            ),
        ]

    def __str__(self) -> str:
        return f"Reply from {self.from_email}: {self.subject}"


class Rating(models.Model):
    """A person's one-click answer to "how did we do?" after a closure notice: one per closure
    message, requested at most once per person in six months (followups.ratings)."""

    class Answer(models.TextChoices):
        GOOD = "good", "Good"
        OKAY = "okay", "Okay"
        NOT_GOOD = "not_good", "Not good"

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="rating")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="ratings")
    requested_at = models.DateTimeField()
    valid_until = models.DateTimeField()
    answer = models.CharField(max_length=8, choices=Answer.choices, blank=True)
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    followup = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["contact", "-requested_at"], name="followups_rating_contact")
        ]

    def __str__(self) -> str:
        return f"Rating of message {self.message_id}: {self.answer or 'unanswered'}"


class MarketNoteUse(models.Model):
    """A market note a recipient was sent, in which message: a note goes to a person once. The
    relay writes it when the message is recorded sent, once even if it retries."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    note = models.ForeignKey("market.MarketNote", on_delete=models.CASCADE, related_name="uses")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="market_uses")
    used_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "note", "message"], name="followups_market_use_once"
            ),
        ]
        indexes = [models.Index(fields=["contact", "note"], name="followups_market_use_contact")]

    def __str__(self) -> str:
        return f"note {self.note_id} to contact {self.contact_id} in message {self.message_id}"
