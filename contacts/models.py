from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Cast, Coalesce, Lower, Now
from django.utils import timezone

from core.models import TimestampedModel


class Organization(TimestampedModel):
    """A client, a prospect or any other company people work at."""

    class Kind(models.TextChoices):
        CLIENT = "client", "Client"
        PROSPECT = "prospect", "Prospect"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    domain = models.CharField(max_length=253, blank=True, help_text="e.g. acme.com, lowercase.")
    website = models.URLField(blank=True)
    industry = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="contacts_org_search_gin"),
            models.Index(Lower("name"), "id", name="contacts_org_name_lower_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                "domain",
                condition=~models.Q(domain=""),
                name="contacts_org_domain_unique",
                violation_error_message="Another organization already has this domain.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(TimestampedModel):
    """Everyone we touch: candidates, clients, interviewers, receptionists, referrers."""

    class Role(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        CLIENT = "client", "Client"
        HIRING_MANAGER = "hiring_manager", "Hiring manager"
        INTERVIEWER = "interviewer", "Interviewer"
        REFERRER = "referrer", "Referrer"
        RECEPTIONIST = "receptionist", "Receptionist"
        OTHER = "other", "Other"

    CLIENT_SIDE_ROLES = frozenset({Role.CLIENT, Role.HIRING_MANAGER, Role.INTERVIEWER})

    class LawfulBasis(models.TextChoices):
        LEGITIMATE_INTEREST = "legitimate_interest", "Legitimate interest"
        CONSENT = "consent", "Consent"
        CONTRACT = "contract", "Contract"

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    # Normalised (lowercase) addresses; the first is the one we write to.
    emails = ArrayField(models.CharField(max_length=254), default=list, blank=True)
    phones = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    # Derived by the services for duplicate matching: see contacts.normalize.
    phone_keys = ArrayField(models.CharField(max_length=20), default=list, editable=False)
    linkedin_url = models.URLField(max_length=300, blank=True)
    linkedin_key = models.CharField(max_length=200, blank=True, editable=False)
    title = models.CharField(max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    roles = ArrayField(
        models.CharField(max_length=20, choices=Role.choices), default=list, blank=True
    )
    # Stays true once the person has been a candidate: today's candidate, tomorrow's client.
    was_candidate = models.BooleanField(default=False, editable=False)
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    source = models.CharField(max_length=100, blank=True, help_text="Where we met them.")
    location = models.CharField(max_length=200, blank=True)
    email_opt_out = models.BooleanField(default=False, help_text="No automatic emails.")
    do_not_contact = models.BooleanField(default=False, help_text="No contact at all.")
    # Why we may hold this person's details, since when, and who or what says so ("import
    # Connections.csv", "added by Rosa Reyes", "consent email"); the retention review
    # (crm.privacy.retention) asks again once the date is old. The database defaults serve
    # rows written without the ORM (the import's COPY).
    lawful_basis = models.CharField(
        max_length=24,
        choices=LawfulBasis.choices,
        default=LawfulBasis.LEGITIMATE_INTEREST,
        db_default=LawfulBasis.LEGITIMATE_INTEREST,
    )
    lawful_basis_on = models.DateField(
        "lawful basis since",
        default=timezone.localdate,
        db_default=Cast(Now(), models.DateField()),
    )
    lawful_basis_source = models.CharField(
        "lawful basis source", max_length=200, blank=True, db_default=""
    )
    # Lowercase "last first", the list's sort key (with id for keyset pagination).
    sort_name = models.GeneratedField(
        expression=Lower(
            models.functions.Concat(
                Coalesce("last_name", models.Value("")),
                models.Value(" "),
                Coalesce("first_name", models.Value("")),
            )
        ),
        output_field=models.CharField(max_length=201),
        db_persist=True,
    )
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["sort_name", "id"]
        indexes = [
            models.Index(fields=["sort_name", "id"], name="contacts_contact_sort"),
            models.Index(fields=["organization", "sort_name"], name="contacts_contact_org"),
            GinIndex(fields=["emails"], name="contacts_contact_emails_gin", fastupdate=False),
            GinIndex(fields=["phone_keys"], name="contacts_contact_phones_gin", fastupdate=False),
            GinIndex(fields=["tags"], name="contacts_contact_tags_gin", fastupdate=False),
            GinIndex(fields=["roles"], name="contacts_contact_roles_gin", fastupdate=False),
            GinIndex(fields=["search_vector"], name="contacts_contact_search_gin"),
            models.Index(
                fields=["linkedin_key"],
                condition=~models.Q(linkedin_key=""),
                name="contacts_contact_linkedin",
            ),
            # The retention review: candidates (was_candidate stays true once they were one)
            # by the date of their lawful basis.
            models.Index(
                fields=["lawful_basis_on"],
                condition=models.Q(was_candidate=True),
                name="contacts_contact_basis_review",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def primary_email(self) -> str:
        return self.emails[0] if self.emails else ""

    @property
    def can_email(self) -> bool:
        return bool(self.emails) and not (self.email_opt_out or self.do_not_contact)

    @property
    def former_candidate_now_client(self) -> bool:
        """A past candidate who now sits on the client side (uses `organization`)."""
        return (
            self.was_candidate
            and self.Role.CANDIDATE not in self.roles
            and bool(self.CLIENT_SIDE_ROLES & set(self.roles))
            and self.organization is not None
            and self.organization.kind == Organization.Kind.CLIENT
        )


class Employment(TimestampedModel):
    """One step of a career: recorded when a contact's organization or title changes."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="employments")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="employments"
    )
    # The name as it was, so the career path reads right after a rename or a deletion.
    organization_name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    # Null when nobody knows (an imported position): the date of an import is not a start.
    started_on = models.DateField(default=timezone.localdate, null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["contact", "-started_on"], name="contacts_employment_contact")
        ]
        constraints = [
            models.UniqueConstraint(
                "contact",
                condition=models.Q(ended_on__isnull=True),
                name="contacts_employment_one_current",
                violation_error_message="A contact has one current position at a time.",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="contacts_employment_ends_after_start",
                violation_error_message="A position cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        where = self.organization_name or "unknown organization"
        return f"{self.title or 'Position'} at {where}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Fact(TimestampedModel):
    """A remembered personal detail: family, interests, constraints, goals...

    A sensitive fact (salary, health, family, reasons for leaving by default, or any fact marked
    so) is seen only by its author, the contact's owner, the owner's manager and admins
    (contacts.permissions); it stays out of the shared search document."""

    class Category(models.TextChoices):
        FAMILY = "family", "Family"
        INTERESTS = "interests", "Interests"
        PREFERENCES = "preferences", "Preferences"
        CONSTRAINTS = "constraints", "Constraints"
        GOALS = "goals", "Goals"
        SALARY = "salary", "Salary"
        HEALTH = "health", "Health"
        LEAVING = "leaving", "Reasons for leaving"
        OTHER = "other", "Other"

    SENSITIVE_CATEGORIES = frozenset(
        {Category.SALARY, Category.HEALTH, Category.FAMILY, Category.LEAVING}
    )

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="facts")
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.OTHER)
    text = models.TextField()
    learned_on = models.DateField(default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pinned = models.BooleanField(default=False)
    sensitive = models.BooleanField(
        default=False, help_text="Seen only by its author, the contact's owner and their manager."
    )

    class Meta:
        ordering = ["-pinned", "-learned_on", "-id"]
        indexes = [
            models.Index(
                fields=["contact", "-pinned", "-learned_on"], name="contacts_fact_contact"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text=""),
                name="contacts_fact_text_not_empty",
                violation_error_message="A fact needs some text.",
            ),
        ]

    def __str__(self) -> str:
        # Also the audit trail's name for the fact: a sensitive one's text is not written there.
        text = "(sensitive)" if self.sensitive else self.text[:60]
        return f"{self.get_category_display()}: {text}"

    def get_additional_data(self) -> dict[str, int]:
        """What the audit trail stores beside an entry (auditlog): the contact, for its History
        page, even once the fact is deleted."""
        return {"contact_id": self.contact_id}


class ContactImport(TimestampedModel):
    """An uploaded CSV kept between its preview and the confirmed import (contacts.importing).

    Uploaded, it is `reading` while the worker reads and checks it (contacts.import_preview),
    counting `rows_read` as it goes, then `previewed`, or `failed` with the `error` when the
    file cannot be read (its content let go then)."""

    class Status(models.TextChoices):
        READING = "reading", "Reading"
        PREVIEWED = "previewed", "Previewed"
        FAILED = "failed", "Failed"
        IMPORTED = "imported", "Imported"

    class OnDuplicate(models.TextChoices):
        SKIP = "skip", "Skip: leave the existing contact alone"
        UPDATE = "update", "Update: fill its blank fields, add new emails and phones"
        CREATE = "create", "Create: add a new contact anyway"

    file_name = models.CharField(max_length=255)
    # The decoded text; emptied once imported, when only the report is needed.
    content = models.TextField(blank=True)
    # One target field per column of the header ("" = not imported); see contacts.importing.
    mapping = models.JSONField(default=list, blank=True)
    on_duplicate = models.CharField(
        max_length=16, choices=OnDuplicate.choices, default=OnDuplicate.SKIP
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    # While reading: the data rows read so far, and how many there are once known (from the
    # previous preview, or at the end of the reading).
    rows_read = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    # Why a failed file could not be read ("Row 50,002: ..."); "" otherwise.
    error = models.TextField(blank=True)
    # The last preview's or the import's report: counts, issues, the first rows.
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="contact_imports",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.get_status_display()})"

    @property
    def reading_progress(self) -> str:
        """ "Reading your file… 12,000 rows so far", as the import page shows it while reading."""
        if self.rows_total is not None and self.rows_read >= self.rows_total:
            return f"Read {self.rows_total:,} rows; checking them against the contacts in Rapport…"
        if self.rows_total is not None:
            return f"Reading your file… {self.rows_read:,} of {self.rows_total:,} rows"
        if self.rows_read:
            return f"Reading your file… {self.rows_read:,} rows so far"
        return "Reading your file…"
