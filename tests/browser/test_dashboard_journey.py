import re

import pytest
from playwright.sync_api import Page, expect

from tests.dashboards.conftest import build_history, people

pytestmark = pytest.mark.browser

CHART_DRAWN = """() => {
    const canvas = document.querySelector("#trends-chart");
    const chart = canvas && window.Chart && window.Chart.getChart(canvas);
    return chart ? chart.data.datasets.length : 0;
}"""


@pytest.fixture
def history(db):
    """The dashboards' known team history (tests/dashboards/conftest.py), read today: its
    promises were due last March, so every open one is breached."""
    return build_history(**people())


def test_manager_reads_the_dashboard_follows_breached_to_the_records_and_a_candidate(
    page: Page, live_server, history, password
):
    dan = history.dan.contact
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/")

    page.get_by_role("link", name="Dashboards").click()
    expect(page.get_by_test_id("scope-label")).to_have_text("London desk")
    expect(page.get_by_test_id("card-promises")).to_be_visible()

    # The trends arrive with htmx and are drawn from their json_script, and shown as a table.
    expect(page.get_by_test_id("trends-table")).to_be_visible()
    assert page.wait_for_function(CHART_DRAWN).json_value() == 7
    expect(page.get_by_test_id("trends-table").locator("tbody tr")).to_have_count(12)

    now_card = page.get_by_test_id("card-now")
    now_card.get_by_test_id("total").get_by_role("link", name=re.compile(r"^\d+ breached$")).click()
    expect(page.get_by_test_id("figure-label")).to_have_text("Open timers breached")
    records = page.get_by_test_id("record")
    expect(records.filter(has_text="Jack Cole")).to_have_count(1)
    late = records.filter(has_text="Jack Cole").locator("td.text-danger")
    expect(late).to_have_text(re.compile(r"^-\d+ d"))

    records.filter(has_text="Status update").get_by_role("link", name="Dan Wu").click()
    expect(page).to_have_url(f"{live_server.url}/contacts/{dan.pk}/")
    expect(page.get_by_role("heading", name="Dan Wu")).to_be_visible()
