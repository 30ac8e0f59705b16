from django.db import models


class Heartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task, one row per source.

    `beat` proves the scheduler and a worker are alive; `manual` is a ping an admin sends from the
    status page, which proves that the web process can queue work for a worker."""

    class Source(models.TextChoices):
        BEAT = "beat", "Scheduled by beat"
        MANUAL = "manual", "Sent from the status page"

    source = models.CharField(max_length=16, choices=Source.choices, primary_key=True)
    ran_at = models.DateTimeField()
    worker = models.CharField(max_length=255, help_text="The Celery worker's node name.")
    runs = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.source} heartbeat at {self.ran_at:%Y-%m-%d %H:%M:%S} on {self.worker}"
