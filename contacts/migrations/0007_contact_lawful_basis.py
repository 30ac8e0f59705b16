# A contact's lawful basis, its date and its source (README, "Privacy and security").
#
# Existing contacts keep legitimate interest as of the day they were recorded (their created
# date, in the agency's time zone), with a source that says so. Each column is added with a
# constant default or none, which PostgreSQL does without rewriting the table; the dates are
# filled by one UPDATE before the column becomes NOT NULL with its default for new rows.

import django.db.models.functions.comparison
import django.db.models.functions.datetime
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

EXISTING_SOURCE = "on record before lawful bases were kept"


def basis_dates_fill(apps, schema_editor):
    schema_editor.execute(
        "UPDATE contacts_contact SET lawful_basis_on = (created_at AT TIME ZONE %s)::date",
        [settings.TIME_ZONE],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0006_fact_sensitive"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="lawful_basis",
            field=models.CharField(
                choices=[
                    ("legitimate_interest", "Legitimate interest"),
                    ("consent", "Consent"),
                    ("contract", "Contract"),
                ],
                db_default="legitimate_interest",
                default="legitimate_interest",
                max_length=24,
            ),
        ),
        # The existing rows' source first, then the default new rows get.
        migrations.AddField(
            model_name="contact",
            name="lawful_basis_source",
            field=models.CharField(
                blank=True,
                db_default=EXISTING_SOURCE,
                max_length=200,
                verbose_name="lawful basis source",
            ),
        ),
        migrations.AlterField(
            model_name="contact",
            name="lawful_basis_source",
            field=models.CharField(
                blank=True, db_default="", max_length=200, verbose_name="lawful basis source"
            ),
        ),
        migrations.AddField(
            model_name="contact",
            name="lawful_basis_on",
            field=models.DateField(null=True, verbose_name="lawful basis since"),
        ),
        migrations.RunPython(basis_dates_fill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="contact",
            name="lawful_basis_on",
            field=models.DateField(
                db_default=django.db.models.functions.comparison.Cast(
                    django.db.models.functions.datetime.Now(), models.DateField()
                ),
                default=django.utils.timezone.localdate,
                verbose_name="lawful basis since",
            ),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                condition=models.Q(("was_candidate", True)),
                fields=["lawful_basis_on"],
                name="contacts_contact_basis_review",
            ),
        ),
    ]
