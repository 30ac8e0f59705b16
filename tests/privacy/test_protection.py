"""Login lockout (django-axes), session expiry after inactivity, API rate limits and the
security headers."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.management import call_command

from crm.middleware import SESSION_SEEN_KEY
from tests.factories import UserFactory
from tests.helpers import texts

pytestmark = pytest.mark.django_db


def _login(client, username, password, address="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_ten_wrong_passwords_lock_the_account_and_the_address_and_unlock_works(
    client, recruiter, password
):
    failures = [_login(client, "rosa", "wrong").status_code for _ in range(10)]
    right_password = _login(client, "rosa", password)
    same_address_other_user = _login(client, "nobody", "wrong")
    other_address = _login(client, "rosa", password, address="10.0.0.2")

    assert failures == [200] * 9 + [429]
    assert right_password.status_code == 429
    assert texts(right_password.content, "locked-out") == [
        "Too many wrong passwords (10): logging in is locked for this account and this address "
        "for a while. Try again later, or ask an admin to unlock it."
    ]
    assert same_address_other_user.status_code == 429
    assert other_address.status_code == 429  # the username is locked wherever it comes from
    call_command("axes_reset_username", "rosa")
    call_command("axes_reset_ip", "10.0.0.1")
    assert AccessAttempt.objects.count() == 0
    unlocked = _login(client, "rosa", password)
    assert (unlocked.status_code, unlocked.url) == (302, "/")


def test_a_session_ends_after_the_idle_time(client, recruiter, settings):
    settings.SESSION_IDLE_SECONDS = settings.SESSION_COOKIE_AGE = 3600
    settings.SESSION_RENEW_SECONDS = 300
    start = dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(recruiter)
    with time_machine.travel(start + dt.timedelta(minutes=50), tick=False):
        assert client.get("/contacts/").status_code == 200  # renews the session
        assert client.session[SESSION_SEEN_KEY] == int(
            (start + dt.timedelta(minutes=50)).timestamp()
        )
    with time_machine.travel(start + dt.timedelta(minutes=100), tick=False):
        assert client.get("/contacts/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=161), tick=False):
        response = client.get("/contacts/")
    assert (response.status_code, response.url) == (302, "/login/?next=/contacts/")


def test_the_api_answers_429_past_the_user_rate(api, settings):
    settings.API_THROTTLE_USER = "3/minute"
    api.force_login(UserFactory(username="throttled"))

    statuses = [api.get("/api/v1/organizations/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_pages_send_the_security_headers(rosa_client):
    response = rosa_client.get("/contacts/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
