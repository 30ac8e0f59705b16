from io import StringIO

import pytest
from django.core.management import call_command

from jobs.divergence import split_suggestion_get
from jobs.models import Candidacy, Feedback, Job

pytestmark = pytest.mark.django_db


def test_load_demo_makes_jobs_with_one_that_needs_splitting_and_is_idempotent():
    call_command("load_demo", stdout=StringIO())
    first = (Job.objects.count(), Candidacy.objects.count(), Feedback.objects.count())

    call_command("load_demo", stdout=StringIO())

    assert (Job.objects.count(), Candidacy.objects.count(), Feedback.objects.count()) == first
    assert first == (4, 10, 10)
    statuses = dict(Job.objects.values_list("title", "status"))
    assert statuses == {
        "Senior Software Engineer": "open",
        "Energy Data Analyst": "open",
        "Clinical Data Lead": "intake",
        "Product Designer": "filled",
    }
    suggestion = split_suggestion_get(job=Job.objects.get(title="Senior Software Engineer"))
    assert suggestion.fires is True
    assert suggestion.summary == (
        "Malik rates technical depth, Sofia rates client-facing experience; "
        "Malik and Sofia disagree on 5 of the 5 candidates they both met; "
        "5 interviews, 0 offers"
    )
    outcomes = set(
        Candidacy.objects.filter(job__title="Product Designer").values_list("outcome", flat=True)
    )
    assert outcomes == {"placed", "job_filled"}
