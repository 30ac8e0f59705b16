"""The History pages of a contact and a job (crm.audit): who changed what, and when. Everyone
who may see the record (every signed-in user) sees its history; sensitive values are masked in
the trail itself."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from contacts.models import Contact
from contacts.panels import CONTACT_ACTIONS
from contacts.views.pages import contact_or_404
from core.panels import Link, Panel
from crm import audit
from jobs.models import Job
from jobs.panels import JOB_PAGE
from jobs.views.common import job_or_404


@require_GET
def contact_history(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_or_404(pk)
    return render(
        request,
        "crm/history.html",
        {
            "subject": contact,
            "back_url": reverse("contacts:contact-detail", args=[contact.pk]),
            "rows": audit.history_for_contact(contact),
            "limit": audit.HISTORY_LIMIT,
        },
    )


@require_GET
def job_history(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_or_404(pk)
    return render(
        request,
        "crm/history.html",
        {
            "subject": job,
            "back_url": reverse("jobs:job-detail", args=[job.pk]),
            "rows": audit.history_for_job(job),
            "limit": audit.HISTORY_LIMIT,
        },
    )


def contact_history_url(contact: Contact) -> str:
    return reverse("contact-history", args=[contact.pk])


def _job_history_link(request: HttpRequest, job: Job) -> dict[str, str]:
    return {"history_url": reverse("job-history", args=[job.pk])}


def panels_register() -> None:
    CONTACT_ACTIONS.register(Link("history", "History", contact_history_url, order=90))
    JOB_PAGE.register(Panel("history", "crm/partials/job_history_link.html", _job_history_link))


urlpatterns = [
    path("contacts/<int:pk>/history/", contact_history, name="contact-history"),
    path("jobs/<int:pk>/history/", job_history, name="job-history"),
]
