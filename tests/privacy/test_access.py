"""The access rules written once (accounts.rules): the shared contact book is everyone's to read,
a contact's identities and opt-outs and a fact's content are their owner's, their manager's or an
admin's to change."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import User
from contacts.services import contact_update
from tests.factories import (
    ContactFactory,
    FactFactory,
    RelationshipFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(recruiter):
    contact = ContactFactory(first_name="Ana", emails=["ana@example.com"])
    RelationshipFactory(contact=contact, owner=recruiter)
    return contact


def test_another_recruiter_cannot_change_emails_or_opt_outs_through_the_api(tom_api, ana):
    response = tom_api.patch(
        f"/api/v1/contacts/{ana.pk}/",
        {"emails": ["evil@example.com"], "email_opt_out": True},
        format="json",
    )

    assert response.status_code == 403
    ana.refresh_from_db()
    assert (ana.emails, ana.email_opt_out) == (["ana@example.com"], False)


def test_another_recruiter_still_changes_the_shared_fields(tom_api, ana):
    response = tom_api.patch(
        f"/api/v1/contacts/{ana.pk}/",
        {"title": "CTO", "emails": ["ANA@example.com"]},
        format="json",
    )

    assert response.status_code == 200
    ana.refresh_from_db()
    assert (ana.title, ana.emails) == ("CTO", ["ana@example.com"])


def test_another_recruiter_cannot_change_phones_on_the_edit_page(tom_client, ana):
    response = tom_client.post(
        f"/contacts/{ana.pk}/edit/",
        {"first_name": "Ana", "emails": "ana@example.com", "phones": "+44 20 7946 0000"},
    )

    assert response.status_code == 403
    ana.refresh_from_db()
    assert ana.phones == []


def test_the_owner_changes_emails(rosa_api, ana):
    response = rosa_api.patch(
        f"/api/v1/contacts/{ana.pk}/", {"emails": ["ana@new.example"]}, format="json"
    )

    assert response.status_code == 200
    ana.refresh_from_db()
    assert ana.emails == ["ana@new.example"]


def test_a_manager_acts_on_their_team_only(recruiter, ana):
    desk = TeamFactory(name="Desk")
    recruiter.team = desk
    recruiter.save()
    their_manager = UserFactory(username="mia", role=User.Role.MANAGER, team=desk)
    other_manager = UserFactory(
        username="max", role=User.Role.MANAGER, team=TeamFactory(name="Other")
    )
    admin = UserFactory(username="ada", role=User.Role.ADMIN)

    contact_update(contact=ana, user=their_manager, do_not_contact=True)
    with pytest.raises(PermissionDenied):
        contact_update(contact=ana, user=other_manager, do_not_contact=False)
    contact_update(contact=ana, user=admin, do_not_contact=False)

    ana.refresh_from_db()
    assert ana.do_not_contact is False


def test_another_recruiter_cannot_patch_a_fact_someone_else_wrote(tom_api, recruiter, ana):
    fact = FactFactory(contact=ana, text="Runs marathons", author=recruiter)

    response = tom_api.patch(f"/api/v1/facts/{fact.pk}/", {"text": "Hates running"}, format="json")

    assert response.status_code == 403
    fact.refresh_from_db()
    assert fact.text == "Runs marathons"


def test_another_recruiter_may_still_pin_a_fact_and_add_one(tom_api, recruiter, ana):
    fact = FactFactory(contact=ana, text="Runs marathons", author=recruiter)

    pinned = tom_api.patch(f"/api/v1/facts/{fact.pk}/", {"pinned": True}, format="json")
    added = tom_api.post(
        "/api/v1/facts/", {"contact": ana.pk, "text": "Plays chess"}, format="json"
    )

    assert (pinned.status_code, added.status_code) == (200, 201)
    fact.refresh_from_db()
    assert fact.pinned is True


def test_another_recruiter_cannot_delete_a_fact_someone_else_wrote(tom_api, recruiter, ana):
    fact = FactFactory(contact=ana, text="Runs marathons", author=recruiter)

    response = tom_api.delete(f"/api/v1/facts/{fact.pk}/")

    assert response.status_code == 403
    fact.refresh_from_db()
    assert fact.text == "Runs marathons"
