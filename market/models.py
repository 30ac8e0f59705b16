"""Market knowledge: notes on trends, salaries, hiring news, process and timing, regulation, each
true as of a date and due for review by another. A salary note carries a structured range
(p25 / median / p75 with its sample and source), never a single number.

Notes are matched to contacts and jobs by tags (lowercase strings, GIN-indexed) against their
tags, locations and client industries: see market.selectors."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.models import TimestampedModel

REVIEW_AFTER = datetime.timedelta(days=90)

# ISO 4217 codes a salary fact may be in; anything else is refused.
CURRENCIES = (
    "AUD", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF", "INR", "JPY",
    "MXN", "NOK", "NZD", "PLN", "RON", "SEK", "SGD", "USD", "ZAR",
)  # fmt: skip

http_url_validator = URLValidator(
    schemes=["http", "https"], message="Enter an address starting with http:// or https://."
)


def tags_normalize(tags: list[str] | tuple[str, ...]) -> list[str]:
    """Lowercase, trimmed, without blanks or repeats, in the order given."""
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = " ".join(str(tag).split()).lower()
        if cleaned:
            seen.setdefault(cleaned[:50], None)
    return list(seen)


class MarketNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MarketNoteQuerySet":
        """Agency notes, the user's team's notes and the user's own (private ones included)."""
        condition = Q(visibility=MarketNote.Visibility.AGENCY) | Q(author_id=user.pk)
        if user.team_id is not None:
            condition |= Q(visibility=MarketNote.Visibility.TEAM, team_id=user.team_id)
        return self.filter(condition)

    def fresh(self, today: datetime.date | None = None) -> "MarketNoteQuerySet":
        """Not retired and not past its review date."""
        today = today or timezone.localdate()
        return self.filter(retired_at__isnull=True, review_by__gte=today)

    def stale(self, today: datetime.date | None = None) -> "MarketNoteQuerySet":
        """Not retired, and past its review date."""
        today = today or timezone.localdate()
        return self.filter(retired_at__isnull=True, review_by__lt=today)


class MarketNote(TimestampedModel):
    class Kind(models.TextChoices):
        TREND = "trend", "Trend"
        SALARY = "salary", "Salary"
        HIRING_NEWS = "hiring_news", "Hiring news"
        PROCESS = "process", "Process and timing"
        REGULATION = "regulation", "Regulation"

    class Visibility(models.TextChoices):
        AGENCY = "agency", "Everyone in the agency"
        TEAM = "team", "My team"
        PRIVATE = "private", "Only me"

    class Period(models.TextChoices):
        YEAR = "year", "per year"
        MONTH = "month", "per month"
        DAY = "day", "per day"
        HOUR = "hour", "per hour"

    title = models.CharField(max_length=200)
    body = models.TextField(
        blank=True, help_text="Plain text; **bold**, *emphasis*, [links](https://…)."
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TREND)
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True)
    source = models.CharField(max_length=300, blank=True)
    source_url = models.CharField(max_length=500, blank=True, validators=[http_url_validator])
    true_as_of = models.DateField()
    review_by = models.DateField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="market_notes"
    )
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.AGENCY
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    # A salary fact (kind salary): a range, with what it is the range of.
    role = models.CharField(max_length=200, blank=True)
    seniority = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    period = models.CharField(max_length=8, choices=Period.choices, blank=True)
    p25 = models.PositiveIntegerField(null=True, blank=True)
    median = models.PositiveIntegerField(null=True, blank=True)
    p75 = models.PositiveIntegerField(null=True, blank=True)
    sample_size = models.PositiveIntegerField(null=True, blank=True)

    objects = MarketNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-true_as_of", "-id"]
        indexes = [
            GinIndex(fields=["tags"], name="market_note_tags_gin", fastupdate=False),
            models.Index(fields=["author", "review_by"], name="market_note_author_review"),
            models.Index(fields=["-true_as_of", "-id"], name="market_note_as_of"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_by__gte=models.F("true_as_of")),
                name="market_note_review_after_as_of",
                violation_error_message=(
                    "The review date is before the date the note is true as of."
                ),
            ),
            models.CheckConstraint(
                condition=Q(visibility="team", team__isnull=False)
                | (~Q(visibility="team") & Q(team__isnull=True)),
                name="market_note_team_visibility",
                violation_error_message="A team note names its team, and only a team note does.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="salary")
                | Q(
                    p25__isnull=False,
                    median__isnull=False,
                    p75__isnull=False,
                    p25__lte=models.F("median"),
                    median__lte=models.F("p75"),
                ),
                name="market_note_salary_range",
                violation_error_message="A salary fact has p25 ≤ median ≤ p75.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_salary(self) -> bool:
        return self.kind == self.Kind.SALARY

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def is_stale(self, today: datetime.date | None = None) -> bool:
        return self.review_by < (today or timezone.localdate())

    def save(self, *args, **kwargs) -> None:
        if self.review_by is None and self.true_as_of is not None:
            self.review_by = self.true_as_of + REVIEW_AFTER
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.tags = tags_normalize(self.tags or [])
        self.currency = self.currency.strip().upper()
        if self.review_by is None and self.true_as_of is not None:
            self.review_by = self.true_as_of + REVIEW_AFTER
        errors: dict[str, list[str]] = {}
        if self.true_as_of and self.review_by and self.review_by < self.true_as_of:
            errors.setdefault("review_by", []).append(
                "The review date is before the date the note is true as of."
            )
        if self.visibility == self.Visibility.TEAM and self.team_id is None:
            errors.setdefault("visibility", []).append("A team note needs a team.")
        if self.visibility != self.Visibility.TEAM:
            self.team = None
        if self.kind == self.Kind.SALARY:
            self._clean_salary(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_salary(self, errors: dict[str, list[str]]) -> None:
        for name in ("role", "region", "currency", "period"):
            if not getattr(self, name):
                errors.setdefault(name, []).append("A salary fact needs this.")
        if self.currency and self.currency not in CURRENCIES:
            errors.setdefault("currency", []).append(
                f"{self.currency} is not a currency we know (ISO 4217, e.g. EUR)."
            )
        for name in ("p25", "median", "p75"):
            if getattr(self, name) is None:
                errors.setdefault(name, []).append("A salary fact needs this.")
        if self.p25 is not None and self.median is not None and self.p25 > self.median:
            errors.setdefault("p25", []).append("The 25th percentile is above the median.")
        if self.median is not None and self.p75 is not None and self.median > self.p75:
            errors.setdefault("p75", []).append("The 75th percentile is below the median.")
        if not self.source and not self.source_url:
            errors.setdefault("source", []).append("A salary fact names its source.")
