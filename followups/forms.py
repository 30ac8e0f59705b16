from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from core.forms import BootstrapForm
from followups.models import FollowUp, MessageKind, Policy


class FollowUpForm(BootstrapForm):
    summary = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=FollowUp.Kind.choices, initial=FollowUp.Kind.CALL)
    due_at = forms.DateTimeField(
        label="Due", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class FollowUpCompleteForm(BootstrapForm):
    outcome = forms.CharField(max_length=2000, label="Outcome")


SNOOZE_HOUR = 9
SNOOZE_PRESETS = {
    # name: (label, days from today to the day it wakes, at SNOOZE_HOUR local time)
    "tomorrow": ("Tomorrow 9:00", lambda today: 1),
    "monday": ("Next Monday", lambda today: 7 - today.weekday()),
    "week": ("In a week", lambda today: 7),
}


def snooze_preset_until(name: str, *, now: datetime | None = None) -> datetime:
    """When a one-click snooze wakes: 9:00 local time tomorrow, next Monday or a week on."""
    local = timezone.localtime(now or timezone.now())
    day = local.date() + timedelta(days=SNOOZE_PRESETS[name][1](local.date()))
    return timezone.make_aware(datetime.combine(day, time(SNOOZE_HOUR)))


class FollowUpSnoozeForm(BootstrapForm):
    """Snooze to a chosen moment, or with one click to a preset (computed when it is posted)."""

    until = forms.DateTimeField(
        label="Snooze until",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    preset = forms.ChoiceField(
        choices=[(name, label) for name, (label, _) in SNOOZE_PRESETS.items()], required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("preset"):
            cleaned["until"] = snooze_preset_until(cleaned["preset"])
        elif not cleaned.get("until") and "until" not in self.errors:
            self.add_error("until", "Choose when to be reminded again.")
        return cleaned


class MessageEditForm(BootstrapForm):
    subject = forms.CharField(max_length=300)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), label="Text")


class MessageSkipForm(BootstrapForm):
    reason = forms.CharField(max_length=500, label="Why skip it?")


class TemplateForm(BootstrapForm):
    kind = forms.ChoiceField(choices=MessageKind.choices, widget=forms.HiddenInput)
    subject = forms.CharField(max_length=300)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), label="Text")
    html = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="HTML", required=False)


class PolicyForm(BootstrapForm):
    update_cadence_days = forms.IntegerField(min_value=1, label="Candidate update cadence (days)")
    review_window_hours = forms.IntegerField(min_value=0, label="Review window (hours)")
    closure_undo_minutes = forms.IntegerField(min_value=0, label="Closure undo window (minutes)")
    closure_deadline_hours = forms.IntegerField(min_value=1, label="Closure deadline (hours)")
    digest_cadence_days = forms.IntegerField(min_value=1, label="Client digest cadence (days)")
    chase_client_days = forms.IntegerField(min_value=1, label="Chase the client after (days)")
    max_attempts = forms.IntegerField(min_value=1, label="Send attempts")

    @classmethod
    def for_policy(cls, policy: Policy) -> "PolicyForm":
        return cls(initial={name: getattr(policy, name) for name in cls.base_fields})


class JobPolicyForm(BootstrapForm):
    """A job's overrides; a blank field follows the agency's policy."""

    update_cadence_days = forms.IntegerField(
        min_value=1, required=False, label="Candidate update cadence (days)"
    )
    digest_cadence_days = forms.IntegerField(
        min_value=1, required=False, label="Client digest cadence (days)"
    )
    chase_client_days = forms.IntegerField(
        min_value=1, required=False, label="Chase the client after (days)"
    )

    @classmethod
    def for_job_policy(cls, override) -> "JobPolicyForm":
        if override is None:
            return cls()
        return cls(initial={name: getattr(override, name) for name in cls.base_fields})


class OneOffEmailForm(BootstrapForm):
    subject = forms.CharField(max_length=300)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Email")
