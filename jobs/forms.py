"""The jobs pages' forms. Services do the checking; their errors land next to the fields."""

from collections.abc import Mapping
from typing import Any

from django import forms

from accounts.models import User
from contacts.models import Contact, Organization
from core.forms import BootstrapForm
from jobs.models import Candidacy, Feedback, IntakeItem, Job
from jobs.selectors import BOARD_STAGES, JobFilters
from jobs.services.splitting import ROUTE_A, ROUTE_B, ROUTE_BOTH

CHOICE_LIMIT = 200


class JobFilterForm(BootstrapForm):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Job.Status.choices], required=False, label="Status"
    )
    owner = forms.ChoiceField(required=False, label="Owner")
    organization = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    stalled = forms.BooleanField(required=False, label="Stalled only")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        recruiters = User.objects.filter(is_active=True).order_by("first_name", "username")
        self.fields["owner"].choices = [
            ("", "Anyone"),
            ("me", "Me"),
            *[(str(u.pk), str(u)) for u in recruiters[:CHOICE_LIMIT]],
        ]
        self.user = user

    def filters(self) -> JobFilters:
        data = self.cleaned_data if self.is_valid() else {}
        owner = data.get("owner") or None
        return JobFilters(
            status=data.get("status", ""),
            owner=self.user.pk if owner == "me" else (int(owner) if owner else None),
            organization=data.get("organization"),
            stalled=data.get("stalled", False),
        )


class JobForm(BootstrapForm):
    title = forms.CharField(max_length=200)
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="Client", empty_label="Choose the client"
    )
    openings = forms.IntegerField(min_value=1, initial=1)
    location = forms.CharField(max_length=200, required=False)
    compensation_min = forms.IntegerField(min_value=0, required=False, label="Pay from")
    compensation_max = forms.IntegerField(min_value=0, required=False, label="Pay up to")
    currency = forms.CharField(max_length=3, required=False, initial="EUR")
    client_alias = forms.CharField(
        max_length=200,
        required=False,
        label="Confidential alias",
        help_text="Candidate-facing messages use this instead of the client's name.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.defer("search_vector").order_by(
            "name", "id"
        )


class IntakeForm(BootstrapForm):
    """One text area per intake kind, one item per line."""

    signed_off_on = forms.DateField(
        required=False,
        label="Client signed off on",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, job: Job | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in IntakeItem.Kind:
            self.fields[kind.value] = forms.CharField(
                label=kind.label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="One per line." if kind in IntakeItem.CRITERION_KINDS else "",
            )
        # BootstrapForm styled the fields it saw; style the ones added here.
        for kind in IntakeItem.Kind:
            self.fields[kind.value].widget.attrs["class"] = "form-control"
        if job is not None and not self.is_bound:
            for kind in IntakeItem.Kind:
                texts = [item.text for item in job.intake_items.all() if item.kind == kind]
                self.initial[kind.value] = "\n".join(texts)
            self.initial["signed_off_on"] = job.intake_signed_off_on

    def items(self) -> dict[str, list[str]]:
        return {
            kind.value: [line for line in self.cleaned_data[kind.value].splitlines() if line]
            for kind in IntakeItem.Kind
        }


class JobOpenForm(BootstrapForm):
    override_reason = forms.CharField(
        required=False,
        label="Reason to open with an incomplete intake",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class JobCloseForm(BootstrapForm):
    status = forms.ChoiceField(
        choices=[(Job.Status.FILLED, "Filled"), (Job.Status.CANCELLED, "Cancelled")],
        label="Close as",
    )
    reason = forms.CharField(required=False, max_length=500)


class CandidacyMoveForm(BootstrapForm):
    stage = forms.ChoiceField(
        choices=[(s.value, s.label) for s in Candidacy.Stage], label="Move to"
    )


class CandidacyCloseForm(BootstrapForm):
    outcome = forms.ChoiceField(
        choices=[
            (o.value, o.label)
            for o in Candidacy.Outcome
            if o not in (Candidacy.Outcome.JOB_FILLED, Candidacy.Outcome.JOB_CANCELLED)
        ],
        label="Close as",
    )
    reason = forms.CharField(required=False, max_length=500, label="Reason")


class CandidacyAddForm(BootstrapForm):
    job = forms.ModelChoiceField(queryset=Job.objects.none(), empty_label="Choose a job")
    stage = forms.ChoiceField(
        choices=[(s.value, s.label) for s in BOARD_STAGES], initial=Candidacy.Stage.SOURCED
    )
    # Set by "Add a new candidacy" when they had one for the job, closed (instead of reopening).
    again = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, jobs: list[Job] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = jobs or []
        self.fields["job"].queryset = Job.objects.filter(pk__in=[job.pk for job in choices])
        self.fields["job"].choices = [("", "Choose a job")] + [
            (job.pk, f"{job.title} · {job.organization.name}") for job in choices
        ]


class FeedbackForm(BootstrapForm):
    candidacy = forms.ModelChoiceField(queryset=Candidacy.objects.none(), label="Candidate")
    interviewer = forms.ModelChoiceField(queryset=Contact.objects.none())
    recommendation = forms.ChoiceField(choices=Feedback.Recommendation.choices)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self,
        *args: Any,
        candidacies: list[Candidacy],
        interviewers: list[Contact],
        criteria: list[IntakeItem],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["candidacy"].queryset = Candidacy.objects.filter(
            pk__in=[c.pk for c in candidacies]
        )
        self.fields["candidacy"].choices = [("", "Choose the candidate")] + [
            (c.pk, f"{c.contact} ({c.get_stage_display().lower()})") for c in candidacies
        ]
        self.fields["interviewer"].queryset = Contact.objects.filter(
            pk__in=[c.pk for c in interviewers]
        )
        self.fields["interviewer"].choices = [("", "Choose the interviewer")] + [
            (c.pk, str(c)) for c in interviewers
        ]
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.text,
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "Not scored"), *[(n, str(n)) for n in range(1, 6)]],
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def scores(self) -> dict[int, int]:
        return {
            criterion.pk: self.cleaned_data[f"score_{criterion.pk}"]
            for criterion in self.criteria
            if self.cleaned_data.get(f"score_{criterion.pk}") is not None
        }


class JobSplitForm(BootstrapForm):
    title_a = forms.CharField(max_length=200, label="First job")
    title_b = forms.CharField(max_length=200, label="Second job")

    ROUTE_CHOICES = [(ROUTE_A, "First job"), (ROUTE_B, "Second job"), (ROUTE_BOTH, "Both")]

    def __init__(
        self,
        *args: Any,
        job: Job,
        candidacies: list[Candidacy],
        profiles: list[str] | None = None,
        hints: Mapping[int, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """`profiles`: the two people the interviewers want (jobs.divergence), which name the
        new jobs; without them the names only tell the two apart. `hints`: candidacy id -> the
        route its scores point to (jobs.scorecards.RouteHint), pre-selected, with why and the
        scorecards beside the candidate."""
        super().__init__(*args, **kwargs)
        self.candidacies = candidacies
        if not self.is_bound:
            profiles = profiles or []
            first, second = profiles[:2] if len(profiles) >= 2 else ("A", "B")
            limit = self.fields["title_a"].max_length - len(max(first, second, key=len)) - 3
            title = job.title[:limit].rstrip()
            self.initial.update(title_a=f"{title} — {first}", title_b=f"{title} — {second}")
        for candidacy in candidacies:
            self.fields[f"route_{candidacy.pk}"] = forms.ChoiceField(
                label=f"{candidacy.contact} ({candidacy.get_stage_display().lower()})",
                choices=self.ROUTE_CHOICES,
                initial=ROUTE_A,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
        for pk, hint in (hints or {}).items():
            if f"route_{pk}" in self.fields:
                self.fields[f"route_{pk}"].initial = hint.route
                self.fields[f"route_{pk}"].help_text = hint.text

    def route_fields(self) -> list[forms.BoundField]:
        return [self[f"route_{candidacy.pk}"] for candidacy in self.candidacies]

    def routes(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"route_{c.pk}"] for c in self.candidacies}
