from celery import shared_task

from crm import audit, services


@shared_task(name="crm.heartbeat", bind=True)
def heartbeat(self, source: str) -> None:
    services.heartbeat_record(source=source, worker=self.request.hostname or "unknown")


@shared_task(name="crm.audit_prune")
def audit_prune() -> int:
    """Daily: the audit trail forgets entries older than AUDIT_RETENTION_DAYS."""
    return audit.audit_prune()
