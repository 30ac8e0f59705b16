import pytest
from playwright.sync_api import Page, expect

from contacts.models import Contact, ContactImport
from tests.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.worker]

PEOPLE = b"First Name,Last Name,Email Address\nAna,Souza,ana@mail.example\nBen,Stone,\n"


def test_recruiter_uploads_a_csv_and_sees_the_preview_once_the_worker_has_read_it(
    page: Page, live_server, recruiter, password, celery_worker_process
):
    log_in(page, live_server, password, next_path="/contacts/import/")

    page.get_by_label("CSV file").set_input_files(
        {"name": "people.csv", "mimeType": "text/csv", "buffer": PEOPLE}
    )
    page.get_by_role("button", name="Preview the import").click()

    contact_import = ContactImport.objects.get()
    expect(page).to_have_url(f"{live_server.url}/contacts/import/{contact_import.pk}/")
    # Read by the real worker; the page polls every second and shows the preview once it is.
    expect(page.get_by_test_id("count-new")).to_have_text("2", timeout=30_000)
    expect(page.get_by_test_id("import-progress")).to_have_count(0)
    expect(page.get_by_test_id("import-preview")).to_contain_text("ana@mail.example")
    assert ContactImport.objects.get().status == "previewed"

    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_role("status").filter(has_text="Imported")).to_have_text(
        "Imported 2 new contacts and updated 0."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported people.csv")
    assert sorted(Contact.objects.values_list("first_name", flat=True)) == ["Ana", "Ben"]
