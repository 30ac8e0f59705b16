"""The outbox: the list, one message's preview, edit, send now, skip."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from followups import selectors, services
from followups.forms import (
    MessageEditForm,
    MessageSkipForm,
)
from followups.models import Message
from followups.permissions import can_change_message
from market.models import MarketNote

MESSAGE_LIST_LIMIT = 100


@require_GET
def message_list(request: HttpRequest) -> HttpResponse:
    """Scheduled messages first (soonest first), then the latest others: capped, no count."""
    pending = selectors.message_pending_list(user=request.user, limit=MESSAGE_LIST_LIMIT)
    recent = selectors.message_recent_list(user=request.user, limit=MESSAGE_LIST_LIMIT)
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
            "market": selectors.message_market_notes(
                message=message, user=request.user, preview=preview
            ),
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
def message_market_note(request: HttpRequest, pk: int) -> HttpResponse:
    """Swap the market note (note=<id>), remove it (note=none) or let Rapport choose (note=)."""
    message = selectors.message_get(user=request.user, pk=pk)
    choice = request.POST.get("note", "")
    note = None
    if choice.isdigit():
        note = MarketNote.objects.filter(pk=int(choice)).first()
    try:
        services.message_market_note_set(
            message=message, user=request.user, note=note, removed=choice == "none"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Market note updated.")
    return redirect("followups:message-detail", pk=message.pk)


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


urlpatterns = [
    path("messages/", message_list, name="message-list"),
    path("messages/<int:pk>/", message_detail, name="message-detail"),
    path("messages/<int:pk>/edit", message_edit, name="message-edit"),
    path("messages/<int:pk>/send-now", message_send_now, name="message-send-now"),
    path("messages/<int:pk>/market-note", message_market_note, name="message-market-note"),
    path("messages/<int:pk>/skip", message_skip, name="message-skip"),
]
