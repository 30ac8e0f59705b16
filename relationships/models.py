from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from contacts.models import Contact, Fact, Organization
from core.models import TimestampedModel


class Handoff(TimestampedModel):
    """Relationships moved from one recruiter to another, with a note for the new owner."""

    class Scope(models.TextChoices):
        ONE = "one", "One contact"
        SELECTION = "selection", "A selection of contacts"
        ALL = "all", "All of the recruiter's relationships"

    from_recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handoffs_given"
    )
    to_recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handoffs_received"
    )
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handoffs_performed"
    )
    scope = models.CharField(max_length=16, choices=Scope.choices)
    note = models.TextField(blank=True)
    relationship_count = models.PositiveIntegerField(default=0)
    # What the handoff's options did, in a sentence each, by option name (see
    # relationships.handoff_options): {"introductions": "3 introductions ... scheduled"}.
    extras = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_recruiter=models.F("to_recruiter")),
                name="relationships_handoff_to_someone_else",
                violation_error_message="A handoff goes to another recruiter.",
            ),
        ]

    def __str__(self) -> str:
        return f"Handoff from {self.from_recruiter} to {self.to_recruiter}"


class Relationship(TimestampedModel):
    """The owning recruiter's relationship with a contact: one owner per contact."""

    class Tier(models.TextChoices):
        A = "A", "A: every 2 weeks"
        B = "B", "B: every month"
        C = "C", "C: every quarter"

    CADENCE_DAYS = {Tier.A: 14, Tier.B: 30, Tier.C: 90}

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="relationship")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="relationships"
    )
    tier = models.CharField(max_length=1, choices=Tier.choices, default=Tier.B)
    cadence_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days between touches; follows the tier unless set."
    )
    last_touch_at = models.DateTimeField(null=True, blank=True)
    next_touch_due = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "next_touch_due"], name="relationships_owner_due"),
            models.Index(fields=["next_touch_due"], name="relationships_due"),
            # The contact list walks contacts in name order and checks each one's relationship
            # for the owner and overdue filters: with these columns in the index, without
            # reading the table (5 ms instead of 27 for "my overdue" at a million contacts).
            models.Index(
                fields=["contact"],
                include=["owner", "next_touch_due"],
                name="relationships_contact_cover",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cadence_days__gte=1),
                name="relationships_cadence_positive",
                violation_error_message="The touch cadence is at least one day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} ↔ {self.contact}"

    def get_additional_data(self) -> dict[str, int]:
        """Stored beside the audit trail's entries (auditlog): the contact, for its History page."""
        return {"contact_id": self.contact_id}

    @property
    def is_overdue(self) -> bool:
        return self.next_touch_due is not None and self.next_touch_due < timezone.now()

    def next_touch_after(self, moment: datetime) -> datetime:
        return moment + timedelta(days=self.cadence_days)


class Interaction(models.Model):
    """The one timeline: every touch with a person, and everything that happened to them."""

    class Kind(models.TextChoices):
        CALL = "call", "Call"
        EMAIL = "email", "Email"
        MEETING = "meeting", "Meeting"
        NOTE = "note", "Note"
        MESSAGE = "message", "Message sent"
        STAGE_CHANGE = "stage_change", "Stage change"
        HANDOFF = "handoff", "Handoff"
        MERGE = "merge", "Merge"
        OTHER = "other", "Other"

    # Kinds in which we actually reached the person: they move the relationship's clock.
    TOUCH_KINDS = frozenset({Kind.CALL, Kind.EMAIL, Kind.MEETING, Kind.MESSAGE})
    # Kinds a person logs by hand, on the page or through the API; Rapport writes messages,
    # stage changes, handoffs and merges itself.
    LOGGABLE_KINDS = (Kind.CALL, Kind.EMAIL, Kind.MEETING, Kind.NOTE, Kind.OTHER)

    class Direction(models.TextChoices):
        OUTBOUND = "outbound", "Outbound"
        INBOUND = "inbound", "Inbound"
        INTERNAL = "internal", "Internal"

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="interactions")
    # The contact's organization when it happened, so a company's timeline is one indexed query.
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    direction = models.CharField(
        max_length=16, choices=Direction.choices, default=Direction.OUTBOUND
    )
    summary = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    handoff = models.ForeignKey(
        Handoff, null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    # Facts remembered from this conversation.
    facts = models.ManyToManyField(Fact, blank=True, related_name="source_interactions")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["contact", "-occurred_at", "-id"], name="rel_interaction_contact"),
            models.Index(
                fields=["organization", "-occurred_at", "-id"], name="rel_interaction_org"
            ),
            models.Index(
                fields=["recruiter", "-occurred_at", "-id"], name="rel_interaction_recruiter"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(summary=""),
                name="relationships_interaction_summary",
                violation_error_message="An interaction needs a summary.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.contact_id} at {self.occurred_at:%Y-%m-%d}"

    @property
    def is_touch(self) -> bool:
        return self.kind in self.TOUCH_KINDS


class Connection(TimestampedModel):
    """How two contacts know each other: `from_contact` <kind> `to_contact`."""

    class Kind(models.TextChoices):
        REPORTS_TO = "reports_to", "reports to"
        ASSISTANT_OF = "assistant_of", "is the assistant of"
        REFERRED_BY = "referred_by", "was referred by"
        WORKED_WITH = "worked_with", "worked with"
        INTRODUCED_BY = "introduced_by", "was introduced by"

    from_contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="connections_from"
    )
    to_contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="connections_to")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_contact", "to_contact", "kind"],
                name="relationships_connection_unique",
                violation_error_message="These two contacts are already connected this way.",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_contact=models.F("to_contact")),
                name="relationships_connection_not_self",
                violation_error_message="A contact cannot be connected to themselves.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_contact} {self.get_kind_display()} {self.to_contact}"
