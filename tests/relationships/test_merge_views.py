import pytest
from django.contrib.messages import get_messages

from contacts.models import Contact, Employment, Fact
from contacts.services import contact_create, fact_create
from relationships.models import Connection, Interaction, Relationship
from relationships.services import connection_create, interaction_log, relationship_create
from tests.factories import ContactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def merge_url(contact: Contact, other: Contact | None = None) -> str:
    if other is None:
        return f"/contacts/{contact.pk}/merge/"
    return f"/contacts/{contact.pk}/merge/{other.pk}/"


@pytest.fixture
def anas(recruiter):
    """Ana Smith twice (same email), both Rosa's, each with a fact, a call, a career step and a
    connection to Cleo Park."""
    acme = OrganizationFactory(name="Acme")
    globex = OrganizationFactory(name="Globex")
    smith = contact_create(
        first_name="Ana", last_name="Smith", emails=["ana@smith.example"], title="Engineer",
        organization=acme, tags=["python"],
    )  # fmt: skip
    twin = contact_create(
        first_name="Ana", last_name="Smith", emails=["ANA@smith.example", "ana@work.example"],
        title="Lead", organization=globex, phones=["+44 20 7946 0002"],
    )  # fmt: skip
    relationship_create(contact=smith, owner=recruiter)
    relationship_create(contact=twin, owner=recruiter)
    fact_create(contact=smith, text="Two kids")
    fact_create(contact=twin, text="Climbs")
    interaction_log(contact=smith, kind="call", summary="First call")
    interaction_log(contact=twin, kind="note", summary="Met at a meetup")
    park = ContactFactory(first_name="Cleo", last_name="Park")
    connection_create(from_contact=smith, to_contact=park, kind="worked_with")
    connection_create(from_contact=park, to_contact=twin, kind="referred_by")
    return {"smith": smith, "twin": twin, "park": park}


# --- permissions ---------------------------------------------------------------------------------


def test_merge_pages_anonymous_redirected_to_login(client, anas):
    url = merge_url(anas["smith"], anas["twin"])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


def test_merge_by_a_recruiter_who_does_not_own_them_is_403_and_changes_nothing(
    client, other_recruiter, anas
):
    smith, twin = anas["smith"], anas["twin"]
    client.force_login(other_recruiter)

    choose = client.get(merge_url(smith))
    compare = client.get(merge_url(smith, twin))
    response = client.post(merge_url(smith, twin), {"survivor": smith.pk})

    assert (choose.status_code, compare.status_code, response.status_code) == (403, 403, 403)
    assert "Only a manager, an admin or the recruiter who owns both" in response.content.decode()
    assert Contact.objects.filter(pk=twin.pk).exists()
    assert Fact.objects.filter(contact=twin).count() == 1


def test_merge_by_a_recruiter_of_their_own_and_someone_elses_contact_is_403(
    client, recruiter, other_recruiter, anas
):
    toms = ContactFactory(first_name="Ana", last_name="Smyth")
    relationship_create(contact=toms, owner=other_recruiter)
    client.force_login(recruiter)

    response = client.post(merge_url(anas["smith"], toms), {"survivor": anas["smith"].pk})

    assert response.status_code == 403
    assert Contact.objects.filter(pk=toms.pk).exists()


# --- step 1: choose ------------------------------------------------------------------------------


def test_merge_choose_suggests_the_contact_sharing_an_email(client, recruiter, anas):
    smith, twin = anas["smith"], anas["twin"]
    client.force_login(recruiter)

    response = client.get(merge_url(smith))

    assert response.status_code == 200
    assert response.context["duplicates"] == [twin]
    assert f'href="/contacts/{smith.pk}/merge/{twin.pk}/">Compare</a>' in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_merge_choose_query_count_is_constant(client, recruiter, django_assert_num_queries, count):
    contact = contact_create(first_name="Ana", emails=["ana@smith.example"])
    for number in range(count):
        contact_create(
            first_name="Ana",
            emails=["ana@smith.example"],
            organization=OrganizationFactory(name=f"Company {number}"),
        )
    client.force_login(recruiter)

    # session, user, contact, may merge, duplicates with their organizations
    with django_assert_num_queries(5):
        response = client.get(merge_url(contact))

    assert len(response.context["duplicates"]) == count


def test_merge_choose_by_id_goes_to_the_comparison(client, recruiter, anas):
    smith, park = anas["smith"], anas["park"]
    client.force_login(recruiter)

    response = client.get(merge_url(smith), {"q": f"#{park.pk}"})

    assert response.status_code == 302
    assert response["Location"] == merge_url(smith, park)


def test_merge_choose_by_name_lists_matches(client, recruiter, anas):
    client.force_login(recruiter)

    by_full_name = client.get(merge_url(anas["smith"]), {"q": "cleo park"})
    by_last_name = client.get(merge_url(anas["smith"]), {"q": "Smi"})

    assert by_full_name.context["results"] == [anas["park"]]
    assert by_last_name.context["results"] == [anas["twin"]]


def test_merge_choose_itself_by_id_is_an_error(client, recruiter, anas):
    smith = anas["smith"]
    client.force_login(recruiter)

    response = client.get(merge_url(smith), {"q": str(smith.pk)})

    assert response.status_code == 200
    assert response.context["error"] == (
        "A contact cannot be merged into itself: choose another contact."
    )
    assert "A contact cannot be merged into itself" in response.content.decode()


def test_merge_choose_unknown_id_is_an_error(client, recruiter, anas):
    client.force_login(recruiter)

    response = client.get(merge_url(anas["smith"]), {"q": "999999"})

    assert response.context["error"] == "There is no contact #999999."


# --- step 2: compare -----------------------------------------------------------------------------


def test_merge_compare_shows_both_side_by_side_with_counts(client, recruiter, anas):
    smith, twin = anas["smith"], anas["twin"]
    client.force_login(recruiter)

    response = client.get(merge_url(smith, twin))

    rows = {row.label: (row.left, row.right) for row in response.context["rows"]}
    assert rows["Emails"] == ("ana@smith.example", "ana@smith.example, ana@work.example")
    assert rows["Organization"] == ("Acme", "Globex")
    assert rows["Title"] == ("Engineer", "Lead")
    assert rows["Owner"] == ("Rosa Reyes", "Rosa Reyes")
    assert rows["Facts"] == ("1", "1")
    assert rows["Timeline entries"] == ("1", "1")
    assert rows["Career steps"] == ("1", "1")
    assert rows["Connections"] == ("1", "1")
    assert response.context["form"]["survivor"].value() == smith.pk


def test_merge_compare_query_count_does_not_grow_with_rows(
    client, recruiter, anas, django_assert_num_queries
):
    smith, twin = anas["smith"], anas["twin"]
    for number in range(3):
        fact_create(contact=twin, text=f"Fact {number}")
        interaction_log(contact=twin, kind="note", summary=f"Note {number}")
    client.force_login(recruiter)

    # session, user, both contacts with their counts, may merge
    with django_assert_num_queries(4):
        response = client.get(merge_url(smith, twin))

    rows = {row.label: (row.left, row.right) for row in response.context["rows"]}
    assert rows["Facts"] == ("1", "4")


def test_merge_compare_with_itself_is_an_error(client, recruiter, anas):
    smith = anas["smith"]
    client.force_login(recruiter)

    response = client.post(merge_url(smith, smith), {"survivor": smith.pk}, follow=True)

    assert response.redirect_chain == [(merge_url(smith), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "A contact cannot be merged into itself: choose another contact."
    ]
    assert Contact.objects.filter(pk=smith.pk).exists()


def test_merge_compare_unknown_contact_is_404(client, recruiter, anas):
    client.force_login(recruiter)

    assert client.get(f"/contacts/{anas['smith'].pk}/merge/999999/").status_code == 404


# --- step 3: merge -------------------------------------------------------------------------------


def test_merge_confirm_moves_everything_to_the_survivor_and_removes_the_duplicate(
    client, recruiter, anas
):
    smith, twin, park = anas["smith"], anas["twin"], anas["park"]
    client.force_login(recruiter)

    response = client.post(merge_url(smith, twin), {"survivor": smith.pk})

    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{smith.pk}/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Merged “Ana Smith” (#{twin.pk}) into Ana Smith."
    ]
    assert not Contact.objects.filter(pk=twin.pk).exists()
    assert client.get(merge_url(twin)).status_code == 404
    assert sorted(Fact.objects.filter(contact=smith).values_list("text", flat=True)) == [
        "Climbs",
        "Two kids",
    ]
    assert list(
        Interaction.objects.filter(contact=smith)
        .order_by("occurred_at", "id")
        .values_list("kind", "summary")
    ) == [
        ("call", "First call"),
        ("note", "Met at a meetup"),
        ("merge", f"Merged duplicate “Ana Smith” (#{twin.pk}) into this"),
    ]
    assert sorted(
        Employment.objects.filter(contact=smith).values_list("organization_name", flat=True)
    ) == ["Acme", "Globex"]
    assert sorted(Connection.objects.values_list("from_contact_id", "kind", "to_contact_id")) == [
        (smith.pk, "worked_with", park.pk),
        (park.pk, "referred_by", smith.pk),
    ]
    assert Relationship.objects.filter(contact=smith).count() == 1
    assert Contact.objects.get(pk=smith.pk).emails == ["ana@smith.example", "ana@work.example"]


def test_merge_confirm_keeping_the_other_redirects_to_it(client, manager, anas):
    smith, twin = anas["smith"], anas["twin"]
    client.force_login(manager)

    response = client.post(merge_url(smith, twin), {"survivor": twin.pk})

    assert response["Location"] == f"/contacts/{twin.pk}/"
    assert not Contact.objects.filter(pk=smith.pk).exists()
    assert Contact.objects.get(pk=twin.pk).title == "Lead"


def test_merge_confirm_with_a_third_contact_as_survivor_is_a_form_error(client, recruiter, anas):
    smith, twin, park = anas["smith"], anas["twin"], anas["park"]
    client.force_login(recruiter)

    response = client.post(merge_url(smith, twin), {"survivor": park.pk})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "survivor": ["Choose which of the two contacts is kept."]
    }
    assert Contact.objects.filter(pk__in=[smith.pk, twin.pk, park.pk]).count() == 3
