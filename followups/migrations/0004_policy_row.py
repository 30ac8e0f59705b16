"""The follow-through policy's one row, so reading it (Policy.current()) never writes."""

from django.db import migrations


def policy_create(apps, schema_editor):
    Policy = apps.get_model("followups", "Policy")
    Policy.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("followups", "0003_relay_claim_token_and_lease")]

    operations = [migrations.RunPython(policy_create, migrations.RunPython.noop)]
