"""The API's shapes for organizations, contacts, careers and facts. Output serializers render
rows; input serializers parse what a client sends, and the services do the rest of the checking."""

from rest_framework import serializers

from accounts.models import User
from contacts.models import Contact, Employment, Fact, Organization
from core.api_support import BlankAsNullURLField, NamedChoiceField, StrictSerializer

# --- shared --------------------------------------------------------------------------------------


class UserSummarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name"]
        read_only_fields = fields


ORGANIZATION_KIND = {"choices": Organization.Kind.choices, "enum_name": "OrganizationKind"}
LAWFUL_BASIS = {"choices": Contact.LawfulBasis.choices, "enum_name": "LawfulBasis"}


class OrganizationSummarySerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(read_only=True, **ORGANIZATION_KIND)

    class Meta:
        model = Organization
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class ContactSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "full_name"]
        read_only_fields = fields


# --- organizations -------------------------------------------------------------------------------


class OrganizationSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(read_only=True, **ORGANIZATION_KIND)
    website = BlankAsNullURLField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "kind",
            "domain",
            "website",
            "industry",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OrganizationInputSerializer(StrictSerializer):
    """Create (name required) or change (send only what changes) an organization."""

    name = serializers.CharField(max_length=200)
    kind = NamedChoiceField(required=False, **ORGANIZATION_KIND)
    domain = serializers.CharField(max_length=253, required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)
    industry = serializers.CharField(max_length=100, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class OrganizationListQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Search by name, domain or industry; the best matches come first, one page.",
    )


# --- contacts ------------------------------------------------------------------------------------


class ContactFieldsSerializer(serializers.ModelSerializer):
    """A contact's own fields, without what other apps know about them."""

    organization = OrganizationSummarySerializer(read_only=True, allow_null=True)
    lawful_basis = NamedChoiceField(read_only=True, **LAWFUL_BASIS)

    class Meta:
        model = Contact
        fields = [
            "id",
            "first_name",
            "last_name",
            "full_name",
            "emails",
            "phones",
            "title",
            "organization",
            "roles",
            "tags",
            "location",
            "email_opt_out",
            "do_not_contact",
            "lawful_basis",
            "lawful_basis_on",
            "lawful_basis_source",
        ]
        read_only_fields = fields


class ContactInputSerializer(serializers.Serializer):
    """A contact's writable fields. Emails, phones and the LinkedIn URL are checked and
    normalised by the service, which names the bad value (for emails: the one email rule,
    contacts.normalize.email_normalize, its length included)."""

    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    emails = serializers.ListField(child=serializers.CharField(), required=False, max_length=20)
    phones = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=20
    )
    linkedin_url = serializers.CharField(max_length=300, required=False, allow_blank=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Contact.Role.choices), required=False
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=50
    )
    source = serializers.CharField(max_length=100, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email_opt_out = serializers.BooleanField(required=False)
    do_not_contact = serializers.BooleanField(required=False)
    lawful_basis = NamedChoiceField(required=False, **LAWFUL_BASIS)
    lawful_basis_on = serializers.DateField(
        required=False, help_text="Since when the basis holds (default today; not in the future)."
    )
    lawful_basis_source = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text='Who or what says so (default on creation: "added by <you>").',
    )


class EmploymentSerializer(serializers.ModelSerializer):
    organization = OrganizationSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Employment
        fields = [
            "id",
            "organization",
            "organization_name",
            "title",
            "started_on",
            "ended_on",
            "is_current",
        ]
        read_only_fields = fields


# --- facts ---------------------------------------------------------------------------------------


class FactSerializer(serializers.ModelSerializer):
    author = UserSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Fact
        fields = [
            "id",
            "contact",
            "category",
            "text",
            "learned_on",
            "pinned",
            "sensitive",
            "author",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class FactUpdateSerializer(StrictSerializer):
    text = serializers.CharField()
    category = serializers.ChoiceField(choices=Fact.Category.choices, required=False)
    learned_on = serializers.DateField(required=False)
    pinned = serializers.BooleanField(required=False)
    sensitive = serializers.BooleanField(
        required=False,
        help_text="Seen only by its author, the contact's owner, their manager and admins. "
        "Without it a new salary, health, family or reasons-for-leaving fact is sensitive.",
    )


class FactCreateSerializer(FactUpdateSerializer):
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all())


class ContactQuerySerializer(serializers.Serializer):
    """`?contact=<id>`, required by the lists that belong to one contact."""

    contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.defer("search_vector"), help_text="The contact's id."
    )
