import pytest

PAGES = ["/", "/contacts/", "/search/?q=ana", "/jobs/", "/dashboards/", "/status/"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_send_anonymous_visitor_to_login(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/")


@pytest.mark.parametrize("path", ["/login/", "/healthz"])
def test_public_pages_need_no_login(client, db, path):
    assert client.get(path).status_code == 200


def test_api_without_token_is_401_with_error_shape(client, db):
    response = client.get("/api/v1/")

    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "not_authenticated",
            "message": "Authentication credentials were not provided.",
            "fields": {},
        }
    }


def test_api_with_token_answers(client, rosa_token):
    response = client.get("/api/v1/", **rosa_token)

    assert response.status_code == 200
    assert response.json()["user"] == "rosa"


def test_api_schema_needs_login(client, recruiter, password):
    assert client.get("/api/schema/").status_code == 401
    client.login(username="rosa", password=password)
    assert client.get("/api/schema/").status_code == 200


@pytest.mark.parametrize("path", ["/status/", "/dev/mailbox/"])
def test_admin_pages_forbidden_to_recruiter_and_manager(client, recruiter, manager, password, path):
    for user in (recruiter, manager):
        client.login(username=user.username, password=password)
        assert client.get(path).status_code == 403


def test_status_ping_forbidden_to_recruiter(client, recruiter, password):
    client.login(username=recruiter.username, password=password)

    assert client.post("/status/ping").status_code == 403


def test_admin_link_shown_only_to_admins(client, recruiter, admin_user, password):
    client.login(username=recruiter.username, password=password)
    assert b'href="/status/"' not in client.get("/").content
    client.login(username=admin_user.username, password=password)
    assert b'href="/status/"' in client.get("/").content


def test_login_with_wrong_password_shows_error(client, recruiter):
    response = client.post("/login/", {"username": "rosa", "password": "wrong"})

    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_logout_needs_post_and_ends_session(client, recruiter, password):
    client.login(username="rosa", password=password)

    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_csrf_is_enforced_on_login(db, recruiter, password):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)

    response = strict.post("/login/", {"username": "rosa", "password": password})

    assert response.status_code == 403


def test_unknown_page_is_404_page_for_logged_in_user(client, recruiter, password, settings):
    settings.DEBUG = False
    client.login(username="rosa", password=password)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"There is nothing at this address." in response.content


def test_unknown_api_path_is_404_in_error_shape(client, recruiter, password, settings):
    settings.DEBUG = False
    client.login(username="rosa", password=password)

    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found.", "fields": {}}
    }
