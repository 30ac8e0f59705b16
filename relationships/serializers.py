"""The API's shapes for contacts with their relationship, the timeline, connections and
handoffs. Output serializers render rows; input serializers parse what a client sends, and the
services do the rest of the checking."""

from rest_framework import serializers

from accounts.models import User
from contacts.models import Contact, Fact
from contacts.serializers import (
    ContactFieldsSerializer,
    ContactInputSerializer,
    ContactSummarySerializer,
    EmploymentSerializer,
    FactSerializer,
    UserSummarySerializer,
)
from core.api_support import BlankAsNullURLField, NamedChoiceField, StrictSerializer
from relationships.models import Connection, Handoff, Interaction, Relationship


def _ids_load(queryset, ids: list[int], *, what: str) -> list:
    """The rows with these ids in one query, in the order given; a ValidationError naming the
    ids that do not exist."""
    rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
    missing = [str(pk) for pk in dict.fromkeys(ids) if pk not in rows]
    if missing:
        raise serializers.ValidationError(f"No {what} with id {', '.join(missing)}.")
    return [rows[pk] for pk in dict.fromkeys(ids)]


# --- relationships -------------------------------------------------------------------------------


class RelationshipSerializer(serializers.ModelSerializer):
    owner = UserSummarySerializer(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Relationship
        fields = [
            "contact",
            "owner",
            "tier",
            "cadence_days",
            "last_touch_at",
            "next_touch_due",
            "is_overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RelationshipUpdateSerializer(serializers.Serializer):
    """A new tier brings its cadence (A 14, B 30, C 90 days) unless `cadence_days` is given."""

    tier = serializers.ChoiceField(choices=Relationship.Tier.choices, required=False)
    cadence_days = serializers.IntegerField(min_value=1, max_value=3650, required=False)


# --- contacts ------------------------------------------------------------------------------------


class ContactListItemSerializer(ContactFieldsSerializer):
    relationship = RelationshipSerializer(read_only=True, allow_null=True)

    class Meta(ContactFieldsSerializer.Meta):
        fields = [*ContactFieldsSerializer.Meta.fields, "relationship"]
        read_only_fields = fields


class ContactDetailSerializer(ContactListItemSerializer):
    linkedin_url = BlankAsNullURLField()
    career = EmploymentSerializer(many=True, read_only=True)
    pinned_facts = FactSerializer(many=True, read_only=True)

    class Meta(ContactListItemSerializer.Meta):
        fields = [
            *ContactListItemSerializer.Meta.fields,
            "linkedin_url",
            "source",
            "was_candidate",
            "career",
            "pinned_facts",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ContactListQuerySerializer(StrictSerializer):
    owner = serializers.CharField(
        required=False,
        help_text='A user id, "me" for your own contacts or "none" for contacts nobody owns.',
    )
    role = serializers.ChoiceField(choices=Contact.Role.choices, required=False)
    tag = serializers.CharField(max_length=50, required=False)
    tier = serializers.ChoiceField(choices=Relationship.Tier.choices, required=False)
    overdue = serializers.BooleanField(
        required=False, default=False, help_text="Only contacts whose next touch is past due."
    )
    organization = serializers.IntegerField(min_value=1, required=False)
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Search names, emails, titles, companies, tags and facts: one page of the best "
        "matches (`next` is then null; the other filters do not apply).",
    )

    def validate_owner(self, value: str) -> str:
        value = value.strip().lower()
        if value in {"me", "none"} or value.isdigit():
            return value
        raise serializers.ValidationError('Give a user id, "me" or "none".')


class ContactCreateSerializer(ContactInputSerializer):
    started_on = serializers.DateField(
        required=False, help_text="When the current position began (default today)."
    )
    tier = serializers.ChoiceField(choices=Relationship.Tier.choices, default=Relationship.Tier.B)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        help_text="The owning recruiter (managers and admins only; default: you).",
    )
    allow_duplicate = serializers.BooleanField(
        default=False,
        help_text="Create the contact even though others share an email, phone or LinkedIn.",
    )


class ContactUpdateSerializer(ContactInputSerializer):
    moved_on = serializers.DateField(
        required=False,
        help_text="When a new organization or title took effect (default today): the career "
        "path records the move.",
    )


class MergeInputSerializer(serializers.Serializer):
    duplicate = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), help_text="The contact folded into this one, then deleted."
    )

    def validate_duplicate(self, duplicate: Contact) -> Contact:
        if duplicate.pk == self.context["survivor"].pk:
            raise serializers.ValidationError("A contact cannot be merged into itself.")
        return duplicate


class MergeResultSerializer(serializers.Serializer):
    survivor = ContactDetailSerializer(read_only=True)
    duplicate_id = serializers.IntegerField(read_only=True)
    duplicate_name = serializers.CharField(read_only=True)
    moved = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Rows moved from the duplicate, by model label.",
    )


# --- the timeline --------------------------------------------------------------------------------


class InteractionSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(
        choices=Interaction.Kind.choices, enum_name="InteractionKind", read_only=True
    )
    recruiter = UserSummarySerializer(read_only=True, allow_null=True)
    facts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Interaction
        fields = [
            "id",
            "contact",
            "organization",
            "kind",
            "direction",
            "summary",
            "body",
            "recruiter",
            "occurred_at",
            "handoff",
            "facts",
            "created_at",
        ]
        read_only_fields = fields


class InteractionCreateSerializer(serializers.Serializer):
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all())
    kind = NamedChoiceField(
        choices=[(k.value, k.label) for k in Interaction.LOGGABLE_KINDS],
        enum_name="LoggableInteractionKind",
    )
    direction = serializers.ChoiceField(
        choices=Interaction.Direction.choices, default=Interaction.Direction.OUTBOUND
    )
    summary = serializers.CharField(max_length=300)
    body = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    occurred_at = serializers.DateTimeField(required=False, help_text="Default: now.")
    facts = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        max_length=50,
        help_text="Ids of this contact's facts remembered from the conversation.",
    )

    def validate(self, attrs: dict) -> dict:
        if attrs.get("facts"):
            try:
                attrs["facts"] = _ids_load(
                    Fact.objects.filter(contact=attrs["contact"]),
                    attrs["facts"],
                    what="fact of this contact",
                )
            except serializers.ValidationError as error:
                raise serializers.ValidationError({"facts": error.detail}) from error
        return attrs


# --- connections ---------------------------------------------------------------------------------


CONNECTION_KIND = {"choices": Connection.Kind.choices, "enum_name": "ConnectionKind"}


class ConnectionSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(read_only=True, **CONNECTION_KIND)
    from_contact = ContactSummarySerializer(read_only=True)
    to_contact = ContactSummarySerializer(read_only=True)

    class Meta:
        model = Connection
        fields = ["id", "from_contact", "kind", "to_contact", "note", "created_at"]
        read_only_fields = fields


class ConnectionCreateSerializer(serializers.Serializer):
    """`from_contact` <kind> `to_contact`: "Ana reports_to Ben"."""

    from_contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all())
    to_contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all())
    kind = NamedChoiceField(**CONNECTION_KIND)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


# --- handoffs ------------------------------------------------------------------------------------


class HandoffSerializer(serializers.ModelSerializer):
    from_recruiter = UserSummarySerializer(read_only=True)
    to_recruiter = UserSummarySerializer(read_only=True)
    performed_by = UserSummarySerializer(read_only=True)

    class Meta:
        model = Handoff
        fields = [
            "id",
            "from_recruiter",
            "to_recruiter",
            "performed_by",
            "scope",
            "note",
            "relationship_count",
            "created_at",
        ]
        read_only_fields = fields


class HandoffCreateSerializer(serializers.Serializer):
    from_recruiter = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        required=False,
        help_text="Whose relationships move (default: yours; managers hand off anyone's).",
    )
    to_recruiter = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    note = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    contacts = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        max_length=5000,
        help_text="Ids of the contacts to hand off; leave out to hand off all of them.",
    )

    def validate_contacts(self, ids: list[int]) -> list[Contact]:
        return _ids_load(Contact.objects.defer("search_vector"), ids, what="contact")
