import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from followups.content import DEFAULT_TEMPLATES, templates_current
from followups.models import MessageTemplate
from followups.services import template_save


def test_template_with_unknown_merge_field_cannot_be_saved(db):
    with pytest.raises(ValidationError) as error:
        template_save(
            kind="status_update",
            subject="News on {{ job_title }}",
            text="Hi {{ frist_name }}, {{ salary }} and {{frist_name}}",
        )

    assert error.value.message_dict == {
        "text": ["Unknown merge field: {{ frist_name }}, {{ salary }}."]
    }
    assert MessageTemplate.objects.count() == 0


def test_template_with_known_fields_is_saved(db):
    template = template_save(
        kind="closure", subject="About {{ job_title }}", text="Hi {{ first_name }}"
    )

    assert MessageTemplate.objects.get().pk == template.pk


def test_admin_template_page_refuses_unknown_field_next_to_the_field(client, admin_user, password):
    client.login(username=admin_user.username, password=password)

    response = client.post(
        "/followups/templates/status_update/",
        {"kind": "status_update", "subject": "{{ nope }}", "text": "Hi", "html": ""},
    )

    assert response.status_code == 400
    assert "Unknown merge field: {{ nope }}." in response.content.decode()
    assert MessageTemplate.objects.count() == 0


def test_live_preview_renders_sample_values(client, admin_user, password):
    client.login(username=admin_user.username, password=password)

    response = client.post(
        "/followups/templates/preview",
        {"subject": "Hi {{ first_name }}", "text": "{{ job_title }} {{ bogus }}", "html": ""},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Hi Ana" in body
    assert "Data lead" in body
    assert "Unknown merge field: bogus" in body


def test_recruiter_cannot_edit_templates(client, recruiter, password):
    client.login(username=recruiter.username, password=password)

    assert client.get("/followups/templates/").status_code == 403
    assert client.get("/followups/policy/").status_code == 403


def test_templates_saved_unchanged_from_the_old_defaults_follow_the_new_ones(db):
    migration = importlib.import_module(
        "followups.migrations.0005_templates_unchanged_follow_the_defaults"
    )
    old = migration.OLD_DEFAULTS
    # Saved through the form: the browser sends a textarea's line breaks as CRLF.
    MessageTemplate.objects.create(
        kind="closure",
        subject=old["closure"]["subject"],
        text=old["closure"]["text"].replace("\n", "\r\n"),
        html=old["closure"]["html"],
    )
    MessageTemplate.objects.create(
        kind="status_update",
        subject=old["status_update"]["subject"],
        text=old["status_update"]["text"] + "Our own words.\n",
        html=old["status_update"]["html"],
    )

    migration.drop_unchanged_defaults(django_apps, None)

    assert list(MessageTemplate.objects.values_list("kind", flat=True)) == ["status_update"]
    assert templates_current()["closure"] == DEFAULT_TEMPLATES["closure"]
