"""Replies: the unmatched ones waiting for a recruiter, one reply (its new text, the quoted history
behind a toggle, sanitised HTML, attachments by name and size) and assigning one to a contact."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from contacts.views.pages import contact_or_404
from core.forms import BootstrapForm
from followups import selectors
from followups.replies import inbound_assign


class ReplyAssignForm(BootstrapForm):
    contact = forms.IntegerField(min_value=1, label="Contact number")


@require_GET
def reply_unmatched_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "followups/reply_list.html",
        {"replies": selectors.replies_unmatched(limit=100)},
    )


def _reply_page(request, reply, form=None, status=200) -> HttpResponse:
    return render(
        request,
        "followups/reply_detail.html",
        {"reply": reply, "form": form or ReplyAssignForm()},
        status=status,
    )


@require_GET
def reply_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _reply_page(request, selectors.reply_get(pk=pk))


@require_POST
def reply_assign(request: HttpRequest, pk: int) -> HttpResponse:
    reply = selectors.reply_get(pk=pk)
    form = ReplyAssignForm(request.POST)
    if form.is_valid():
        contact = contact_or_404(form.cleaned_data["contact"])
        try:
            inbound_assign(reply=reply, contact=contact, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, f"The reply is on {contact}'s timeline.")
            return redirect("followups:reply-detail", pk=reply.pk)
    return _reply_page(request, reply, form=form, status=400)


urlpatterns = [
    path("replies/unmatched/", reply_unmatched_list, name="reply-unmatched"),
    path("replies/<int:pk>/", reply_detail, name="reply-detail"),
    path("replies/<int:pk>/assign", reply_assign, name="reply-assign"),
]
