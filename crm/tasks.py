from celery import shared_task

from crm import services


@shared_task(name="crm.heartbeat", bind=True)
def heartbeat(self, source: str) -> None:
    services.heartbeat_record(source=source, worker=self.request.hostname or "unknown")
