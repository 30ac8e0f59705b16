"""The words candidates and clients receive: every kind of message and every outcome, rendered
and sent through the planners and the relay, and the HTML part checked for validity."""

import re
from datetime import timedelta
from email.utils import getaddresses
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from contacts.models import Contact, Organization
from followups.content import DEFAULT_TEMPLATES, unsubscribe_url
from followups.models import UNSUBSCRIBABLE_KINDS, Message, MessageKind, Rating
from followups.planners import plan_all
from followups.ratings import rating_urls
from followups.relay import relay_batch
from followups.rendering import MERGE_FIELDS, render
from followups.services import (
    handoff_introductions_schedule,
    job_policy_update,
    message_note_set,
)
from followups.views.templates import SAMPLE_VALUES
from jobs.models import Job
from jobs.services import candidacy_close, candidacy_move, job_close
from relationships.services import relationship_handoff
from tests.factories import (
    CandidacyFactory,
    ContactFactory,
    JobFactory,
    OrganizationFactory,
    RelationshipFactory,
)

# --- the HTML part, parsed -----------------------------------------------------------------------

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "div", "dl", "dd", "dt", "fieldset", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "tr", "ul",
})  # fmt: skip
VOID_TAGS = frozenset({"br", "hr", "img", "wbr"})


class _Tree(HTMLParser):
    """Walks the HTML: a block inside <p>, an empty <p>, a tag closed out of order or text
    outside any element is a problem; collects the links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[list[str]] = []  # [tag, text inside]
        self.problems: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS and any(name == "p" for name, _ in self.open):
            self.problems.append(f"<{tag}> inside <p>")
        if tag == "a":
            self.links.append(dict(attrs).get("href", ""))
        if tag not in VOID_TAGS:
            self.open.append([tag, ""])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        if not self.open or self.open[-1][0] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1][0] if self.open else ''}>")
            return
        name, text = self.open.pop()
        if name == "p" and not text.strip():
            self.problems.append("an empty <p>")
        if self.open:
            self.open[-1][1] += text

    def handle_data(self, data):
        if self.open:
            self.open[-1][1] += data
        elif data.strip():
            self.problems.append(f"text outside any element: {data.strip()!r}")


def html_links(html: str) -> list[str]:
    """The HTML's links, once it is known valid: no block inside <p>, no empty <p>, every tag
    closed in order, no run of blank lines."""
    tree = _Tree()
    tree.feed(html)
    tree.close()
    assert tree.problems == []
    assert [name for name, _ in tree.open] == []
    assert "\n\n" not in html
    return tree.links


def text_links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def assert_well_formed(kind: str, text: str, html: str) -> None:
    """Both parts tidy, and the HTML carries exactly the text's links (the unsubscribe link for
    the kinds that have one, and a closure notice's three rating links when it asks)."""
    assert "\n\n\n" not in text
    assert not text.startswith("\n")
    assert not re.search(r"[ \t]$", text, re.MULTILINE)
    assert html_links(html) == text_links(text)
    if kind in UNSUBSCRIBABLE_KINDS | {MessageKind.CLOSURE}:
        others = [link for link in text_links(text) if "/rate/" not in link]
        assert len(others) == 1
        assert len(text_links(text)) - len(others) in (
            (0, 3) if kind == MessageKind.CLOSURE else (0,)
        )


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def acme(db):
    return OrganizationFactory(name="Acme")


def _sent(outbox, kind: str, contact: Contact):
    message = Message.objects.get(kind=kind, contact=contact)
    assert message.status == Message.Status.SENT
    [email] = [e for e in outbox if e.to == [contact.emails[0]] and e.subject == message.subject]
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert (email.body, html) == (message.text, message.html)
    assert_well_formed(kind, email.body, html)
    return email, html


SIGNATURE = "Best wishes,\nRosa Reyes\nrosa@rapport.example\n"


# --- status updates, per stage -------------------------------------------------------------------

STAGES = {
    "sourced": (
        "I have you on my shortlist for it.",
        "My next step is to talk with you about whether it fits what you are looking for.",
    ),
    "contacted": (
        "We have been in touch about it, and you are on my shortlist.",
        "Next, we find a time to go through the role and what you are looking for in more detail.",
    ),
    "screening": (
        "We are at the screening stage: making sure the role and what you want from your next "
        "move fit together.",
        "If it is a fit for both of us, I will put your profile forward to Acme.",
    ),
    "submitted": (
        "I put your profile forward to Acme on 4 March, and it is with them now.",
        "I am waiting for their answer and will pass it on as soon as I have it.",
    ),
    "client_interview": (
        "You have been in the interview stage with Acme since 4 March.",
        "I am gathering their feedback and will share it with you as soon as I have it.",
    ),
    "offer": (
        "We are at the offer stage with Acme.",
        "I am working through the details of the offer with them and will come back to you on "
        "anything that needs your decision.",
    ),
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_status_update_says_where_things_stand_what_is_next_and_when_they_hear_again(
    clock, recruiter, outbox, acme, stage
):
    ana = ContactFactory(first_name="Ana", last_name="Smith")
    candidacy = CandidacyFactory(
        job=JobFactory(owner=recruiter, organization=acme, title="Data lead"), contact=ana
    )
    clock.shift(timedelta(days=2))  # Wednesday 4 March
    if stage != "sourced":
        candidacy_move(candidacy=candidacy, to_stage=stage, user=recruiter)
    clock.shift(timedelta(days=5, minutes=1))
    plan_all(now=timezone.now())
    clock.shift(timedelta(hours=4))  # the review window: it leaves Monday 9 March, 13:01

    relay_batch(now=timezone.now())

    email, html = _sent(outbox, MessageKind.STATUS_UPDATE, ana)
    progress, next_step = STAGES[stage]
    link = unsubscribe_url(ana.pk)
    assert email.subject == "Data lead at Acme: where things stand"
    # The next update is planned a week after this one and leaves after the 4-hour review window.
    assert email.body == (
        "Hi Ana,\n\n"
        f"Here is the latest on Data lead at Acme. {progress}\n\n"
        f"{next_step} You will hear from me again by Monday 16 March at the latest.\n\n"
        "If you have a question in the meantime, just reply to this email.\n\n"
        f"{SIGNATURE}\n"
        f"Prefer not to get these emails? Unsubscribe: {link}\n"
    )
    assert html == (
        "<p>Hi Ana,</p>\n"
        f"<p>Here is the latest on Data lead at Acme. {progress}</p>\n"
        f"<p>{next_step} You will hear from me again by Monday 16 March at the latest.</p>\n"
        "<p>If you have a question in the meantime, just reply to this email.</p>\n"
        "<p>Best wishes,<br>\nRosa Reyes<br>\nrosa@rapport.example</p>\n"
        f'<p>Prefer not to get these emails? <a href="{link}">Unsubscribe</a></p>\n'
    )
    assert email.extra_headers["List-Unsubscribe"] == f"<{link}>"


def test_status_update_names_the_alias_keeps_the_note_and_follows_the_jobs_cadence(
    clock, recruiter, outbox, acme
):
    ana = ContactFactory(first_name="Ana", last_name="Smith")
    job = JobFactory(
        owner=recruiter, organization=acme, title="CTO", client_alias="A fintech in Berlin"
    )
    candidacy = CandidacyFactory(job=job, contact=ana)
    job_policy_update(job=job, user=recruiter, update_cadence_days=3)
    candidacy_move(candidacy=candidacy, to_stage="submitted", user=recruiter)
    clock.shift(timedelta(days=3, minutes=1))
    plan_all(now=timezone.now())
    message = Message.objects.get(kind=MessageKind.STATUS_UPDATE)
    message_note_set(
        message=message,
        user=recruiter,
        personal_note="Good luck with the move!\r\n\r\n\r\nTalk soon.",
    )
    clock.shift(timedelta(hours=4))  # it leaves Thursday 5 March, 13:01

    relay_batch(now=timezone.now())

    email, html = _sent(outbox, MessageKind.STATUS_UPDATE, ana)
    assert email.subject == "CTO at A fintech in Berlin: where things stand"
    assert email.body.split("\n\n")[1:4] == [
        "Here is the latest on CTO at A fintech in Berlin. I put your profile forward to A "
        "fintech in Berlin on 2 March, and it is with them now.",
        "I am waiting for their answer and will pass it on as soon as I have it. You will hear "
        "from me again by Sunday 8 March at the latest.",
        "Good luck with the move!",
    ]
    assert "Talk soon.\n\nIf you have a question" in email.body
    assert "<p>Good luck with the move!<br>\n<br>\nTalk soon.</p>\n" in html
    assert "Acme" not in email.body + html + email.subject


# --- closure notices, per outcome ----------------------------------------------------------------

KEEP_IN_MIND = (
    "I would like to keep you in mind for other roles: reply to this email any time to tell me "
    "what you are looking for next."
)
CLOSED = "This closes your application, so you will not get more updates about it."
FEEDBACK = (
    "If you would like to hear the feedback from your interviews, reply to this email and I will "
    "share what I can. I would also like to keep you in mind for other roles."
)
CLOSURES = {
    "rejected before an interview": (
        "submitted",
        "rejected_by_client",
        "I have heard back from Acme about Data lead: they have decided not to take your "
        "application further. I know this is disappointing, and I am grateful you let me put "
        "your name forward.",
        f"{CLOSED} {KEEP_IN_MIND}",
    ),
    "rejected after an interview": (
        "client_interview",
        "rejected_by_client",
        "I have heard back from Acme after your interviews for Data lead: they have decided not "
        "to go ahead with your application. I know this is disappointing, especially after the "
        "time and thought you put into the interviews.",
        f"{CLOSED} {FEEDBACK}",
    ),
    "not a fit before an interview": (
        "screening",
        "not_a_fit",
        "Having looked closely at Data lead at Acme and at what you are looking for, I do not "
        "think it is the right fit for you, so I will not take your application further.",
        f"{CLOSED} {KEEP_IN_MIND}",
    ),
    "not a fit after an interview": (
        "offer",
        "not_a_fit",
        "After your interviews for Data lead at Acme, it is clear that the role is not the right "
        "fit, so your application will not go further. Thank you for the time and thought you "
        "put into the interviews.",
        f"{CLOSED} {FEEDBACK}",
    ),
    "withdrawn": (
        "client_interview",
        "candidate_withdrew",
        "Thank you for letting me know that you are withdrawing from Data lead at Acme. I have "
        "closed your application, so you will not get more updates about it.",
        "If your plans change, or you would like to hear about other roles, just reply to this "
        "email.",
    ),
    "job filled": (
        "submitted",
        "filled",
        "Acme has now filled the Data lead role, so your application for it has closed. I am "
        "sorry this one did not work out.",
        f"You will not get more updates about it. {KEEP_IN_MIND}",
    ),
    "job cancelled": (
        "screening",
        "cancelled",
        "Acme has decided not to go ahead with the Data lead role, so the search has closed, and "
        "your application with it. This was a decision about the role, not about you.",
        f"You will not get more updates about it. {KEEP_IN_MIND}",
    ),
    "placed": (
        "offer",
        "placed",
        "Congratulations on your new role as Data lead at Acme! I am delighted for you, and it "
        "has been a pleasure working with you.",
        "If anything comes up before your start date, just reply to this email. I wish you every "
        "success in the new role.",
    ),
}


@pytest.mark.parametrize("case", list(CLOSURES))
def test_closure_notice_says_what_happened_and_what_comes_next(
    clock, recruiter, outbox, acme, case
):
    stage, outcome, what_happened, what_next = CLOSURES[case]
    ana = ContactFactory(first_name="Ana", last_name="Smith")
    job = JobFactory(owner=recruiter, organization=acme, title="Data lead")
    candidacy = CandidacyFactory(job=job, contact=ana)
    candidacy_move(candidacy=candidacy, to_stage=stage, user=recruiter)
    if outcome in ("filled", "cancelled"):
        job_close(job=job, status=outcome, user=recruiter)
    else:
        candidacy_close(candidacy=candidacy, outcome=outcome, user=recruiter)
    plan_all(now=timezone.now())
    clock.shift(timedelta(hours=1))  # the undo window

    relay_batch(now=timezone.now())

    email, html = _sent(outbox, MessageKind.CLOSURE, ana)
    link = unsubscribe_url(ana.pk)
    rate = rating_urls(Rating.objects.get(message__contact=ana))
    assert email.subject == "Your application for Data lead at Acme"
    assert email.body == (
        "Hi Ana,\n\n"
        f"{what_happened}\n\n"
        f"{what_next}\n\n"
        "How well did I keep you informed? One click tells me:\n"
        f"Good: {rate['good']}\nOkay: {rate['okay']}\nNot good: {rate['not_good']}\n\n"
        f"{SIGNATURE}\n"
        f"Prefer not to get emails from me? Unsubscribe: {link}\n"
    )
    assert html == (
        "<p>Hi Ana,</p>\n"
        f"<p>{what_happened}</p>\n"
        f"<p>{what_next}</p>\n"
        "<p>How well did I keep you informed? One click tells me:<br>\n"
        f'<a href="{rate["good"]}">Good</a> · <a href="{rate["okay"]}">Okay</a> · '
        f'<a href="{rate["not_good"]}">Not good</a></p>\n'
        "<p>Best wishes,<br>\nRosa Reyes<br>\nrosa@rapport.example</p>\n"
        f'<p>Prefer not to get emails from me? <a href="{link}">Unsubscribe</a></p>\n'
    )


def test_placed_candidate_is_congratulated_not_kept_in_mind(clock, recruiter, outbox, acme):
    ana = ContactFactory(first_name="Ana")
    candidacy = CandidacyFactory(job=JobFactory(owner=recruiter, organization=acme), contact=ana)
    candidacy_move(candidacy=candidacy, to_stage="placed", user=recruiter)
    plan_all(now=timezone.now())
    clock.shift(timedelta(hours=1))

    relay_batch(now=timezone.now())

    email, html = _sent(outbox, MessageKind.CLOSURE, ana)
    assert "Congratulations on your new role" in email.body
    assert "How well did I keep you informed?" in email.body
    assert "keep you in mind" not in email.body + html
    assert "disappointing" not in email.body + html


def test_closure_notice_names_the_confidential_alias_only(clock, recruiter, outbox, acme):
    ana = ContactFactory(first_name="Ana")
    job = JobFactory(owner=recruiter, organization=acme, title="CTO", client_alias="A fintech")
    candidacy = CandidacyFactory(job=job, contact=ana)
    candidacy_close(candidacy=candidacy, outcome="rejected_by_client", user=recruiter)
    plan_all(now=timezone.now())
    clock.shift(timedelta(hours=1))

    relay_batch(now=timezone.now())

    email, html = _sent(outbox, MessageKind.CLOSURE, ana)
    assert email.subject == "Your application for CTO at A fintech"
    assert email.body.startswith(
        "Hi Ana,\n\nI have heard back from A fintech about CTO: they have decided not to take "
        "your application further."
    )
    assert "Acme" not in email.subject + email.body + html


# --- to the client: the closed job, the digest ---------------------------------------------------


@pytest.mark.parametrize(
    ("status", "what_happened"),
    [
        (
            "filled",
            "Congratulations on filling the Data lead role! I have closed the search on my side.",
        ),
        (
            "cancelled",
            "The Data lead role is now cancelled, so I have closed the search on my side.",
        ),
    ],
)
def test_client_hears_the_job_is_closed_and_that_candidates_are_told(
    clock, recruiter, outbox, acme, status, what_happened
):
    hank = ContactFactory(first_name="Hank", roles=["hiring_manager"])
    job = JobFactory(
        owner=recruiter, organization=acme, title="Data lead", hiring_manager=hank,
        client_alias="A fintech",
    )  # fmt: skip
    CandidacyFactory(job=job, contact=ContactFactory(first_name="Ana"))
    job_close(job=job, status=status, user=recruiter)
    plan_all(now=timezone.now())
    clock.shift(timedelta(hours=1))

    relay_batch(now=timezone.now())

    email, html = _sent(outbox, MessageKind.JOB_CLOSED, hank)
    next_step = (
        "I am letting everyone who was still in the running know, so there is nothing you need "
        "to do."
    )
    thanks = (
        "Thank you for working with me on it. If you would like to start a new search, just "
        "reply to this email."
    )
    assert email.subject == "Data lead: the search is closed"
    assert email.body == f"Hi Hank,\n\n{what_happened}\n\n{next_step}\n\n{thanks}\n\n{SIGNATURE}"
    assert html == (
        f"<p>Hi Hank,</p>\n<p>{what_happened}</p>\n<p>{next_step}</p>\n<p>{thanks}</p>\n"
        "<p>Best wishes,<br>\nRosa Reyes<br>\nrosa@rapport.example</p>\n"
    )
    assert "List-Unsubscribe" not in email.extra_headers


def _digest_job(recruiter, acme, hank):
    return JobFactory(
        owner=recruiter, organization=acme, title="Data lead", hiring_manager=hank,
        client_alias="A fintech",
    )  # fmt: skip


def test_digest_shows_the_pipeline_who_awaits_feedback_and_when_the_next_comes(
    clock, recruiter, outbox, acme
):
    hank = ContactFactory(first_name="Hank", roles=["hiring_manager"])
    job = _digest_job(recruiter, acme, hank)
    names = [("Ana", "Smith", "submitted"), ("Ben", "Jones", "client_interview")]
    for first, last, stage in [*names, ("Cleo", "Diaz", "screening")]:
        candidacy = CandidacyFactory(
            job=job, contact=ContactFactory(first_name=first, last_name=last)
        )
        clock.shift(timedelta(minutes=1))
        candidacy_move(candidacy=candidacy, to_stage=stage, user=recruiter)
    clock.move_to(job.opened_at + timedelta(days=7, minutes=1))
    plan_all(now=timezone.now())

    relay_batch(now=timezone.now())

    email, html = _sent(outbox, MessageKind.CLIENT_DIGEST, hank)
    link = unsubscribe_url(hank.pk)
    request = (
        "Ana Smith and Ben Jones are waiting for your feedback: even a quick yes or no lets me "
        "keep them informed."
    )
    next_one = (
        "You will have the next update by Monday 16 March. If you would like to talk before "
        "then, just reply to this email."
    )
    assert email.subject == "Data lead: where the search stands"
    assert email.body == (
        "Hi Hank,\n\n"
        "Here is where the search for Data lead stands:\n"
        "- Screening: 1\n- Submitted to client: 1\n- Client interview: 1\n\n"
        f"{request}\n\n{next_one}\n\n{SIGNATURE}\n"
        f"Prefer not to get these updates? Unsubscribe: {link}\n"
    )
    assert html == (
        "<p>Hi Hank,</p>\n"
        "<p>Here is where the search for Data lead stands:<br>\n"
        "- Screening: 1<br>\n- Submitted to client: 1<br>\n- Client interview: 1</p>\n"
        f"<p>{request}</p>\n<p>{next_one}</p>\n"
        "<p>Best wishes,<br>\nRosa Reyes<br>\nrosa@rapport.example</p>\n"
        f'<p>Prefer not to get these updates? <a href="{link}">Unsubscribe</a></p>\n'
    )


def test_digest_with_no_one_awaiting_feedback_leaves_that_line_out(clock, recruiter, outbox, acme):
    hank = ContactFactory(first_name="Hank", roles=["hiring_manager"])
    job = _digest_job(recruiter, acme, hank)
    candidacy_move(
        candidacy=CandidacyFactory(job=job, contact=ContactFactory(first_name="Cleo")),
        to_stage="screening",
        user=recruiter,
    )
    clock.shift(timedelta(days=7, minutes=1))
    plan_all(now=timezone.now())

    relay_batch(now=timezone.now())

    email, html = _sent(outbox, MessageKind.CLIENT_DIGEST, hank)
    assert email.body.split("\n\n")[:3] == [
        "Hi Hank,",
        "Here is where the search for Data lead stands:\n- Screening: 1",
        "You will have the next update by Monday 16 March. If you would like to talk before "
        "then, just reply to this email.",
    ]
    assert "feedback" not in email.body + html


# --- the introduction after a handoff ------------------------------------------------------------


def test_introduction_names_who_handed_over_and_when_the_new_recruiter_is_in_touch(
    clock, recruiter, other_recruiter, outbox
):
    ana = ContactFactory(first_name="Ana")
    RelationshipFactory(contact=ana, owner=other_recruiter)  # tier B: every 30 days
    handoff = relationship_handoff(
        from_recruiter=other_recruiter, to_recruiter=recruiter, performed_by=other_recruiter,
        contacts=[ana],
    )  # fmt: skip
    handoff_introductions_schedule(
        handoff=handoff, user=other_recruiter, personal_note="Tom told me about your move."
    )
    clock.shift(timedelta(hours=4))  # the review window, for the new owner's personal note

    relay_batch(now=timezone.now())

    email, html = _sent(outbox, MessageKind.INTRODUCTION, ana)
    hello = (
        "I am Rosa Reyes, and I am taking over from Tom Brandt as your contact. Your history with "
        "us comes with you, so there is no need to start again."
    )
    next_step = (
        "I will be in touch again by Wednesday 1 April; in the meantime, just reply to this email "
        "whenever you need me."
    )
    assert email.subject == "Introducing Rosa Reyes, your new contact"
    assert email.body == (
        f"Hi Ana,\n\n{hello}\n\nTom told me about your move.\n\n{next_step}\n\n{SIGNATURE}"
    )
    assert html == (
        f"<p>Hi Ana,</p>\n<p>{hello}</p>\n<p>Tom told me about your move.</p>\n"
        f"<p>{next_step}</p>\n<p>Best wishes,<br>\nRosa Reyes<br>\nrosa@rapport.example</p>\n"
    )
    assert email.reply_to == ["rosa@rapport.example"]


# --- merge values never add markup ---------------------------------------------------------------

HOSTILE = 'Emeka\n<a href="https://evil.example/login">Verify account</a>'
HOSTILE_ESCAPED = (
    "Emeka<br>\n&lt;a href=&quot;https://evil.example/login&quot;&gt;Verify account&lt;/a&gt;"
)


@pytest.mark.parametrize("kind", list(DEFAULT_TEMPLATES))
def test_every_merge_value_is_escaped_before_its_line_breaks(kind):
    template = DEFAULT_TEMPLATES[kind]
    values = {name: f"{name} {HOSTILE}\n" for name in MERGE_FIELDS}

    rendered = render(**template, values=values)

    links = html_links(rendered.html)  # valid: no block in <p>, no empty <p>
    assert len(links) == rendered.html.count("<a") == template["html"].count("<a")
    assert [link for link in links if link.startswith("https://evil")] == []
    for name in MERGE_FIELDS:
        if "{{ %s }}" % name in template["html"]:  # noqa: UP031
            assert f"{name} {HOSTILE_ESCAPED}" in rendered.html
    assert '<a href="https://evil' not in rendered.html
    assert "\n\n\n" not in rendered.text


def test_sample_values_cover_every_merge_field():
    assert set(SAMPLE_VALUES) == set(MERGE_FIELDS)


def test_sent_html_carries_no_markup_from_any_value_of_any_kind(
    clock, recruiter, other_recruiter, outbox
):
    hank = ContactFactory(first_name="Hank", roles=["hiring_manager"])
    open_job = JobFactory(owner=recruiter, hiring_manager=hank, client_alias="A fintech")
    closed_job = JobFactory(owner=recruiter, hiring_manager=hank)
    waiting = CandidacyFactory(job=open_job)
    candidacy_move(candidacy=waiting, to_stage="submitted", user=recruiter)
    closed = CandidacyFactory(job=open_job)
    candidacy_close(candidacy=closed, outcome="rejected_by_client", user=recruiter)
    job_close(job=closed_job, status="cancelled", user=recruiter)
    handed = RelationshipFactory(owner=other_recruiter).contact
    handoff = relationship_handoff(
        from_recruiter=other_recruiter, to_recruiter=recruiter, performed_by=other_recruiter,
        contacts=[handed],
    )  # fmt: skip
    Contact.objects.update(first_name=HOSTILE, last_name=HOSTILE)
    Organization.objects.update(name=HOSTILE)
    Job.objects.update(title=HOSTILE, client_alias=HOSTILE)
    type(recruiter).objects.update(first_name=HOSTILE, last_name=HOSTILE)
    now = timezone.now()
    messages = {
        MessageKind.STATUS_UPDATE: (waiting.contact, open_job, waiting, "u"),
        MessageKind.CLOSURE: (closed.contact, open_job, closed, "c"),
        MessageKind.CLIENT_DIGEST: (hank, open_job, None, "d"),
        MessageKind.JOB_CLOSED: (hank, closed_job, None, "j"),
        MessageKind.INTRODUCTION: (handed, None, None, f"introduction:{handoff.pk}:{handed.pk}"),
    }
    for kind, (contact, job, candidacy, key) in messages.items():
        Message.objects.create(
            kind=kind, owner=recruiter, contact=contact, job=job, candidacy=candidacy,
            recipient=contact.emails[0], idempotency_key=key, send_after=now,
            personal_note=HOSTILE,
        )  # fmt: skip

    assert relay_batch(now=now).sent == 5

    for message in Message.objects.select_related("contact"):
        [email] = [
            e for e in outbox if e.extra_headers["X-Rapport-Message"] == message.idempotency_key
        ]
        html = email.alternatives[0][0]
        with_link = message.kind in UNSUBSCRIBABLE_KINDS | {MessageKind.CLOSURE}
        expected = [unsubscribe_url(message.contact_id)] if with_link else []
        if message.kind == MessageKind.CLOSURE:  # asked how we did: the three rating links too
            expected = [*rating_urls(Rating.objects.get(message=message)).values(), *expected]
        assert html_links(html) == expected
        assert html.count("<a") == len(html_links(html))
        assert HOSTILE_ESCAPED in html
        assert "\n" not in email.subject
        # The recruiter's name stays a quoted display name: it cannot become the sender.
        assert getaddresses([email.message()["From"]])[0][1] == "rapport@localhost"
