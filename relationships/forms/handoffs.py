"""The new-handoff form and its confirm step's preview."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import cached_property

from accounts.models import User
from accounts.selectors import recruiter_list, user_list
from contacts.models import Contact
from core.forms import BootstrapForm
from relationships import services
from relationships.selectors.handoffs import (
    ContactOptions,
    handoff_contact_option_list,
    relationship_owned_count,
)

SCOPE_SELECTION = "selection"
SCOPE_ALL = "all"


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _user_label(user: User) -> str:
    return str(user) if user.is_active else f"{user} (inactive)"


@dataclass
class HandoffPreview:
    """What a confirmed handoff will move: `count` relationships, the first of them by name."""

    count: int
    contacts: list[Contact]
    more: int


class HandoffForm(BootstrapForm):
    """Who hands off to whom, which contacts, and the note for the new owner. A recruiter hands
    off their own relationships; managers and admins anyone's, including a departed user's."""

    from_recruiter = forms.ModelChoiceField(
        label="From", queryset=User.objects.none(), empty_label=None
    )
    to_recruiter = forms.ModelChoiceField(
        label="To",
        queryset=User.objects.none(),
        empty_label="Choose a recruiter",
        error_messages={
            "required": "Choose the recruiter who takes these relationships over.",
            "invalid_choice": "Choose an active recruiter from the list.",
        },
    )
    scope = forms.ChoiceField(
        label="What moves",
        choices=[
            (SCOPE_SELECTION, "These contacts"),
            (SCOPE_ALL, "All of their relationships"),
        ],
        initial=SCOPE_SELECTION,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "Choose “these contacts” or “all of their relationships”."
        },
    )
    contacts = forms.ModelMultipleChoiceField(
        queryset=Contact.objects.select_related("organization"),
        required=False,
        error_messages={"invalid_choice": "Contact #%(value)s does not exist any more."},
    )
    note = forms.CharField(
        label="Note for the new owner",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown on each contact's timeline: where things stand, what was promised.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["scope"].widget.attrs["class"] = "form-check-input"
        if user.is_manager:
            givers = user_list()
        else:
            givers = User.objects.filter(pk=user.pk)
            self.fields["from_recruiter"].error_messages["invalid_choice"] = (
                "You hand off your own relationships; a manager can hand off anyone's."
            )
        self.fields["from_recruiter"].queryset = givers
        self.giver_list = list(givers)
        self.fields["from_recruiter"].widget.choices = [
            (str(giver.pk), _user_label(giver)) for giver in self.giver_list
        ]
        # With htmx, choosing who hands off reloads the recipients and the checkboxes.
        self.fields["from_recruiter"].widget.attrs.update(
            {
                "hx-get": reverse("relationships:handoff-choices"),
                "hx-target": "#handoff-choices",
                "hx-swap": "outerHTML",
                "hx-include": "[name='to_recruiter'], [name='scope']:checked",
            }
        )
        self.giver = self._giver_chosen()
        takers = recruiter_list()
        self.fields["to_recruiter"].queryset = takers
        # Offered: active users except the one handing off; validated against all active users,
        # so choosing the giver gets its own message (clean()).
        self.fields["to_recruiter"].widget.choices = [
            ("", "Choose a recruiter"),
            *((str(u.pk), str(u)) for u in takers if self.giver is None or u.pk != self.giver.pk),
        ]
        include_id = _int_or_none(self.initial.get("contact"))
        self.options = (
            handoff_contact_option_list(owner_id=self.giver.pk, include_id=include_id)
            if self.giver is not None
            else ContactOptions(contacts=[], has_more=False)
        )

    def _giver_chosen(self) -> User | None:
        """The user whose contacts are offered: the submitted or initial `from_recruiter` when
        this user may choose them, else the user themself."""
        raw = self.data.get(self.add_prefix("from_recruiter")) if self.is_bound else None
        if raw is None:
            raw = self.initial.get("from_recruiter")
        wanted = _int_or_none(getattr(raw, "pk", raw))
        by_id = {giver.pk: giver for giver in self.giver_list}
        if wanted in by_id:
            return by_id[wanted]
        return by_id.get(self.user.pk)

    @cached_property
    def selected_contact_ids(self) -> set[int]:
        if self.is_bound:
            name = self.add_prefix("contacts")
            data = self.data
            raw = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        else:
            raw = self.initial.get("contacts") or []
        return {pk for pk in map(_int_or_none, raw) if pk is not None}

    def clean(self) -> dict[str, Any]:
        """Which contacts is this form's question; whether the handoff may happen is the
        service's (relationships.services.relationship_handoff_check), asked before the confirm
        step."""
        cleaned = super().clean()
        chosen = cleaned.get("contacts")
        if cleaned.get("scope") == SCOPE_SELECTION and chosen is not None and not chosen:
            self.add_error(
                "contacts", "Choose at least one contact, or hand off all of their relationships."
            )
        giver, taker = cleaned.get("from_recruiter"), cleaned.get("to_recruiter")
        if giver is None or taker is None or self.errors:
            return cleaned
        if cleaned["scope"] == SCOPE_ALL:
            # Handing off all of them: "owns nothing" is about the scope chosen.
            self.service_field_names = {"contacts": "scope"}
        try:
            services.relationship_handoff_check(
                from_recruiter=giver,
                to_recruiter=taker,
                performed_by=self.user,
                contacts=self.contacts_to_move(),
            )
        except ValidationError as error:
            self.add_service_errors(error)
        return cleaned

    def contacts_to_move(self) -> list[Contact] | None:
        """The chosen contacts, or None for all of the giver's relationships."""
        if self.cleaned_data["scope"] == SCOPE_ALL:
            return None
        return list(self.cleaned_data["contacts"])

    def preview(self) -> HandoffPreview:
        """What the handoff will move (call on a valid form)."""
        chosen = self.contacts_to_move()
        if chosen is not None:
            return HandoffPreview(count=len(chosen), contacts=chosen, more=0)
        count = relationship_owned_count(owner=self.cleaned_data["from_recruiter"])
        contacts = self.options.contacts
        return HandoffPreview(count=count, contacts=contacts, more=max(count - len(contacts), 0))
