"""The API of follow-through under /api/v1/ (see crm/api_urls.py): follow-ups (CRUD, complete,
snooze), messages in the outbox (list, preview, edit, send now, skip), the policy and a job's
overrides of it; inbound replies (list, assign), replies owed, one-off emails (queue) and
ratings.

What a user may see is enforced in the queryset (followups.selectors: their own, or everyone's
for managers and admins); what they may change, by the services."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from contacts.models import Contact
from core.api_support import ApiViewSet, KeysetPagination, id_param, service_errors
from followups import selectors, services
from followups.models import Message, Policy
from followups.replies import inbound_assign, one_off_email_queue
from followups.serializers import (
    FollowUpCompleteSerializer,
    FollowUpCreateSerializer,
    FollowUpSerializer,
    FollowUpSnoozeSerializer,
    FollowUpUpdateSerializer,
    InboundReplySerializer,
    JobPolicySerializer,
    MarketNoteUseSerializer,
    MessageEditSerializer,
    MessageMarketNoteSetSerializer,
    MessageMarketNotesSerializer,
    MessagePreviewSerializer,
    MessageSerializer,
    MessageSkipSerializer,
    OneOffEmailSerializer,
    PolicySerializer,
    RatingSerializer,
    ReplyAssignSerializer,
)
from jobs.models import Job
from market.models import MarketNote

# --- views ---------------------------------------------------------------------------------------


class FollowUpPagination(KeysetPagination):
    ordering = ("due_at", "id")


@extend_schema(tags=["follow-ups"])
class FollowUpViewSet(ApiViewSet):
    """Follow-ups: yours (managers and admins see everyone's), soonest first. `?open=true` lists
    only those not done yet."""

    serializer_class = FollowUpSerializer
    pagination_class = FollowUpPagination
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.followup_list(
            user=self.request.user, open_only=self.request.query_params.get("open") == "true"
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(FollowUpSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(FollowUpSerializer(self.get_object()).data)

    @extend_schema(request=FollowUpCreateSerializer, responses={201: FollowUpSerializer})
    def create(self, request: Request) -> Response:
        given = FollowUpCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            followup = services.followup_create(owner=request.user, **given.validated_data)
        return Response(FollowUpSerializer(followup).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FollowUpUpdateSerializer, responses=FollowUpSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        followup = self.get_object()
        given = FollowUpUpdateSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        with service_errors():
            followup = services.followup_update(
                followup=followup, user=request.user, **given.validated_data
            )
        return Response(FollowUpSerializer(followup).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        followup = self.get_object()
        with service_errors():
            services.followup_delete(followup=followup, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=FollowUpCompleteSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        followup = self.get_object()
        given = FollowUpCompleteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            followup = services.followup_complete(
                followup=followup, user=request.user, outcome=given.validated_data["outcome"]
            )
        return Response(FollowUpSerializer(followup).data)

    @extend_schema(request=FollowUpSnoozeSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def snooze(self, request: Request, pk: str) -> Response:
        followup = self.get_object()
        given = FollowUpSnoozeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            followup = services.followup_snooze(
                followup=followup, user=request.user, until=given.validated_data["until"]
            )
        return Response(FollowUpSerializer(followup).data)


class MessagePagination(KeysetPagination):
    ordering = ("-send_after", "-id")


@extend_schema(tags=["messages"])
class MessageViewSet(ApiViewSet):
    """The outbox: messages sent on your behalf (managers and admins: everyone's), latest
    first. `?status=scheduled` lists what is about to go out."""

    serializer_class = MessageSerializer
    pagination_class = MessagePagination
    lookup_value_converter = "int"

    def get_queryset(self):
        wanted = self.request.query_params.get("status", "")
        if wanted and wanted not in Message.Status.values:
            raise exceptions.ValidationError({"status": [f"“{wanted}” is not a status."]})
        return selectors.message_list(user=self.request.user, status=wanted)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MessageSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(MessageSerializer(self.get_object()).data)

    @extend_schema(responses=MessagePreviewSerializer)
    @action(detail=True, methods=["get"])
    def preview(self, request: Request, pk: str) -> Response:
        rendered = selectors.message_preview(message=self.get_object())
        return Response({"subject": rendered.subject, "text": rendered.text, "html": rendered.html})

    @extend_schema(request=MessageEditSerializer, responses=MessageSerializer)
    @action(detail=True, methods=["post"])
    def edit(self, request: Request, pk: str) -> Response:
        message = self.get_object()
        given = MessageEditSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            message = services.message_edit(
                message=message, user=request.user, **given.validated_data
            )
        return Response(MessageSerializer(message).data)

    @extend_schema(request=None, responses=MessageSerializer)
    @action(detail=True, methods=["post"], url_path="send-now")
    def send_now(self, request: Request, pk: str) -> Response:
        message = self.get_object()
        with service_errors():
            message = services.message_send_now(message=message, user=request.user)
        return Response(MessageSerializer(message).data)

    @extend_schema(request=MessageSkipSerializer, responses=MessageSerializer)
    @action(detail=True, methods=["post"])
    def skip(self, request: Request, pk: str) -> Response:
        message = self.get_object()
        given = MessageSkipSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            message = services.message_skip(
                message=message, user=request.user, reason=given.validated_data["reason"]
            )
        return Response(MessageSerializer(message).data)

    @extend_schema(
        responses=MessageMarketNotesSerializer,
        description="The market note the message carries for {{ market_note }} and the most "
        "relevant fresh ones the recipient has not had, with why each matched.",
    )
    @action(detail=True, methods=["get"], url_path="market-notes")
    def market_notes(self, request: Request, pk: str) -> Response:
        message = self.get_object()
        found = selectors.message_market_notes(
            message=message, user=request.user, preview=selectors.message_preview(message=message)
        )
        return Response(MessageMarketNotesSerializer(found).data)

    @extend_schema(
        request=MessageMarketNoteSetSerializer,
        responses=MessageSerializer,
        description="Swap the market note of a scheduled message (`note`), take it out "
        "(`removed`), or leave both out to let Rapport choose again.",
    )
    @market_notes.mapping.post
    def market_note_set(self, request: Request, pk: str) -> Response:
        message = self.get_object()
        given = MessageMarketNoteSetSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        note_id = given.validated_data.get("note")
        note = MarketNote.objects.filter(pk=note_id).first() if note_id else None
        if note_id and note is None:
            raise exceptions.ValidationError({"note": ["No such market note."]})
        with service_errors():
            message = services.message_market_note_set(
                message=message, user=request.user, note=note,
                removed=given.validated_data["removed"],
            )  # fmt: skip
        return Response(MessageSerializer(message).data)


class MarketNoteUsePagination(KeysetPagination):
    ordering = ("-used_at", "-id")


@extend_schema(tags=["market"])
class MarketNoteUseViewSet(ApiViewSet):
    """Which market note went to whom, in which message (`?contact=` or `?note=`): a note goes
    to a person once, so this is what they have already read from you."""

    serializer_class = MarketNoteUseSerializer
    pagination_class = MarketNoteUsePagination
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return selectors.market_note_use_list(
            user=self.request.user,
            contact_id=id_param(self.request, "contact"),
            note_id=id_param(self.request, "note"),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("contact", int, description="A recipient's (contact's) id."),
            OpenApiParameter("note", int, description="A market note's id."),
        ]
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MarketNoteUseSerializer(page, many=True).data)


class SingleObjectSchema(AutoSchema):
    """The schema of a viewset whose `list` answers one object (drf-spectacular assumes a list)."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


@extend_schema(tags=["policy"])
class PolicyViewSet(ApiViewSet):
    """The agency's follow-through policy: everyone reads it, admins change it."""

    schema = SingleObjectSchema()
    serializer_class = PolicySerializer
    pagination_class = None

    @extend_schema(responses=PolicySerializer)
    def list(self, request: Request) -> Response:
        return Response(PolicySerializer(Policy.current()).data)

    @extend_schema(request=PolicySerializer, responses=PolicySerializer)
    @action(detail=False, methods=["patch"], url_path="current")
    def change(self, request: Request) -> Response:
        given = PolicySerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        with service_errors():
            policy = services.policy_update(user=request.user, **given.validated_data)
        return Response(PolicySerializer(policy).data)


@extend_schema(tags=["policy"])
class JobPolicyViewSet(ApiViewSet):
    """A job's overrides of the policy, by job id: everyone reads them; the job's owner, managers
    and admins change them (PUT replaces all three; null follows the agency's policy)."""

    serializer_class = JobPolicySerializer
    pagination_class = None
    lookup_url_kwarg = "job_id"

    def _job(self, job_id: str) -> Job:
        try:
            return selectors.policy_job_get(job_id=int(job_id))
        except (ValueError, Job.DoesNotExist) as error:
            raise exceptions.NotFound(f"There is no job number {job_id}.") from error

    def get_object(self) -> Job:
        """The job (for DRF's OPTIONS, which asks for the object to check the PUT permission)."""
        return self._job(self.kwargs[self.lookup_url_kwarg])

    def retrieve(self, request: Request, job_id: str) -> Response:
        override = selectors.job_policy_get(job=self._job(job_id))
        return Response(JobPolicySerializer(override or {}).data)

    @extend_schema(request=JobPolicySerializer, responses=JobPolicySerializer)
    def update(self, request: Request, job_id: str) -> Response:
        job = self._job(job_id)
        given = JobPolicySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with service_errors():
            override = services.job_policy_update(
                job=job, user=request.user, **given.validated_data
            )
        return Response(JobPolicySerializer(override or {}).data)


class ReplyPagination(KeysetPagination):
    ordering = ("-received_at", "-id")


@extend_schema(tags=["replies"])
class InboundReplyViewSet(ApiViewSet):
    """Inbound replies, newest first: the unmatched ones and those on your contacts' timelines
    (managers and admins see all). `?unmatched=true` lists only those waiting for a contact;
    `assign` puts one on a contact's timeline."""

    serializer_class = InboundReplySerializer
    pagination_class = ReplyPagination
    lookup_value_converter = "int"

    def get_queryset(self):
        return selectors.reply_list(
            user=self.request.user,
            unmatched_only=self.request.query_params.get("unmatched") == "true",
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(InboundReplySerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(InboundReplySerializer(self.get_object()).data)

    @extend_schema(request=ReplyAssignSerializer, responses=InboundReplySerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        reply = self.get_object()
        given = ReplyAssignSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        contact = Contact.objects.filter(pk=given.validated_data["contact"]).first()
        if contact is None:
            raise exceptions.ValidationError({"contact": ["There is no such contact."]})
        with service_errors():
            reply = inbound_assign(reply=reply, contact=contact, user=request.user)
        return Response(InboundReplySerializer(reply).data)


@extend_schema(tags=["replies"])
class ReplyOwedViewSet(ApiViewSet):
    """Open replies owed (follow-ups with reason reply_owed): yours, or everyone's for managers."""

    serializer_class = FollowUpSerializer
    pagination_class = FollowUpPagination

    def get_queryset(self):
        return selectors.reply_owed_list(user=self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(FollowUpSerializer(page, many=True).data)


@extend_schema(tags=["replies"])
class OneOffEmailViewSet(ApiViewSet):
    """Queue a one-off email to a contact: it leaves through the outbox (201 with the message)."""

    serializer_class = OneOffEmailSerializer
    pagination_class = None

    @extend_schema(request=OneOffEmailSerializer, responses={201: MessageSerializer})
    def create(self, request: Request) -> Response:
        given = OneOffEmailSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        contact = Contact.objects.filter(pk=data["contact"]).first()
        if contact is None:
            raise exceptions.ValidationError({"contact": ["There is no such contact."]})
        with service_errors():
            message = one_off_email_queue(
                user=request.user, contact=contact, subject=data["subject"], text=data["text"]
            )
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class RatingPagination(KeysetPagination):
    ordering = ("-requested_at", "-id")


@extend_schema(tags=["replies"])
class RatingViewSet(ApiViewSet):
    """Ratings after closure notices, newest first: of your messages, or everyone's for
    managers and admins."""

    serializer_class = RatingSerializer
    pagination_class = RatingPagination

    def get_queryset(self):
        return selectors.rating_list(user=self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RatingSerializer(page, many=True).data)


router = SimpleRouter(use_regex_path=False)
router.register("followups", FollowUpViewSet, basename="api-followup")
router.register("messages", MessageViewSet, basename="api-message")
router.register("policy", PolicyViewSet, basename="api-policy")
router.register("job-policies", JobPolicyViewSet, basename="api-job-policy")

router.register("inbound-replies", InboundReplyViewSet, basename="api-inbound-reply")
router.register("replies-owed", ReplyOwedViewSet, basename="api-reply-owed")
router.register("one-off-emails", OneOffEmailViewSet, basename="api-one-off-email")
router.register("ratings", RatingViewSet, basename="api-rating")
router.register("market-note-uses", MarketNoteUseViewSet, basename="api-market-note-use")

urlpatterns = router.urls
