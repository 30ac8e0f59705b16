import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from contacts.models import Contact, Employment, Organization
from contacts.normalize import linkedin_key, phone_key
from contacts.selectors import contact_duplicate_list
from contacts.services import (
    contact_create,
    contact_update,
    fact_create,
    organization_create,
    organization_update,
)
from tests.factories import ContactFactory, OrganizationFactory
from tests.helpers import positions

pytestmark = pytest.mark.django_db


def test_contact_create_with_organization_opens_current_position():
    acme = OrganizationFactory(name="Acme")

    contact = contact_create(
        first_name="Ana", last_name="Smith", title="Engineer", organization=acme,
        started_on=dt.date(2024, 3, 1),
    )  # fmt: skip

    assert positions(contact) == [("Acme", "Engineer", dt.date(2024, 3, 1), None)]


def test_contact_update_title_change_records_the_move():
    acme = OrganizationFactory(name="Acme")
    contact = contact_create(
        first_name="Ana", title="Engineer", organization=acme, started_on=dt.date(2024, 3, 1)
    )

    contact_update(contact=contact, title="Engineering Manager", moved_on=dt.date(2026, 1, 5))

    assert positions(contact) == [
        ("Acme", "Engineer", dt.date(2024, 3, 1), dt.date(2026, 1, 5)),
        ("Acme", "Engineering Manager", dt.date(2026, 1, 5), None),
    ]
    assert Contact.objects.get(pk=contact.pk).title == "Engineering Manager"


def test_contact_update_company_change_records_the_move():
    acme = OrganizationFactory(name="Acme")
    globex = OrganizationFactory(name="Globex")
    contact = contact_create(
        first_name="Ana", title="Engineer", organization=acme, started_on=dt.date(2024, 3, 1)
    )

    contact_update(contact=contact, organization=globex, moved_on=dt.date(2025, 6, 1))

    assert positions(contact) == [
        ("Acme", "Engineer", dt.date(2024, 3, 1), dt.date(2025, 6, 1)),
        ("Globex", "Engineer", dt.date(2025, 6, 1), None),
    ]


def test_contact_update_without_move_adds_no_position():
    contact = contact_create(first_name="Ana", title="Engineer", started_on=dt.date(2024, 3, 1))

    contact_update(contact=contact, location="Berlin", title="Engineer")

    assert Employment.objects.filter(contact=contact).count() == 1


def test_contact_update_move_before_current_start_is_refused():
    contact = contact_create(first_name="Ana", title="Engineer", started_on=dt.date(2024, 3, 1))

    with pytest.raises(ValidationError) as caught:
        contact_update(contact=contact, title="CTO", moved_on=dt.date(2023, 1, 1))

    assert "moved_on" in caught.value.message_dict
    assert positions(contact) == [("", "Engineer", dt.date(2024, 3, 1), None)]


def test_former_candidate_who_becomes_hiring_manager_at_client_is_flagged():
    client = OrganizationFactory(name="Acme", kind=Organization.Kind.CLIENT)
    contact = contact_create(first_name="Ana", roles=["candidate"])
    assert contact.former_candidate_now_client is False

    contact_update(contact=contact, roles=["hiring_manager"], organization=client)

    assert contact.was_candidate is True
    assert contact.former_candidate_now_client is True


def test_hiring_manager_who_never_was_candidate_is_not_flagged():
    client = OrganizationFactory(name="Acme", kind=Organization.Kind.CLIENT)

    contact = contact_create(first_name="Ben", roles=["hiring_manager"], organization=client)

    assert contact.former_candidate_now_client is False


def test_contact_create_normalises_identities():
    contact = contact_create(
        first_name=" Ana ",
        emails=["Ana@Example.COM", "ana@example.com", " "],
        phones=["+44 20 7946 0958", "+44 20 7946 0958"],
        linkedin_url="linkedin.com/in/Ana-Smith/",
        tags=["Python", "python ", "Berlin"],
    )

    assert contact.first_name == "Ana"
    assert contact.emails == ["ana@example.com"]
    assert contact.phones == ["+44 20 7946 0958"]
    assert contact.phone_keys == ["2079460958"]
    assert contact.linkedin_url == "https://linkedin.com/in/Ana-Smith/"
    assert contact.linkedin_key == "in/ana-smith"
    assert contact.tags == ["python", "berlin"]


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("emails", {"emails": ["not-an-email"]}),
        ("linkedin_url", {"linkedin_url": "https://example.com/ana"}),
    ],
)
def test_contact_create_bad_identity_names_the_field(field, kwargs):
    with pytest.raises(ValidationError) as caught:
        contact_create(first_name="Ana", **kwargs)

    assert list(caught.value.message_dict) == [field]
    assert Contact.objects.count() == 0


def test_duplicates_detected_by_email_case_insensitively():
    ana = ContactFactory(first_name="Ana", emails=["ana@example.com"])
    ContactFactory(first_name="Ben", emails=["ben@example.com"])

    assert contact_duplicate_list(emails=["ANA@example.com "]) == [ana]


def test_duplicates_detected_by_phone_in_another_format():
    ana = ContactFactory(first_name="Ana", emails=[], phones=["+44 20 7946 0958"])

    assert contact_duplicate_list(phones=["020 7946 0958"]) == [ana]
    assert contact_duplicate_list(phones=["020 7946 0959"]) == []


def test_duplicates_detected_by_linkedin_url_variant():
    ana = ContactFactory(
        first_name="Ana", emails=[], linkedin_url="https://www.linkedin.com/in/ana-smith"
    )

    assert contact_duplicate_list(linkedin_url="linkedin.com/in/Ana-Smith/?trk=abc") == [ana]


def test_duplicates_exclude_the_contact_itself():
    ana = ContactFactory(first_name="Ana", emails=["ana@example.com"])

    assert contact_duplicate_list(emails=["ana@example.com"], exclude_id=ana.pk) == []


@pytest.mark.parametrize(
    ("raw", "key"),
    [("+1 (415) 555-0100", "4155550100"), ("12345", ""), ("", "")],
)
def test_phone_key(raw, key):
    assert phone_key(raw) == key


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("https://www.linkedin.com/in/Ana-Smith/", "in/ana-smith"),
        ("http://de.linkedin.com/in/ana-smith?x=1", "in/ana-smith"),
        ("https://linkedin.com/company/acme", ""),
        ("https://example.com/in/ana", ""),
    ],
)
def test_linkedin_key(raw, key):
    assert linkedin_key(raw) == key


def test_search_document_follows_facts_and_organization_renames():
    acme = OrganizationFactory(name="Acme")
    contact = contact_create(first_name="Ana", organization=acme)
    fact_create(contact=contact, text="Loves sailing")

    organization_update(organization=acme, name="Globex")

    document = Contact.objects.values_list("search_vector", flat=True).get(pk=contact.pk)
    assert "'sailing':" in document
    assert "'globex':" in document
    assert "'acme':" not in document


def test_organization_create_normalises_domain_and_refuses_duplicates():
    organization_create(name="Acme", domain="https://www.Acme.com/")

    with pytest.raises(ValidationError) as caught:
        organization_create(name="Acme Ltd", domain="acme.com")

    assert caught.value.messages == ["Another organization already has this domain."]
    assert list(Organization.objects.values_list("domain", flat=True)) == ["acme.com"]
