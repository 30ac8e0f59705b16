"""Service levels: the two functions every timer's due time and state are computed by (see
followups.servicelevels), and the indexes the dashboards read through."""

from django.db import migrations, models

TIMER_FUNCTIONS = """
CREATE OR REPLACE FUNCTION followups_timer_due(started_at timestamptz, target interval)
RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT started_at + target $$;

CREATE OR REPLACE FUNCTION followups_timer_state(
    due_at timestamptz, target interval, met_at timestamptz, at timestamptz,
    warning_share double precision)
RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT CASE
    WHEN met_at IS NOT NULL AND met_at <= due_at THEN 'met'
    WHEN met_at IS NOT NULL THEN 'met_late'
    WHEN at > due_at THEN 'breached'
    WHEN due_at - at <= target * warning_share THEN 'due_soon'
    ELSE 'on_track'
END $$;
"""

TIMER_FUNCTIONS_DROP = """
DROP FUNCTION IF EXISTS followups_timer_state(
    timestamptz, interval, timestamptz, timestamptz, double precision);
DROP FUNCTION IF EXISTS followups_timer_due(timestamptz, interval);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0005_templates_unchanged_follow_the_defaults"),
        ("jobs", "0003_dashboard_indexes"),
    ]

    operations = [
        migrations.RunSQL(TIMER_FUNCTIONS, TIMER_FUNCTIONS_DROP),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(("reason", "call_instead")),
                fields=["created_at"],
                name="followups_call_instead_created",
            ),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                condition=models.Q(("sent_at__isnull", False)),
                fields=["sent_at"],
                name="followups_msg_sent",
            ),
        ),
    ]
