import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from contacts.services import contact_create
from tests.factories import OrganizationFactory, RelationshipFactory
from tests.helpers import cursor_of, log_in

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
LIST_URL = "/contacts/"
EXPORT_URL = "/contacts/export.csv"


@pytest.fixture
def people(recruiter, other_recruiter):
    """Adams (rosa, C), Jones (tom, B), Park (nobody's), Smith (rosa, A, overdue)."""
    acme = OrganizationFactory(name="Acme")
    globex = OrganizationFactory(name="Globex")
    with time_machine.travel(NOW - dt.timedelta(days=60), tick=False):
        smith = contact_create(
            first_name="Ana", last_name="Smith", title="Engineer", organization=acme,
            roles=["candidate"], tags=["python"], emails=["ana@smith.example"],
        )  # fmt: skip
        RelationshipFactory(contact=smith, owner=recruiter, tier="A")
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        jones = contact_create(
            first_name="Ben", last_name="Jones", title="CTO", organization=globex,
            roles=["client"],
        )  # fmt: skip
        RelationshipFactory(contact=jones, owner=other_recruiter, tier="B")
        park = contact_create(
            first_name="Cleo", last_name="Park", roles=["interviewer"], tags=["python", "berlin"]
        )
        adams = contact_create(
            first_name="Dan", last_name="Adams", organization=acme, roles=["hiring_manager"]
        )
        RelationshipFactory(contact=adams, owner=recruiter, tier="C")
    return {"acme": acme, "globex": globex, "smith": smith, "jones": jones, "park": park}


def names(response) -> list[str]:
    return [row["name"] for row in response.context["rows"]]


# --- the list and its filters --------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_contact_list_without_filters_shows_everyone_in_name_order(rosa_client, people):
    response = rosa_client.get(LIST_URL)

    assert response.status_code == 200
    assert names(response) == ["Dan Adams", "Ben Jones", "Cleo Park", "Ana Smith"]
    assert response.context["next_url"] == ""
    assert response.context["first_url"] == ""


@time_machine.travel(NOW, tick=False)
def test_contact_list_row_shows_links_owner_tier_and_overdue_badge(rosa_client, people):
    smith = people["smith"]

    html = rosa_client.get(LIST_URL, {"tag": "python"}).content.decode()

    assert f'<a href="/contacts/{smith.pk}/">Ana Smith</a>' in html
    assert f'<a href="/organizations/{people["acme"].pk}/">Acme</a>' in html
    assert "<td>Candidate</td>" in html
    assert "<td>Rosa Reyes</td>" in html
    assert "<td>A</td>" in html
    assert "5 Oct 2026" in html  # due 14 days after 21 Sep
    assert html.count('<span class="badge text-bg-danger">Overdue</span>') == 1
    assert '<span class="text-body-secondary">Nobody</span>' in html  # Cleo Park


def test_contact_list_row_escapes_what_people_typed(rosa_client, recruiter):
    """The rows are built in Python (ROW_HTML), so their escaping is the view's, not the
    template engine's: names, titles, organizations and tags print as text."""
    organization = OrganizationFactory(name="Smith & <Sons>")
    contact = contact_create(
        first_name="<b>Ann</b>", last_name="O'Hara", title='"Lead" <i>dev</i>',
        organization=organization, roles=["candidate"], tags=["<script>x</script>"],
    )  # fmt: skip
    RelationshipFactory(contact=contact, owner=recruiter, tier="A")

    html = rosa_client.get(LIST_URL).content.decode()

    assert f'<a href="/contacts/{contact.pk}/">&lt;b&gt;Ann&lt;/b&gt; O&#x27;Hara</a>' in html
    assert "<td>&quot;Lead&quot; &lt;i&gt;dev&lt;/i&gt;</td>" in html
    assert f'<a href="/organizations/{organization.pk}/">Smith &amp; &lt;Sons&gt;</a>' in html
    assert '<span class="badge text-bg-light border">&lt;script&gt;x&lt;/script&gt;</span>' in html
    assert "<b>Ann</b>" not in html
    assert "<script>x" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"owner": "me"}, ["Dan Adams", "Ana Smith"]),
        ({"owner": "none"}, ["Cleo Park"]),
        ({"owner": ""}, ["Dan Adams", "Ben Jones", "Cleo Park", "Ana Smith"]),
        ({"role": "candidate"}, ["Ana Smith"]),
        ({"role": "hiring_manager"}, ["Dan Adams"]),
        ({"tag": " Python "}, ["Cleo Park", "Ana Smith"]),
        ({"tag": "berlin"}, ["Cleo Park"]),
        ({"tier": "A"}, ["Ana Smith"]),
        ({"tier": "B"}, ["Ben Jones"]),
        ({"overdue": "on"}, ["Ana Smith"]),
        ({"owner": "me", "tier": "C"}, ["Dan Adams"]),
        ({"tag": "nobody-has-this"}, []),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_contact_list_filter_shows_matching_contacts(rosa_client, people, params, expected):
    response = rosa_client.get(LIST_URL, params)

    assert names(response) == expected
    assert response.context["form"].errors == {}


@time_machine.travel(NOW, tick=False)
def test_contact_list_filter_by_other_recruiter(rosa_client, people, other_recruiter):
    response = rosa_client.get(LIST_URL, {"owner": str(other_recruiter.pk)})

    assert names(response) == ["Ben Jones"]


@time_machine.travel(NOW, tick=False)
def test_contact_list_filter_by_organization_names_it(rosa_client, people):
    acme = people["acme"]

    response = rosa_client.get(LIST_URL, {"organization": str(acme.pk)})

    assert names(response) == ["Dan Adams", "Ana Smith"]
    assert f'Only people at <a href="/organizations/{acme.pk}/">Acme</a>.' in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("params", "field", "error", "shown"),
    [
        (
            {"role": "wizard"},
            "role",
            "Select a valid choice. wizard is not one of the available choices.",
            "Select a valid choice. wizard is not one of the available choices. "
            "This filter is ignored.",
        ),
        (
            {"tier": "Z"},
            "tier",
            "Select a valid choice. Z is not one of the available choices.",
            "Select a valid choice. Z is not one of the available choices. This filter is ignored.",
        ),
        (
            {"owner": "abc"},
            "owner",
            "Choose an owner from the list: abc is not an active user.",
            "Choose an owner from the list: abc is not an active user. This filter is ignored.",
        ),
        (
            {"organization": "x"},
            "organization",
            "Enter a whole number.",
            "Organization: Enter a whole number. The organization filter is ignored.",
        ),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_contact_list_bad_filter_shows_error_and_ignores_that_filter(
    rosa_client, people, params, field, error, shown
):
    response = rosa_client.get(LIST_URL, {**params, "tag": "python"})

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [error]}
    assert names(response) == ["Cleo Park", "Ana Smith"]  # the valid tag filter still applies
    assert shown in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_contact_list_bad_owner_error_is_next_to_owner_field(rosa_client, people):
    html = rosa_client.get(LIST_URL, {"owner": "abc"}).content.decode()

    assert (
        '<div class="invalid-feedback d-block" id="id_owner_error"><div>Choose an owner from '
        "the list: abc is not an active user. This filter is ignored.</div></div>"
    ) in html


# --- pagination ----------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_contact_list_pages_follow_the_cursor_to_the_end(rosa_client, people, monkeypatch):
    monkeypatch.setattr("relationships.views.contact_list.PAGE_SIZE", 2)

    first = rosa_client.get(LIST_URL)
    second = rosa_client.get(first.context["next_url"])

    assert names(first) == ["Dan Adams", "Ben Jones"]
    assert first.context["next_url"].startswith("/contacts/?after=")
    assert names(second) == ["Cleo Park", "Ana Smith"]
    assert second.context["next_url"] == ""
    assert second.context["first_url"] == "/contacts/"


@time_machine.travel(NOW, tick=False)
def test_contact_list_next_page_keeps_the_filters(rosa_client, people, monkeypatch):
    monkeypatch.setattr("relationships.views.contact_list.PAGE_SIZE", 1)

    first = rosa_client.get(LIST_URL, {"tag": "python", "role": ""})
    next_url = first.context["next_url"]
    second = rosa_client.get(next_url)

    assert names(first) == ["Cleo Park"]
    assert next_url.startswith("/contacts/?tag=python&role=&after=")
    assert names(second) == ["Ana Smith"]
    assert second.context["next_url"] == ""
    assert second.context["first_url"] == "/contacts/?tag=python&role="
    assert 'href="/contacts/?tag=python&amp;role="' in second.content.decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",
        cursor_of("not json"),
        cursor_of('["only one"]'),
        cursor_of('{"a": 1, "b": 2}'),
        cursor_of('["a", 1e400]'),
        cursor_of('["a", 99999999999999999999999]'),
        cursor_of('["a\\u0000b", 1]'),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_contact_list_invalid_cursor_shows_message_and_first_page(rosa_client, people, cursor):
    response = rosa_client.get(LIST_URL, {"after": cursor})

    assert response.status_code == 200
    assert names(response) == ["Dan Adams", "Ben Jones", "Cleo Park", "Ana Smith"]
    assert "This page link is not valid; start again from the first page." in (
        response.content.decode()
    )


@time_machine.travel(NOW, tick=False)
def test_contact_list_htmx_request_gets_the_table_partial(rosa_client, people):
    response = rosa_client.get(LIST_URL, {"tier": "A"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert names(response) == ["Ana Smith"]
    assert "<html" not in html
    assert 'data-testid="contact-table"' in html
    assert 'href="/contacts/export.csv?tier=A"' in html
    assert response["Vary"] == "HX-Request, Cookie"


@time_machine.travel(NOW, tick=False)
def test_contact_list_full_page_has_htmx_filter_form_and_buttons(rosa_client, people):
    html = rosa_client.get(LIST_URL).content.decode()

    assert 'hx-get="/contacts/" hx-target="#contact-table" hx-push-url="true"' in html
    assert '<a class="btn btn-primary" href="/contacts/new/">New contact</a>' in html
    assert 'href="/contacts/import/">Import CSV</a>' in html
    assert 'href="/contacts/export.csv" download>Export CSV</a>' in html


def test_contact_list_same_query_count_for_one_and_three_contacts(
    rosa_client, recruiter, other_recruiter, django_assert_num_queries
):
    acme = OrganizationFactory(name="Acme")
    RelationshipFactory(
        contact=contact_create(first_name="Ana", organization=acme), owner=recruiter
    )
    with django_assert_num_queries(4):  # session, user, recruiters for the owner filter, contacts
        one = rosa_client.get(LIST_URL)
    for name in ("Ben", "Cleo"):
        RelationshipFactory(
            contact=contact_create(first_name=name, organization=OrganizationFactory()),
            owner=other_recruiter,
        )

    with django_assert_num_queries(4):
        three = rosa_client.get(LIST_URL)

    assert len(one.context["rows"]) == 1
    assert len(three.context["rows"]) == 3


def test_contact_list_sends_anonymous_visitor_to_login(client, db):
    for path in (LIST_URL, EXPORT_URL, "/contacts/new/"):
        response = client.get(path)

        assert response.status_code == 302
        assert response["Location"] == f"/login/?next={path}"


# --- the export ----------------------------------------------------------------------------------


def export_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


HEADER = [
    "first_name", "last_name", "emails", "phones", "linkedin_url", "title", "organization",
    "roles", "tags", "source", "location", "owner", "tier", "last_touch_at", "next_touch_due",
]  # fmt: skip


@time_machine.travel(NOW, tick=False)
def test_contact_export_writes_every_column_for_two_contacts(rosa_client, recruiter):
    acme = OrganizationFactory(name="Acme")
    ana = contact_create(
        first_name="Ana", last_name="Smith", emails=["ana@smith.example", "ana@home.example"],
        phones=["020 7946 0958", "07700 900123"], linkedin_url="linkedin.com/in/ana-smith",
        title="Engineer", organization=acme, roles=["candidate", "referrer"],
        tags=["python", "berlin"], source="Meetup", location="Berlin, Germany",
    )  # fmt: skip
    RelationshipFactory(contact=ana, owner=recruiter, tier="A")
    contact_create(first_name="Zoë", last_name="Ünal")

    response = rosa_client.get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="contacts-2026-11-20.csv"'
    assert export_rows(response) == [
        HEADER,
        [
            "Ana", "Smith", "ana@smith.example; ana@home.example", "020 7946 0958; 07700 900123",
            "https://linkedin.com/in/ana-smith", "Engineer", "Acme", "candidate; referrer",
            "python; berlin", "Meetup", "Berlin, Germany", "rosa", "A", "",
            "2026-12-04T10:00:00+00:00",
        ],
        ["Zoë", "Ünal", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ]  # fmt: skip


@time_machine.travel(NOW, tick=False)
def test_contact_export_applies_the_filters(rosa_client, people):
    response = rosa_client.get(EXPORT_URL, {"owner": "me", "tag": "python"})

    rows = export_rows(response)
    assert [row[:2] for row in rows] == [["first_name", "last_name"], ["Ana", "Smith"]]


@time_machine.travel(NOW, tick=False)
def test_contact_export_ignores_an_invalid_filter_only(rosa_client, people):
    response = rosa_client.get(EXPORT_URL, {"tier": "Z", "owner": "none"})

    rows = export_rows(response)
    assert [row[:2] for row in rows[1:]] == [["Cleo", "Park"]]


def test_contact_export_escapes_formula_cells(rosa_client):
    contact_create(
        first_name="=HYPERLINK(\"http://evil.example\")", last_name="@SUM(A1)",
        phones=["+44 20 7946 0958"], title="-2+3", source="+cmd", location="Berlin",
    )  # fmt: skip

    row = export_rows(rosa_client.get(EXPORT_URL))[1]

    assert row[:6] == [
        "'=HYPERLINK(\"http://evil.example\")", "'@SUM(A1)", "", "'+44 20 7946 0958", "",
        "'-2+3",
    ]  # fmt: skip
    assert row[9:11] == ["'+cmd", "Berlin"]


def test_contact_export_same_query_count_for_one_and_three_contacts(
    rosa_client, recruiter, django_assert_num_queries
):
    RelationshipFactory(
        contact=contact_create(first_name="Ana", organization=OrganizationFactory()),
        owner=recruiter,
    )
    with django_assert_num_queries(4):  # session, user, recruiters for the owner filter, contacts
        one = export_rows(rosa_client.get(EXPORT_URL))
    for name in ("Ben", "Cleo"):
        RelationshipFactory(
            contact=contact_create(first_name=name, organization=OrganizationFactory()),
            owner=recruiter,
        )

    with django_assert_num_queries(4):
        three = export_rows(rosa_client.get(EXPORT_URL))

    assert [row[0] for row in one] == ["first_name", "Ana"]
    assert [row[0] for row in three] == ["first_name", "Ana", "Ben", "Cleo"]


def test_contact_export_page_size_does_not_limit_it(rosa_client, monkeypatch):
    monkeypatch.setattr("relationships.views.contact_list.PAGE_SIZE", 1)
    monkeypatch.setattr("core.exports.ROWS_PER_WRITE", 2)
    for name in ("Ana", "Ben", "Cleo"):
        contact_create(first_name=name)

    rows = export_rows(rosa_client.get(EXPORT_URL))

    assert [row[0] for row in rows] == ["first_name", "Ana", "Ben", "Cleo"]


def test_contact_list_url_names_resolve():
    assert reverse("relationships:contact-list") == LIST_URL
    assert reverse("relationships:contact-export") == EXPORT_URL


# --- in a real browser ---------------------------------------------------------------------------


@pytest.mark.browser
def test_contact_list_filter_swaps_table_without_reload_and_pushes_url(
    page: Page, live_server, people, password
):
    log_in(page, live_server, password, LIST_URL)
    table = page.get_by_test_id("contact-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Tier").select_option("A")

    expect(page).to_have_url(re.compile(r"/contacts/\?.*tier=A"))
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.get_by_role("link", name="Ana Smith")).to_be_visible()
    expect(page.get_by_role("link", name="Export CSV")).to_have_attribute(
        "href", re.compile(r"^/contacts/export\.csv\?.*tier=A")
    )
    assert page.evaluate("window.stillTheSamePage") is True


@pytest.mark.browser
def test_contact_list_next_page_link_works_in_browser(
    page: Page, live_server, people, password, monkeypatch
):
    monkeypatch.setattr("relationships.views.contact_list.PAGE_SIZE", 3)
    log_in(page, live_server, password, LIST_URL)

    page.get_by_role("link", name="Next page").click()

    table = page.get_by_test_id("contact-table")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.get_by_role("link", name="Ana Smith")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/contacts/\?after="))
    expect(page.get_by_role("link", name="Next page")).to_have_count(0)


def test_contact_list_owner_filter_keeps_the_chosen_owner_selected(client, recruiter):
    client.force_login(recruiter)

    response = client.get("/contacts/", {"owner": str(recruiter.pk)})

    body = response.content.decode()
    assert '<option value="me">Me</option>' in body
    assert f'<optgroup label="Recruiters">\n    <option value="{recruiter.pk}" selected>' in body
