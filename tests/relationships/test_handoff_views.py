import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import User
from relationships.models import Handoff, Interaction, Relationship
from relationships.services import relationship_handoff
from tests.factories import ContactFactory, OrganizationFactory, RelationshipFactory, UserFactory
from tests.helpers import log_in

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
LIST_URL = "/handoffs/"
NEW_URL = "/handoffs/new/"
CHOICES_URL = "/handoffs/new/choices/"


@pytest.fixture
def rosas_contacts(recruiter):
    """Ana Smith (at Acme) and Ben Jones, both Rosa's."""
    acme = OrganizationFactory(name="Acme")
    smith = ContactFactory(first_name="Ana", last_name="Smith", organization=acme)
    jones = ContactFactory(first_name="Ben", last_name="Jones")
    RelationshipFactory(contact=smith, owner=recruiter)
    RelationshipFactory(contact=jones, owner=recruiter)
    return {"smith": smith, "jones": jones}


@pytest.fixture
def toms_contact(other_recruiter):
    park = ContactFactory(first_name="Cleo", last_name="Park")
    RelationshipFactory(contact=park, owner=other_recruiter)
    return park


def owners() -> dict[str, str]:
    return {
        r.contact.full_name: r.owner.username
        for r in Relationship.objects.select_related("contact", "owner")
    }


def handoff_post(client, **data):
    """The final POST of the flow: the confirm step's hidden fields plus `confirm`."""
    return client.post(NEW_URL, {"scope": "selection", "note": "", **data, "confirm": "1"})


def make_handoffs(count: int, giver: User, taker: User) -> None:
    for number in range(count):
        contact = ContactFactory(first_name=f"Person{number}")
        RelationshipFactory(contact=contact, owner=giver)
        relationship_handoff(
            from_recruiter=giver,
            to_recruiter=taker,
            performed_by=giver,
            note=f"Note {number}",
            contacts=[contact],
        )


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST_URL, NEW_URL, CHOICES_URL, "/handoffs/1/"])
def test_handoff_pages_anonymous_redirected_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


# --- the history ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_handoff_list_query_count_is_constant(
    client, recruiter, other_recruiter, django_assert_num_queries, count
):
    make_handoffs(count, recruiter, other_recruiter)
    client.force_login(recruiter)

    # session, user, handoffs with their three users
    with django_assert_num_queries(3):
        response = client.get(LIST_URL)

    assert response.status_code == 200
    assert len(response.context["handoffs"]) == count


def test_handoff_list_row_shows_when_who_scope_count_and_note(
    client, recruiter, other_recruiter, manager, rosas_contacts
):
    with time_machine.travel(NOW, tick=False):
        handoff = relationship_handoff(
            from_recruiter=recruiter,
            to_recruiter=other_recruiter,
            performed_by=manager,
            note="Rosa is on leave; Ana wants a call in March.",
        )
    client.force_login(recruiter)

    html = client.get(LIST_URL).content.decode()

    assert (
        f'<td><a href="/handoffs/{handoff.pk}/">20 Nov 2026, 10:00</a></td>\n'
        "  <td>Rosa Reyes → Tom Brandt</td>\n"
        f"  <td>{manager}</td>\n"
        "  <td>All of the recruiter&#x27;s relationships</td>\n"
        '  <td class="text-end">2</td>\n'
        "  <td>Rosa is on leave; Ana wants a call in March.</td>"
    ) in html


def test_handoff_list_without_handoffs_says_so(client, recruiter):
    client.force_login(recruiter)

    response = client.get(LIST_URL)

    assert "No relationships have been handed off yet." in response.content.decode()


# --- a handoff's page ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_handoff_detail_query_count_is_constant(
    client, recruiter, other_recruiter, django_assert_num_queries, count
):
    contacts = [
        ContactFactory(first_name=f"Person{n}", organization=OrganizationFactory())
        for n in range(count)
    ]
    for contact in contacts:
        RelationshipFactory(contact=contact, owner=recruiter)
    handoff = relationship_handoff(
        from_recruiter=recruiter, to_recruiter=other_recruiter, performed_by=recruiter
    )
    client.force_login(recruiter)

    # session, user, handoff with its users, moved contacts with their organizations
    with django_assert_num_queries(4):
        response = client.get(f"/handoffs/{handoff.pk}/")

    assert len(response.context["moved"].interactions) == count


def test_handoff_detail_lists_moved_contacts_by_name_and_counts_the_rest(
    client, recruiter, other_recruiter, rosas_contacts, monkeypatch
):
    handoff = relationship_handoff(
        from_recruiter=recruiter, to_recruiter=other_recruiter, performed_by=recruiter
    )
    monkeypatch.setattr("relationships.views.handoffs.MOVED_LIMIT", 1)
    client.force_login(recruiter)

    response = client.get(f"/handoffs/{handoff.pk}/")

    moved = response.context["moved"]
    assert [i.contact.full_name for i in moved.interactions] == ["Ben Jones"]
    assert moved.more == 1
    assert "and 1 more." in response.content.decode()


def test_handoff_detail_unknown_is_404(client, recruiter):
    client.force_login(recruiter)

    assert client.get("/handoffs/999999/").status_code == 404


# --- the form ------------------------------------------------------------------------------------


def test_handoff_new_for_a_recruiter_offers_only_themself_and_their_contacts(
    client, recruiter, other_recruiter, manager, rosas_contacts, toms_contact
):
    client.force_login(recruiter)

    response = client.get(NEW_URL)

    form = response.context["form"]
    assert form.fields["from_recruiter"].widget.choices == [(str(recruiter.pk), "Rosa Reyes")]
    assert form.fields["to_recruiter"].widget.choices == [
        ("", "Choose a recruiter"),
        (str(manager.pk), str(manager)),
        (str(other_recruiter.pk), "Tom Brandt"),
    ]
    assert [c.full_name for c in form.options.contacts] == ["Ben Jones", "Ana Smith"]
    assert "Show their contacts" not in response.content.decode()


def test_handoff_new_with_contact_preselects_just_that_one(client, recruiter, rosas_contacts):
    smith, jones = rosas_contacts["smith"], rosas_contacts["jones"]
    client.force_login(recruiter)

    html = client.get(NEW_URL, {"contact": smith.pk}).content.decode()

    assert f'id="handoff-contact-{smith.pk}" checked>' in html
    assert f'id="handoff-contact-{jones.pk}">' in html
    assert html.count(" checked>") == 2  # Ana, and the "these contacts" scope


def test_handoff_new_for_a_manager_from_a_contact_starts_from_its_owner(
    client, manager, other_recruiter, toms_contact
):
    client.force_login(manager)

    response = client.get(NEW_URL, {"contact": toms_contact.pk})

    form = response.context["form"]
    assert form.giver == other_recruiter
    assert [c.full_name for c in form.options.contacts] == ["Cleo Park"]
    assert form.selected_contact_ids == {toms_contact.pk}


@pytest.mark.parametrize("count", [1, 3])
def test_handoff_new_query_count_is_constant(client, recruiter, django_assert_num_queries, count):
    for number in range(count):
        contact = ContactFactory(first_name=f"P{number}", organization=OrganizationFactory())
        RelationshipFactory(contact=contact, owner=recruiter)
    client.force_login(recruiter)

    # session, user, givers, takers, the giver's contacts
    with django_assert_num_queries(5):
        response = client.get(NEW_URL)

    assert len(response.context["form"].options.contacts) == count


def test_handoff_choices_for_another_giver_reloads_recipients_and_checkboxes(
    client, manager, recruiter, other_recruiter, rosas_contacts, toms_contact
):
    client.force_login(manager)

    response = client.get(
        CHOICES_URL, {"from_recruiter": other_recruiter.pk}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert html.startswith('<div id="handoff-choices"')
    assert "Tom Brandt’s contacts" in html
    assert f'value="{toms_contact.pk}"' in html
    assert f'value="{rosas_contacts["smith"].pk}"' not in html
    assert f'<option value="{other_recruiter.pk}">' not in html
    assert f'<option value="{recruiter.pk}">Rosa Reyes</option>' in html


def test_handoff_choices_for_a_recruiter_naming_another_giver_shows_their_own(
    client, recruiter, other_recruiter, rosas_contacts, toms_contact
):
    client.force_login(recruiter)

    response = client.get(CHOICES_URL, {"from_recruiter": other_recruiter.pk})

    assert response.context["form"].giver == recruiter
    assert f'value="{toms_contact.pk}"' not in response.content.decode()


# --- the confirm step ----------------------------------------------------------------------------


def test_handoff_review_shows_what_moves_and_changes_nothing(
    client, recruiter, other_recruiter, rosas_contacts
):
    smith, jones = rosas_contacts["smith"], rosas_contacts["jones"]
    client.force_login(recruiter)

    response = client.post(
        NEW_URL,
        {
            "from_recruiter": recruiter.pk,
            "to_recruiter": other_recruiter.pk,
            "scope": "selection",
            "contacts": [smith.pk, jones.pk],
            "note": "Both want news in May.",
        },
    )

    html = response.content.decode()
    assert response.templates[0].name == "relationships/handoff_confirm.html"
    assert (
        "2 relationships will move from <strong>Rosa Reyes</strong> to <strong>Tom Brandt</strong>."
    ) in html
    preview = response.context["preview"]
    assert [c.full_name for c in preview.contacts] == ["Ben Jones", "Ana Smith"]
    assert f'<input type="hidden" name="contacts" value="{smith.pk}">' in html
    assert '<input type="hidden" name="note" value="Both want news in May."' in html
    assert "Hand off 2 relationships</button>" in html
    assert owners() == {"Ana Smith": "rosa", "Ben Jones": "rosa"}
    assert Handoff.objects.count() == 0


def test_handoff_review_of_all_counts_every_relationship(
    client, recruiter, other_recruiter, rosas_contacts
):
    client.force_login(recruiter)

    response = client.post(
        NEW_URL,
        {"from_recruiter": recruiter.pk, "to_recruiter": other_recruiter.pk, "scope": "all"},
    )

    preview = response.context["preview"]
    assert (preview.count, preview.more) == (2, 0)
    assert [c.full_name for c in preview.contacts] == ["Ben Jones", "Ana Smith"]


def test_handoff_back_from_review_shows_the_form_with_the_choices(
    client, recruiter, other_recruiter, rosas_contacts
):
    smith = rosas_contacts["smith"]
    client.force_login(recruiter)

    response = client.post(
        NEW_URL,
        {
            "from_recruiter": recruiter.pk,
            "to_recruiter": other_recruiter.pk,
            "scope": "selection",
            "contacts": [smith.pk],
            "note": "Keep warm",
            "edit": "1",
        },
    )

    assert response.templates[0].name == "relationships/handoff_form.html"
    assert response.context["form"].selected_contact_ids == {smith.pk}
    assert Handoff.objects.count() == 0


# --- performing it -------------------------------------------------------------------------------


def test_handoff_of_one_contact_moves_it_and_writes_the_note_on_its_timeline(
    client, recruiter, other_recruiter, rosas_contacts
):
    smith = rosas_contacts["smith"]
    client.force_login(recruiter)
    form = client.get(NEW_URL, {"contact": smith.pk}).context["form"]
    assert form.selected_contact_ids == {smith.pk}

    response = handoff_post(
        client,
        from_recruiter=recruiter.pk,
        to_recruiter=other_recruiter.pk,
        contacts=[smith.pk],
        note="Ana wants a call in March.",
    )

    handoff = Handoff.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("relationships:handoff-detail", args=[handoff.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Handed off 1 relationship from Rosa Reyes to Tom Brandt."
    ]
    assert owners() == {"Ana Smith": "tom", "Ben Jones": "rosa"}
    assert (handoff.scope, handoff.relationship_count, handoff.performed_by) == (
        "one",
        1,
        recruiter,
    )
    entry = Interaction.objects.get(kind="handoff")
    assert (entry.contact, entry.handoff, entry.summary, entry.body) == (
        smith,
        handoff,
        "Handed off from Rosa Reyes to Tom Brandt",
        "Ana wants a call in March.",
    )


def test_handoff_of_all_moves_every_relationship(
    client, recruiter, other_recruiter, rosas_contacts, toms_contact
):
    client.force_login(recruiter)

    handoff_post(client, from_recruiter=recruiter.pk, to_recruiter=other_recruiter.pk, scope="all")

    handoff = Handoff.objects.get()
    assert (handoff.scope, handoff.relationship_count) == ("all", 2)
    assert owners() == {"Ana Smith": "tom", "Ben Jones": "tom", "Cleo Park": "tom"}
    assert sorted(
        Interaction.objects.filter(handoff=handoff).values_list("contact__last_name", flat=True)
    ) == ["Jones", "Smith"]


def test_handoff_by_a_manager_of_someone_elses_relationships(
    client, manager, recruiter, other_recruiter, rosas_contacts
):
    client.force_login(manager)

    response = handoff_post(
        client,
        from_recruiter=recruiter.pk,
        to_recruiter=other_recruiter.pk,
        contacts=[rosas_contacts["jones"].pk],
    )

    assert response.status_code == 302
    assert owners() == {"Ana Smith": "rosa", "Ben Jones": "tom"}
    assert Handoff.objects.get().performed_by == manager


def test_handoff_by_a_manager_of_a_departed_recruiters_relationships(
    client, manager, other_recruiter, rosas_contacts, recruiter
):
    recruiter.is_active = False
    recruiter.save()
    client.force_login(manager)

    handoff_post(client, from_recruiter=recruiter.pk, to_recruiter=other_recruiter.pk, scope="all")

    assert owners() == {"Ana Smith": "tom", "Ben Jones": "tom"}


def test_handoff_by_a_recruiter_of_someone_elses_is_a_form_error(
    client, recruiter, other_recruiter, toms_contact
):
    client.force_login(recruiter)

    response = handoff_post(
        client,
        from_recruiter=other_recruiter.pk,
        to_recruiter=recruiter.pk,
        contacts=[toms_contact.pk],
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "from_recruiter": ["You hand off your own relationships; a manager can hand off anyone's."]
    }
    assert owners() == {"Cleo Park": "tom"}
    assert Handoff.objects.count() == 0


def test_handoff_by_a_recruiter_of_a_contact_they_do_not_own_is_a_form_error(
    client, recruiter, other_recruiter, rosas_contacts, toms_contact
):
    client.force_login(recruiter)

    response = handoff_post(
        client,
        from_recruiter=recruiter.pk,
        to_recruiter=other_recruiter.pk,
        contacts=[rosas_contacts["smith"].pk, toms_contact.pk],
    )

    assert response.context["form"].errors == {"contacts": ["Rosa Reyes does not own: Cleo Park."]}
    assert owners() == {"Ana Smith": "rosa", "Ben Jones": "rosa", "Cleo Park": "tom"}


def test_handoff_to_the_same_recruiter_is_a_form_error_and_changes_nothing(
    client, recruiter, rosas_contacts
):
    client.force_login(recruiter)

    response = handoff_post(
        client,
        from_recruiter=recruiter.pk,
        to_recruiter=recruiter.pk,
        contacts=[rosas_contacts["smith"].pk],
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "to_recruiter": ["Choose another recruiter to hand off to."]
    }
    assert "Choose another recruiter to hand off to." in response.content.decode()
    assert owners() == {"Ana Smith": "rosa", "Ben Jones": "rosa"}
    assert Handoff.objects.count() == 0
    assert Interaction.objects.filter(kind="handoff").count() == 0


def test_handoff_to_an_inactive_user_is_a_form_error(client, recruiter, rosas_contacts):
    gone = UserFactory(username="gone", is_active=False)
    client.force_login(recruiter)

    response = handoff_post(client, from_recruiter=recruiter.pk, to_recruiter=gone.pk, scope="all")

    assert response.context["form"].errors == {
        "to_recruiter": ["Choose an active recruiter from the list."]
    }
    assert owners() == {"Ana Smith": "rosa", "Ben Jones": "rosa"}


def test_handoff_of_no_contacts_is_a_form_error(client, recruiter, other_recruiter):
    client.force_login(recruiter)

    response = handoff_post(client, from_recruiter=recruiter.pk, to_recruiter=other_recruiter.pk)

    assert response.context["form"].errors == {
        "contacts": ["Choose at least one contact, or hand off all of their relationships."]
    }


def test_handoff_of_all_when_nothing_is_owned_is_a_form_error(client, recruiter, other_recruiter):
    client.force_login(recruiter)

    response = handoff_post(
        client, from_recruiter=recruiter.pk, to_recruiter=other_recruiter.pk, scope="all"
    )

    assert response.context["form"].errors == {
        "scope": ["Rosa Reyes owns no relationships to hand off."]
    }
    assert Handoff.objects.count() == 0


# --- in a browser --------------------------------------------------------------------------------


@pytest.mark.browser
def test_manager_hands_off_a_recruiters_contact_choosing_from_with_htmx(
    page, live_server, manager, recruiter, other_recruiter, password, rosas_contacts, toms_contact
):
    log_in(page, live_server, password, "/handoffs/new/", username="maya")
    page.evaluate("window.__marker = 1")

    page.get_by_label("From").select_option(str(other_recruiter.pk))

    contacts = page.get_by_test_id("handoff-contacts")
    expect(contacts).to_contain_text("Tom Brandt’s contacts")
    expect(contacts.get_by_role("checkbox")).to_have_count(1)
    assert page.evaluate("window.__marker") == 1
    contacts.get_by_label("Cleo Park").check()
    page.get_by_label("To", exact=True).select_option(str(recruiter.pk))
    page.get_by_label("Note for the new owner").fill("Cleo is waiting for the Berlin offer.")
    page.get_by_role("button", name="Review the handoff").click()

    expect(page.get_by_test_id("handoff-preview-summary")).to_have_text(
        "1 relationship will move from Tom Brandt to Rosa Reyes."
    )
    page.get_by_role("button", name="Hand off 1 relationship").click()

    handoff = Handoff.objects.get()
    expect(page).to_have_url(f"{live_server.url}/handoffs/{handoff.pk}/")
    expect(page.get_by_role("status")).to_have_text(
        "Handed off 1 relationship from Tom Brandt to Rosa Reyes."
    )
    expect(page.get_by_test_id("handoff-moved")).to_have_text("Cleo Park")
    assert owners() == {"Ana Smith": "rosa", "Ben Jones": "rosa", "Cleo Park": "rosa"}
    assert Interaction.objects.get(kind="handoff").body == "Cleo is waiting for the Berlin offer."
