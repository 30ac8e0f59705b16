"""Who may see what. Pages and API views ask here instead of checking roles themselves."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied


def admin_required(view: Callable) -> Callable:
    """A page for admins only: anyone else logged in gets 403 (the login middleware has
    already sent anonymous visitors to the login page)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.is_admin:
            raise PermissionDenied("This page is for admins.")
        return view(request, *args, **kwargs)

    return wrapped
