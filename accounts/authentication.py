"""`Authorization: Token <key>` for the API: the keys users create on /account/tokens/ (stored
hashed, accounts.models.ApiToken), and the keys an admin issued before in the Django admin (DRF's
authtoken, still accepted)."""

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken
from accounts.services import API_TOKEN_PREFIX, api_token_hash


class HashedTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str):
        if not key.startswith(API_TOKEN_PREFIX):
            return super().authenticate_credentials(key)
        token = ApiToken.objects.select_related("user").filter(key_hash=api_token_hash(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
