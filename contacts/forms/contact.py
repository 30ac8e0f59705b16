"""The contact form shared by "new contact" (relationships adds the tier) and "edit contact"."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from contacts import services
from contacts.models import Contact
from contacts.selectors import DuplicateMatch, contact_duplicate_match_list
from core.forms import BootstrapForm

LIST_SEPARATORS = re.compile(r"[\n,;]+")


def split_lines(value: str, separators: re.Pattern[str]) -> list[str]:
    return [part.strip() for part in separators.split(value or "") if part.strip()]


class ContactForm(BootstrapForm):
    # Where a service's error on a model field is shown ("name": the organization's).
    service_field_names = {"organization": "organization_name", "name": "organization_name"}

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100, required=False)
    emails = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line or separated by commas; the first is the one we write to.",
    )
    phones = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line or separated by commas.",
    )
    linkedin_url = forms.CharField(
        label="LinkedIn URL",
        max_length=300,
        required=False,
        help_text="e.g. https://www.linkedin.com/in/ana-smith",
    )
    title = forms.CharField(max_length=200, required=False)
    organization_name = forms.CharField(
        label="Organization",
        max_length=200,
        required=False,
        help_text="An existing organization's name, or a new one to add as a prospect.",
    )
    roles = forms.MultipleChoiceField(
        choices=Contact.Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.CharField(max_length=500, required=False, help_text="Separated by commas.")
    source = forms.CharField(max_length=100, required=False, help_text="Where we met them.")
    location = forms.CharField(max_length=200, required=False)
    email_opt_out = forms.BooleanField(
        label="Email opt-out", required=False, help_text="No automatic emails."
    )
    do_not_contact = forms.BooleanField(required=False, help_text="No contact at all.")
    lawful_basis = forms.ChoiceField(
        choices=Contact.LawfulBasis.choices,
        initial=Contact.LawfulBasis.LEGITIMATE_INTEREST,
        required=False,
        help_text="Why we may keep their details: our legitimate interest as recruiters, their "
        "consent, or a contract with them.",
    )
    lawful_basis_on = forms.DateField(
        label="Lawful basis since",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="A new contact's is today when blank.",
    )
    lawful_basis_source = forms.CharField(
        label="Lawful basis source",
        max_length=200,
        required=False,
        help_text="Who or what says so, e.g. “consent form at the fair”. Blank: added by you.",
    )

    def clean_lawful_basis_on(self):
        basis_on = self.cleaned_data["lawful_basis_on"]
        if basis_on and basis_on > timezone.localdate():
            raise ValidationError("A lawful basis cannot start in the future.")
        return basis_on

    def clean_emails(self) -> list[str]:
        return split_lines(self.cleaned_data["emails"], LIST_SEPARATORS)

    def clean_phones(self) -> list[str]:
        return split_lines(self.cleaned_data["phones"], LIST_SEPARATORS)

    def clean_tags(self) -> list[str]:
        tags = split_lines(self.cleaned_data["tags"], LIST_SEPARATORS)
        too_long = [tag for tag in tags if len(tag) > 50]
        if too_long:
            raise ValidationError(f"Tags are at most 50 characters: {too_long[0]!r} is longer.")
        return list(dict.fromkeys(tag.lower() for tag in tags))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Validate identities as the service will, so a bad one shows next to its field.
        identities = {
            key: cleaned[key] for key in ("emails", "phones", "linkedin_url") if key in cleaned
        }
        try:
            normalised = services.contact_clean_identities(**identities)
        except ValidationError as error:
            self.add_service_errors(error)
        else:
            for key in identities:
                cleaned[key] = normalised[key]
        return cleaned

    def contact_fields(self) -> dict[str, Any]:
        """The cleaned values as contact_create / contact_update take them (no organization)."""
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "emails": data["emails"],
            "phones": data["phones"],
            "linkedin_url": data["linkedin_url"],
            "title": data["title"].strip(),
            "roles": data["roles"],
            "tags": data["tags"],
            "source": data["source"],
            "location": data["location"],
            "email_opt_out": data["email_opt_out"],
            "do_not_contact": data["do_not_contact"],
            **self.lawful_basis_fields(),
        }

    def lawful_basis_fields(self) -> dict[str, Any]:
        """The lawful basis as given: a field left out (or a blank basis or date) is not
        given, so the service's default holds (new) or the contact's stays (edit)."""
        given = {}
        for name in ("lawful_basis", "lawful_basis_on", "lawful_basis_source"):
            value = self.cleaned_data.get(name)
            if self.add_prefix(name) in self.data and (value or name == "lawful_basis_source"):
                given[name] = value
        return given

    def duplicate_matches(self, *, exclude_id: int | None = None) -> list[DuplicateMatch]:
        data = self.cleaned_data
        return contact_duplicate_match_list(
            emails=data["emails"],
            phones=data["phones"],
            linkedin_url=data["linkedin_url"],
            exclude_id=exclude_id,
        )


class ContactEditForm(ContactForm):
    moved_on = forms.DateField(
        label="Moved on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When the organization or title changed: the career history is dated by it.",
    )

    def __init__(self, *args: Any, contact: Contact, **kwargs: Any) -> None:
        self.contact = contact
        kwargs.setdefault("initial", self.contact_initial(contact))
        super().__init__(*args, **kwargs)

    @staticmethod
    def contact_initial(contact: Contact) -> dict[str, Any]:
        return {
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "emails": "\n".join(contact.emails),
            "phones": "\n".join(contact.phones),
            "linkedin_url": contact.linkedin_url,
            "title": contact.title,
            "organization_name": contact.organization.name if contact.organization else "",
            "roles": list(contact.roles),
            "tags": ", ".join(contact.tags),
            "source": contact.source,
            "location": contact.location,
            "email_opt_out": contact.email_opt_out,
            "do_not_contact": contact.do_not_contact,
            "lawful_basis": contact.lawful_basis,
            "lawful_basis_on": contact.lawful_basis_on,
            "lawful_basis_source": contact.lawful_basis_source,
            "moved_on": timezone.localdate(),
        }

    def changes(self) -> dict[str, Any]:
        """Only what differs from the contact, for contacts.services.contact_update. May create
        the named organization: call inside the update's transaction."""
        contact = self.contact
        changes = {}
        for field, value in self.contact_fields().items():
            current = getattr(contact, field)
            if field == "roles":
                differs = set(value) != set(current)
            elif isinstance(value, str):
                differs = value.strip() != current
            else:
                differs = value != current
            if differs:
                changes[field] = value
        name = self.cleaned_data["organization_name"].strip()
        current_org = contact.organization
        if not name:
            if current_org is not None:
                changes["organization"] = None
        elif current_org is None or current_org.name.lower() != name.lower():
            organization = services.organization_get_or_create(name=name)
            if organization != current_org:
                changes["organization"] = organization
        return changes
