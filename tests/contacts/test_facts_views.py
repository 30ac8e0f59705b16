import datetime as dt

import pytest
import time_machine

from contacts.models import Fact
from tests.factories import ContactFactory, FactFactory
from tests.helpers import texts

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NOV_20 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


@time_machine.travel(NOV_20, tick=False)
def test_fact_create_with_htmx_returns_facts_partial_with_the_fact(rosa_client, recruiter):
    contact = ContactFactory()

    response = rosa_client.post(
        f"/contacts/{contact.pk}/facts/",
        {"fact-text": "Daughter starts school in September", "fact-category": "family"},
        **HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section class="card mb-3" id="facts"')
    assert "<html" not in html
    assert texts(html, "fact") == [
        "Family Sensitive Daughter starts school in September Learned 20 Nov 2026 · Rosa Reyes "
        "Pin Delete"
    ]
    fact = Fact.objects.get(contact=contact)
    assert (fact.text, fact.category, fact.learned_on, fact.pinned, fact.author) == (
        "Daughter starts school in September",
        "family",
        dt.date(2026, 11, 20),
        False,
        recruiter,
    )


def test_fact_create_keeps_learned_on_and_pinned(rosa_client):
    contact = ContactFactory()

    rosa_client.post(
        f"/contacts/{contact.pk}/facts/",
        {
            "fact-text": "Moving to Lisbon",
            "fact-category": "goals",
            "fact-learned_on": "2026-03-14",
            "fact-pinned": "on",
        },
        **HTMX,
    )

    fact = Fact.objects.get(contact=contact)
    assert (fact.category, fact.learned_on, fact.pinned) == ("goals", dt.date(2026, 3, 14), True)


def test_fact_create_without_htmx_redirects_to_the_contact_page(rosa_client):
    contact = ContactFactory()

    response = rosa_client.post(
        f"/contacts/{contact.pk}/facts/", {"fact-text": "Plays chess", "fact-category": "interests"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.pk}/#facts"
    assert list(Fact.objects.filter(contact=contact).values_list("text", flat=True)) == [
        "Plays chess"
    ]


def test_fact_create_with_empty_text_shows_error_next_to_field_and_creates_nothing(rosa_client):
    contact = ContactFactory()

    response = rosa_client.post(
        f"/contacts/{contact.pk}/facts/", {"fact-text": "   ", "fact-category": "family"}, **HTMX
    )

    assert response.status_code == 200
    assert texts(response.content, "field-error") == ["Write down what you learned."]
    assert 'class="form-control is-invalid"' in response.content.decode()
    assert Fact.objects.filter(contact=contact).count() == 0


def test_fact_create_with_unknown_category_is_refused(rosa_client):
    contact = ContactFactory()

    response = rosa_client.post(
        f"/contacts/{contact.pk}/facts/", {"fact-text": "Likes jazz", "fact-category": "gossip"}
    )

    assert response.status_code == 400
    assert texts(response.content, "field-error") == [
        "Select a valid choice. gossip is not one of the available choices."
    ]
    assert texts(response.content, "contact-name") == [contact.full_name]
    assert Fact.objects.filter(contact=contact).count() == 0


@time_machine.travel(NOV_20, tick=False)
def test_fact_create_learned_in_the_future_is_refused(rosa_client):
    contact = ContactFactory()

    response = rosa_client.post(
        f"/contacts/{contact.pk}/facts/",
        {"fact-text": "Likes jazz", "fact-category": "interests", "fact-learned_on": "2026-11-21"},
        **HTMX,
    )

    assert texts(response.content, "field-error") == ["A fact cannot be learned in the future."]
    assert Fact.objects.filter(contact=contact).count() == 0


def test_fact_pin_toggles_and_moves_the_fact_to_the_top(rosa_client):
    contact = ContactFactory()
    FactFactory(contact=contact, text="Newer", learned_on=dt.date(2026, 10, 1))
    older = FactFactory(contact=contact, text="Older", learned_on=dt.date(2026, 1, 1))

    response = rosa_client.post(f"/contacts/{contact.pk}/facts/{older.pk}/pin/", **HTMX)

    assert response.status_code == 200
    assert [text.split(" Learned")[0] for text in texts(response.content, "fact")] == [
        "Pinned Interests Older",
        "Interests Newer",
    ]
    older.refresh_from_db()
    assert older.pinned is True

    rosa_client.post(f"/contacts/{contact.pk}/facts/{older.pk}/pin/", **HTMX)

    older.refresh_from_db()
    assert older.pinned is False


def test_fact_pin_of_another_contacts_fact_is_404(rosa_client):
    fact = FactFactory()
    other = ContactFactory()

    response = rosa_client.post(f"/contacts/{other.pk}/facts/{fact.pk}/pin/")

    assert response.status_code == 404
    fact.refresh_from_db()
    assert fact.pinned is False


def test_fact_delete_by_its_author(rosa_client, recruiter):
    fact = FactFactory(author=recruiter)

    response = rosa_client.post(f"/contacts/{fact.contact_id}/facts/{fact.pk}/delete/", **HTMX)

    assert response.status_code == 200
    assert texts(response.content, "facts-empty") == [
        "Nothing remembered yet: family, interests, constraints, goals…"
    ]
    assert Fact.objects.filter(pk=fact.pk).exists() is False


def test_fact_delete_by_another_recruiter_is_forbidden(client, recruiter, other_recruiter):
    fact = FactFactory(author=recruiter)
    client.force_login(other_recruiter)

    response = client.post(f"/contacts/{fact.contact_id}/facts/{fact.pk}/delete/")

    assert response.status_code == 403
    assert Fact.objects.filter(pk=fact.pk).exists() is True


def test_fact_delete_by_a_manager(client, recruiter, manager):
    fact = FactFactory(author=recruiter)
    client.force_login(manager)

    response = client.post(f"/contacts/{fact.contact_id}/facts/{fact.pk}/delete/")

    assert response.status_code == 302
    assert Fact.objects.filter(pk=fact.pk).exists() is False


def test_fact_views_need_post(rosa_client):
    contact = ContactFactory()

    assert rosa_client.get(f"/contacts/{contact.pk}/facts/").status_code == 405


def test_fact_create_sends_anonymous_visitor_to_login(client, db):
    contact = ContactFactory()

    response = client.post(f"/contacts/{contact.pk}/facts/", {"fact-text": "x"})

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/contacts/{contact.pk}/facts/"
    assert Fact.objects.count() == 0


def test_fact_create_for_unknown_contact_is_404(rosa_client):
    response = rosa_client.post("/contacts/999999/facts/", {"fact-text": "x"})

    assert response.status_code == 404
