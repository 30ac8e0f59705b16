"""followups.relay.session_settle: what requests would read from the environment for every
request is read once for a sending thread's session, with the same answers."""

import pytest
from django.core.mail import get_connection

from followups.relay import session_settle

API_URL = "https://api.esp.example/"


@pytest.fixture
def postmark(settings):
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "token", "POSTMARK_API_URL": API_URL}
    backend = get_connection(fail_silently=False)
    backend.open()
    yield backend
    backend.close()


@pytest.fixture
def environment(monkeypatch, tmp_path):
    for name in ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/rapport/esp-ca.pem")
    netrc = tmp_path / "netrc"
    netrc.write_text("machine api.esp.example login relay password s3cret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    return monkeypatch


def test_the_session_keeps_the_environments_proxy_ca_bundle_and_netrc(postmark, environment):
    session = postmark.session
    before = session.merge_environment_settings(API_URL, {}, None, None, None)

    session_settle(postmark)

    after = session.merge_environment_settings(API_URL, {}, None, None, None)
    assert session.trust_env is False
    assert (after["proxies"], after["verify"]) == (before["proxies"], before["verify"])
    assert after["proxies"] == {"https": "http://proxy.internal:3128"}
    assert after["verify"] == "/etc/rapport/esp-ca.pem"
    assert session.auth == ("relay", "s3cret")


def test_a_host_in_no_proxy_goes_direct(postmark, environment):
    environment.setenv("NO_PROXY", "localhost,.esp.example")

    session_settle(postmark)

    merged = postmark.session.merge_environment_settings(API_URL, {}, None, None, None)
    assert (merged["proxies"], postmark.session.trust_env) == ({}, False)


def test_without_a_ca_bundle_in_the_environment_certificates_are_still_verified(
    postmark, environment
):
    environment.delenv("REQUESTS_CA_BUNDLE")
    environment.delenv("CURL_CA_BUNDLE", raising=False)

    session_settle(postmark)

    assert postmark.session.verify is True


def test_a_backend_without_a_requests_session_is_left_alone(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    backend = get_connection(fail_silently=False)

    session_settle(backend)

    assert not hasattr(backend, "session")
