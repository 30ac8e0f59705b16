"""The "How candidates rate our updates" card: closure notices in the period that asked for a
rating, the share answered, the share of good answers (hidden under five answers), and the
answers to read; its counts equal its lists."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.utils import timezone

from dashboards.selectors import FIGURES, Period, Scope, figure_page, overview_get
from followups.ratings import rating_answer, rating_request
from tests.factories import CandidacyFactory, ContactFactory, JobFactory, StatusUpdateFactory

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _asked(owner, name, index, stage="submitted"):
    candidacy = CandidacyFactory(job=JobFactory(owner=owner), stage=stage)
    notice = StatusUpdateFactory(
        owner=owner, candidacy=candidacy, contact=ContactFactory(first_name=name), kind="closure",
        idempotency_key=f"closure:rated:{index}", status="sent", sent_at=timezone.now(),
        send_after=timezone.now(),
    )  # fmt: skip
    return rating_request(message=notice)


def test_ratings_asked_answered_good_and_to_read(client, recruiter, other_recruiter):
    answers = [("Ana", "good", ""), ("Ben", "good", ""), ("Cleo", "good", ""),
               ("Dara", "okay", ""), ("Emil", "not_good", "I heard nothing for three weeks."),
               ("Finn", "", "")]  # fmt: skip
    with time_machine.travel(MONDAY, tick=False) as clock:
        ratings = [_asked(recruiter, name, n) for n, (name, _, _) in enumerate(answers)]
        toms = _asked(other_recruiter, "Gina", 99)
        clock.move_to(MONDAY + timedelta(hours=5))
        for rating, (_, answer, comment) in zip(ratings, answers, strict=True):
            if answer:
                rating_answer(rating=rating, answer=answer, comment=comment or None)
        rating_answer(rating=toms, answer="good")
        now = MONDAY + timedelta(days=2)
        clock.move_to(now)
        period = Period.this_week(now)
        rosa = overview_get(scope=Scope.for_recruiter(recruiter), period=period, now=now)
        tom = overview_get(scope=Scope.for_recruiter(other_recruiter), period=period, now=now)

    keys = [key for key in FIGURES if key.startswith("ratings.")]
    assert {key: rosa.value(key) for key in keys} == {
        "ratings.asked": 6,
        "ratings.answered_pct": 83.3,
        "ratings.good_pct": 60.0,  # 3 of 5 answers
        "ratings.good_pct.screening": None,
        "ratings.good_pct.client": 60.0,  # all five reached the client
        "ratings.good_pct.offer": None,
        "ratings.not_good": 1,
        "ratings.comments": 1,
    }
    # One answer is too few to show a share of good ones.
    assert {key: tom.value(key) for key in keys} == {
        "ratings.asked": 1,
        "ratings.answered_pct": 100.0,
        "ratings.good_pct": None,
        "ratings.good_pct.screening": None,
        "ratings.good_pct.client": None,
        "ratings.good_pct.offer": None,
        "ratings.not_good": 0,
        "ratings.comments": 0,
    }
    for key in ("ratings.asked", "ratings.not_good", "ratings.comments"):
        page = figure_page(
            figure=FIGURES[key], scope=Scope.for_recruiter(recruiter), period=period, now=now
        )
        assert len(page.rows) == rosa.value(key)
    with time_machine.travel(now, tick=False):
        client.force_login(recruiter)
        page = client.get(f"/dashboards/ratings.comments/?scope=recruiter:{recruiter.pk}")
        card = client.get(f"/dashboards/?scope=recruiter:{recruiter.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("Emil", "Not good", "I heard nothing for three weeks."):
        assert text in html
    assert "Ana" not in html
    assert "How candidates rate our updates" in card.content.decode()


def test_good_answers_by_the_stage_reached_each_hidden_under_five(recruiter):
    # Five answers from candidates who reached an offer (four good), four from screening (three
    # good: too few to show), one from the client stage, one unanswered at the offer stage.
    asked = [("offer", "good")] * 4 + [("offer", "okay"), ("offer", "")]
    asked += [("screening", "good")] * 2 + [("sourced", "good"), ("contacted", "not_good")]
    asked += [("client_interview", "good")]
    with time_machine.travel(MONDAY, tick=False) as clock:
        ratings = [_asked(recruiter, f"C{n}", n, stage) for n, (stage, _) in enumerate(asked)]
        clock.move_to(MONDAY + timedelta(hours=5))
        for rating, (_, answer) in zip(ratings, asked, strict=True):
            if answer:
                rating_answer(rating=rating, answer=answer)
        now = MONDAY + timedelta(days=2)
        rosa = overview_get(
            scope=Scope.for_recruiter(recruiter), period=Period.this_week(now), now=now
        )
        offer_rows = figure_page(
            figure=FIGURES["ratings.good_pct.offer"], scope=Scope.for_recruiter(recruiter),
            period=Period.this_week(now), now=now,
        ).rows  # fmt: skip

    assert [rosa.value(f"ratings.good_pct.{key}") for key in ("screening", "client", "offer")] == [
        None,  # 3 of 4: too few answers to show
        None,  # 1 of 1
        80.0,  # 4 of 5
    ]
    assert rosa.value("ratings.good_pct") == 80.0  # 8 of 10 answers
    # The drill-down lists the five answers the share is of.
    assert len(offer_rows) == 5
