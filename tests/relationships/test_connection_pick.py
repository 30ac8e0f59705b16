"""The connection form picks the other contact by typing a name: matches as one types (htmx),
or, without JavaScript, submit the name, pick among the matches, submit again."""

import pytest

from relationships.models import Connection
from tests.factories import ContactFactory
from tests.helpers import texts

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def rosa_client(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def people():
    return {
        "ana": ContactFactory(first_name="Ana", last_name="Weber", title="CTO"),
        "jonas": ContactFactory(first_name="Jonas", last_name="Weber", title="Engineer"),
        "jona": ContactFactory(first_name="Jona", last_name="Lind", title=""),
        "cleo": ContactFactory(first_name="Cleo", last_name="Park"),
    }


def test_the_form_searches_as_one_types_and_leaves_this_contact_out(rosa_client, people):
    ana = people["ana"]
    page = rosa_client.get(f"/contacts/{ana.pk}/").content.decode()
    assert f'hx-get="/contacts/{ana.pk}/connections/matches/"' in page
    assert "number in their page" not in page

    response = rosa_client.get(
        f"/contacts/{ana.pk}/connections/matches/", {"connection-other_query": "weber"}, **HTMX
    )

    assert texts(response.content, "connection-match") == ["Jonas Weber · Engineer"]
    none = rosa_client.get(
        f"/contacts/{ana.pk}/connections/matches/", {"connection-other_query": "zed"}, **HTMX
    )
    assert texts(none.content, "connection-no-match") == ["Nobody matches “zed”."]


def test_without_javascript_search_then_pick_then_add(rosa_client, people):
    ana, jonas = people["ana"], people["jonas"]
    form = {"connection-direction": "from", "connection-kind": "worked_with"}

    searched = rosa_client.post(
        f"/contacts/{ana.pk}/connections/", {**form, "connection-other_query": "jon"}
    )

    assert searched.status_code == 400
    assert texts(searched.content, "field-error") == ["Pick the contact among the matches."]
    assert texts(searched.content, "connection-match") == [
        "Jona Lind",
        "Jonas Weber · Engineer",
    ]
    assert Connection.objects.count() == 0

    picked = rosa_client.post(
        f"/contacts/{ana.pk}/connections/",
        {**form, "connection-other_query": "jon", "connection-other": str(jonas.pk)},
    )

    assert picked.status_code == 302
    connection = Connection.objects.get()
    assert (connection.from_contact, connection.to_contact) == (ana, jonas)


def test_a_single_match_comes_picked_and_no_match_or_no_name_says_so(rosa_client, people):
    ana = people["ana"]
    form = {"connection-direction": "from", "connection-kind": "worked_with"}

    single = rosa_client.post(
        f"/contacts/{ana.pk}/connections/", {**form, "connection-other_query": "cleo"}, **HTMX
    )
    nobody = rosa_client.post(
        f"/contacts/{ana.pk}/connections/", {**form, "connection-other_query": "zed"}, **HTMX
    )
    empty = rosa_client.post(f"/contacts/{ana.pk}/connections/", form, **HTMX)

    assert f'value="{people["cleo"].pk}"\n           id="connection-{ana.pk}-other-' in (
        single.content.decode()
    )
    assert " checked>" in single.content.decode()
    assert texts(nobody.content, "field-error") == ["Nobody matches “zed”."]
    assert texts(empty.content, "field-error") == ["Type the other contact's name, then pick them."]
