"""Forms of the contact page's relationship panels: quick log, tier, connections."""

import datetime as dt

from django import forms
from django.utils import timezone

from contacts.models import Contact
from core.forms import BootstrapForm
from relationships.models import Connection, Interaction, Relationship

# A clock a few minutes ahead of the server's is not "the future".
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
LOGGABLE_KINDS = [
    (kind.value, kind.label)
    for kind in (
        Interaction.Kind.CALL,
        Interaction.Kind.EMAIL,
        Interaction.Kind.MEETING,
        Interaction.Kind.NOTE,
    )
]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class InteractionForm(BootstrapForm):
    """Log a call, an email, a meeting or a note."""

    kind = forms.ChoiceField(label="Kind", choices=LOGGABLE_KINDS, initial=Interaction.Kind.CALL)
    direction = forms.ChoiceField(
        choices=Interaction.Direction.choices, initial=Interaction.Direction.OUTBOUND
    )
    summary = forms.CharField(
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "What was it about?"}),
        error_messages={"required": "Say in a few words what it was about."},
    )
    body = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    occurred_at = forms.DateTimeField(
        label="When",
        required=False,
        widget=DateTimeInput(),
        help_text="Leave empty for now.",
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "log")
        super().__init__(*args, **kwargs)

    def clean_occurred_at(self) -> dt.datetime | None:
        occurred_at = self.cleaned_data["occurred_at"]
        if occurred_at and occurred_at > timezone.now() + FUTURE_TOLERANCE:
            raise forms.ValidationError("Log what happened: this time is in the future.")
        return occurred_at


class RelationshipTierForm(BootstrapForm):
    tier = forms.ChoiceField(choices=Relationship.Tier.choices)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "tier")
        super().__init__(*args, **kwargs)


class ConnectionForm(BootstrapForm):
    """`this contact <kind> other`, or the other way round."""

    DIRECTION_CHOICES = [
        ("from", "This contact … the other"),
        ("to", "The other … this contact"),
    ]

    direction = forms.ChoiceField(label="Which way", choices=DIRECTION_CHOICES, initial="from")
    kind = forms.ChoiceField(label="How they are connected", choices=Connection.Kind.choices)
    other = forms.IntegerField(
        label="Other contact's number",
        min_value=1,
        help_text="The number in their page's address: /contacts/<number>/.",
        error_messages={"required": "Give the other contact's number."},
    )
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, contact: Contact, **kwargs) -> None:
        kwargs.setdefault("prefix", "connection")
        super().__init__(*args, **kwargs)
        self.contact = contact

    def clean_other(self) -> Contact:
        other_id = self.cleaned_data["other"]
        if other_id == self.contact.pk:
            raise forms.ValidationError("A contact cannot be connected to themselves.")
        other = Contact.objects.filter(pk=other_id).first()
        if other is None:
            raise forms.ValidationError(f"There is no contact number {other_id}.")
        return other

    def connection_ends(self) -> tuple[Contact, Contact]:
        """(from_contact, to_contact) for the service."""
        other = self.cleaned_data["other"]
        if self.cleaned_data["direction"] == "from":
            return self.contact, other
        return other, self.contact
