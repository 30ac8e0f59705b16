import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import admin_required
from core.panels import MY_DAY
from crm import selectors, services
from followups import selectors as followups_selectors

MAILBOX_LIMIT = 50

logger = logging.getLogger(__name__)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 in the API's error shape under /api/, the site's page elsewhere."""
    if request.path_info.startswith("/api/"):
        error = {"code": "not_found", "message": "Not found.", "fields": {}}
        return JsonResponse({"error": error}, status=404)
    return render(request, "404.html", status=404)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for load balancers: 200 when PostgreSQL and Redis answer, else 503
    naming the dependency that does not. The page needs no login, so it says only ok or
    unavailable per service; the error (which names hosts, sockets and addresses) goes to the log
    and to the admins' status page."""
    checks = selectors.health_list()
    healthy = all(check.ok for check in checks)
    for check in checks:
        if not check.ok:
            logger.warning("healthz: %s is unavailable: %s", check.name, check.error)
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {check.name: {"status": "ok" if check.ok else "unavailable"} for check in checks},
    }
    return JsonResponse(body, status=200 if healthy else 503)


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Pages link the SVG icon; what asks for /favicon.ico anyway (the Django admin, feed
    readers) is sent to it instead of filling the log with 404s."""
    return redirect(static("favicon.svg"), permanent=True)


@require_GET
def my_day(request: HttpRequest) -> HttpResponse:
    return render(request, "crm/my_day.html", {"panels": MY_DAY.render_list(request)})


@admin_required
@require_GET
def status(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "crm/status.html",
        {
            "checks": selectors.health_list(),
            "heartbeats": selectors.heartbeat_list(),
            "planner_runs": followups_selectors.planner_run_list(),
            "show_mailbox": settings.DEBUG,
        },
    )


@admin_required
@require_POST
def status_ping(request: HttpRequest) -> HttpResponse:
    services.heartbeat_request()
    messages.info(request, "Ping queued for a worker: reload in a moment to see it answered.")
    return redirect("status")


@admin_required
@require_POST
def dev_mailbox_reply(request: HttpRequest) -> HttpResponse:
    """Development only: answer a sent mail as its recipient would, through the inbound path
    (anymail's `inbound` signal, as an ESP's webhook would send it)."""
    if not settings.DEBUG:
        raise Http404("The development mailbox exists only with DEBUG on.")
    from anymail.inbound import AnymailInboundMessage
    from anymail.signals import AnymailInboundEvent, EventType, inbound

    message = AnymailInboundMessage.construct(
        from_email=request.POST.get("from", ""),
        to=request.POST.get("to", ""),
        subject=request.POST.get("subject", ""),
        text=request.POST.get("text", "") or "Thanks, that works for me.",
        headers=[("Message-ID", f"<dev-{uuid.uuid4()}@rapport.localhost>")],
    )
    inbound.send(
        sender=dev_mailbox_reply,
        event=AnymailInboundEvent(event_type=EventType.INBOUND, message=message),
        esp_name="Development",
    )
    messages.success(request, "Reply received: see the contact's timeline (or unmatched replies).")
    return redirect("dev-mailbox")


@admin_required
@require_GET
def dev_mailbox(request: HttpRequest) -> HttpResponse:
    """What the development file backend has "sent" (newest first)."""
    if not settings.DEBUG:
        raise Http404("The development mailbox exists only with DEBUG on.")
    folder = Path(settings.EMAIL_FILE_PATH)
    mails, more = selectors.dev_mail_list(folder=folder, limit=MAILBOX_LIMIT)
    return render(request, "crm/dev_mailbox.html", {"mails": mails, "folder": folder, "more": more})
