import pytest
from django.urls import NoReverseMatch

from core.links import pk_link


def test_pk_link_fills_in_each_pk():
    contact_url = pk_link("contacts:contact-detail")

    assert [contact_url(7), contact_url(1234)] == ["/contacts/7/", "/contacts/1234/"]


def test_pk_link_unknown_pattern_fails_at_once():
    with pytest.raises(NoReverseMatch):
        pk_link("contacts:no-such-page")
