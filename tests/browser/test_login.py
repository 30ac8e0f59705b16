import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_recruiter_logs_in_through_login_form_and_sees_layout(
    page: Page, live_server, recruiter, password
):
    page.goto(f"{live_server.url}/contacts/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/contacts/")

    page.get_by_label("Username").fill("rosa")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}/contacts/")
    nav = page.get_by_role("navigation", name="Main")
    for link in ["My day", "Contacts", "Jobs", "Dashboards"]:
        expect(nav.get_by_role("link", name=link, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)
    expect(page.get_by_role("searchbox", name="Search people and companies")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_have_text("Rosa Reyes")

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/login/")


def test_wrong_password_stays_on_login_with_message(page: Page, live_server, recruiter):
    page.goto(f"{live_server.url}/login/")

    page.get_by_label("Username").fill("rosa")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username")
