from io import StringIO

from django.core.management import call_command

from accounts.models import User


def test_load_demo_twice_adds_nothing(db):
    call_command("load_demo", stdout=StringIO())
    first = sorted(User.objects.values_list("username", "role"))

    call_command("load_demo", stdout=StringIO())

    assert sorted(User.objects.values_list("username", "role")) == first
    assert first == [
        ("admin", "admin"),
        ("manager", "manager"),
        ("recruiter", "recruiter"),
        ("recruiter2", "recruiter"),
    ]
    assert User.objects.get(username="admin").is_staff is True
