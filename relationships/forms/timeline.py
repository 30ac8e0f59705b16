"""Forms of the contact page's relationship panels: quick log, tier, connections."""

import datetime as dt

from django import forms
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact
from contacts.search import contact_search
from core.forms import BootstrapForm
from relationships.models import Connection, Interaction, Relationship

# A clock a few minutes ahead of the server's is not "the future".
FUTURE_TOLERANCE = dt.timedelta(minutes=5)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class InteractionForm(BootstrapForm):
    """Log a call, an email, a meeting, a note or something else."""

    kind = forms.ChoiceField(
        label="Kind",
        choices=[(k.value, k.label) for k in Interaction.LOGGABLE_KINDS],
        initial=Interaction.Kind.CALL,
    )
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
    """`this contact <kind> other`, or the other way round. The other contact is found by typing
    a name (or an email, a company...) into `other_query`: with htmx the matches appear as the
    recruiter types; without, submitting the form shows them, and the recruiter picks one
    (`other`, a radio per match) and submits again."""

    DIRECTION_CHOICES = [
        ("from", "This contact … the other"),
        ("to", "The other … this contact"),
    ]
    MATCH_LIMIT = 8

    direction = forms.ChoiceField(label="Which way", choices=DIRECTION_CHOICES, initial="from")
    kind = forms.ChoiceField(label="How they are connected", choices=Connection.Kind.choices)
    other_query = forms.CharField(
        label="Other contact",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "placeholder": "Type a name"}
        ),
    )
    # The pick among the matches: rendered as radios by the matches partial.
    other = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, contact: Contact, **kwargs) -> None:
        kwargs.setdefault("prefix", "connection")
        super().__init__(*args, **kwargs)
        self.contact = contact
        self.matches: list[Contact] = []
        self.fields["other_query"].widget.attrs.update(
            {
                "hx-get": reverse("relationships:connection-matches", args=[contact.pk]),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": f"#connection-matches-{contact.pk}",
                "hx-swap": "innerHTML",
            }
        )

    def matches_find(self, query: str) -> list[Contact]:
        """The contacts the search finds for `query`, this contact left out."""
        found = contact_search(query=query, limit=self.MATCH_LIMIT + 1)
        return [c for c in found if c.pk != self.contact.pk][: self.MATCH_LIMIT]

    def clean(self) -> dict:
        cleaned = super().clean()
        other_id, query = cleaned.get("other"), (cleaned.get("other_query") or "").strip()
        if other_id is not None:
            if other_id == self.contact.pk:
                self.add_error("other_query", "A contact cannot be connected to themselves.")
            elif (other := Contact.objects.filter(pk=other_id).first()) is None:
                self.add_error("other_query", f"There is no contact number {other_id}.")
            else:
                cleaned["other"] = other
            return cleaned
        if not query:
            self.add_error("other_query", "Type the other contact's name, then pick them.")
            return cleaned
        self.matches = self.matches_find(query)
        if self.matches:
            self.add_error("other_query", "Pick the contact among the matches.")
        else:
            self.add_error("other_query", f"Nobody matches “{query}”.")
        return cleaned

    def connection_ends(self) -> tuple[Contact, Contact]:
        """(from_contact, to_contact) for the service."""
        other = self.cleaned_data["other"]
        if self.cleaned_data["direction"] == "from":
            return self.contact, other
        return other, self.contact
