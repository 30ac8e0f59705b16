import datetime as dt

import pytest
import time_machine
from playwright.sync_api import Page, expect

from contacts.models import Contact, Employment, Organization
from contacts.services import contact_create
from relationships.models import Relationship
from tests.factories import OrganizationFactory
from tests.helpers import log_in

pytestmark = pytest.mark.django_db

NEW_URL = "/contacts/new/"
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def form_data(**overrides) -> dict[str, str | list[str]]:
    return {
        "first_name": "Ana",
        "last_name": "Smith",
        "emails": "",
        "phones": "",
        "linkedin_url": "",
        "title": "",
        "organization_name": "",
        "tags": "",
        "source": "",
        "location": "",
        "tier": "B",
        **overrides,
    }


def counts() -> tuple[int, int, int, int]:
    return (
        Contact.objects.count(),
        Relationship.objects.count(),
        Organization.objects.count(),
        Employment.objects.count(),
    )


def test_contact_new_page_shows_the_form(rosa_client):
    response = rosa_client.get(NEW_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["form"].fields) == [
        "first_name", "last_name", "emails", "phones", "linkedin_url", "title",
        "organization_name", "roles", "tags", "source", "location", "email_opt_out",
        "do_not_contact", "lawful_basis", "lawful_basis_on", "lawful_basis_source", "tier",
        "create_anyway",
    ]  # fmt: skip
    assert '<label class="form-label" for="id_emails">Emails</label>' in html
    assert 'name="create_anyway"' not in html  # offered only with duplicates
    assert '<option value="B" selected>B: every month</option>' in html


@time_machine.travel(NOW, tick=False)
def test_contact_new_creates_contact_and_relationship_owned_by_user(rosa_client, recruiter):
    acme = OrganizationFactory(name="Acme")

    response = rosa_client.post(
        NEW_URL,
        form_data(
            emails="Ana@Smith.example, ana@home.example\nana@smith.example",
            phones="020 7946 0958\n+49 30 1234567",
            linkedin_url="linkedin.com/in/ana-smith",
            title="Engineer",
            organization_name="  acme ",
            roles=["candidate", "referrer"],
            tags="Python, berlin",
            source="Meetup",
            location="Berlin",
            email_opt_out="on",
            tier="A",
        ),
    )

    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.pk}/"
    assert (contact.first_name, contact.last_name) == ("Ana", "Smith")
    assert contact.emails == ["ana@smith.example", "ana@home.example"]
    assert contact.phones == ["020 7946 0958", "+49 30 1234567"]
    assert contact.linkedin_url == "https://linkedin.com/in/ana-smith"
    assert contact.organization == acme
    assert contact.roles == ["candidate", "referrer"]
    assert contact.tags == ["python", "berlin"]
    assert (contact.source, contact.location) == ("Meetup", "Berlin")
    assert (contact.email_opt_out, contact.do_not_contact) == (True, False)
    relationship = contact.relationship
    assert (relationship.owner, relationship.tier, relationship.cadence_days) == (
        recruiter,
        "A",
        14,
    )
    assert relationship.next_touch_due == NOW + dt.timedelta(days=14)
    assert [(e.organization, e.title, e.started_on) for e in contact.employments.all()] == [
        (acme, "Engineer", dt.date(2026, 11, 20))
    ]
    assert Organization.objects.count() == 1


def test_contact_new_success_message_shows_on_the_next_page(rosa_client):
    response = rosa_client.post(NEW_URL, form_data(), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Ana Smith was added to your contacts."
    ]


def test_contact_new_unknown_organization_is_created_as_prospect(rosa_client):
    OrganizationFactory(name="Acme")

    rosa_client.post(NEW_URL, form_data(organization_name="Initech"))

    contact = Contact.objects.get()
    assert (contact.organization.name, contact.organization.kind) == ("Initech", "prospect")
    assert Organization.objects.count() == 2


def test_contact_new_duplicate_email_is_offered(rosa_client):
    existing = contact_create(
        first_name="Ana", last_name="Smith", emails=["ana@smith.example"], title="Engineer",
        organization=OrganizationFactory(name="Acme"),
    )  # fmt: skip
    before = counts()

    response = rosa_client.post(NEW_URL, form_data(emails=" ANA@smith.example "))

    html = response.content.decode()
    assert response.status_code == 200
    assert counts() == before
    assert [(m.contact, m.reasons) for m in response.context["duplicates"]] == [
        (existing, ["email ana@smith.example"])
    ]
    assert f'<a href="/contacts/{existing.pk}/">Ana Smith</a>' in html
    assert "— same email ana@smith.example" in html
    assert "Engineer at Acme" in html
    assert 'name="create_anyway"' in html


def test_contact_new_duplicate_phone_in_other_format_is_offered(rosa_client):
    existing = contact_create(first_name="Ana", phones=["+44 20 7946 0958"])
    before = counts()

    response = rosa_client.post(NEW_URL, form_data(phones="(020) 7946-0958"))

    assert counts() == before
    assert [(m.contact, m.reasons) for m in response.context["duplicates"]] == [
        (existing, ["phone (020) 7946-0958"])
    ]
    assert "— same phone (020) 7946-0958" in response.content.decode()


def test_contact_new_duplicate_linkedin_profile_is_offered(rosa_client):
    existing = contact_create(
        first_name="Ana", linkedin_url="https://www.linkedin.com/in/ana-smith/"
    )
    before = counts()

    response = rosa_client.post(
        NEW_URL, form_data(linkedin_url="linkedin.com/in/Ana-Smith?trk=profile")
    )

    assert counts() == before
    assert [(m.contact, m.reasons) for m in response.context["duplicates"]] == [
        (existing, ["LinkedIn profile"])
    ]


def test_contact_new_several_matches_are_all_listed(rosa_client):
    by_email = contact_create(first_name="Ana", emails=["ana@smith.example"])
    by_phone = contact_create(first_name="Anna", phones=["020 7946 0958"])

    response = rosa_client.post(
        NEW_URL, form_data(emails="ana@smith.example", phones="+44 20 7946 0958")
    )

    assert [(m.contact, m.reasons) for m in response.context["duplicates"]] == [
        (by_email, ["email ana@smith.example"]),
        (by_phone, ["phone +44 20 7946 0958"]),
    ]


def test_contact_new_create_anyway_creates_the_second_contact(rosa_client, recruiter):
    existing = contact_create(first_name="Ana", emails=["ana@smith.example"])

    response = rosa_client.post(NEW_URL, form_data(emails="ana@smith.example", create_anyway="on"))

    created = Contact.objects.exclude(pk=existing.pk).get()
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{created.pk}/"
    assert created.emails == ["ana@smith.example"]
    assert created.relationship.owner == recruiter


def test_contact_new_bad_email_shows_error_next_to_field_and_creates_nothing(rosa_client):
    before = counts()

    response = rosa_client.post(
        NEW_URL, form_data(emails="ana@smith.example\nnot-an-email", organization_name="Initech")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "emails": ["'not-an-email' is not a valid email address."]
    }
    assert (
        '<div class="invalid-feedback d-block" id="id_emails_error"><div>'
        "&#x27;not-an-email&#x27; is not a valid email address.</div></div>"
    ) in html
    assert 'aria-invalid="true"' in html
    assert counts() == before


def test_contact_new_bad_linkedin_url_shows_error_next_to_field(rosa_client):
    response = rosa_client.post(NEW_URL, form_data(linkedin_url="https://example.com/ana"))

    assert response.context["form"].errors == {
        "linkedin_url": [
            "Not a LinkedIn profile URL (expected https://www.linkedin.com/in/<name>)."
        ]
    }
    assert Contact.objects.count() == 0


def test_contact_new_missing_first_name_and_unknown_tier_are_refused(rosa_client):
    response = rosa_client.post(NEW_URL, form_data(first_name="  ", tier="Z"))

    assert response.context["form"].errors == {
        "first_name": ["This field is required."],
        "tier": ["Select a valid choice. Z is not one of the available choices."],
    }
    assert Contact.objects.count() == 0


def test_contact_new_service_error_rolls_back_the_new_organization(rosa_client):
    # A phone the form passes but the column (40 characters) refuses, once the organization
    # exists.
    long_phone = "+44 20 7946 0958 " + "0" * 30
    before = counts()

    response = rosa_client.post(NEW_URL, form_data(phones=long_phone, organization_name="Initech"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "phones": [
            "Item 1 in the array did not validate: Ensure this value has at most 40 "
            "characters (it has 47)."
        ]
    }
    assert counts() == before


def test_contact_new_email_too_long_for_the_column_is_refused_by_the_email_rule(rosa_client):
    # Valid for Django's validator (≤ 320), too long for the column (254).
    long_email = "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "example.com"

    response = rosa_client.post(NEW_URL, form_data(emails=long_email, organization_name="Initech"))

    assert response.context["form"].errors == {
        "emails": [f"{long_email!r} is longer than 254 characters."]
    }
    assert Contact.objects.count() == 0


def test_contact_new_sends_anonymous_visitor_to_login(client, db):
    response = client.post(NEW_URL, form_data())

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/contacts/new/"
    assert Contact.objects.count() == 0


@pytest.mark.browser
def test_contact_new_journey_offers_duplicate_then_creates_anyway(
    page: Page, live_server, recruiter, password
):
    existing = contact_create(first_name="Ana", last_name="Smith", emails=["ana@smith.example"])
    log_in(page, live_server, password, "/contacts/")
    page.get_by_role("link", name="New contact").click()

    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Smith")
    page.get_by_label("Emails").fill("Ana@Smith.example")
    page.get_by_label("Organization").fill("Initech")
    page.get_by_label("Candidate").check()
    page.get_by_role("button", name="Create contact").click()

    warning = page.get_by_test_id("duplicates")
    expect(warning).to_contain_text("same email ana@smith.example")
    expect(warning.get_by_role("link", name="Ana Smith")).to_have_attribute(
        "href", f"/contacts/{existing.pk}/"
    )
    page.get_by_label("Create anyway: this is a different person").check()
    page.get_by_role("button", name="Create contact").click()

    expect(page.get_by_role("status")).to_have_text("Ana Smith was added to your contacts.")
    created = Contact.objects.exclude(pk=existing.pk).get()
    expect(page).to_have_url(f"{live_server.url}/contacts/{created.pk}/")
    assert (created.organization.name, created.roles) == ("Initech", ["candidate"])
    assert created.relationship.owner == recruiter
