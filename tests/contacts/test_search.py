import pytest
from django.db import connection
from django.urls import reverse

from contacts.models import Contact, Organization
from contacts.search import (
    contact_search,
    contact_search_queryset,
    organization_search,
    query_parse,
)
from contacts.search_index import contact_search_refresh
from tests.factories import ContactFactory, FactFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def names(contacts: list[Contact]) -> list[str]:
    return [contact.full_name for contact in contacts]


# --- query parsing -------------------------------------------------------------------------------


def test_query_parse_last_word_and_every_word_become_prefixes():
    parsed = query_parse("Ana SMI")

    assert parsed.prefix_tsquery == "'ana':* & 'smi':*"
    assert parsed.exact_tsquery == "'ana' & 'smi'"
    assert (parsed.email, parsed.domain) == ("", "")


def test_query_parse_one_letter_word_stays_whole():
    assert query_parse("o'brien j").prefix_tsquery == "('o' & 'brien':*) & 'j'"


def test_query_parse_operators_are_separators_never_syntax():
    parsed = query_parse("a & | ! ( ) : * ' \\ <-> ana:*")

    assert parsed.prefix_tsquery == "'a' & 'ana':*"


def test_query_parse_email_is_one_lexeme():
    parsed = query_parse(" Ana.Smith@Mail.example ")

    assert parsed.email == "ana.smith@mail.example"
    assert parsed.domain == "mail.example"
    assert parsed.prefix_tsquery == "'ana.smith@mail.example':*"
    assert parsed.exact_tsquery == "'ana.smith@mail.example'"


def test_query_parse_dotted_word_is_one_lexeme_or_its_whole_parts():
    parsed = query_parse("booking.com")

    assert parsed.prefix_tsquery == "('booking.com':* | 'booking' & 'com')"


def test_query_parse_compound_with_one_letter_piece_is_never_a_prefix():
    assert query_parse("j@x.io x.y").prefix_tsquery == "'j@x.io' & ('x.y' | 'x' & 'y')"


def test_query_parse_half_typed_email_searches_its_local_part():
    assert query_parse("ana.smith@mai").prefix_tsquery == "('ana.smith':* | 'ana' & 'smith')"


def test_query_parse_domain_recognised():
    assert query_parse("https://www.Acme.io/").domain == "acme.io"


def test_query_parse_whitespace_gives_nothing_to_search():
    assert not query_parse("  \t ")
    assert not query_parse("&& || !!")


# --- contact_search ------------------------------------------------------------------------------


def test_contact_search_name_finds_contact():
    ana = ContactFactory(first_name="Ana", last_name="Smith")
    ContactFactory(first_name="Bob", last_name="Stone")

    assert contact_search(query="smith") == [ana]


def test_contact_search_prefixes_of_two_words_find_contact():
    ana = ContactFactory(first_name="Ana", last_name="Smith")
    ContactFactory(first_name="Ana", last_name="Jones")
    ContactFactory(first_name="Bob", last_name="Smith")

    assert contact_search(query="ana smi") == [ana]


def test_contact_search_two_words_must_both_match():
    ContactFactory(first_name="Ana", last_name="Smith", title="Engineer")
    jones = ContactFactory(first_name="Ana", last_name="Jones", title="Designer")

    assert contact_search(query="ana designer") == [jones]
    assert contact_search(query="bob smith") == []


def test_contact_search_exact_email_lists_its_owner_first():
    # The assistant mentions the address in a title and a fact: more matches, a higher rank.
    owner = ContactFactory(first_name="Bob", last_name="Jones", emails=["ana.smith@mail.example"])
    assistant = ContactFactory(
        first_name="Ana", last_name="Smith", emails=["ana.smith@mail.example.org"],
        title="Assistant to ana.smith@mail.example",
    )  # fmt: skip
    FactFactory(contact=assistant, text="Copy ana.smith@mail.example on everything")
    ContactFactory(first_name="Ana", last_name="Smith", emails=["ana.smith.jr@mail.example"])

    assert contact_search(query="Ana.Smith@mail.example") == [owner, assistant]


def test_contact_search_partial_email_finds_contact():
    ana = ContactFactory(first_name="Ana", emails=["ana.smith@mail.example"])
    ContactFactory(first_name="Ana", emails=["ana.jones@mail.example"])

    assert contact_search(query="ana.smith@mai") == [ana]


def test_contact_search_email_domain_finds_contacts_there():
    kowalski = ContactFactory(first_name="Jan", emails=["j.kowalski@northwind.example"])
    ContactFactory(first_name="Eva", emails=["eva@southwind.example"])

    assert contact_search(query="northwind.example") == [kowalski]


def test_contact_search_email_part_finds_contact():
    kowalski = ContactFactory(first_name="Jan", emails=["j.kowalski@northwind.example"])
    ContactFactory(first_name="Eva", emails=["eva@southwind.example"])

    assert contact_search(query="northwind") == [kowalski]


def test_contact_search_title_finds_contact():
    architect = ContactFactory(first_name="Ana", title="Platform Architect")
    ContactFactory(first_name="Bob", title="Engineer")

    assert contact_search(query="architect") == [architect]


def test_contact_search_company_name_finds_contact():
    globex = OrganizationFactory(name="Globex Corporation", domain="")
    hank = ContactFactory(first_name="Hank", organization=globex)
    ContactFactory(first_name="Marge")

    assert contact_search(query="globex") == [hank]


def test_contact_search_dotted_company_name_finds_contact():
    booking = OrganizationFactory(name="Booking.com", domain="")
    ana = ContactFactory(first_name="Ana", emails=["ana@mail.example"], organization=booking)
    ContactFactory(first_name="Bob", emails=["bob@booking.example"])

    assert contact_search(query="booking.com") == [ana]


def test_contact_search_tag_finds_contact():
    tagged = ContactFactory(first_name="Ana", tags=["fintech", "python"])
    ContactFactory(first_name="Bob", tags=["sales"])

    assert contact_search(query="fintech") == [tagged]


def test_contact_search_fact_text_finds_contact():
    rider = ContactFactory(first_name="Ana")
    FactFactory(contact=rider, text="Restores vintage motorbikes")
    FactFactory(contact=ContactFactory(first_name="Bob"), text="Two kids")

    assert contact_search(query="motorbikes") == [rider]


def test_contact_search_name_match_ranks_above_fact_only_match():
    # Sorted by name alone, Aaron Able would come first; each has "baker" once.
    fact_only = ContactFactory(first_name="Aaron", last_name="Able", emails=["aa@mail.example"])
    FactFactory(contact=fact_only, text="Trained as a baker")
    named = ContactFactory(first_name="Zoe", last_name="Baker", emails=["zb@mail.example"])

    assert contact_search(query="baker") == [named, fact_only]


def test_contact_search_whole_word_ranks_above_longer_word():
    anabel = ContactFactory(first_name="Anabel", last_name="Adams")
    ana = ContactFactory(first_name="Ana", last_name="Zimmer")

    assert contact_search(query="ana") == [ana, anabel]


def test_contact_search_equal_rank_orders_by_sort_name():
    for last_name in ["Young", "Brown", "Miller"]:
        ContactFactory(first_name="Lee", last_name=last_name, title="Engineer")

    assert names(contact_search(query="lee")) == ["Lee Brown", "Lee Miller", "Lee Young"]


def test_contact_search_limit_respected():
    for last_name in ["Evans", "Baker", "Clark", "Adams", "Davis"]:
        ContactFactory(first_name="Lee", last_name=last_name)

    assert names(contact_search(query="lee", limit=3)) == ["Lee Adams", "Lee Baker", "Lee Clark"]


def test_contact_search_one_letter_matches_whole_word_only():
    initial = ContactFactory(first_name="J", last_name="Doe")
    ContactFactory(first_name="Jane", last_name="Doe")

    assert contact_search(query="j") == [initial]
    assert contact_search(query="a") == []


def test_contact_search_two_letters_match_as_prefix():
    ana = ContactFactory(first_name="Ana", last_name="Smith")

    assert contact_search(query="an") == [ana]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("a & | ! ( ) : * '", []),
        ("ana & | !smith", ["Ana Smith"]),
        ("(ana) 'smith'", ["Ana Smith"]),
        ("ana:* | bob", []),
        ("!ana", ["Ana Smith"]),
        ("smith\\", ["Ana Smith"]),
        ("ana <-> smith", ["Ana Smith"]),
        ("'; DROP TABLE contacts_contact; --", []),
        ("ana\x00smith", ["Ana Smith"]),
        ("ana\x00@mail.example", ["Ana Smith"]),
    ],
)
def test_contact_search_operators_in_input_are_plain_text(query, expected):
    ContactFactory(first_name="Ana", last_name="Smith")
    ContactFactory(first_name="Bob", last_name="Stone")

    assert names(contact_search(query=query)) == expected
    assert Contact.objects.count() == 2


def test_contact_search_very_long_input_is_cut_not_rejected():
    ana = ContactFactory(first_name="Ana", last_name="Smith")

    assert contact_search(query="ana " * 5000 + "bob") == [ana]
    assert query_parse("w1 w2 w3 w4 w5 w6 w7 w8 w9").prefix_tsquery.count("&") == 7


@pytest.mark.parametrize("query", ["", "   ", "&|!():*'", "\\"])
def test_contact_search_nothing_to_search_runs_no_query(query, django_assert_num_queries):
    ContactFactory(first_name="Ana")

    with django_assert_num_queries(0):
        assert contact_search(query=query) == []
        assert organization_search(query=query) == []


def test_contact_search_loads_organization_in_the_same_query(django_assert_num_queries):
    acme = OrganizationFactory(name="Acme")
    ContactFactory(first_name="Ana", organization=acme)
    ContactFactory(first_name="Ana", organization=acme)

    with django_assert_num_queries(1):
        companies = [contact.organization.name for contact in contact_search(query="ana")]

    assert companies == ["Acme", "Acme"]


def test_contact_search_query_uses_gin_index():
    contacts = Contact.objects.bulk_create(
        Contact(first_name=f"Person{n}", last_name="Filler", emails=[f"p{n}@mail.example"])
        for n in range(2000)
    )
    contact_search_refresh(contact.pk for contact in contacts)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contacts_contact")
        # The point is that the query can use the index; keep the planner's choice deterministic.
        cursor.execute("SET LOCAL enable_seqscan = off")

    word_plan = contact_search_queryset(query="person12 fil").explain()
    email_plan = contact_search_queryset(query="p12@mail.example").explain()

    assert "Bitmap Index Scan on contacts_contact_search_gin" in word_plan
    assert "Bitmap Index Scan on contacts_contact_emails_gin" in email_plan
    assert "Seq Scan" not in word_plan
    assert "Seq Scan" not in email_plan


# --- organization_search -------------------------------------------------------------------------


def test_organization_search_name_finds_organization():
    acme = OrganizationFactory(name="Acme Robotics", domain="acme.io")
    OrganizationFactory(name="Globex", domain="globex.example")

    assert organization_search(query="robot") == [acme]


def test_organization_search_domain_finds_organization():
    acme = OrganizationFactory(name="Acme Robotics", domain="acme.io")
    OrganizationFactory(name="Globex", domain="globex.example")

    assert organization_search(query="acme.io") == [acme]


def test_organization_search_typed_domain_lists_its_owner_first():
    # "Acme Io" matches both words by name, which outranks a match by domain.
    owner = OrganizationFactory(name="Acme Robotics", domain="acme.io")
    namesake = OrganizationFactory(name="Acme Io", domain="acmeio.example")

    assert organization_search(query="acme.io") == [owner, namesake]


def test_organization_search_email_finds_organization_of_its_domain():
    acme = OrganizationFactory(name="Acme Robotics", domain="acme.io")
    OrganizationFactory(name="Ana's Bakery", domain="ana.example")

    assert organization_search(query="ana@acme.io") == [acme]


def test_organization_search_limit_respected():
    for name in ["Delta Labs", "Alpha Labs", "Charlie Labs", "Bravo Labs"]:
        OrganizationFactory(name=name)

    assert [org.name for org in organization_search(query="labs", limit=2)] == [
        "Alpha Labs",
        "Bravo Labs",
    ]


# --- the search page -----------------------------------------------------------------------------


def test_search_page_shows_matching_contacts_and_organizations(client, recruiter):
    acme = OrganizationFactory(name="Acme Robotics", domain="acme.io")
    ana = ContactFactory(
        first_name="Ana", last_name="Acme", title="CTO", organization=acme,
        emails=["ana@acme.io"], tags=["robotics"],
    )  # fmt: skip
    ContactFactory(first_name="Bob", last_name="Stone")
    client.force_login(recruiter)

    response = client.get(reverse("contacts:search"), {"q": "acme"})

    assert response.status_code == 200
    assert response.context["contacts"] == [ana]
    assert response.context["organizations"] == [acme]
    html = response.content.decode()
    assert f'href="/contacts/{ana.pk}/">Ana Acme</a>' in html
    assert f'href="/organizations/{acme.pk}/">Acme Robotics</a>' in html
    for text in ["CTO", "ana@acme.io", "robotics", "acme.io", "<nav", 'id="search-results"']:
        assert text in html
    assert "Bob Stone" not in html


def test_search_page_input_searches_live_with_htmx(client, recruiter):
    client.force_login(recruiter)

    html = client.get(reverse("contacts:search"), {"q": "ana"}).content.decode()

    assert 'name="q" value="ana"' in html
    assert 'hx-get="/search/"' in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    assert 'hx-target="#search-results"' in html
    assert 'action="/search/" method="get"' in html


def test_search_page_htmx_request_returns_only_results(client, recruiter):
    ana = ContactFactory(first_name="Ana", last_name="Smith")
    client.force_login(recruiter)

    response = client.get(
        reverse("contacts:search"), {"q": "ana smi"}, headers={"HX-Request": "true"}
    )

    # The results, and the sections higher apps register (contacts.panels.SEARCH_RESULTS).
    assert response.templates[0].name == "contacts/partials/search_results.html"
    assert {t.name.split("/")[0] for t in response.templates[1:]} <= {"market"}
    html = response.content.decode()
    assert f'href="/contacts/{ana.pk}/">Ana Smith</a>' in html
    assert "<nav" not in html
    assert "<form" not in html
    assert response["Vary"] == "HX-Request, Cookie"


def test_search_page_htmx_history_restore_returns_whole_page(client, recruiter):
    client.force_login(recruiter)

    response = client.get(
        reverse("contacts:search"),
        {"q": "ana"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert response.templates[0].name == "contacts/search.html"
    assert "<nav" in response.content.decode()


def test_search_page_without_match_says_so(client, recruiter):
    ContactFactory(first_name="Ana", last_name="Smith")
    client.force_login(recruiter)

    response = client.get(reverse("contacts:search"), {"q": "zephyrine"})

    assert response.context["contacts"] == []
    assert "Nothing matches “zephyrine”." in response.content.decode()


def test_search_page_without_query_runs_no_search(client, recruiter, django_assert_num_queries):
    ContactFactory(first_name="Ana")
    client.force_login(recruiter)

    # The session and the user only.
    with django_assert_num_queries(2):
        response = client.get(reverse("contacts:search"))

    assert response.status_code == 200
    assert response.context["contacts"] == []
    assert "Search names, emails, titles, companies, tags" in response.content.decode()


def test_search_page_escapes_query(client, recruiter):
    client.force_login(recruiter)

    html = client.get(reverse("contacts:search"), {"q": "<script>x</script>"}).content.decode()

    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


@pytest.mark.parametrize("count", [1, 3])
def test_search_page_query_count_constant(client, recruiter, django_assert_num_queries, count):
    for n in range(count):
        organization = OrganizationFactory(name=f"Umbrella {n}")
        contact = ContactFactory(
            first_name="Ana", last_name=f"Umbrella{n}", organization=organization
        )
        FactFactory(contact=contact, text="Collects umbrellas")
    client.force_login(recruiter)

    # Session, user, contacts (with their organizations), organizations, market notes.
    with django_assert_num_queries(5):
        response = client.get(reverse("contacts:search"), {"q": "umbrella"})

    assert len(response.context["contacts"]) == count
    assert len(response.context["organizations"]) == count


def test_search_page_anonymous_redirected_to_login(client):
    response = client.get(reverse("contacts:search"), {"q": "ana"})

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/search/%3Fq%3Dana"


def test_search_page_post_not_allowed(client, recruiter):
    client.force_login(recruiter)

    response = client.post(reverse("contacts:search"), {"q": "ana"})

    assert response.status_code == 405


def test_organization_and_contact_search_are_independent_of_each_other():
    organization = OrganizationFactory(name="Initech", domain="initech.example")

    assert organization_search(query="initech") == [organization]
    assert contact_search(query="initech") == []
    assert Organization.objects.count() == 1
