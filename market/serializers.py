from rest_framework import serializers

from contacts.serializers import UserSummarySerializer
from core.api_support import NamedChoiceField
from market.models import MarketNote

WRITABLE = [
    "title", "body", "kind", "tags", "source", "source_url", "true_as_of", "review_by",
    "visibility", "role", "seniority", "region", "currency", "period", "p25", "median", "p75",
    "sample_size",
]  # fmt: skip


class MarketNoteSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(enum_name="MarketNoteKind", choices=MarketNote.Kind.choices)
    visibility = NamedChoiceField(
        enum_name="MarketNoteVisibility", choices=MarketNote.Visibility.choices
    )
    # Blank on a note that is not a salary fact.
    period = NamedChoiceField(
        enum_name="SalaryPeriod",
        choices=MarketNote.Period.choices,
        required=False,
        allow_blank=True,
    )
    author = UserSummarySerializer(read_only=True)

    class Meta:
        model = MarketNote
        fields = ["id", *WRITABLE, "author", "team", "retired_at", "created_at", "updated_at"]
        read_only_fields = ["team", "retired_at", "created_at", "updated_at"]


class MarketNoteWriteSerializer(serializers.Serializer):
    """What a client may set; the service checks the rest (ranges, dates, addresses)."""

    title = serializers.CharField(max_length=200)
    body = serializers.CharField(required=False, allow_blank=True)
    kind = NamedChoiceField(enum_name="MarketNoteKind", choices=MarketNote.Kind.choices)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False)
    source = serializers.CharField(max_length=300, required=False, allow_blank=True)
    source_url = serializers.CharField(max_length=500, required=False, allow_blank=True)
    true_as_of = serializers.DateField()
    review_by = serializers.DateField(required=False, allow_null=True)
    visibility = NamedChoiceField(
        enum_name="MarketNoteVisibility", choices=MarketNote.Visibility.choices, required=False
    )
    role = serializers.CharField(max_length=200, required=False, allow_blank=True)
    seniority = serializers.CharField(max_length=100, required=False, allow_blank=True)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True)
    # Checked by the service against the fixed list, so an unknown code is a field error there.
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    period = NamedChoiceField(
        enum_name="SalaryPeriod",
        choices=MarketNote.Period.choices,
        required=False,
        allow_blank=True,
    )
    p25 = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    median = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    p75 = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    sample_size = serializers.IntegerField(min_value=0, required=False, allow_null=True)


class SuggestionSerializer(serializers.Serializer):
    note = MarketNoteSerializer()
    matched = serializers.ListField(child=serializers.CharField())
    age_days = serializers.IntegerField()
    score = serializers.FloatField()
    reason = serializers.CharField()
