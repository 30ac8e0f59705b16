import pytest
from playwright.sync_api import Page, expect

from contacts.models import Fact
from relationships.models import Interaction, Relationship
from tests.factories import ContactFactory, RelationshipFactory
from tests.helpers import log_in

pytestmark = pytest.mark.browser


def test_recruiter_finds_a_contact_logs_a_call_and_remembers_a_fact_without_reload(
    page: Page, live_server, recruiter, password
):
    ana = ContactFactory(first_name="Ana", last_name="Smith", title="Data lead")
    RelationshipFactory(contact=ana, owner=recruiter, tier="B")
    ContactFactory(first_name="Anders", last_name="Berg")

    log_in(page, live_server, password)

    search_box = page.get_by_role("navigation", name="Main").get_by_role(
        "searchbox", name="Search people and companies"
    )
    search_box.fill("Ana Sm")
    search_box.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/search/?q=Ana+Sm")
    page.get_by_role("link", name="Ana Smith", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/contacts/{ana.pk}/")
    expect(page.get_by_role("heading", name="Ana Smith", level=1)).to_be_visible()
    expect(page.get_by_test_id("last-touch")).to_have_text("Never")
    page.evaluate("window.__marker = 1")

    quick_log = page.get_by_role("form", name="Log a call, email, meeting or note")
    quick_log.get_by_label("Kind").select_option("call")
    quick_log.get_by_label("Summary").fill("Talked about the Berlin role")
    quick_log.get_by_role("button", name="Log it").click()

    timeline = page.get_by_test_id("timeline")
    expect(timeline.get_by_test_id("interaction")).to_have_count(1)
    expect(timeline).to_contain_text("Talked about the Berlin role")
    # The relationship panel was swapped out of band: the touch shows without a reload.
    expect(page.get_by_test_id("last-touch")).not_to_have_text("Never")
    expect(page.get_by_label("Summary")).to_have_value("")

    fact_form = page.get_by_role("form", name="Remember a fact")
    fact_form.get_by_label("Remember a fact").fill("Daughter starts school in September")
    fact_form.get_by_label("Category").select_option("family")
    fact_form.get_by_role("button", name="Remember", exact=True).click()

    facts = page.get_by_test_id("facts")
    expect(facts).to_contain_text("Daughter starts school in September")
    expect(facts).to_contain_text("Family")
    expect(timeline).to_contain_text("Talked about the Berlin role")
    assert page.evaluate("window.__marker") == 1
    assert page.url == f"{live_server.url}/contacts/{ana.pk}/"

    interaction = Interaction.objects.get(contact=ana)
    assert (interaction.kind, interaction.summary, interaction.recruiter) == (
        "call",
        "Talked about the Berlin role",
        recruiter,
    )
    assert Relationship.objects.get(contact=ana).last_touch_at == interaction.occurred_at
    fact = Fact.objects.get(contact=ana)
    assert (fact.text, fact.category, fact.author) == (
        "Daughter starts school in September",
        "family",
        recruiter,
    )


def test_contact_page_quick_log_works_without_javascript(browser, live_server, recruiter, password):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    ana = ContactFactory(first_name="Ana", last_name="Smith")
    log_in(page, live_server, password)

    page.goto(f"{live_server.url}/contacts/{ana.pk}/")
    quick_log = page.get_by_role("form", name="Log a call, email, meeting or note")
    quick_log.get_by_label("Kind").select_option("note")
    quick_log.get_by_label("Summary").fill("Prefers mornings")
    quick_log.get_by_role("button", name="Log it").click()

    expect(page).to_have_url(f"{live_server.url}/contacts/{ana.pk}/#timeline-panel")
    expect(page.get_by_test_id("timeline")).to_contain_text("Prefers mornings")
    context.close()
