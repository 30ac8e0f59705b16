import time

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a login, except views marked `@login_not_required` (login, health,
    unsubscribe) and the API, where DRF answers 401/403 itself instead of redirecting."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class QueryCountMiddleware:
    """Adds `X-Query-Count` to every response: how many SQL statements the request ran.
    Installed only when QUERY_COUNT_HEADER is on (the benchmark turns it on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connection

        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


SESSION_SEEN_KEY = "_seen_at"


class SessionIdleMiddleware:
    """A signed-in session ends after SESSION_IDLE_SECONDS without a request (the session's
    expiry, SESSION_COOKIE_AGE): a request renews it, writing the session at most every
    SESSION_RENEW_SECONDS rather than on every request (login stamps it, crm.apps)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(SESSION_SEEN_KEY)
            if seen is None or now - seen >= settings.SESSION_RENEW_SECONDS:
                request.session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


def session_stamp(sender, request, user, **kwargs) -> None:
    """user_logged_in: the new session was seen now (so its first request writes nothing)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_SEEN_KEY] = int(time.time())
