import re
from datetime import UTC, datetime
from email.mime.text import MIMEText

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from crm.navigation import nav_section
from tests.factories import ContactFactory, JobFactory, OrganizationFactory

ACTIVE = re.compile(r'class="nav-link text-nowrap(?: dropdown-toggle)? active"[^>]*>([^<]+)</a>')


def active_items(response) -> list[str]:
    return ACTIVE.findall(response.content.decode())


def _views(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from _views(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry, ":".join(filter(None, [namespace, entry.name]))


# Pages outside the menu: no login, machine endpoints, the Django admin and the API.
NO_SECTION = {"login", "logout", "healthz", "favicon", "followups:unsubscribe"}
NO_SECTION_NAMESPACES = ("admin", "webhooks", "api", "api-")


def test_every_page_belongs_to_a_menu_section():
    class Match:
        def __init__(self, view_name):
            self.view_name = view_name
            self.namespace = view_name.rpartition(":")[0]

    class Request:
        pass

    missing = []
    for _, view_name in _views(get_resolver()):
        if view_name in NO_SECTION or view_name.startswith(NO_SECTION_NAMESPACES):
            continue
        request = Request()
        request.resolver_match = Match(view_name)
        if not nav_section(request):
            missing.append(view_name)

    assert missing == []


@pytest.fixture
def as_admin(client, admin_user, password):
    client.login(username=admin_user.username, password=password)
    return client


def test_menu_offers_the_outbox_to_everyone_and_templates_and_policy_to_admins(
    client, recruiter, admin_user, password
):
    client.login(username=recruiter.username, password=password)
    page = client.get("/").content.decode()
    assert '<a class="nav-link text-nowrap" href="/messages/">Outbox</a>' in page
    assert 'href="/followups/templates/"' not in page
    assert 'href="/followups/policy/"' not in page

    client.login(username=admin_user.username, password=password)
    page = client.get("/").content.decode()
    assert '<a class="nav-link text-nowrap" href="/messages/">Outbox</a>' in page
    assert '<a class="dropdown-item" href="/followups/templates/">Message templates</a>' in page
    assert '<a class="dropdown-item" href="/followups/policy/">Follow-up policy</a>' in page
    assert '<a class="dropdown-item" href="/status/">System status</a>' in page


def test_active_menu_item_is_the_page_section(as_admin, admin_user, settings):
    settings.DEBUG = True
    contact = ContactFactory()
    organization = OrganizationFactory()
    job = JobFactory(owner=admin_user)
    pages = {
        "/": "My day",
        "/contacts/": "Contacts",
        "/contacts/new/": "Contacts",
        "/contacts/import/": "Contacts",
        reverse("contacts:contact-detail", args=[contact.pk]): "Contacts",
        reverse("contacts:contact-edit", args=[contact.pk]): "Contacts",
        reverse("contacts:organization-detail", args=[organization.pk]): "Contacts",
        "/organizations/": "Contacts",
        "/search/?q=ana": "Contacts",
        reverse("followups:followup-new", args=[contact.pk]): "Contacts",
        "/handoffs/": "Handoffs",
        "/handoffs/new/": "Handoffs",
        "/jobs/": "Jobs",
        "/jobs/new": "Jobs",
        reverse("jobs:job-detail", args=[job.pk]): "Jobs",
        reverse("jobs:job-board", args=[job.pk]): "Jobs",
        reverse("followups:job-policy", args=[job.pk]): "Jobs",
        "/messages/": "Outbox",
        "/dashboards/": "Dashboards",
        "/status/": "Admin",
        "/dev/mailbox/": "Admin",
        "/followups/templates/": "Admin",
        "/followups/templates/status_update/": "Admin",
        "/followups/policy/": "Admin",
    }
    seen = {}
    for path in pages:
        response = as_admin.get(path)
        assert response.status_code == 200, path
        seen[path] = active_items(response)

    assert seen == {path: [label] for path, label in pages.items()}


def _write_mail(folder, name: str, *, subject: str, to: str, date: datetime) -> None:
    message = MIMEText(f"Body of {subject}")
    message["Subject"] = subject
    message["To"] = to
    message["Date"] = mail.message.formatdate(date.timestamp())
    separator = b"\n" + b"-" * 79 + b"\n"
    with (folder / name).open("ab") as file:
        file.write(message.as_bytes() + separator)


def test_dev_mailbox_lists_subject_recipient_and_time_newest_first(as_admin, settings, tmp_path):
    settings.DEBUG = True
    settings.EMAIL_FILE_PATH = str(tmp_path)
    _write_mail(
        tmp_path,
        "20260302-090000-1.log",
        subject="Your application for Data lead",
        to="ana@example.com",
        date=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    )
    _write_mail(
        tmp_path,
        "20260302-090000-1.log",
        subject="This week: Data lead",
        to="clara@example.com",
        date=datetime(2026, 3, 2, 10, 30, tzinfo=UTC),
    )

    page = as_admin.get("/dev/mailbox/").content.decode()

    rows = re.findall(
        r'<tr data-testid="mail">\s*<td[^>]*><time datetime="[^"]+">([^<]+)</time></td>\s*'
        r"<td>([^<]+)</td>.*?<summary[^>]*>([^<]+)</summary>",
        page,
        re.S,
    )
    assert rows == [
        ("2 Mar 10:30", "clara@example.com", "This week: Data lead"),
        ("2 Mar 09:00", "ana@example.com", "Your application for Data lead"),
    ]
    assert "20260302-090000-1.log" not in page
    assert "Body of This week: Data lead" in page


def test_dev_mailbox_reads_what_djangos_file_backend_writes(as_admin, settings, tmp_path):
    settings.DEBUG = True
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    mail.send_mail("Café at ten?", "See you there", "rosa@example.com", ["ana@example.com"])

    page = as_admin.get("/dev/mailbox/").content.decode()

    assert '<summary data-testid="mail-subject">Café at ten?</summary>' in page
    assert "<td>ana@example.com</td>" in page
    assert "See you there" in page
