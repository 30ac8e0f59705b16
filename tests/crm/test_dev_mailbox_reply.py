import re
from html import unescape

import pytest
from django.utils import timezone

from followups.models import FollowUp, InboundReply
from followups.relay import relay_batch
from tests.factories import StatusUpdateFactory, UserFactory


@pytest.fixture
def as_admin(client, admin_user, password):
    client.login(username=admin_user.username, password=password)
    return client


def test_simulate_a_reply_from_the_development_mailbox(as_admin, settings, tmp_path):
    settings.DEBUG = True
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.REPLY_DOMAIN = "reply.localhost"
    owner = UserFactory(username="rosa")
    message = StatusUpdateFactory(owner=owner, send_after=timezone.now())
    relay_batch(now=timezone.now())

    page = as_admin.get("/dev/mailbox/").content.decode()
    form = re.search(r'<form[^>]*data-testid="simulate-reply">(.*?)</form>', page, re.S).group(1)
    fields = {
        name: unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)
    }
    response = as_admin.post("/dev/mailbox/reply", {**fields, "text": "Sounds good."})

    assert response.status_code == 302
    reply = InboundReply.objects.get()
    assert (reply.contact_id, reply.message_id, reply.matched_by, reply.reply_text) == (
        message.contact_id,
        message.pk,
        "token",
        "Sounds good.",
    )
    assert FollowUp.objects.get(reason="reply_owed").owner_id == owner.pk


def test_simulate_a_reply_is_off_without_debug(as_admin, settings):
    settings.DEBUG = False
    assert as_admin.post("/dev/mailbox/reply", {"to": "x@y"}).status_code == 404
    assert not InboundReply.objects.exists()
