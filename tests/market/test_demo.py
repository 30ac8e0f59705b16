from io import StringIO

from django.core.management import call_command

from market.models import MarketNote


def test_demo_notes_load_once_with_two_salary_facts_and_one_stale(db):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())

    assert MarketNote.objects.count() == 12
    assert MarketNote.objects.filter(kind="salary").count() == 2
    assert list(MarketNote.objects.stale().values_list("author__username", flat=True)) == [
        "recruiter"
    ]
