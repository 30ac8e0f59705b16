"""The "Replies answered" card: replies received in the period that owed an answer, answered
on time (within one business day) or not, how fast, and those still waiting; its counts equal
its lists."""

from datetime import UTC, datetime, timedelta

import time_machine
from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent, EventType

from dashboards.selectors import FIGURES, Period, Scope, figure_page, overview_get
from followups.replies import inbound_record
from relationships.services import interaction_log
from tests.factories import ContactFactory, RelationshipFactory

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _reply_from(contact, at, index):
    message = AnymailInboundMessage.construct(
        from_email=contact.emails[0], to="inbox@reply.rapport.example",
        subject=f"About the role {index}", text="Any news?",
        headers=[("Message-ID", f"<dash{index}@mail.example>")],
    )  # fmt: skip
    event = AnymailInboundEvent(event_type=EventType.INBOUND, message=message, timestamp=at)
    return inbound_record(event=event, esp_name="Postmark", now=at)


def test_replies_answered_on_time_late_and_waiting(recruiter, other_recruiter):
    ana, ben, cleo = (
        RelationshipFactory(owner=recruiter, contact=ContactFactory(first_name=name)).contact
        for name in ("Ana", "Ben", "Cleo")
    )
    tom_s = RelationshipFactory(owner=other_recruiter).contact
    with time_machine.travel(MONDAY, tick=False) as clock:
        for index, contact in enumerate((ana, ben, cleo, tom_s)):
            _reply_from(contact, MONDAY, index)
        clock.move_to(MONDAY + timedelta(hours=3))  # Ana: answered in 3 hours
        interaction_log(contact=ana, kind="call", summary="Called back", recruiter=recruiter)
        clock.move_to(MONDAY + timedelta(hours=30))  # Ben: 30 hours, past one business day
        interaction_log(contact=ben, kind="email", summary="Wrote back", recruiter=recruiter)
        now = MONDAY + timedelta(days=2)
        clock.move_to(now)
        period = Period.this_week(now)
        overview = overview_get(scope=Scope.for_recruiter(recruiter), period=period, now=now)

    values = {key: overview.value(key) for key in FIGURES if key.startswith("replies.")}
    assert values == {
        "replies.owed": 3,  # Tom's contact is Tom's
        "replies.on_time_pct": 33.3,
        "replies.median_hours": 16.5,  # of 3 h and 30 h
        "replies.p90_hours": 27.3,
        "replies.waiting": 1,
    }
    for key in ("replies.owed", "replies.waiting"):
        page = figure_page(
            figure=FIGURES[key], scope=Scope.for_recruiter(recruiter), period=period, now=now
        )
        assert len(page.rows) == values[key]
    [waiting] = figure_page(
        figure=FIGURES["replies.waiting"], scope=Scope.for_recruiter(recruiter), period=period,
        now=now,
    ).rows  # fmt: skip
    assert waiting["contact_id"] == cleo.pk
