"""Saved templates still word for word the first defaults (an admin opened one and saved it
unchanged) are dropped, so those kinds follow the current defaults (followups.content) like
every kind nobody edited. A template an admin changed is kept as it is."""

from django.db import migrations

# The defaults as they were before this migration, frozen here.
OLD_DEFAULTS = {
    "status_update": {
        "subject": "Your application for {{ job_title }}: an update",
        "text": (
            "Hi {{ first_name }},\n\n"
            "A quick update on {{ job_title }} at {{ company }}: you are at the "
            "{{ stage }} stage. {{ next_step }}\n\n{{ personal_note }}\n\n"
            "{{ recruiter_signature }}\n\n"
            "No more updates? Unsubscribe: {{ unsubscribe_url }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p><p>A quick update on {{ job_title }} at {{ company }}: "
            "you are at the {{ stage }} stage. {{ next_step }}</p><p>{{ personal_note }}</p>"
            "<p>{{ recruiter_signature }}</p>"
            '<p><a href="{{ unsubscribe_url }}">Unsubscribe from updates</a></p>'
        ),
    },
    "closure": {
        "subject": "Your application for {{ job_title }}",
        "text": (
            "Hi {{ first_name }},\n\n"
            "Thank you for your time on {{ job_title }} at {{ company }}. {{ outcome }}\n\n"
            "{{ personal_note }}\n\nI will keep you in mind for what comes next.\n\n"
            "{{ recruiter_signature }}\n\n"
            "No more emails from us? Unsubscribe: {{ unsubscribe_url }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p><p>Thank you for your time on {{ job_title }} at "
            "{{ company }}. {{ outcome }}</p><p>{{ personal_note }}</p>"
            "<p>I will keep you in mind for what comes next.</p><p>{{ recruiter_signature }}</p>"
        ),
    },
    "client_digest": {
        "subject": "{{ job_title }}: this week's pipeline",
        "text": (
            "Hi {{ first_name }},\n\nWhere {{ job_title }} stands:\n{{ pipeline }}\n\n"
            "Waiting for your feedback: {{ awaiting_feedback }}\n\n{{ personal_note }}\n\n"
            "{{ recruiter_signature }}\n\nNo more digests? Unsubscribe: {{ unsubscribe_url }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p><p>Where {{ job_title }} stands:</p><p>{{ pipeline }}</p>"
            "<p>Waiting for your feedback: {{ awaiting_feedback }}</p><p>{{ personal_note }}</p>"
            "<p>{{ recruiter_signature }}</p>"
            '<p><a href="{{ unsubscribe_url }}">Unsubscribe from digests</a></p>'
        ),
    },
    "job_closed": {
        "subject": "{{ job_title }} is closed",
        "text": (
            "Hi {{ first_name }},\n\n{{ job_title }} is now closed: {{ outcome }} "
            "Every candidate in the pipeline is being told.\n\n{{ personal_note }}\n\n"
            "{{ recruiter_signature }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p><p>{{ job_title }} is now closed: {{ outcome }} "
            "Every candidate in the pipeline is being told.</p><p>{{ personal_note }}</p>"
            "<p>{{ recruiter_signature }}</p>"
        ),
    },
    "introduction": {
        "subject": "Introducing {{ recruiter_name }}, your new contact",
        "text": (
            "Hi {{ first_name }},\n\nI am {{ recruiter_name }} and I am taking over from my "
            "colleague as your contact.\n\n{{ personal_note }}\n\n{{ recruiter_signature }}\n"
        ),
        "html": (
            "<p>Hi {{ first_name }},</p><p>I am {{ recruiter_name }} and I am taking over from "
            "my colleague as your contact.</p><p>{{ personal_note }}</p>"
            "<p>{{ recruiter_signature }}</p>"
        ),
    },
}


def _same(saved: str, default: str) -> bool:
    return saved.replace("\r\n", "\n").strip() == default.strip()


def drop_unchanged_defaults(apps, schema_editor):
    MessageTemplate = apps.get_model("followups", "MessageTemplate")
    for template in MessageTemplate.objects.filter(kind__in=list(OLD_DEFAULTS)):
        old = OLD_DEFAULTS[template.kind]
        if (
            " ".join(template.subject.split()) == old["subject"]
            and _same(template.text, old["text"])
            and _same(template.html, old["html"])
        ):
            template.delete()


class Migration(migrations.Migration):
    dependencies = [("followups", "0004_policy_row")]

    operations = [migrations.RunPython(drop_unchanged_defaults, migrations.RunPython.noop)]
