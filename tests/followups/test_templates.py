import pytest
from django.core.exceptions import ValidationError

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
