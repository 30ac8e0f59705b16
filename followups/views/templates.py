"""Message templates with a live preview (admins)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import admin_required
from followups import rendering, selectors, services
from followups.content import templates_current
from followups.forms import (
    TemplateForm,
)
from followups.models import MessageKind
from followups.rendering import MERGE_FIELDS, merge_fields_unknown


@admin_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    words = templates_current()
    saved = selectors.template_kinds_saved()
    rows = [
        {"kind": kind, "label": label, "subject": words[kind]["subject"], "custom": kind in saved}
        for kind, label in MessageKind.choices
        if kind in words  # the manager's digest and one-off emails have no template
    ]
    return render(request, "followups/template_list.html", {"rows": rows})


SAMPLE_VALUES = {
    "first_name": "Ana",
    "full_name": "Ana Smith",
    "job_title": "Data lead",
    "company": "Acme",
    "stage": "submitted to client",
    "progress": "I put your profile forward to Acme on 2 March, and it is with them now.",
    "next_step": "I am waiting for their answer and will pass it on as soon as I have it.",
    "next_update": "Monday 16 March",
    "outcome": (
        "I have heard back from Acme about Data lead: they have decided not to take your "
        "application further."
    ),
    "pipeline": "- Screening: 2\n- Client interview: 1",
    "awaiting_feedback": "Ana Smith",
    "feedback_request": (
        "Ana Smith is waiting for your feedback: even a quick yes or no lets me keep them informed."
    ),
    "previous_recruiter": "Tom Brandt",
    "recruiter_name": "Rosa Reyes",
    "recruiter_signature": "Rosa Reyes\nrosa@example.com",
    "personal_note": "Great talking to you on Monday.",
    "market_note": (
        "One thing I am seeing in the market: Berlin fintechs are hiring Python engineers again."
    ),
    "market_this_week": (
        "What I am hearing in your market this week:\n"
        "- Data lead salaries in Berlin rose 4% (our Q1 placements).\n"
        "- Two fintechs in Berlin reopened their hiring."
    ),
    "unsubscribe_url": "https://rapport.example.com/unsubscribe/…",
    "rating_question": "How well did I keep you informed? One click tells me:",
    "rating_links": (
        "Good: https://rapport.example.com/rate/…\nOkay: https://rapport.example.com/rate/…\n"
        "Not good: https://rapport.example.com/rate/…"
    ),
    "rating_good_url": "https://rapport.example.com/rate/…",
    "rating_okay_url": "https://rapport.example.com/rate/…",
    "rating_not_good_url": "https://rapport.example.com/rate/…",
}


@admin_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    words = templates_current().get(kind)
    if kind not in MessageKind.values or words is None:
        raise Http404("No such kind of message.")
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


urlpatterns = [
    path("followups/templates/", template_list, name="template-list"),
    path("followups/templates/preview", template_preview, name="template-preview"),
    path("followups/templates/<str:kind>/", template_edit, name="template-edit"),
]
