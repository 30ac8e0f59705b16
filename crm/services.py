from django.db import transaction
from django.db.models import F
from django.utils import timezone

from crm.models import Heartbeat


@transaction.atomic
def heartbeat_record(*, source: str, worker: str) -> Heartbeat:
    """Record that `worker` ran the heartbeat for `source` now."""
    if source not in Heartbeat.Source.values:
        raise ValueError(f"unknown heartbeat source {source!r}")
    heartbeat, created = Heartbeat.objects.get_or_create(
        source=source, defaults={"ran_at": timezone.now(), "worker": worker, "runs": 1}
    )
    if not created:
        Heartbeat.objects.filter(pk=source).update(
            ran_at=timezone.now(), worker=worker, runs=F("runs") + 1
        )
        heartbeat.refresh_from_db()
    return heartbeat


def heartbeat_request() -> None:
    """Queue a manual heartbeat for a worker, once the current transaction commits."""
    from crm.tasks import heartbeat

    heartbeat.delay_on_commit(source=Heartbeat.Source.MANUAL)
