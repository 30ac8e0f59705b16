"""The contact page's quick action: remember a fact.

Templates render a field with `contacts/partials/form_field.html`, its errors next to it.
"""

from django import forms
from django.utils import timezone

from contacts.models import Fact
from core.forms import BootstrapForm

FACT_TEXT_LIMIT = 2000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FactForm(BootstrapForm):
    category = forms.ChoiceField(choices=Fact.Category.choices, initial=Fact.Category.OTHER)
    text = forms.CharField(
        label="Remember a fact",
        max_length=FACT_TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Daughter starts school in May"}),
        error_messages={"required": "Write down what you learned."},
    )
    learned_on = forms.DateField(
        label="Learned on", required=False, initial=timezone.localdate, widget=DateInput()
    )
    pinned = forms.BooleanField(label="Pin to the top", required=False)
    sensitive = forms.BooleanField(
        label="Sensitive",
        required=False,
        help_text="Only you, the contact's owner and their manager see it. Salary, health, "
        "family and reasons for leaving always are.",
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "fact")
        super().__init__(*args, **kwargs)

    def clean_sensitive(self) -> bool | None:
        # Unticked: the category decides (contacts.services.fact_create).
        return True if self.cleaned_data["sensitive"] else None

    def clean_learned_on(self):
        learned_on = self.cleaned_data["learned_on"]
        if learned_on and learned_on > timezone.localdate():
            raise forms.ValidationError("A fact cannot be learned in the future.")
        return learned_on
