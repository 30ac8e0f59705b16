"""Replies and one-off emails: the unmatched replies waiting for a recruiter, one reply (its new
text, the quoted history behind a toggle, sanitised HTML, attachments by name and size),
assigning one to a contact, and a recruiter's own email to a contact (the contact page's panel)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contacts.views.pages import contact_or_404
from core.forms import BootstrapForm
from followups import selectors
from followups.forms import OneOffEmailForm
from followups.replies import inbound_assign, one_off_email_queue


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


def _one_off_response(request, contact, form, status=200, sent="") -> HttpResponse:
    """The form alone for htmx (it swaps the panel, saying what was sent), else a page of its
    own."""
    template = (
        "followups/partials/one_off_panel.html"
        if getattr(request, "htmx", False)
        else "followups/one_off_form.html"
    )
    context = {"panel": {"contact": contact, "email_form": form, "sent": sent}}
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def one_off_email(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form, pre-filled from ?subject= (the "reply" link of a reply). POST: queue it."""
    contact = contact_or_404(pk)
    if request.method == "GET":
        form = OneOffEmailForm(initial={"subject": request.GET.get("subject", "")[:300]})
        return _one_off_response(request, contact, form)
    form = OneOffEmailForm(request.POST)
    if form.is_valid():
        try:
            one_off_email_queue(
                user=request.user,
                contact=contact,
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            sent = f"Your email to {contact} is on its way."
            if getattr(request, "htmx", False):
                # The swapped panel says so: a flash message would only show on the next page.
                return _one_off_response(request, contact, OneOffEmailForm(), sent=sent)
            messages.success(request, sent)
            return redirect("contacts:contact-detail", pk=contact.pk)
    return _one_off_response(request, contact, form, status=400)


urlpatterns = [
    path("contacts/<int:pk>/email", one_off_email, name="one-off-email"),
    path("replies/unmatched/", reply_unmatched_list, name="reply-unmatched"),
    path("replies/<int:pk>/", reply_detail, name="reply-detail"),
    path("replies/<int:pk>/assign", reply_assign, name="reply-assign"),
]
