"""Celery tasks of the follow-through engine. Thin: parse, call the planner or the relay.

`at` (an ISO datetime) is the moment to act as of; beat passes nothing (now). Tests moving the
clock with time-machine pass it, since the worker process runs on the real clock."""

from datetime import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from followups import planners
from followups import relay as outbox


def _moment(at: str | None) -> datetime:
    if at is None:
        return timezone.now()
    moment = parse_datetime(at)
    if moment is None:
        raise ValueError(f"not an ISO datetime: {at!r}")
    return moment


@shared_task(name="followups.plan")
def plan(at: str | None = None) -> dict:
    """Plan every obligation that is due; kick the relay when something may leave now."""
    result = planners.plan_all(now=_moment(at))
    if result.messages:
        transaction.on_commit(lambda: relay.delay(at=at))
    return result.__dict__


@shared_task(name="followups.relay")
def relay(at: str | None = None) -> dict:
    """Send one batch of due messages; re-enqueue while more are due (no long countdowns)."""
    result = outbox.relay_batch(now=_moment(at))
    if result.more:
        relay.delay(at=at)
    return result.__dict__


@shared_task(name="followups.sweep")
def sweep(at: str | None = None) -> int:
    """Return messages whose worker died while sending; kick the relay for them."""
    recovered = outbox.messages_sweep(now=_moment(at))
    if recovered:
        relay.delay(at=at)
    return recovered
