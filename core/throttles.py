"""The API's rate limits (settings.REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES): past them the API
answers 429 with Retry-After. The rates are read per request, so a deployment and a test set
them in settings."""

from django.conf import settings
from rest_framework import throttling


class UserRateThrottle(throttling.UserRateThrottle):
    """Per signed-in user: settings.API_THROTTLE_USER (e.g. "5000/hour")."""

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_USER


class AnonRateThrottle(throttling.AnonRateThrottle):
    """Per address, for requests without credentials: settings.API_THROTTLE_ANON."""

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_ANON
