import pytest
from playwright.sync_api import Page, expect

from jobs import services
from jobs.models import Candidacy, Job, StageChange
from tests.factories import CandidacyFactory, ContactFactory, JobFactory, OrganizationFactory
from tests.helpers import log_in

pytestmark = pytest.mark.browser

EVIDENCE = (
    "Ana rates technical depth, Ben rates client-facing experience; "
    "Ana and Ben disagree on 3 of the 3 candidates they both met; 3 interviews, 0 offers."
)


def interviewed_with_feedback(job, user, ana, ben, *, technical: bool):
    """A candidate after a client interview, on whom Ana and Ben disagree."""
    candidacy = CandidacyFactory(job=job, stage="submitted")
    services.candidacy_move(candidacy=candidacy, to_stage="client_interview", user=user)
    criteria = {item.text: item.pk for item in job.intake_items.all() if item.is_criterion}
    scores = {
        criteria["Technical depth"]: 5 if technical else 2,
        criteria["Client-facing experience"]: 2 if technical else 5,
    }
    for interviewer, likes in ((ana, technical), (ben, not technical)):
        services.feedback_record(
            candidacy=candidacy,
            interviewer=interviewer,
            recommendation="yes" if likes else "no",
            scores=scores,
            user=user,
        )
    return candidacy


def test_recruiter_moves_a_candidate_records_diverging_feedback_and_splits_the_job(
    page: Page, live_server, recruiter, password
):
    acme = OrganizationFactory(name="Acme Logistics")
    job = JobFactory(owner=recruiter, title="Software Engineer", organization=acme)
    ana = ContactFactory(first_name="Ana", last_name="Silva", organization=acme, roles=[])
    ben = ContactFactory(first_name="Ben", last_name="Okafor", organization=acme, roles=[])
    first = interviewed_with_feedback(job, recruiter, ana, ben, technical=True)
    second = interviewed_with_feedback(job, recruiter, ana, ben, technical=False)
    chloe = CandidacyFactory(
        job=job, contact=ContactFactory(first_name="Chloe", last_name="Dubois"), stage="submitted"
    )

    log_in(page, live_server, password)

    # The board: move Chloe to "client interview" in place, with htmx.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    page.get_by_role("link", name="Software Engineer").click()
    expect(page.get_by_test_id("split-suggestion")).to_have_count(0)
    page.get_by_role("link", name="Pipeline board").click()
    expect(page).to_have_url(f"{live_server.url}/jobs/{job.pk}/board")
    page.evaluate("window.__marker = 1")
    card_form = page.get_by_role("form", name="Move Chloe Dubois")
    card_form.get_by_label("Move to").select_option("client_interview")
    card_form.get_by_role("button", name="Move").click()
    interviews = page.get_by_test_id("column-client_interview")
    expect(interviews.get_by_test_id("card")).to_have_count(3)
    expect(interviews).to_contain_text("Chloe Dubois")
    assert page.evaluate("window.__marker") == 1

    # Two interviewers' scorecards on Chloe, wanting different people.
    page.get_by_role("link", name="Software Engineer").click()
    for interviewer, recommendation in (("Ana Silva", "strong_yes"), ("Ben Okafor", "no")):
        page.get_by_role("link", name="Record feedback").click()
        form = page.get_by_role("form", name="Record feedback")
        form.get_by_label("Candidate").select_option(label="Chloe Dubois (client interview)")
        form.get_by_label("Interviewer").select_option(label=interviewer)
        form.get_by_label("Recommendation").select_option(recommendation)
        form.get_by_label("Technical depth").select_option("5")
        form.get_by_label("Client-facing experience").select_option("2")
        form.get_by_role("button", name="Record feedback").click()
        expect(page).to_have_url(f"{live_server.url}/jobs/{job.pk}/")

    # The split suggestion explains itself, and one action splits the job.
    expect(page.get_by_test_id("split-evidence")).to_have_text(EVIDENCE)
    page.get_by_role("link", name="Split this job").click()
    split = page.get_by_role("form", name="Split the job")
    # Named after the two people the interviewers want.
    expect(split.get_by_label("First job")).to_have_value("Software Engineer — technical depth")
    expect(split.get_by_label("Second job")).to_have_value(
        "Software Engineer — client-facing experience"
    )
    split.get_by_label("First job").fill("Platform Engineer")
    split.get_by_label("Second job").fill("Solutions Engineer")
    split.get_by_label(f"{first.contact} (client interview)").select_option("a")
    split.get_by_label(f"{second.contact} (client interview)").select_option("b")
    split.get_by_label("Chloe Dubois (client interview)").select_option("both")
    split.get_by_role("button", name="Split the job").click()

    # The flow goes on in the first new job; the original says what it became.
    platform = Job.objects.get(title="Platform Engineer")
    expect(page).to_have_url(f"{live_server.url}/jobs/{platform.pk}/")
    expect(page.get_by_test_id("split-from")).to_have_text("Split from Software Engineer.")
    page.get_by_test_id("split-from").get_by_role("link").click()
    expect(page.get_by_test_id("job-status")).to_have_text("Split")
    expect(page.get_by_test_id("split-into")).to_contain_text("Platform Engineer")
    expect(page.get_by_test_id("split-into")).to_contain_text("Solutions Engineer")

    job.refresh_from_db()
    assert job.status == Job.Status.SPLIT
    solutions = Job.objects.get(title="Solutions Engineer")
    assert set(Candidacy.objects.filter(job=platform)) == {first, chloe}
    assert {c.contact_id for c in Candidacy.objects.filter(job=solutions)} == {
        second.contact_id,
        chloe.contact_id,
    }
    chloe_copy = Candidacy.objects.get(job=solutions, contact=chloe.contact)
    assert [(c.from_stage, c.to_stage) for c in chloe_copy.stage_changes.all()] == [
        ("", "submitted"),
        ("submitted", "client_interview"),
    ]
    assert [c.is_copy for c in chloe_copy.stage_changes.all()] == [True, True]
    # The original's history counts every interview once.
    assert (
        StageChange.objects.filter(job=job, to_stage="client_interview", is_copy=False).count() == 3
    )
