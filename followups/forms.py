from django import forms

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


class FollowUpSnoozeForm(BootstrapForm):
    until = forms.DateTimeField(
        label="Snooze until", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


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
