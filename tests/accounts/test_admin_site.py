"""The demo `admin` can do in Django's admin what the README says an admin does there."""

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from accounts.services import user_create
from followups.models import Suppression


@pytest.fixture
def demo_admin(client, db):
    call_command("load_demo", stdout=StringIO())
    client.login(username="admin", password=DEMO_PASSWORD)
    return client


@pytest.mark.django_db
def test_user_create_makes_an_admin_a_superuser_and_a_recruiter_neither():
    admin_user = user_create(username="ada", password="x-long-password", role=User.Role.ADMIN)
    recruiter = user_create(username="rob", password="x-long-password")

    assert (admin_user.is_staff, admin_user.is_superuser) == (True, True)
    assert (recruiter.is_staff, recruiter.is_superuser) == (False, False)


def test_demo_admin_sees_the_apps_models_in_the_django_admin(demo_admin):
    page = demo_admin.get("/admin/").content.decode()

    for url in [
        "/admin/accounts/user/",
        "/admin/accounts/team/",
        "/admin/authtoken/tokenproxy/",
        "/admin/contacts/contact/",
        "/admin/contacts/organization/",
        "/admin/contacts/fact/",
        "/admin/relationships/relationship/",
        "/admin/relationships/interaction/",
        "/admin/relationships/connection/",
        "/admin/relationships/handoff/",
        "/admin/jobs/job/",
        "/admin/jobs/candidacy/",
        "/admin/jobs/stagechange/",
        "/admin/jobs/feedback/",
        "/admin/followups/messagetemplate/",
        "/admin/followups/policy/",
        "/admin/followups/message/",
        "/admin/followups/suppression/",
        "/admin/followups/followup/",
    ]:
        assert f'href="{url}"' in page, url


def test_every_admin_list_and_record_page_opens(demo_admin):
    failures = []
    for model in admin.site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = demo_admin.get(changelist)
        if response.status_code != 200:
            failures.append((changelist, response.status_code))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            response = demo_admin.get(change)
            if response.status_code != 200:
                failures.append((change, response.status_code))

    assert failures == []


def test_demo_admin_issues_an_api_token_in_the_django_admin(demo_admin):
    recruiter = User.objects.get(username="recruiter")

    response = demo_admin.post("/admin/authtoken/tokenproxy/add/", {"user": recruiter.pk})

    assert response.status_code == 302
    token = Token.objects.get(user=recruiter)
    api = demo_admin.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.json()["user"] == "recruiter"


def test_domain_records_are_read_only_in_the_django_admin(demo_admin):
    assert demo_admin.get("/admin/contacts/contact/add/").status_code == 403
    assert demo_admin.get("/admin/jobs/job/add/").status_code == 403


def test_admin_adds_and_lifts_a_suppression_through_the_service(demo_admin):
    response = demo_admin.post(
        "/admin/followups/suppression/add/", {"email": " Ana@Mail.Example ", "reason": "manual"}
    )

    assert response.status_code == 302
    suppression = Suppression.objects.get()
    assert (suppression.email, suppression.reason) == ("ana@mail.example", "manual")
    demo_admin.post(f"/admin/followups/suppression/{suppression.pk}/delete/", {"post": "yes"})
    assert Suppression.objects.count() == 0


def test_load_demo_repairs_an_admin_made_before_admins_were_superusers(client, db):
    User.objects.create_user(
        username="admin", password=DEMO_PASSWORD, role=User.Role.ADMIN, is_staff=True
    )

    call_command("load_demo", stdout=StringIO())

    assert User.objects.filter(username="admin", is_superuser=True, is_staff=True).exists()
