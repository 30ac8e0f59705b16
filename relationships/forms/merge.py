"""The merge flow's form: which of the two contacts is kept."""

from typing import Any

from django import forms

from contacts.models import Contact
from core.forms import BootstrapForm


class MergeForm(BootstrapForm):
    """Which of the two contacts survives; the other is folded into it and deleted."""

    survivor = forms.TypedChoiceField(
        label="Keep",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose which of the two contacts is kept.",
            "invalid_choice": "Choose which of the two contacts is kept.",
        },
    )

    def __init__(self, *args: Any, contact: Contact, other: Contact, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"survivor": contact.pk})
        super().__init__(*args, **kwargs)
        self.pair = {contact.pk: contact, other.pk: other}
        self.fields["survivor"].choices = [
            (str(c.pk), f"{c.full_name} (#{c.pk})") for c in (contact, other)
        ]
        self.fields["survivor"].widget.attrs["class"] = "form-check-input"

    def survivor_and_duplicate(self) -> tuple[Contact, Contact]:
        survivor_id = self.cleaned_data["survivor"]
        (duplicate,) = (c for pk, c in self.pair.items() if pk != survivor_id)
        return self.pair[survivor_id], duplicate
