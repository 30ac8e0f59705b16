from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # The minutely planners' two reads that grew with history (the call-instead sweep over every
    # message, the touch budget over every follow-up of an owner). Built concurrently: the
    # outbox keeps sending while a big table is indexed.
    atomic = False

    dependencies = [
        ("followups", "0015_reconsent_and_erasure_requests"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="message",
            index=models.Index(
                condition=models.Q(
                    ("kind__in", ["closure", "status_update"]),
                    ("status__in", ["bounced", "complained", "failed", "suppressed"]),
                ),
                fields=["id"],
                name="followups_msg_undeliverable",
            ),
        ),
        AddIndexConcurrently(
            model_name="followup",
            index=models.Index(
                condition=models.Q(("reason", "relationship_cadence")),
                fields=["owner", "created_at"],
                name="followups_cadence_owner_day",
            ),
        ),
    ]
