"""anymail's tracking and inbound webhooks under /webhooks/anymail/<esp>/tracking/ and
/webhooks/anymail/<esp>/inbound/.

No login (an ESP cannot log in), but never unauthenticated: anymail checks the basic auth in
ANYMAIL["WEBHOOK_SECRET"], and without a secret configured every call is refused here (anymail
itself would only warn and accept)."""

import json
from functools import wraps

from anymail import urls as anymail_urls
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.urls import URLPattern

app_name = "webhooks"


def secret_required(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
            return HttpResponseForbidden("Webhooks are off: ANYMAIL_WEBHOOK_SECRET is not set.")
        try:
            return view(request, *args, **kwargs)
        except (json.JSONDecodeError, UnicodeDecodeError):
            # anymail parses the body itself and lets a malformed one escape as a 500.
            return HttpResponseBadRequest("The webhook body is not valid JSON.")

    return login_not_required(guarded)


def _served(pattern: URLPattern) -> bool:
    route = str(pattern.pattern)
    return route.endswith("tracking/") or "inbound" in route


urlpatterns = [
    # The same route (a path or, for Mailgun's inbound(_mime), a regex), guarded.
    URLPattern(pattern.pattern, secret_required(pattern.callback), name=pattern.name)
    for pattern in anymail_urls.urlpatterns
    if isinstance(pattern, URLPattern) and _served(pattern)
]
