"""Login with a lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for a username,
or from an address, logins are refused until AXES_COOLOFF_TIME passes or an admin unlocks
(the axes admin, or `manage.py axes_reset_username <name>` / `axes_reset_ip <address>`)."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check for web logins, which always come with a request; a login without one (a
    shell, a test client's `login()`) is left to the next backend, ModelBackend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
