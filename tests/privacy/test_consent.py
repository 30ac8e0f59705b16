"""A contact's lawful basis (on the page, the forms, the API and the import) and the re-consent
email with the page it links to (followups.consent)."""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from contacts.forms.contact import ContactEditForm
from contacts.models import Contact
from followups.consent import CONSENT_LINK_VALIDITY, reconsent_ask
from followups.content import unsubscribe_token
from followups.models import FollowUp, Message
from followups.relay import relay_batch
from relationships.importing import contacts_import
from relationships.models import Interaction
from tests.factories import (
    ContactFactory,
    FactFactory,
    InteractionFactory,
    OrganizationFactory,
    RelationshipFactory,
)
from tests.helpers import texts

NOW = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ana(clock, recruiter) -> Contact:
    with time_machine.travel(dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC), tick=False):
        contact = ContactFactory(
            first_name="Ana",
            last_name="Silva",
            emails=["ana@mail.example"],
            phones=["+44 20 7946 0000"],
            title="Data lead",
            organization=OrganizationFactory(name="Acme"),
            location="Leeds",
        )
        RelationshipFactory(owner=recruiter, contact=contact)
        FactFactory(contact=contact, text="Runs marathons")
        InteractionFactory(contact=contact, kind="call", recruiter=recruiter)
    return contact


# --- the lawful basis ------------------------------------------------------------------------


def test_new_contact_page_records_legitimate_interest_added_by_its_author(clock, rosa_client):
    response = rosa_client.post(
        "/contacts/new/",
        {"first_name": "Ben", "last_name": "Ode", "tier": "B", "lawful_basis": "", "emails": ""},
    )

    assert response.status_code == 302
    ben = Contact.objects.get(first_name="Ben")
    assert (ben.lawful_basis, ben.lawful_basis_on, ben.lawful_basis_source) == (
        "legitimate_interest",
        dt.date(2026, 3, 2),
        "added by Rosa Reyes",
    )


def test_new_contact_page_takes_a_stated_basis(clock, rosa_client):
    rosa_client.post(
        "/contacts/new/",
        {
            "first_name": "Ben",
            "tier": "B",
            "lawful_basis": "consent",
            "lawful_basis_on": "2026-02-20",
            "lawful_basis_source": "signed form at the Leeds fair",
        },
    )

    ben = Contact.objects.get(first_name="Ben")
    assert (ben.lawful_basis, ben.lawful_basis_on, ben.lawful_basis_source) == (
        "consent",
        dt.date(2026, 2, 20),
        "signed form at the Leeds fair",
    )


def edit_data(contact: Contact, **changes) -> dict:
    initial = ContactEditForm.contact_initial(contact)
    data = {key: value for key, value in initial.items() if value not in (None, False)}
    data["lawful_basis_on"] = contact.lawful_basis_on.isoformat()
    data["moved_on"] = "2026-03-02"
    return {**data, **changes}


def test_edit_form_changes_the_basis_sourced_by_its_editor(ana, rosa_client):
    response = rosa_client.post(
        f"/contacts/{ana.pk}/edit/", edit_data(ana, lawful_basis="contract")
    )

    assert response.status_code == 302
    ana.refresh_from_db()
    assert (ana.lawful_basis, ana.lawful_basis_on, ana.lawful_basis_source) == (
        "contract",
        dt.date(2024, 1, 10),
        "changed by Rosa Reyes",
    )


def test_edit_form_refuses_a_basis_in_the_future(ana, rosa_client):
    response = rosa_client.post(
        f"/contacts/{ana.pk}/edit/", edit_data(ana, lawful_basis_on="2026-03-03")
    )

    assert response.status_code == 200
    assert "A lawful basis cannot start in the future." in response.content.decode()


def test_another_recruiter_cannot_change_the_basis(ana, tom_client):
    response = tom_client.post(f"/contacts/{ana.pk}/edit/", edit_data(ana, lawful_basis="consent"))

    assert response.status_code == 403
    ana.refresh_from_db()
    assert ana.lawful_basis == "legitimate_interest"


def test_another_recruiter_still_edits_the_rest(ana, tom_client):
    response = tom_client.post(f"/contacts/{ana.pk}/edit/", edit_data(ana, location="York"))

    assert response.status_code == 302
    ana.refresh_from_db()
    assert (ana.location, ana.lawful_basis_source) == ("York", "")


def test_contact_page_shows_the_basis(ana, rosa_client):
    Contact.objects.filter(pk=ana.pk).update(lawful_basis_source="import people.csv")

    page = rosa_client.get(f"/contacts/{ana.pk}/").content

    assert texts(page, "lawful-basis") == [
        "Legitimate interest since 10 Jan 2024 (import people.csv)"
    ]


def test_api_shows_and_changes_the_basis(ana, rosa_api):
    shown = rosa_api.get(f"/api/v1/contacts/{ana.pk}/").json()
    changed = rosa_api.patch(
        f"/api/v1/contacts/{ana.pk}/",
        {"lawful_basis": "consent", "lawful_basis_on": "2026-03-01"},
        format="json",
    )

    assert (shown["lawful_basis"], shown["lawful_basis_on"], shown["lawful_basis_source"]) == (
        "legitimate_interest",
        "2024-01-10",
        "",
    )
    assert changed.status_code == 200
    assert (
        changed.json()["lawful_basis"],
        changed.json()["lawful_basis_on"],
        changed.json()["lawful_basis_source"],
    ) == ("consent", "2026-03-01", "changed by Rosa Reyes")


def test_api_refuses_a_basis_in_the_future(ana, rosa_api):
    response = rosa_api.patch(
        f"/api/v1/contacts/{ana.pk}/", {"lawful_basis_on": "2026-04-01"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "lawful_basis_on": ["A lawful basis cannot start in the future."]
    }


def test_api_refuses_another_recruiters_change_of_the_basis(ana, tom_api):
    response = tom_api.patch(
        f"/api/v1/contacts/{ana.pk}/", {"lawful_basis": "consent"}, format="json"
    )

    assert response.status_code == 403
    ana.refresh_from_db()
    assert ana.lawful_basis == "legitimate_interest"


def test_api_creates_a_contact_added_by_its_author(clock, rosa_api):
    response = rosa_api.post("/api/v1/contacts/", {"first_name": "Cleo"}, format="json")

    assert response.status_code == 201
    assert (response.json()["lawful_basis"], response.json()["lawful_basis_source"]) == (
        "legitimate_interest",
        "added by Rosa Reyes",
    )


def test_imported_contacts_hold_on_legitimate_interest_from_the_file(clock, recruiter):
    contacts_import(
        content="First name,Last name,Email\nDee,Ray,dee@mail.example\nEd,Fox,ed@mail.example\n",
        owner=recruiter,
        dry_run=False,
        file_name="people.csv",
    )

    assert list(
        Contact.objects.order_by("first_name").values_list(
            "first_name", "lawful_basis", "lawful_basis_on", "lawful_basis_source"
        )
    ) == [
        ("Dee", "legitimate_interest", dt.date(2026, 3, 2), "import people.csv"),
        ("Ed", "legitimate_interest", dt.date(2026, 3, 2), "import people.csv"),
    ]


# --- the re-consent email --------------------------------------------------------------------


class _Balance(HTMLParser):
    """Checks that every element opened is closed, in order (void elements aside)."""

    VOID = {"br", "hr", "img", "meta", "link", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open, f"</{tag}> closes nothing open"
        assert self.open.pop() == tag, f"</{tag}> closes another element"

    def handle_data(self, data):
        self.text.append(data)


def words(text: str) -> str:
    return " ".join(text.split())


def consent_link(message: Message) -> str:
    return re.search(r"http://\S+/consent/(\S+)/", message.text)[0]


def test_reconsent_email_says_what_we_hold_and_why(ana, recruiter):
    message, new = reconsent_ask(contact=ana, user=recruiter)

    assert new is True
    assert message.subject == "May we keep your details? A quick question from Rosa Reyes"
    link = consent_link(message)
    assert message.text == (
        "Hi Ana,\n\n"
        "It has been a while since we were last in touch, so I would like to check that you are "
        "still happy for us to keep your details.\n\n"
        "This is what we hold about you:\n"
        "- your name, email address and phone number\n"
        "- your position: Data lead at Acme\n"
        "- where you are based: Leeds\n"
        "- a note of something you told us\n"
        "- a record of one conversation or email with you\n\n"
        "We have kept them since 10 January 2024 because, as recruiters, we thought you would "
        "like to hear about roles that fit your experience. We use them only to get in touch "
        "about roles that may suit you, and we never sell them or pass them on without asking "
        "you.\n\n"
        f"To let us keep them, or to ask us to forget you, follow this link: {link}\n\n"
        "It takes one click either way, and the link works until 1 May 2026. If we do not hear "
        "from you, I will decide whether we still have a good reason to keep your details, and "
        "delete them if we do not. You can also just reply to this email.\n\n"
        "Best wishes,\nRosa Reyes\nrosa@rapport.example\n"
    )


def test_reconsent_email_html_is_balanced_and_says_what_the_text_says(ana, recruiter):
    message, _ = reconsent_ask(contact=ana, user=recruiter)

    parser = _Balance()
    parser.feed(message.html)
    parser.close()

    assert parser.open == []
    assert words("".join(parser.text)) == words(message.text)
    assert f'<a href="{consent_link(message)}">' in message.html


def test_reconsent_email_leaves_through_the_relay(ana, recruiter, settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    mail.outbox = []
    message, _ = reconsent_ask(contact=ana, user=recruiter)

    relay_batch(now=timezone.now())

    [email] = mail.outbox
    assert (email.subject, email.body, email.to) == (message.subject, message.text, [ana.emails[0]])
    assert email.alternatives[0].content == message.html
    message.refresh_from_db()
    assert message.status == "sent"


def test_reconsent_is_asked_once_per_basis_date(ana, recruiter):
    first, first_new = reconsent_ask(contact=ana, user=recruiter)
    second, second_new = reconsent_ask(contact=ana, user=recruiter)
    Contact.objects.filter(pk=ana.pk).update(lawful_basis_on=dt.date(2024, 2, 1))
    third, third_new = reconsent_ask(contact=ana, user=recruiter)

    assert (first_new, second_new, third_new) == (True, False, True)
    assert second.pk == first.pk
    assert Message.objects.filter(contact=ana, kind="reconsent").count() == 2
    assert third.idempotency_key == f"reconsent:{ana.pk}:2024-02-01"


def test_reconsent_refuses_a_contact_without_email(ana, recruiter):
    Contact.objects.filter(pk=ana.pk).update(emails=[])
    ana.refresh_from_db()

    with pytest.raises(ValidationError, match="has no email address"):
        reconsent_ask(contact=ana, user=recruiter)
    assert Message.objects.count() == 0


# --- the page it links to --------------------------------------------------------------------


def consent_path(ana, recruiter) -> str:
    message, _ = reconsent_ask(contact=ana, user=recruiter)
    return "/" + consent_link(message).split("/", 3)[3]


def test_consent_page_reads_without_changing_anything(ana, recruiter, client):
    path = consent_path(ana, recruiter)

    response = client.get(path)

    assert response.status_code == 200
    assert texts(response.content, "consent-held") == [
        "your name, email address and phone number your position: Data lead at Acme where you "
        "are based: Leeds a note of something you told us a record of one conversation or email "
        "with you"
    ]
    ana.refresh_from_db()
    assert ana.lawful_basis == "legitimate_interest"


def test_consent_keep_records_consent_from_today(ana, recruiter, client):
    path = consent_path(ana, recruiter)

    response = client.post(path, {"answer": "keep"})
    client.post(path, {"answer": "keep"})

    assert texts(response.content, "consent-kept") == [
        "Thank you, Ana: we will keep your details, and you can change your mind at any time by "
        "replying to one of our emails."
    ]
    ana.refresh_from_db()
    assert (ana.lawful_basis, ana.lawful_basis_on, ana.lawful_basis_source) == (
        "consent",
        dt.date(2026, 3, 2),
        "consent email",
    )
    notes = Interaction.objects.filter(contact=ana, kind="note")
    assert list(notes.values_list("summary", "direction")) == [
        ("Confirmed by email that we may keep their details (consent)", "inbound")
    ]


def test_consent_forget_asks_the_owners_manager_to_erase_once(ana, recruiter, manager, client):
    path = consent_path(ana, recruiter)

    client.post(path, {"answer": "forget"})
    client.post(path, {"answer": "forget"})

    request = FollowUp.objects.get(contact=ana)
    assert (request.owner_id, request.reason, request.summary) == (
        manager.pk,
        "erasure_request",
        "Asked to be forgotten (the re-consent email): erase their details",
    )
    ana.refresh_from_db()
    assert ana.lawful_basis == "legitimate_interest"


def test_consent_link_expires_and_is_no_unsubscribe_link(ana, recruiter, client):
    path = consent_path(ana, recruiter)
    unsubscribe = f"/consent/{unsubscribe_token(ana.pk)}/"

    with time_machine.travel(NOW + CONSENT_LINK_VALIDITY + dt.timedelta(minutes=1)):
        expired = client.post(path, {"answer": "keep"})
    forged = client.post(path[:-3] + "xx/", {"answer": "keep"})
    wrong_use = client.post(unsubscribe, {"answer": "keep"})

    assert (expired.status_code, forged.status_code, wrong_use.status_code) == (400, 400, 400)
    ana.refresh_from_db()
    assert ana.lawful_basis == "legitimate_interest"


def test_consent_page_refuses_an_unknown_answer(ana, recruiter, client):
    assert client.post(consent_path(ana, recruiter), {"answer": "maybe"}).status_code == 400
