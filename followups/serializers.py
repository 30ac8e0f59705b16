"""The follow-through API's serializers."""

from rest_framework import serializers

from contacts.models import Contact
from core.api_support import NamedChoiceField
from followups.models import (
    FollowUp,
    InboundReply,
    MarketNoteUse,
    Message,
    MessageKind,
    Policy,
    Rating,
)
from jobs.models import Candidacy, Job
from market.serializers import MarketNoteSerializer, SuggestionSerializer

FOLLOWUP_KIND = {"choices": FollowUp.Kind.choices, "enum_name": "FollowUpKind"}


class FollowUpSerializer(serializers.ModelSerializer):
    contact_name = serializers.CharField(source="contact.full_name", read_only=True)
    kind = NamedChoiceField(read_only=True, **FOLLOWUP_KIND)
    reason = NamedChoiceField(
        read_only=True, choices=FollowUp.Reason.choices, enum_name="FollowUpReason"
    )

    class Meta:
        model = FollowUp
        fields = [
            "id", "owner", "contact", "contact_name", "job", "candidacy", "message", "kind",
            "reason", "summary", "due_at", "snooze_count", "completed_at", "outcome",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class FollowUpCreateSerializer(serializers.Serializer):
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all())
    summary = serializers.CharField(max_length=300)
    kind = NamedChoiceField(default=FollowUp.Kind.CALL, **FOLLOWUP_KIND)
    due_at = serializers.DateTimeField()
    job = serializers.PrimaryKeyRelatedField(queryset=Job.objects.all(), required=False)
    candidacy = serializers.PrimaryKeyRelatedField(queryset=Candidacy.objects.all(), required=False)


class FollowUpUpdateSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=300, required=False)
    kind = NamedChoiceField(required=False, **FOLLOWUP_KIND)
    due_at = serializers.DateTimeField(required=False)


class FollowUpCompleteSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=2000)


class FollowUpSnoozeSerializer(serializers.Serializer):
    until = serializers.DateTimeField()


class MessageSerializer(serializers.ModelSerializer):
    # None for a message to a user (the manager's digest).
    contact_name = serializers.CharField(
        source="contact.full_name", read_only=True, allow_null=True
    )
    kind = NamedChoiceField(read_only=True, choices=MessageKind.choices, enum_name="MessageKind")
    status = NamedChoiceField(
        read_only=True, choices=Message.Status.choices, enum_name="MessageStatus"
    )

    class Meta:
        model = Message
        fields = [
            "id", "kind", "owner", "contact", "contact_name", "job", "candidacy", "recipient",
            "status", "send_after", "deadline", "sent_at", "attempts", "last_error",
            "skip_reason", "edited", "personal_note", "esp_message_id", "idempotency_key",
        ]  # fmt: skip
        read_only_fields = fields


class MessagePreviewSerializer(serializers.Serializer):
    subject = serializers.CharField()
    text = serializers.CharField()
    html = serializers.CharField()


class MessageEditSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=300)
    text = serializers.CharField()
    html = serializers.CharField(required=False, allow_blank=True, default="")


class MessageSkipSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class PolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = Policy
        fields = [
            "update_cadence_days", "review_window_hours", "closure_undo_minutes",
            "closure_deadline_hours", "digest_cadence_days", "chase_client_days", "max_attempts",
        ]  # fmt: skip


class JobPolicySerializer(serializers.Serializer):
    """A job's overrides; null follows the agency's policy."""

    update_cadence_days = serializers.IntegerField(min_value=1, allow_null=True, default=None)
    digest_cadence_days = serializers.IntegerField(min_value=1, allow_null=True, default=None)
    chase_client_days = serializers.IntegerField(min_value=1, allow_null=True, default=None)


class InboundReplySerializer(serializers.ModelSerializer):
    class Meta:
        model = InboundReply
        fields = [
            "id", "from_email", "from_name", "subject", "reply_text", "received_at", "is_auto",
            "contact", "message", "matched_by", "attachments", "followup",
        ]  # fmt: skip
        read_only_fields = fields


class ReplyAssignSerializer(serializers.Serializer):
    contact = serializers.IntegerField(min_value=1)


class OneOffEmailSerializer(serializers.Serializer):
    contact = serializers.IntegerField(min_value=1)
    subject = serializers.CharField(max_length=300)
    text = serializers.CharField()


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = [
            "id", "message", "contact", "requested_at", "valid_until", "answer", "comment",
            "answered_at", "followup",
        ]  # fmt: skip
        read_only_fields = fields


class MessageMarketNotesSerializer(serializers.Serializer):
    """The note a message carries for {{ market_note }} and the fresh ones it could carry
    instead (the recipient has had none of them)."""

    chosen = MarketNoteSerializer(allow_null=True)
    removed = serializers.BooleanField(help_text="The recruiter took the note out.")
    alternatives = SuggestionSerializer(many=True)


class MessageMarketNoteSetSerializer(serializers.Serializer):
    note = serializers.IntegerField(
        required=False, allow_null=True, min_value=1,
        help_text="A fresh note you can see; leave out (and removed false) to let Rapport choose.",
    )  # fmt: skip
    removed = serializers.BooleanField(default=False, help_text="Send the message without one.")


class MarketNoteUseSerializer(serializers.ModelSerializer):
    note_title = serializers.CharField(source="note.title", read_only=True)
    contact_name = serializers.CharField(source="contact.full_name", read_only=True)

    class Meta:
        model = MarketNoteUse
        fields = ["id", "note", "note_title", "contact", "contact_name", "message", "used_at"]
