"""The dashboards' Celery task: the managers' weekly digest (dashboards.digest), planned by beat
every Monday morning. `at` (an ISO datetime) is the moment to act as of, as followups.tasks'."""

from datetime import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dashboards import snapshots
from dashboards.digest import manager_digest_plan
from followups.tasks import relay


def _moment(at: str | None) -> datetime:
    moment = timezone.now() if at is None else parse_datetime(at)
    if moment is None:
        raise ValueError(f"not an ISO datetime: {at!r}")
    return moment


@shared_task(name="dashboards.manager_digest_plan")
def manager_digest_plan_task(at: str | None = None) -> int:
    """Queue each manager's digest of this week; kick the relay when some were new."""
    planned = manager_digest_plan(now=_moment(at))
    if planned:
        transaction.on_commit(lambda: relay.delay(at=at))
    return planned


@shared_task(name="dashboards.snapshot_refresh")
def snapshot_refresh_task(spec: dict) -> str:
    """Compute a dashboard snapshot a view found stale (dashboards.snapshots)."""
    return snapshots.snapshot_refresh(snapshots.Spec.from_payload(spec)).isoformat()
