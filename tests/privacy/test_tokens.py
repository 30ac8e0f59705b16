"""API tokens on /account/tokens/: created by their owner, the key shown once and stored hashed,
revoked by their owner; the `Authorization: Token <key>` header works with them and with the
older admin-issued keys."""

import re

import pytest

from accounts.models import ApiToken
from tests.helpers import texts

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_stored_hashed_works_and_is_revoked(rosa_client, api, recruiter):
    created = rosa_client.post("/account/tokens/", {"name": "my spreadsheet"})

    [key] = texts(created.content, "new-key")
    assert re.fullmatch(r"rp_[0-9a-f]{40}", key)
    token = ApiToken.objects.get(user=recruiter)
    assert (token.name, token.prefix) == ("my spreadsheet", key[:8])
    assert key not in token.key_hash
    assert key not in rosa_client.get("/account/tokens/").content.decode()
    ok = api.get("/api/v1/organizations/", HTTP_AUTHORIZATION=f"Token {key}")
    assert ok.status_code == 200
    rosa_client.post(f"/account/tokens/{token.pk}/revoke/")
    refused = api.get("/api/v1/organizations/", HTTP_AUTHORIZATION=f"Token {key}")
    assert refused.status_code == 401
    assert ApiToken.objects.count() == 0


def test_another_user_cannot_revoke_a_token(tom_client, recruiter):
    from accounts.services import api_token_create

    token, _key = api_token_create(user=recruiter, name="mine")

    response = tom_client.post(f"/account/tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_an_admin_issued_key_still_works(api, rosa_token):
    assert api.get("/api/v1/organizations/", **rosa_token).status_code == 200
