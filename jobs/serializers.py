"""The API's shapes for jobs with their intake, candidacies, stage changes, feedback and splits.
Output serializers render rows; input serializers parse, the services check the rest."""

from rest_framework import serializers

from contacts.models import Contact, Organization
from contacts.serializers import UserSummarySerializer
from core.api_support import NamedChoiceField
from jobs.models import Candidacy, Feedback, IntakeItem, Job, StageChange, intake_completeness
from jobs.services.splitting import ROUTES

INTAKE_KINDS = IntakeItem.Kind.values


class IntakeItemSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(enum_name="IntakeKind", choices=IntakeItem.Kind.choices)

    class Meta:
        model = IntakeItem
        fields = ["id", "kind", "text", "position", "is_criterion"]
        read_only_fields = fields


class JobSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    owner = UserSummarySerializer(read_only=True)
    status = NamedChoiceField(enum_name="JobStatus", choices=Job.Status.choices, read_only=True)
    intake = IntakeItemSerializer(source="intake_items", many=True, read_only=True)
    intake_completeness = serializers.SerializerMethodField()
    interviewers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "title",
            "organization",
            "organization_name",
            "owner",
            "hiring_manager",
            "interviewers",
            "openings",
            "location",
            "compensation_min",
            "compensation_max",
            "currency",
            "client_alias",
            "status",
            "opened_at",
            "closed_at",
            "split_from",
            "intake_signed_off_on",
            "intake_override_by",
            "intake_override_at",
            "intake_override_reason",
            "intake",
            "intake_completeness",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_intake_completeness(self, job: Job) -> int:
        return intake_completeness({item.kind for item in job.intake_items.all()})[0]


class IntakeInputField(serializers.DictField):
    """`{"asked_for": ["..."], "must_have": ["...", "..."], ...}`: kinds not given stay."""

    def __init__(self, **kwargs) -> None:
        super().__init__(child=serializers.ListField(child=serializers.CharField()), **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        unknown = sorted(set(value) - set(INTAKE_KINDS))
        if unknown:
            raise serializers.ValidationError(
                f"Unknown intake kinds: {', '.join(unknown)}. Use {', '.join(INTAKE_KINDS)}."
            )
        return value


class JobCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    hiring_manager = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), required=False, allow_null=True
    )
    interviewers = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), many=True, required=False
    )
    openings = serializers.IntegerField(min_value=1, default=1)
    location = serializers.CharField(max_length=200, required=False, default="")
    compensation_min = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    compensation_max = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    currency = serializers.CharField(max_length=3, required=False, default="")
    client_alias = serializers.CharField(max_length=200, required=False, default="")
    intake = IntakeInputField(required=False)


class JobIntakeSerializer(serializers.Serializer):
    items = IntakeInputField()
    signed_off_on = serializers.DateField(required=False, allow_null=True)


class JobOpenSerializer(serializers.Serializer):
    override_reason = serializers.CharField(required=False, default="", allow_blank=True)


class JobCloseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Job.Status.FILLED, Job.Status.CANCELLED])
    reason = serializers.CharField(required=False, default="", allow_blank=True)


class JobCloseResultSerializer(serializers.Serializer):
    job = JobSerializer()
    candidacies_closed = serializers.IntegerField()


class SplitRouteSerializer(serializers.Serializer):
    candidacy = serializers.IntegerField(min_value=1)
    route = serializers.ChoiceField(choices=ROUTES)


class JobSplitSerializer(serializers.Serializer):
    title_a = serializers.CharField(max_length=200)
    title_b = serializers.CharField(max_length=200)
    routes = SplitRouteSerializer(many=True, help_text="Every open candidacy, to a, b or both.")

    def validate_routes(self, routes: list[dict]) -> dict[int, str]:
        ids = [route["candidacy"] for route in routes]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("Route each candidacy once.")
        return {route["candidacy"]: route["route"] for route in routes}


class JobSplitResultSerializer(serializers.Serializer):
    original = JobSerializer()
    job_a = JobSerializer()
    job_b = JobSerializer()


class SplitSuggestionSerializer(serializers.Serializer):
    fires = serializers.BooleanField()
    stalled = serializers.BooleanField()
    diverging = serializers.BooleanField()
    interviews = serializers.IntegerField()
    offers = serializers.IntegerField()
    evidence = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()


class CandidacySerializer(serializers.ModelSerializer):
    contact_name = serializers.CharField(source="contact.full_name", read_only=True)
    job_title = serializers.CharField(source="job.title", read_only=True)
    stage = NamedChoiceField(enum_name="CandidacyStage", choices=Candidacy.Stage.choices)
    outcome = NamedChoiceField(
        enum_name="CandidacyOutcomeOrBlank", choices=[("", "None"), *Candidacy.Outcome.choices]
    )

    class Meta:
        model = Candidacy
        fields = [
            "id",
            "job",
            "job_title",
            "contact",
            "contact_name",
            "stage",
            "outcome",
            "outcome_reason",
            "stage_entered_at",
            "decided_at",
            "last_candidate_touch_at",
            "copied_from",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CandidacyQuerySerializer(serializers.Serializer):
    job = serializers.IntegerField(min_value=1, required=False)
    contact = serializers.IntegerField(min_value=1, required=False)
    open = serializers.BooleanField(required=False, allow_null=True, default=None)


class CandidacyCreateSerializer(serializers.Serializer):
    job = serializers.PrimaryKeyRelatedField(queryset=Job.objects.all())
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all())
    stage = serializers.ChoiceField(choices=Candidacy.Stage.choices, default="sourced")
    note = serializers.CharField(required=False, default="", allow_blank=True)
    again = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The contact had a candidacy for this job, closed: add a second one anyway "
        "(without it, that is refused with the closed candidacy's date and outcome).",
    )


class CandidacyMoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Candidacy.Stage.choices)
    note = serializers.CharField(required=False, default="", allow_blank=True)


class CandidacyCloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Candidacy.Outcome.choices)
    reason = serializers.CharField(required=False, default="", allow_blank=True)


class StageChangeSerializer(serializers.ModelSerializer):
    by = UserSummarySerializer(read_only=True)
    from_stage = NamedChoiceField(
        enum_name="CandidacyStageOrBlank", choices=[("", "None"), *Candidacy.Stage.choices]
    )
    to_stage = NamedChoiceField(enum_name="CandidacyStage", choices=Candidacy.Stage.choices)
    outcome = NamedChoiceField(
        enum_name="CandidacyOutcomeOrBlank", choices=[("", "None"), *Candidacy.Outcome.choices]
    )

    class Meta:
        model = StageChange
        fields = ["id", "job", "from_stage", "to_stage", "outcome", "by", "at", "note", "is_copy"]
        read_only_fields = fields


class FeedbackScoreSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1, help_text="An intake item id.")
    score = serializers.IntegerField(min_value=1, max_value=5)


class FeedbackScoreOutputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion_id")
    criterion_text = serializers.CharField(source="criterion.text")
    score = serializers.IntegerField()


class FeedbackSerializer(serializers.ModelSerializer):
    interviewer_name = serializers.CharField(source="interviewer.full_name", read_only=True)
    scores = FeedbackScoreOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Feedback
        fields = [
            "id",
            "candidacy",
            "interviewer",
            "interviewer_name",
            "recommendation",
            "notes",
            "scores",
            "entered_by",
            "at",
        ]
        read_only_fields = fields


class FeedbackQuerySerializer(serializers.Serializer):
    job = serializers.IntegerField(min_value=1, required=False)
    candidacy = serializers.IntegerField(min_value=1, required=False)


class FeedbackCreateSerializer(serializers.Serializer):
    candidacy = serializers.PrimaryKeyRelatedField(queryset=Candidacy.objects.all())
    interviewer = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all())
    recommendation = serializers.ChoiceField(choices=Feedback.Recommendation.choices)
    notes = serializers.CharField(required=False, default="", allow_blank=True)
    scores = FeedbackScoreSerializer(many=True, required=False, default=list)

    def validate_scores(self, scores: list[dict]) -> dict[int, int]:
        ids = [score["criterion"] for score in scores]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("Score each criterion once.")
        return {score["criterion"]: score["score"] for score in scores}
