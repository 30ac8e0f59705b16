import base64
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from followups.models import FollowUp, Message, Suppression, TrackingEvent
from tests.factories import StatusUpdateFactory

URL = "/webhooks/anymail/postmark/tracking/"
SECRET = "postmark:s3cret-hook"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


@pytest.fixture
def sent_update(recruiter):
    return StatusUpdateFactory(
        owner=recruiter,
        send_after=timezone.now() - timedelta(hours=1),
        status="sent",
        sent_at=timezone.now(),
        esp_message_id="esp-1",
    )


def _post(client, payload, auth=SECRET):
    headers = {}
    if auth is not None:
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(auth.encode()).decode()
    return client.post(URL, json.dumps(payload), content_type="application/json", **headers)


def _bounce(message, event_id=42):
    return {
        "RecordType": "Bounce",
        "ID": event_id,
        "Type": "HardBounce",
        "MessageID": message.esp_message_id,
        "Email": message.recipient,
        "BouncedAt": "2026-03-02T10:00:00Z",
        "Description": "The address does not exist.",
    }


def _delivery(message):
    return {
        "RecordType": "Delivery",
        "MessageID": message.esp_message_id,
        "Recipient": message.recipient,
        "DeliveredAt": "2026-03-02T09:30:00Z",
    }


def test_delivery_event_marks_the_message_delivered(client, sent_update):
    response = _post(client, _delivery(sent_update))

    assert response.status_code == 200
    sent_update.refresh_from_db()
    assert sent_update.status == "delivered"
    assert TrackingEvent.objects.get().message_id == sent_update.pk


def test_bounce_suppresses_the_address_and_turns_the_update_into_a_call(client, sent_update):
    response = _post(client, _bounce(sent_update))

    assert response.status_code == 200
    sent_update.refresh_from_db()
    assert sent_update.status == "bounced"
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason) == (sent_update.recipient, "bounced")
    followup = FollowUp.objects.get()
    assert (followup.reason, followup.message_id) == ("call_instead", sent_update.pk)


def test_status_only_moves_forward(client, sent_update):
    _post(client, _bounce(sent_update))

    _post(client, _delivery(sent_update))

    sent_update.refresh_from_db()
    assert sent_update.status == "bounced"
    assert TrackingEvent.objects.count() == 2


def test_replayed_event_changes_nothing(client, sent_update):
    _post(client, _bounce(sent_update))
    Message.objects.filter(pk=sent_update.pk).update(status="sent")
    FollowUp.objects.all().delete()
    Suppression.objects.all().delete()

    response = _post(client, _bounce(sent_update))

    assert response.status_code == 200
    sent_update.refresh_from_db()
    assert sent_update.status == "sent"
    assert TrackingEvent.objects.count() == 1
    assert Suppression.objects.count() == 0
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize("auth", [None, "postmark:wrong", "someone:s3cret-hook"])
def test_forged_or_unauthenticated_webhook_is_rejected_and_changes_nothing(
    client, sent_update, auth
):
    response = _post(client, _bounce(sent_update), auth=auth)

    assert response.status_code == 400
    sent_update.refresh_from_db()
    assert sent_update.status == "sent"
    assert TrackingEvent.objects.count() == 0
    assert Suppression.objects.count() == 0
    assert FollowUp.objects.count() == 0


def test_webhook_without_a_configured_secret_is_refused(client, settings, sent_update):
    settings.ANYMAIL = {}

    response = _post(client, _bounce(sent_update), auth=None)

    assert response.status_code == 403
    assert TrackingEvent.objects.count() == 0


@pytest.mark.parametrize("body", [b"not json", b"\xff\xfe\x00", b'{"RecordType": '])
def test_a_body_that_is_not_json_is_a_400_and_changes_nothing(client, sent_update, body):
    auth = "Basic " + base64.b64encode(SECRET.encode()).decode()

    response = client.post(URL, body, content_type="application/json", HTTP_AUTHORIZATION=auth)

    assert response.status_code == 400
    assert TrackingEvent.objects.count() == 0


def test_a_bounce_naming_another_address_suppresses_only_the_message_recipient(client, sent_update):
    payload = {**_bounce(sent_update), "Email": "bystander@example.com"}

    response = _post(client, payload)

    assert response.status_code == 200
    assert list(Suppression.objects.values_list("email", flat=True)) == [sent_update.recipient]
