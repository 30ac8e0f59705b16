"""The organization form.

Templates render a field with `contacts/partials/form_field.html`, its errors next to it.
"""

from django import forms

from contacts.models import Organization
from contacts.normalize import domain_normalize
from core.forms import BootstrapForm


class OrganizationForm(BootstrapForm):
    name = forms.CharField(
        max_length=200, error_messages={"required": "An organization needs a name."}
    )
    kind = forms.ChoiceField(choices=Organization.Kind.choices, initial=Organization.Kind.CLIENT)
    domain = forms.CharField(
        max_length=253, required=False, help_text="The address of their email, e.g. acme.com."
    )
    website = forms.URLField(required=False, assume_scheme="https")
    industry = forms.CharField(max_length=100, required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_domain(self) -> str:
        domain = domain_normalize(self.cleaned_data["domain"])
        if domain and Organization.objects.filter(domain=domain).exists():
            raise forms.ValidationError(f"Another organization already has the domain {domain}.")
        return domain
