"""The jobs API under /api/v1/ (see crm/api_urls.py): jobs with their intake (create, intake,
open, close, split, split suggestion), candidacies (list, add, move, close, history) and
interviewer feedback.

Every recruiter reads every job and pipeline; changes are for the job's owner, a manager or an
admin: the services check it (jobs.services.job_change_check, a 403), and the actions on a job or
candidacy load it from the ones the user may change (selectors.job_changeable_queryset), so
another recruiter's is a 404 there.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from core.api_support import ApiViewSet, KeysetPagination, object_or_404, service_errors
from jobs import selectors, services
from jobs.divergence import split_suggestion_get
from jobs.models import Candidacy, Job
from jobs.serializers import (
    CandidacyCloseSerializer,
    CandidacyCreateSerializer,
    CandidacyMoveSerializer,
    CandidacyQuerySerializer,
    CandidacySerializer,
    FeedbackCreateSerializer,
    FeedbackQuerySerializer,
    FeedbackSerializer,
    JobCloseResultSerializer,
    JobCloseSerializer,
    JobCreateSerializer,
    JobIntakeSerializer,
    JobOpenSerializer,
    JobSerializer,
    JobSplitResultSerializer,
    JobSplitSerializer,
    SplitSuggestionSerializer,
    StageChangeSerializer,
)


def _job_fresh(pk: int) -> Job:
    return selectors.job_api_queryset().get(pk=pk)


def _changeable_job(request: Request, pk: str) -> Job:
    return object_or_404(selectors.job_changeable_queryset(user=request.user), pk=pk)


# --- jobs ----------------------------------------------------------------------------------------


class JobPagination(KeysetPagination):
    ordering = ("-id",)


@extend_schema(tags=["jobs"])
class JobViewSet(ApiViewSet):
    """Client jobs with their structured intake."""

    queryset = selectors.job_api_queryset()
    serializer_class = JobSerializer
    pagination_class = JobPagination
    lookup_value_converter = "int"

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, description="intake, open, on_hold, filled, ..."),
            OpenApiParameter("owner", int, description="The owning recruiter's id."),
            OpenApiParameter("organization", int, description="The client's id."),
        ],
        description="Jobs, newest first, one page at a time (follow `next`).",
    )
    def list(self, request: Request) -> Response:
        ids = {}
        for name in ("owner", "organization"):
            value = request.query_params.get(name)
            if value and not value.isdigit():
                raise exceptions.ValidationError({name: ["Give an id (a whole number)."]})
            ids[f"{name}_id"] = int(value) if value else None
        queryset = selectors.job_api_queryset(status=request.query_params.get("status", ""), **ids)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(JobSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(JobSerializer(self.get_object()).data)

    @extend_schema(
        request=JobCreateSerializer,
        responses={201: JobSerializer},
        description="A new job in intake, owned by you, with its intake items when given.",
    )
    def create(self, request: Request) -> Response:
        given = JobCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            job = services.job_create(owner=request.user, **given.validated_data)
        return Response(JobSerializer(_job_fresh(job.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=JobIntakeSerializer,
        responses=JobSerializer,
        description="Set the intake items of the kinds given (kind -> texts); other kinds stay.",
    )
    @action(detail=True, methods=["put"], url_path="intake")
    def intake(self, request: Request, pk: str) -> Response:
        job = _changeable_job(request, pk)
        given = JobIntakeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            services.job_intake_update(
                job=job,
                user=request.user,
                items=given.validated_data["items"],
                signed_off_on=given.validated_data.get("signed_off_on"),
            )
        return Response(JobSerializer(_job_fresh(job.pk)).data)

    @extend_schema(
        request=JobOpenSerializer,
        responses=JobSerializer,
        description="Open the job. An incomplete intake needs `override_reason`, recorded.",
    )
    @action(detail=True, methods=["post"], url_path="open")
    def open(self, request: Request, pk: str) -> Response:
        job = _changeable_job(request, pk)
        given = JobOpenSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            services.job_open(job=job, user=request.user, **given.validated_data)
        return Response(JobSerializer(_job_fresh(job.pk)).data)

    @extend_schema(
        request=JobCloseSerializer,
        responses=JobCloseResultSerializer,
        description="Close as filled or cancelled: every open candidacy closes with job_filled "
        "or job_cancelled.",
    )
    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request: Request, pk: str) -> Response:
        job = _changeable_job(request, pk)
        given = JobCloseSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            closed = services.job_close(job=job, user=request.user, **given.validated_data)
        result = {"job": _job_fresh(job.pk), "candidacies_closed": closed}
        return Response(JobCloseResultSerializer(result).data)

    @extend_schema(
        request=JobSplitSerializer,
        responses=JobSplitResultSerializer,
        description="Split into two sibling jobs with copies of the intake; route every open "
        "candidacy to a, b or both. The original ends as split.",
    )
    @action(detail=True, methods=["post"], url_path="split")
    def split(self, request: Request, pk: str) -> Response:
        job = _changeable_job(request, pk)
        given = JobSplitSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            job_a, job_b = services.job_split(job=job, user=request.user, **given.validated_data)
        result = {
            "original": _job_fresh(job.pk),
            "job_a": _job_fresh(job_a.pk),
            "job_b": _job_fresh(job_b.pk),
        }
        return Response(JobSplitResultSerializer(result).data)

    @extend_schema(
        responses=SplitSuggestionSerializer,
        description="Whether the interviewers diverge on a stalled pipeline, with the evidence.",
    )
    @action(detail=True, methods=["get"], url_path="split-suggestion")
    def split_suggestion(self, request: Request, pk: str) -> Response:
        job = self.get_object()
        suggestion = split_suggestion_get(job=job)
        return Response(
            SplitSuggestionSerializer(
                {
                    "fires": suggestion.fires,
                    "stalled": suggestion.stalled,
                    "diverging": suggestion.diverging,
                    "interviews": suggestion.interviews,
                    "offers": suggestion.offers,
                    "evidence": suggestion.evidence,
                    "summary": suggestion.summary,
                }
            ).data
        )


# --- candidacies ---------------------------------------------------------------------------------


class CandidacyPagination(KeysetPagination):
    ordering = ("-id",)


@extend_schema(tags=["candidacies"])
class CandidacyViewSet(ApiViewSet):
    """Contacts in jobs' pipelines."""

    queryset = selectors.candidacy_api_queryset()
    serializer_class = CandidacySerializer
    pagination_class = CandidacyPagination
    lookup_value_converter = "int"

    def _changeable(self, request: Request, pk: str) -> Candidacy:
        return object_or_404(selectors.candidacy_api_queryset(changeable_by=request.user), pk=pk)

    @extend_schema(
        parameters=[CandidacyQuerySerializer],
        description="Candidacies, newest first; filter by job, contact, open or closed.",
    )
    def list(self, request: Request) -> Response:
        query = CandidacyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        queryset = selectors.candidacy_api_queryset(
            job_id=given.get("job"), contact_id=given.get("contact"), is_open=given.get("open")
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(CandidacySerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(CandidacySerializer(self.get_object()).data)

    @extend_schema(
        request=CandidacyCreateSerializer,
        responses={201: CandidacySerializer},
        description="Put a contact into a job's pipeline; one open candidacy per contact and job.",
    )
    def create(self, request: Request) -> Response:
        given = CandidacyCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            candidacy = services.candidacy_add(user=request.user, **given.validated_data)
        return Response(CandidacySerializer(candidacy).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CandidacyMoveSerializer,
        responses=CandidacySerializer,
        description="Move an open candidacy to another stage (a stage change on the contact's "
        "timeline). Moving to placed closes it as placed.",
    )
    @action(detail=True, methods=["post"], url_path="move")
    def move(self, request: Request, pk: str) -> Response:
        candidacy = self._changeable(request, pk)
        given = CandidacyMoveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            candidacy = services.candidacy_move(
                candidacy=candidacy,
                to_stage=given.validated_data["stage"],
                note=given.validated_data["note"],
                user=request.user,
            )
        return Response(CandidacySerializer(candidacy).data)

    @extend_schema(
        request=CandidacyCloseSerializer,
        responses=CandidacySerializer,
        description="Close an open candidacy with an outcome and a reason.",
    )
    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request: Request, pk: str) -> Response:
        candidacy = self._changeable(request, pk)
        given = CandidacyCloseSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            candidacy = services.candidacy_close(
                candidacy=candidacy, user=request.user, **given.validated_data
            )
        return Response(CandidacySerializer(candidacy).data)

    @extend_schema(
        responses=StageChangeSerializer(many=True),
        description="Every stage change of the candidacy, oldest first (one page).",
    )
    @action(detail=True, methods=["get"], url_path="history", pagination_class=None)
    def history(self, request: Request, pk: str) -> Response:
        candidacy = self.get_object()
        changes = selectors.stage_change_list(candidacy=candidacy)
        return Response(StageChangeSerializer(changes, many=True).data)


# --- feedback ------------------------------------------------------------------------------------


class FeedbackPagination(KeysetPagination):
    ordering = ("-id",)


@extend_schema(tags=["feedback"])
class FeedbackViewSet(ApiViewSet):
    """Interviewers' scorecards: a recommendation and 1-5 scores on the job's criteria."""

    queryset = selectors.feedback_api_queryset()
    serializer_class = FeedbackSerializer
    pagination_class = FeedbackPagination
    lookup_value_converter = "int"

    @extend_schema(parameters=[FeedbackQuerySerializer], description="Newest first.")
    def list(self, request: Request) -> Response:
        query = FeedbackQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        queryset = selectors.feedback_api_queryset(
            job_id=query.validated_data.get("job"),
            candidacy_id=query.validated_data.get("candidacy"),
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(FeedbackSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(FeedbackSerializer(self.get_object()).data)

    @extend_schema(
        request=FeedbackCreateSerializer,
        responses={201: FeedbackSerializer},
        description="Record a scorecard. A score for a criterion the job does not have is a 400.",
    )
    def create(self, request: Request) -> Response:
        given = FeedbackCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            feedback = services.feedback_record(user=request.user, **given.validated_data)
        fresh = selectors.feedback_api_queryset().get(pk=feedback.pk)
        return Response(FeedbackSerializer(fresh).data, status=status.HTTP_201_CREATED)


router = SimpleRouter(use_regex_path=False)
router.register("jobs", JobViewSet, basename="api-job")
router.register("candidacies", CandidacyViewSet, basename="api-candidacy")
router.register("feedback", FeedbackViewSet, basename="api-feedback")

urlpatterns = router.urls
