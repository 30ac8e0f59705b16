"""Follow-through pages: follow-ups (new, complete, snooze), the outbox (list, preview, edit,
send now, skip), templates with a live preview and the policy (admins), and unsubscribe (no
login: the signed link is the credential)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import admin_required
from contacts.models import Contact
from followups import rendering, selectors, services
from followups.content import templates_current, unsubscribe_contact_id
from followups.forms import (
    FollowUpCompleteForm,
    FollowUpForm,
    FollowUpSnoozeForm,
    JobPolicyForm,
    MessageEditForm,
    MessageSkipForm,
    PolicyForm,
    TemplateForm,
)
from followups.models import Message, MessageKind, MessageTemplate, Policy
from followups.permissions import can_change_message
from followups.rendering import MERGE_FIELDS, merge_fields_unknown
from jobs.models import Job
from jobs.permissions import can_change_job

app_name = "followups"

MESSAGE_LIST_LIMIT = 100

# --- follow-ups ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def followup_new(request: HttpRequest, contact_pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=contact_pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_create(
                owner=request.user,
                contact=contact,
                summary=form.cleaned_data["summary"],
                kind=form.cleaned_data["kind"],
                due_at=form.cleaned_data["due_at"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Follow-up with {contact} added.")
            return redirect("home")
    status = 400 if form.errors else 200
    return render(
        request, "followups/followup_form.html", {"form": form, "contact": contact}, status=status
    )


@require_POST
def followup_complete(request: HttpRequest, pk: int) -> HttpResponse:
    followup = selectors.followup_get(user=request.user, pk=pk)
    if not followup.is_open:
        # Done already, say by the call logged on the contact's page: nothing is logged twice.
        messages.info(request, f"Already done: {followup.summary} ({followup.outcome}).")
        return redirect("home")
    form = FollowUpCompleteForm(request.POST)
    if form.is_valid():
        try:
            services.followup_complete(
                followup=followup, user=request.user, outcome=form.cleaned_data["outcome"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Done: {followup.summary}. The outcome is on the timeline.")
            return redirect("home")
    messages.error(request, "Say how it went: " + " ".join(_errors(form)))
    return redirect("home")


@require_POST
def followup_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    followup = selectors.followup_get(user=request.user, pk=pk)
    form = FollowUpSnoozeForm(request.POST)
    if form.is_valid():
        try:
            services.followup_snooze(
                followup=followup, user=request.user, until=form.cleaned_data["until"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Snoozed: {followup.summary}.")
            return redirect("home")
    messages.error(request, "Not snoozed: " + " ".join(_errors(form)))
    return redirect("home")


def _errors(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


# --- the outbox ----------------------------------------------------------------------------------


@require_GET
def message_list(request: HttpRequest) -> HttpResponse:
    """Scheduled messages first (soonest first), then the latest others: capped, no count."""
    pending = list(
        selectors.message_list(user=request.user)
        .filter(status=Message.Status.SCHEDULED)
        .order_by("send_after", "id")[:MESSAGE_LIST_LIMIT]
    )
    recent = list(
        selectors.message_list(user=request.user)
        .exclude(status=Message.Status.SCHEDULED)
        .order_by("-updated_at", "-id")[:MESSAGE_LIST_LIMIT]
    )
    return render(request, "followups/message_list.html", {"pending": pending, "recent": recent})


def _message_page(
    request: HttpRequest,
    message: Message,
    *,
    edit_form: MessageEditForm | None = None,
    skip_form: MessageSkipForm | None = None,
    status: int = 200,
) -> HttpResponse:
    preview = selectors.message_preview(message=message)
    can_change = can_change_message(request.user, message) and (
        message.status == Message.Status.SCHEDULED
    )
    return render(
        request,
        "followups/message_detail.html",
        {
            "item": message,
            "preview": preview,
            "can_change": can_change,
            "edit_form": edit_form
            or MessageEditForm(initial={"subject": preview.subject, "text": preview.text}),
            "skip_form": skip_form or MessageSkipForm(),
        },
        status=status,
    )


@require_GET
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _message_page(request, selectors.message_get(user=request.user, pk=pk))


@require_POST
def message_edit(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_get(user=request.user, pk=pk)
    form = MessageEditForm(request.POST)
    if form.is_valid():
        try:
            services.message_edit(
                message=message,
                user=request.user,
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Saved: the message leaves as you wrote it.")
            return redirect("followups:message-detail", pk=message.pk)
    return _message_page(request, message, edit_form=form, status=400)


@require_POST
def message_send_now(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_get(user=request.user, pk=pk)
    try:
        services.message_send_now(message=message, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Sending now.")
    return redirect("followups:message-detail", pk=message.pk)


@require_POST
def message_skip(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_get(user=request.user, pk=pk)
    form = MessageSkipForm(request.POST)
    if form.is_valid():
        try:
            services.message_skip(
                message=message, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Skipped: it will not be sent.")
            return redirect("followups:message-detail", pk=message.pk)
    return _message_page(request, message, skip_form=form, status=400)


# --- templates and policy (admins) ---------------------------------------------------------------


@admin_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    words = templates_current()
    saved = set(MessageTemplate.objects.values_list("kind", flat=True))
    rows = [
        {"kind": kind, "label": label, "subject": words[kind]["subject"], "custom": kind in saved}
        for kind, label in MessageKind.choices
    ]
    return render(request, "followups/template_list.html", {"rows": rows})


SAMPLE_VALUES = {
    "first_name": "Ana",
    "full_name": "Ana Smith",
    "job_title": "Data lead",
    "company": "Acme",
    "stage": "client interview",
    "next_step": "The client is interviewing; I will pass on their feedback.",
    "outcome": "The client has decided not to go further with you.",
    "pipeline": "- Screening: 2\n- Client interview: 1",
    "awaiting_feedback": "Ana Smith",
    "recruiter_name": "Rosa Reyes",
    "recruiter_signature": "Rosa Reyes\nrosa@example.com",
    "personal_note": "Great talking to you on Monday.",
    "unsubscribe_url": "https://rapport.example.com/unsubscribe/…",
}


@admin_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in MessageKind.values:
        raise Http404("No such kind of message.")
    words = templates_current()[kind]
    form = TemplateForm(request.POST or None, initial={"kind": kind, **words})
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(
                kind=kind,
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["text"],
                html=form.cleaned_data["html"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{MessageKind(kind).label} template saved.")
            return redirect("followups:template-list")
    shown = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else words
    return render(
        request,
        "followups/template_form.html",
        {
            "form": form,
            "kind": kind,
            "label": MessageKind(kind).label,
            "fields": MERGE_FIELDS.items(),
            "preview": _template_preview(shown),
        },
        status=400 if form.errors else 200,
    )


def _template_preview(words: dict) -> dict:
    rendered = rendering.render(
        subject=words.get("subject", ""),
        text=words.get("text", ""),
        html=words.get("html", ""),
        values=SAMPLE_VALUES,
    )
    return {"rendered": rendered}


@admin_required
@require_POST
def template_preview(request: HttpRequest) -> HttpResponse:
    """The live preview (htmx): the template as typed, with sample values."""
    words = {name: request.POST.get(name, "") for name in ("subject", "text", "html")}
    unknown = sorted({name for source in words.values() for name in merge_fields_unknown(source)})
    return render(
        request,
        "followups/partials/template_preview.html",
        {"preview": _template_preview(words), "unknown": unknown},
    )


@admin_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest) -> HttpResponse:
    policy = Policy.current()
    form = PolicyForm(request.POST) if request.method == "POST" else PolicyForm.for_policy(policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Policy saved.")
            return redirect("followups:policy")
    return render(
        request, "followups/policy_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def job_policy_edit(request: HttpRequest, job_pk: int) -> HttpResponse:
    """A job's overrides of the policy: its owner, managers and admins."""
    job = get_object_or_404(Job.objects.select_related("organization"), pk=job_pk)
    if not can_change_job(request.user, job):
        raise PermissionDenied("Only the job's owner, a manager or an admin changes its policy.")
    if request.method == "POST":
        form = JobPolicyForm(request.POST)
    else:
        form = JobPolicyForm.for_job_policy(selectors.job_policy_get(job=job))
    if request.method == "POST" and form.is_valid():
        try:
            services.job_policy_update(job=job, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Follow-through policy for “{job.title}” saved.")
            return redirect("jobs:job-detail", pk=job.pk)
    context = {"form": form, "job": job, "policy": Policy.current()}
    return render(
        request, "followups/job_policy_form.html", context, status=400 if form.errors else 200
    )


# --- unsubscribe (no login: the signed token is the credential) ---------------------------------


def _contact_from_token(token: str) -> Contact:
    try:
        contact_id = unsubscribe_contact_id(token)
    except signing.BadSignature as error:
        raise Http404("This unsubscribe link is not valid.") from error
    return get_object_or_404(Contact, pk=contact_id)


@login_not_required
@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a CSRF token.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    contact = _contact_from_token(token)
    if request.method == "POST":
        services.contact_unsubscribe(contact=contact)
        return render(request, "followups/unsubscribed.html", {"contact": contact})
    return render(
        request,
        "followups/unsubscribe.html",
        {"contact": contact, "token": token, "done": contact.email_opt_out},
    )


urlpatterns = [
    path("followups/new/<int:contact_pk>", followup_new, name="followup-new"),
    path("followups/<int:pk>/complete", followup_complete, name="followup-complete"),
    path("followups/<int:pk>/snooze", followup_snooze, name="followup-snooze"),
    path("messages/", message_list, name="message-list"),
    path("messages/<int:pk>/", message_detail, name="message-detail"),
    path("messages/<int:pk>/edit", message_edit, name="message-edit"),
    path("messages/<int:pk>/send-now", message_send_now, name="message-send-now"),
    path("messages/<int:pk>/skip", message_skip, name="message-skip"),
    path("followups/templates/", template_list, name="template-list"),
    path("followups/templates/preview", template_preview, name="template-preview"),
    path("followups/templates/<str:kind>/", template_edit, name="template-edit"),
    path("followups/policy/", policy_edit, name="policy"),
    path("followups/policy/jobs/<int:job_pk>/", job_policy_edit, name="job-policy"),
    path("unsubscribe/<str:token>/", unsubscribe, name="unsubscribe"),
]
