from io import StringIO

from django.core.management import call_command

from followups.models import FollowUp, Message


def test_load_demo_twice_adds_no_follow_through(db):
    call_command("load_demo", stdout=StringIO())
    first = (FollowUp.objects.count(), Message.objects.count())

    call_command("load_demo", stdout=StringIO())

    assert (FollowUp.objects.count(), Message.objects.count()) == first
    assert first[0] >= 6
    assert first[1] >= 2
