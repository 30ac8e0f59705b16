"""What jobs holds about one person, for a subject-access export and an erasure
(crm.privacy): their candidacies, their moves, and the interviewers' feedback about them.
Stages, outcomes, dates and scores stay (the dashboards count them); the words go ([erased]
where there were some)."""

from django.db.models import QuerySet

from contacts.models import Contact
from core.redaction import erased_unless_blank
from jobs.models import Candidacy, Feedback, FeedbackScore, StageChange


def subject_rows(contact: Contact) -> dict[str, QuerySet]:
    return {
        "candidacies": Candidacy.objects.filter(contact=contact).order_by("created_at", "id"),
        "stage_changes": StageChange.objects.filter(candidacy__contact=contact).order_by(
            "at", "id"
        ),
        "feedback": Feedback.objects.filter(candidacy__contact=contact).order_by("at", "id"),
        "feedback_scores": FeedbackScore.objects.filter(
            feedback__candidacy__contact=contact
        ).order_by("feedback_id", "criterion_id"),
    }


def subject_job_ids(contact: Contact) -> set[int]:
    """The jobs the person was a candidate for (their messages to clients may name them)."""
    return set(Candidacy.objects.filter(contact=contact).values_list("job_id", flat=True))


def subject_erase(*, contact: Contact) -> None:
    Candidacy.objects.filter(contact=contact).update(
        outcome_reason=erased_unless_blank("outcome_reason")
    )
    StageChange.objects.filter(candidacy__contact=contact).update(note=erased_unless_blank("note"))
    Feedback.objects.filter(candidacy__contact=contact).update(notes=erased_unless_blank("notes"))
