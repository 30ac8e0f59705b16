"""The dashboards' filter: whose figures (the scope picker) and over which period."""

import datetime as dt

from django import forms

from core.forms import BootstrapForm
from dashboards.permissions import ScopeChoice
from dashboards.selectors import Period

MAX_CUSTOM_DAYS = 400


class DashboardFilterForm(BootstrapForm):
    scope = forms.ChoiceField(label="Whose figures", required=False)
    period = forms.ChoiceField(label="Period", choices=Period.CHOICES, required=False)
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To (included)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, scope_choices: list[ScopeChoice] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [(choice.param, choice.label) for choice in scope_choices]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("period") == Period.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                self.add_error("start", "Give both dates of a custom period.")
            elif end < start:
                self.add_error("end", "The period ends before it starts.")
            elif (end - start).days > MAX_CUSTOM_DAYS:
                self.add_error("end", f"A custom period is at most {MAX_CUSTOM_DAYS} days.")
        return data

    def period_for(self, now: dt.datetime) -> Period:
        """The chosen period; this week when nothing (valid) was chosen."""
        data = self.cleaned_data if self.is_valid() else {}
        return Period.named(
            data.get("period") or Period.WEEK,
            now=now,
            first_day=data.get("start"),
            last_day=data.get("end"),
        )


class DigestSettingsForm(BootstrapForm):
    manager_digest = forms.BooleanField(
        label="Email me my team's overview every Monday morning", required=False
    )
