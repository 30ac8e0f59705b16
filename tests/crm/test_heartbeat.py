import pytest

from crm.models import Heartbeat
from crm.services import heartbeat_record
from tests.helpers import wait_until


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_ping_queued_by_web_runs_on_real_worker(
    client, admin_user, password, celery_worker_process
):
    client.login(username=admin_user.username, password=password)
    assert not Heartbeat.objects.filter(source=Heartbeat.Source.MANUAL).exists()

    response = client.post("/status/ping")

    assert response.status_code == 302
    heartbeat = wait_until(
        lambda: Heartbeat.objects.filter(source=Heartbeat.Source.MANUAL).first(),
        timeout=30,
        what="the worker to record the manual heartbeat",
    )
    assert heartbeat.worker.startswith("test-worker@")
    assert heartbeat.runs == 1


def test_heartbeat_record_counts_runs(db):
    heartbeat_record(source="beat", worker="w1@host")
    heartbeat = heartbeat_record(source="beat", worker="w2@host")

    assert (heartbeat.source, heartbeat.worker, heartbeat.runs) == ("beat", "w2@host", 2)
    assert Heartbeat.objects.count() == 1


def test_heartbeat_record_unknown_source_is_refused(db):
    with pytest.raises(ValueError, match="unknown heartbeat source 'cron'"):
        heartbeat_record(source="cron", worker="w1@host")
    assert Heartbeat.objects.count() == 0


def test_status_page_shows_heartbeats_to_admin(client, admin_user, password):
    heartbeat_record(source="beat", worker="worker@box")
    client.login(username=admin_user.username, password=password)

    response = client.get("/status/")

    assert response.status_code == 200
    assert b"worker@box" in response.content
    assert b"Scheduled by beat" in response.content
