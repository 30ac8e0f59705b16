import datetime as dt

import pytest
from django.test import Client

from market.markdown import markdown_render
from market.models import MarketNote
from market.services import note_create
from tests.factories import ContactFactory

AS_OF = dt.date(2026, 11, 20)


def make(author, title="Python demand", **fields):
    return note_create(author=author, title=title, true_as_of=AS_OF, tags=["python"], **fields)


def test_markdown_escapes_first_and_allows_only_http_links():
    body = (
        "**Hot** market, *really*.\n"
        "See [the report](https://example.com/a?b=1&c=2) and [bad](javascript:alert(1)).\n\n"
        "<script>alert(1)</script>"
    )

    assert markdown_render(body) == (
        "<p><strong>Hot</strong> market, <em>really</em>.<br>\n"
        'See <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">'
        "the report</a> and [bad](javascript:alert(1)).</p>\n"
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )


@pytest.mark.parametrize("count", [1, 3])
def test_note_list_runs_a_constant_number_of_queries(
    rosa_client, recruiter, count, django_assert_num_queries
):
    for index in range(count):
        make(recruiter, title=f"Note {index}")

    # session, user, the notes with their authors and teams
    with django_assert_num_queries(3):
        response = rosa_client.get("/market/")

    assert response.content.decode().count('data-testid="note-row"') == count


def test_note_list_pages_by_keyset(rosa_client, recruiter, monkeypatch):
    monkeypatch.setattr("market.selectors.NOTE_PAGE_SIZE", 2)
    for index in range(3):
        make(recruiter, title=f"Note {index}")

    first = rosa_client.get("/market/")
    next_url = first.context["next_url"]
    second = rosa_client.get(next_url)

    assert [n.title for n in first.context["notes"]] == ["Note 2", "Note 1"]
    assert [n.title for n in second.context["notes"]] == ["Note 0"]
    assert rosa_client.get("/market/?after=nonsense").context["cursor_error"]


def test_bad_salary_input_shows_field_errors_and_saves_nothing(rosa_client):
    response = rosa_client.post(
        "/market/new",
        {
            "title": "Berlin salaries",
            "kind": "salary",
            "true_as_of": "2026-11-20",
            "review_by": "2026-11-01",
            "visibility": "agency",
            "source_url": "ftp://example.com",
            "role": "Backend engineer",
            "region": "Berlin",
            "currency": "EUR",
            "period": "year",
            "p25": "90000",
            "median": "80000",
            "p75": "95000",
            "source": "Placements",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "review_by": ["The review date is before the date the note is true as of."],
        "source_url": ["Enter an address starting with http:// or https://."],
        "p25": ["The 25th percentile is above the median."],
    }
    assert MarketNote.objects.count() == 0


def test_writing_a_salary_note_shows_its_table(rosa_client):
    response = rosa_client.post(
        "/market/new",
        {
            "title": "Berlin salaries",
            "kind": "salary",
            "tags": "Python, Berlin",
            "true_as_of": "2026-11-20",
            "visibility": "agency",
            "role": "Backend engineer",
            "region": "Berlin",
            "currency": "EUR",
            "period": "year",
            "p25": "70000",
            "median": "80000",
            "p75": "95000",
            "sample_size": "12",
            "source": "Placements",
        },
        follow=True,
    )

    page = response.content.decode()
    note = MarketNote.objects.get()
    assert note.tags == ["python", "berlin"]
    assert note.review_by == dt.date(2027, 2, 18)
    assert "Backend engineer, Berlin: EUR per year, as of 20 Nov 2026, 12 salaries" in page
    assert "<td>70000–95000</td>" in page


def test_only_author_manager_or_admin_may_edit_or_review(
    client, recruiter, other_recruiter, manager, admin_user
):
    note = make(recruiter)
    private = make(recruiter, title="Private", visibility="private")

    client.force_login(other_recruiter)
    assert client.get(f"/market/{note.pk}/edit").status_code == 403
    assert client.post(f"/market/{note.pk}/retire").status_code == 403
    assert client.get(f"/market/{private.pk}/").status_code == 404
    assert 'data-testid="note-review"' not in client.get(f"/market/{note.pk}/").content.decode()

    for user in (manager, admin_user, recruiter):
        client.force_login(user)
        assert client.get(f"/market/{note.pk}/edit").status_code == 200
    assert client.post(f"/market/{note.pk}/confirm").status_code == 302
    assert client.post(f"/market/{note.pk}/retire").status_code == 302
    note.refresh_from_db()
    assert note.retired_at is not None


def test_the_menu_marks_market_active(rosa_client):
    page = rosa_client.get("/market/").content.decode()

    assert 'href="/market/"' in page
    assert 'aria-current="page"' in page.split('href="/market/"')[1].split(">")[0]


def test_the_search_box_finds_notes_the_user_may_see(rosa_client, recruiter, other_recruiter):
    make(recruiter, title="Python demand in Berlin")
    make(other_recruiter, title="Python secrets", visibility="private")

    page = rosa_client.get("/search/", {"q": "python"}).content.decode()

    assert page.count('data-testid="search-market-note"') == 1
    assert "Python demand in Berlin" in page


@pytest.mark.parametrize("count", [1, 3])
def test_a_contacts_notes_load_after_the_contact_page_in_constant_queries(
    rosa_client, recruiter, count, django_assert_num_queries
):
    contact = ContactFactory(first_name="Ana", tags=["python"])
    for index in range(count):
        make(recruiter, title=f"Python note {index}")
    note_create(author=recruiter, title="Nursing pay", true_as_of=AS_OF, tags=["nursing"])

    page = rosa_client.get(f"/contacts/{contact.pk}/").content.decode()
    # session, user, the contact + organization, their open candidacies' jobs (terms), the notes
    with django_assert_num_queries(5):
        panel = rosa_client.get(f"/market/contacts/{contact.pk}/", HTTP_HX_REQUEST="true")
    plain = rosa_client.get(f"/market/contacts/{contact.pk}/").content.decode()

    # The contact page asks for the notes with htmx and links to them without JavaScript.
    assert f'hx-get="/market/contacts/{contact.pk}/"' in page
    assert "Show the market notes for Ana" in page
    assert "Python note" not in page
    html = panel.content.decode()
    assert html.startswith('<ul class="list-group mb-2" data-testid="market-notes">')
    assert html.count('data-testid="market-note"') == count
    assert "Nursing pay" not in html
    assert html.count("matches python") == count
    assert "Market notes for" in plain
    assert plain.count('data-testid="market-note"') == count


def test_a_contacts_notes_need_a_login_and_a_contact(rosa_client):
    response = Client().get("/market/contacts/1/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/market/contacts/1/")
    assert rosa_client.get("/market/contacts/999999/").status_code == 404
