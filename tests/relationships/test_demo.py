from io import StringIO

import pytest
from django.core.management import call_command

from contacts.models import Contact, Employment, Fact, Organization
from relationships.models import Connection, Interaction, Relationship

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = [Organization, Contact, Employment, Fact, Relationship, Interaction, Connection]
    found = {model.__name__: model.objects.count() for model in models}
    # Higher apps' demos add their own timeline rows (jobs: stage changes, the recruiters' update
    # calls to candidates); count ours.
    found["Interaction"] = (
        Interaction.objects.exclude(kind="stage_change")
        .exclude(summary__startswith="Update call about ")
        .count()
    )
    return found


def test_load_demo_fills_every_role_and_a_second_run_adds_nothing():
    call_command("load_demo", stdout=StringIO())
    first = counts()

    call_command("load_demo", stdout=StringIO())

    assert counts() == first
    assert first == {
        "Organization": 6,
        "Contact": 18,
        "Employment": 19,
        "Fact": 9,
        "Relationship": 18,
        "Interaction": 43,
        "Connection": 6,
    }
    roles = {role for roles in Contact.objects.values_list("roles", flat=True) for role in roles}
    assert roles == {choice.value for choice in Contact.Role} - {"other"}
    assert Contact.objects.get(first_name="Gabriel").former_candidate_now_client is True
    assert Relationship.objects.filter(owner__username="recruiter").count() == 9
