import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Chromium keeps room for a search box's clear button beside the text.
CLEAR_BUTTON = 16
PLACEHOLDER_ROOM = """el => {
  const style = getComputedStyle(el);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const inside = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [Math.ceil(context.measureText(el.placeholder).width), inside];
}"""


@pytest.mark.parametrize("width", [390, 992, 1280])
def test_search_placeholder_fits_and_the_menu_fits_the_screen(
    page: Page, live_server, admin_user, password, width
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(admin_user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/")
    if width < 1200:  # the menu collapses below Bootstrap's xl breakpoint
        page.get_by_role("button", name="Menu").click()

    search = page.get_by_role("searchbox", name="Search people and companies")
    expect(search).to_be_visible()
    text, room = search.evaluate(PLACEHOLDER_ROOM)
    assert text + CLEAR_BUTTON <= room, f"the placeholder needs {text} px, the box has {room}"
    expect(page.get_by_role("button", name="Log out")).to_be_in_viewport(ratio=1)
    sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1]
