from django import forms

from core.forms import BootstrapForm
from market.models import CURRENCIES, MarketNote
from market.selectors import NoteFilters

STATES = [
    ("", "Current"),
    ("fresh", "Fresh"),
    ("stale", "Due for review"),
    ("review", "Mine to review"),
    ("mine", "Mine"),
    ("retired", "Retired"),
]


class NoteFilterForm(BootstrapForm):
    kind = forms.ChoiceField(choices=[("", "Any kind"), *MarketNote.Kind.choices], required=False)
    tag = forms.CharField(required=False, max_length=50)
    state = forms.ChoiceField(choices=STATES, required=False)

    def filters(self) -> NoteFilters:
        if not self.is_valid():
            return NoteFilters()
        return NoteFilters(**self.cleaned_data)


class NoteForm(BootstrapForm):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=MarketNote.Kind.choices)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="Plain text; **bold**, *emphasis*, [links](https://…).",
    )
    tags = forms.CharField(
        required=False, max_length=1000, help_text="Comma-separated: python, berlin, fintech."
    )
    true_as_of = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    review_by = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Empty: 90 days after the date it is true as of.",
    )
    source = forms.CharField(required=False, max_length=300)
    source_url = forms.CharField(required=False, max_length=500, label="Source address")
    visibility = forms.ChoiceField(choices=MarketNote.Visibility.choices)
    role = forms.CharField(required=False, max_length=200, label="Salary: role")
    seniority = forms.CharField(required=False, max_length=100)
    region = forms.CharField(required=False, max_length=100)
    currency = forms.ChoiceField(choices=[("", "—"), *[(c, c) for c in CURRENCIES]], required=False)
    period = forms.ChoiceField(choices=[("", "—"), *MarketNote.Period.choices], required=False)
    p25 = forms.IntegerField(required=False, min_value=0, label="25th percentile")
    median = forms.IntegerField(required=False, min_value=0)
    p75 = forms.IntegerField(required=False, min_value=0, label="75th percentile")
    sample_size = forms.IntegerField(required=False, min_value=0)

    def clean_tags(self) -> list[str]:
        return [tag for tag in self.cleaned_data["tags"].split(",") if tag.strip()]

    @classmethod
    def initial_from(cls, note: MarketNote) -> dict:
        initial = {name: getattr(note, name) for name in cls.base_fields}
        initial["tags"] = ", ".join(note.tags)
        return initial
