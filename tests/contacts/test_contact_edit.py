import datetime as dt

import pytest
import time_machine

from contacts.models import Contact, Organization
from contacts.services import contact_create
from tests.factories import OrganizationFactory
from tests.helpers import positions

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def ana():
    return contact_create(
        first_name="Ana", last_name="Smith", emails=["ana@smith.example"],
        phones=["020 7946 0958"], linkedin_url="https://www.linkedin.com/in/ana-smith",
        title="Engineer", organization=OrganizationFactory(name="Acme"), roles=["candidate"],
        tags=["python"], source="Meetup", location="Berlin", started_on=dt.date(2024, 3, 1),
    )  # fmt: skip


def edit_url(contact: Contact) -> str:
    return f"/contacts/{contact.pk}/edit/"


def form_data(contact: Contact, **overrides) -> dict:
    """What the edit page's form posts back unchanged, with `overrides`."""
    data = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "emails": "\n".join(contact.emails),
        "phones": "\n".join(contact.phones),
        "linkedin_url": contact.linkedin_url,
        "title": contact.title,
        "organization_name": contact.organization.name if contact.organization else "",
        "roles": contact.roles,
        "tags": ", ".join(contact.tags),
        "source": contact.source,
        "location": contact.location,
        "moved_on": "2026-11-20",
    }
    return {**data, **overrides}


def snapshot(contact: Contact) -> dict:
    fresh = Contact.objects.get(pk=contact.pk)
    return {
        field: getattr(fresh, field)
        for field in (
            "first_name", "last_name", "emails", "phones", "linkedin_url", "title",
            "organization_id", "roles", "tags", "source", "location", "updated_at",
        )
    }  # fmt: skip


@time_machine.travel(TODAY, tick=False)
def test_contact_edit_page_shows_the_contact_in_the_form(rosa_client, ana):
    response = rosa_client.get(edit_url(ana))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="h3 mb-3">Edit Ana Smith</h1>' in html
    assert 'name="organization_name" value="Acme"' in html
    assert 'name="tags" value="python"' in html
    assert 'name="moved_on" value="2026-11-20"' in html
    assert 'name="tier"' not in html
    assert 'value="candidate" class="form-check-input" id="id_roles_0" checked' in html


def test_contact_edit_title_change_closes_position_and_opens_new_one(rosa_client, ana):
    response = rosa_client.post(
        edit_url(ana), form_data(ana, title="Engineering Manager", moved_on="2026-01-05")
    )

    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{ana.pk}/"
    assert Contact.objects.get(pk=ana.pk).title == "Engineering Manager"
    assert positions(ana) == [
        ("Acme", "Engineer", dt.date(2024, 3, 1), dt.date(2026, 1, 5)),
        ("Acme", "Engineering Manager", dt.date(2026, 1, 5), None),
    ]


def test_contact_edit_organization_change_to_existing_one_records_the_move(rosa_client, ana):
    globex = OrganizationFactory(name="Globex")

    rosa_client.post(
        edit_url(ana), form_data(ana, organization_name="GLOBEX", moved_on="2025-06-01")
    )

    assert Contact.objects.get(pk=ana.pk).organization == globex
    assert positions(ana) == [
        ("Acme", "Engineer", dt.date(2024, 3, 1), dt.date(2025, 6, 1)),
        ("Globex", "Engineer", dt.date(2025, 6, 1), None),
    ]
    assert Organization.objects.count() == 2


def test_contact_edit_new_organization_name_creates_a_prospect(rosa_client, ana):
    rosa_client.post(edit_url(ana), form_data(ana, organization_name="Initech"))

    organization = Contact.objects.get(pk=ana.pk).organization
    assert (organization.name, organization.kind) == ("Initech", "prospect")
    assert positions(ana)[-1] == ("Initech", "Engineer", dt.date(2026, 11, 20), None)


@time_machine.travel(TODAY, tick=False)
def test_contact_edit_empty_moved_on_dates_the_move_today(rosa_client, ana):
    rosa_client.post(edit_url(ana), form_data(ana, organization_name="", moved_on=""))

    assert Contact.objects.get(pk=ana.pk).organization is None
    assert positions(ana) == [
        ("Acme", "Engineer", dt.date(2024, 3, 1), dt.date(2026, 11, 20)),
        ("", "Engineer", dt.date(2026, 11, 20), None),
    ]


def test_contact_edit_other_changes_only_pass_what_changed(rosa_client, ana):
    response = rosa_client.post(
        edit_url(ana),
        form_data(
            ana, organization_name="acme", emails="ana@new.example, ana@smith.example",
            roles=["candidate", "client"], tags="Python, remote", location="Lisbon",
            do_not_contact="on",
        ),
        follow=True,
    )  # fmt: skip

    fresh = Contact.objects.get(pk=ana.pk)
    assert fresh.emails == ["ana@new.example", "ana@smith.example"]
    assert fresh.roles == ["candidate", "client"]
    assert fresh.tags == ["python", "remote"]
    assert (fresh.location, fresh.do_not_contact) == ("Lisbon", True)
    assert positions(ana) == [("Acme", "Engineer", dt.date(2024, 3, 1), None)]
    assert [str(m) for m in response.context["messages"]] == ["Ana Smith was updated."]


def test_contact_edit_without_change_adds_no_position_and_saves_nothing(rosa_client, ana):
    before = snapshot(ana)

    response = rosa_client.post(edit_url(ana), form_data(ana, roles=["candidate"]), follow=True)

    assert snapshot(ana) == before
    assert positions(ana) == [("Acme", "Engineer", dt.date(2024, 3, 1), None)]
    assert [str(m) for m in response.context["messages"]] == ["Nothing changed."]


def test_contact_edit_bad_linkedin_url_shows_field_error_and_changes_nothing(rosa_client, ana):
    before = snapshot(ana)

    response = rosa_client.post(
        edit_url(ana), form_data(ana, linkedin_url="https://example.com/ana", title="CTO")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "linkedin_url": [
            "Not a LinkedIn profile URL (expected https://www.linkedin.com/in/<name>)."
        ]
    }
    assert 'id="id_linkedin_url_error"' in html
    assert snapshot(ana) == before
    assert positions(ana) == [("Acme", "Engineer", dt.date(2024, 3, 1), None)]


def test_contact_edit_move_before_current_start_is_refused_next_to_moved_on(rosa_client, ana):
    before = snapshot(ana)

    response = rosa_client.post(
        edit_url(ana), form_data(ana, organization_name="Initech", moved_on="2023-01-01")
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "moved_on": [
            "The current position started on 2024-03-01; a move on 2023-01-01 would end it "
            "before it began."
        ]
    }
    assert 'id="id_moved_on_error"' in response.content.decode()
    assert snapshot(ana) == before
    assert positions(ana) == [("Acme", "Engineer", dt.date(2024, 3, 1), None)]
    assert not Organization.objects.filter(name="Initech").exists()


def test_contact_edit_duplicate_email_warns_with_links_but_saves(rosa_client, ana):
    ben = contact_create(first_name="Ben", last_name="Jones", emails=["ben@jones.example"])

    response = rosa_client.post(
        edit_url(ana), form_data(ana, emails="ana@smith.example\nBEN@jones.example"), follow=True
    )

    assert Contact.objects.get(pk=ana.pk).emails == ["ana@smith.example", "ben@jones.example"]
    assert [str(m) for m in response.context["messages"]] == [
        "Ana Smith was updated.",
        f'Possible duplicate: Ana Smith shares details with <a href="/contacts/{ben.pk}/">'
        f"Ben Jones</a> (email ben@jones.example). "
        f'<a href="/contacts/{ana.pk}/merge/">Merge them</a> if they are the same person.',
    ]


def test_contact_edit_unknown_contact_is_404(rosa_client, db):
    assert rosa_client.get("/contacts/999999/edit/").status_code == 404


def test_contact_edit_sends_anonymous_visitor_to_login(client, ana):
    before = snapshot(ana)

    response = client.post(edit_url(ana), form_data(ana, title="CTO"))

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/contacts/{ana.pk}/edit/"
    assert snapshot(ana) == before
