"""Unsubscribe links name no readable contact id and expire after UNSUBSCRIBE_VALIDITY."""

import base64
import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.test import Client

from followups.content import UNSUBSCRIBE_SALT, UNSUBSCRIBE_VALIDITY, unsubscribe_token
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

SENT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _one_click(contact, token):
    response = Client(enforce_csrf_checks=True).post(
        f"/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    contact.refresh_from_db()
    return response.status_code, contact.email_opt_out


def test_the_token_does_not_show_the_contact_id():
    contact = ContactFactory()

    tokens = set()
    for day in range(3):
        with time_machine.travel(SENT + dt.timedelta(days=day), tick=False):
            tokens.add(unsubscribe_token(contact.pk))

    assert len(tokens) == 3  # a new nonce each second: one contact's links cannot be matched
    for token in tokens:
        value = token.split(":")[0]
        decoded = base64.urlsafe_b64decode(value.removeprefix("u1.") + "==")
        assert str(contact.pk).encode() not in decoded
        assert contact.pk.to_bytes(8, "big") not in decoded
        assert '"c"' not in decoded.decode("latin-1")


def test_the_one_click_post_works_until_the_validity_ends():
    assert dt.timedelta(days=400) == UNSUBSCRIBE_VALIDITY
    contact = ContactFactory(emails=["ana@mail.example"])
    with time_machine.travel(SENT, tick=False):
        token = unsubscribe_token(contact.pk)

    with time_machine.travel(SENT + dt.timedelta(days=399), tick=False):
        assert _one_click(contact, token) == (200, True)


def test_an_expired_token_is_refused():
    contact = ContactFactory(emails=["ana@mail.example"])
    with time_machine.travel(SENT, tick=False):
        token = unsubscribe_token(contact.pk)

    with time_machine.travel(SENT + dt.timedelta(days=401), tick=False):
        assert _one_click(contact, token) == (404, False)


def test_a_first_style_token_works_until_it_expires():
    contact = ContactFactory(emails=["ana@mail.example"])
    with time_machine.travel(SENT, tick=False):
        token = signing.dumps({"c": contact.pk}, salt=UNSUBSCRIBE_SALT, compress=True)

    with time_machine.travel(SENT + dt.timedelta(days=401), tick=False):
        assert _one_click(contact, token) == (404, False)
    with time_machine.travel(SENT + dt.timedelta(days=10), tick=False):
        assert _one_click(contact, token) == (200, True)
