from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower

from core.models import TimestampedModel


class Team(TimestampedModel):
    """A desk of recruiters; managers see what their team does."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        RECRUITER = "recruiter", "Recruiter"
        MANAGER = "manager", "Manager"
        ADMIN = "admin", "Admin"

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.RECRUITER)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    # A manager's Monday email of their team's overview (dashboards.digest); their profile's toggle.
    manager_digest = models.BooleanField(
        "Weekly team digest", default=True, help_text="A manager's Monday email of the overview."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_unique_ci",
                violation_error_message="Another user already has this email address.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.is_admin or self.role == self.Role.MANAGER


class ApiToken(TimestampedModel):
    """A user's API key, sent as `Authorization: Token <key>`. Only its SHA-256 is stored: the key
    is shown once, when it is created (accounts.services.api_token_create)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What uses it, e.g. “my spreadsheet”.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The key's first characters, so its owner tells their keys apart.
    prefix = models.CharField(max_length=8, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
