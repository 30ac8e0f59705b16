"""Forms of the contact list and of the new-contact page: the relationship's side of them."""

from typing import Any

from django import forms

from accounts.models import User
from accounts.selectors import recruiter_list
from contacts.forms.contact import ContactForm
from contacts.models import Contact
from core.forms import BootstrapForm
from relationships.models import Relationship
from relationships.selectors import ContactFilters

OWNER_ANYONE = ""
OWNER_ME = "me"
OWNER_NOBODY = "none"


class ContactNewForm(ContactForm):
    tier = forms.ChoiceField(
        choices=Relationship.Tier.choices,
        initial=Relationship.Tier.B,
        help_text="How often you mean to be in touch.",
    )
    # Shown only once duplicates have been offered.
    create_anyway = forms.BooleanField(
        label="Create anyway: this is a different person", required=False
    )


class ContactFilterForm(BootstrapForm):
    """The contact list's GET filters. An invalid value is reported and that filter ignored."""

    owner = forms.ChoiceField(required=False)
    role = forms.ChoiceField(choices=[("", "Any role"), *Contact.Role.choices], required=False)
    tag = forms.CharField(max_length=50, required=False)
    tier = forms.ChoiceField(choices=[("", "Any tier"), *Relationship.Tier.choices], required=False)
    overdue = forms.BooleanField(label="Overdue touch only", required=False)
    organization = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["owner"].choices = [
            (OWNER_ANYONE, "Anyone"),
            (OWNER_ME, "Me"),
            (OWNER_NOBODY, "Nobody"),
            ("Recruiters", [(str(r.pk), str(r)) for r in recruiter_list()]),
        ]
        self.fields["owner"].error_messages["invalid_choice"] = (
            "Choose an owner from the list: %(value)s is not an active user."
        )

    def filters(self) -> ContactFilters:
        """The valid filters (call after is_valid(); fields with errors are left out)."""
        data = getattr(self, "cleaned_data", {})
        owner: int | str | None = None
        chosen = data.get("owner") or OWNER_ANYONE
        if chosen == OWNER_ME:
            owner = self.user.pk
        elif chosen == OWNER_NOBODY:
            owner = OWNER_NOBODY
        elif chosen:
            owner = int(chosen)
        return ContactFilters(
            owner=owner,
            role=data.get("role") or "",
            tag=(data.get("tag") or "").strip(),
            tier=data.get("tier") or "",
            overdue=bool(data.get("overdue")),
            organization=data.get("organization"),
        )
