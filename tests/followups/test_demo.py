from collections import Counter
from datetime import UTC, datetime, timedelta
from io import StringIO

import time_machine
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from contacts.models import Fact
from followups.models import FollowUp, Message
from followups.planners import plan_all
from followups.selectors import followup_agenda
from jobs.models import Job, StageChange


def test_load_demo_twice_adds_no_follow_through(db):
    call_command("load_demo", stdout=StringIO())
    first = (FollowUp.objects.count(), Message.objects.count())

    call_command("load_demo", stdout=StringIO())

    assert (FollowUp.objects.count(), Message.objects.count()) == first
    assert first[0] >= 6
    assert first[1] >= 2


# A Wednesday morning, the first `make run`.
FIRST_RUN = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in settings.RAPPORT_LAYERS
        for model in apps.get_app_config(app).get_models()
    }


def test_demo_is_a_living_agency_the_planners_find_work_in_within_a_minute(db):
    with time_machine.travel(FIRST_RUN, tick=False):
        call_command("load_demo", stdout=StringIO())
    with time_machine.travel(FIRST_RUN + timedelta(minutes=1), tick=False):
        plan_all(now=timezone.now())  # what beat's followups.plan runs every minute

    planned = Counter(Message.objects.values_list("kind", flat=True))
    assert planned == {
        "status_update": 3,
        "client_digest": 2,
        "closure": 2,
        "job_closed": 1,
        "introduction": 2,
    }
    updates = Message.objects.filter(kind="status_update")
    quiet = updates.values_list("contact__first_name", "job__title")
    assert sorted(quiet) == [
        ("Emeka", "Senior Software Engineer"),
        ("Kenji", "Senior Software Engineer"),
        ("Marco", "Energy Data Analyst"),
    ]
    digests = Message.objects.filter(kind="client_digest")
    assert sorted(digests.values_list("recipient", flat=True)) == [
        "clara.jensen@northwind-demo.example",
        "daniel.moreau@helios-demo.example",
    ]
    assert all(digest.send_after <= FIRST_RUN + timedelta(minutes=1) for digest in digests)

    # Jobs opened over the last weeks; stage history with real gaps; facts learned over months.
    opened = sorted(
        (FIRST_RUN - day).days
        for day in Job.objects.exclude(opened_at=None).values_list("opened_at", flat=True)
    )
    assert opened == [20, 29, 43]
    ana = StageChange.objects.filter(candidacy__contact__first_name="Ana").order_by("at")
    assert [(FIRST_RUN - change.at).days for change in ana] == [40, 33, 6]
    learned = set(Fact.objects.values_list("learned_on", flat=True))
    assert len(learned) == 9

    # My day: something overdue, something later today, something coming.
    agenda = followup_agenda(
        user=User.objects.get(username="recruiter"), now=FIRST_RUN + timedelta(minutes=1)
    )
    summaries = {
        group: [followup.summary for followup in getattr(agenda, group)]
        for group in ("overdue", "today", "upcoming")
    }
    assert summaries["today"] == ["Check in after the final interview"]
    assert summaries["upcoming"] == ["Coffee to talk about next year's plans"]
    assert (
        "Chase Northwind Logistics for a decision on Ana Smith (Senior Software Engineer)"
        in (summaries["overdue"])
    )
    assert len(summaries["overdue"]) == 5


def test_a_second_demo_load_adds_no_rows(db):
    with time_machine.travel(FIRST_RUN, tick=False):
        call_command("load_demo", stdout=StringIO())
    first = _row_counts()

    with time_machine.travel(FIRST_RUN + timedelta(minutes=3), tick=False):
        call_command("load_demo", stdout=StringIO())

    assert _row_counts() == first
