"""Who may do what to whose records, URL by URL: the table that
tests/privacy/test_permission_matrix.py requests cell by cell, and checks against the URL conf.

How to add a row (a new URL must have one, or an entry in OUT_OF_SCOPE, or the suite fails):

    "app:url-name": Row(
        kwargs=lambda w: {"pk": w.contact.pk},      # the URL's kwargs, from the World
        calls=(                                      # (tests/privacy/permission_world.py)
            Call("GET", everyone(200)),
            Call("POST", owner_side(302), data=lambda w: {"reason": "Asked"}),
        ),
    ),

Every record of the world is the owner's (rosa, London desk). Personas: "owner"; "recruiter"
(tom, same desk); "other_team" (bob, Berlin desk); "manager" (maya, London desk's manager);
"other_manager" (max, Berlin desk's manager); "admin"; "anonymous"; and on the API also "token"
(the owner's API token, no session) and "bad_token" (a token nobody has). A Call's
expectations name the signed-in personas (use the helpers below); the rest follow unless the Call
names them too: "anonymous" is sent to the login page on a page (LOGIN) and answered 401 on the
API, "token" as the owner, "bad_token" 401.
A non-GET call that a persona is refused (4xx, or LOGIN) must change nothing in the database.
`data` is the form (pages) or JSON body (API); make it valid so that "allowed" means the change
happened, not that the form was re-shown.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

LOGIN = "login"  # a 302 to the login page

SIGNED_IN = ("owner", "recruiter", "other_team", "manager", "other_manager", "admin")
PAGE_PERSONAS = (*SIGNED_IN, "anonymous")
API_PERSONAS = (*PAGE_PERSONAS, "token", "bad_token")

Expect = Mapping[str, int | str]


class Refused(int):
    """A status that is a refusal although it is not 4xx (a form re-shown saying why): nothing
    may change."""


def everyone(status: int) -> dict[str, int | str]:
    """Every signed-in persona gets `status`: the shared contact book and jobs."""
    return dict.fromkeys(SIGNED_IN, status)


def owner_side(allowed: int, refused: int = 403) -> dict[str, int | str]:
    """The owner, their manager and an admin get `allowed`; other recruiters, of the same desk or
    another, and another desk's manager `refused`."""
    return {
        "owner": allowed,
        "manager": allowed,
        "admin": allowed,
        "recruiter": refused,
        "other_team": refused,
        "other_manager": refused,
    }


def outbox(allowed: int, *, change: bool) -> dict[str, int | str]:
    """A follow-up or an outgoing message: hidden (404) from other recruiters; a manager of any
    desk sees it (followups.selectors), but only the owner's manager and admins change it."""
    return {**owner_side(allowed, 404), "other_manager": 403 if change else allowed}


def admins(allowed: int, refused: int = 403) -> dict[str, int | str]:
    return {**dict.fromkeys(SIGNED_IN, refused), "admin": allowed}


@dataclass(frozen=True)
class Call:
    method: str
    expect: Expect
    data: Callable[[Any], dict] | None = None
    query: str | Callable[[Any], str] = ""  # a query string without "?", or one from the World
    label: str = ""  # tells apart two calls of one method on a URL


@dataclass(frozen=True)
class Row:
    calls: tuple[Call, ...]
    kwargs: Callable[[Any], dict] = field(default=lambda w: {})


def contact(w) -> dict:
    return {"pk": w.contact.pk}


def job(w) -> dict:
    return {"pk": w.job.pk}


def candidacy(w) -> dict:
    return {"pk": w.candidacy.pk}


def message(w) -> dict:
    return {"pk": w.message.pk}


def fact(w) -> dict:
    return {"pk": w.fact.pk}


def followup(w) -> dict:
    return {"pk": w.followup.pk}


def reply(w) -> dict:
    return {"pk": w.reply.pk}


TOMORROW = "2030-01-02T09:00"

MATRIX: dict[str, Row] = {
    # --- pages: contacts ---------------------------------------------------------------------
    "home": Row(calls=(Call("GET", everyone(200)),)),
    "contact-history": Row(kwargs=contact, calls=(Call("GET", everyone(200)),)),
    "job-history": Row(kwargs=job, calls=(Call("GET", everyone(200)),)),
    # A person's data: exported by the owner, their manager or an admin; erased only by the
    # owner's manager or an admin (crm.privacy.rules).
    "privacy:export-json": Row(kwargs=contact, calls=(Call("GET", owner_side(200)),)),
    "privacy:export-page": Row(kwargs=contact, calls=(Call("GET", owner_side(200)),)),
    "privacy:erase": Row(
        kwargs=contact,
        calls=(
            Call("GET", {**owner_side(200), "owner": 403}),
            Call(
                "POST",
                {**owner_side(302), "owner": 403},
                data=lambda w: {"reason": "Asked to be forgotten"},
            ),
        ),
    ),
    # The retention review's actions (crm.privacy.retention): the owner, their manager or an
    # admin renews the lawful basis, asks the person again, or asks for their erasure.
    "retention:renew": Row(kwargs=contact, calls=(Call("POST", owner_side(302)),)),
    "retention:ask": Row(kwargs=contact, calls=(Call("POST", owner_side(302)),)),
    "retention:erasure-request": Row(kwargs=contact, calls=(Call("POST", owner_side(302)),)),
    "relationships:contact-list": Row(calls=(Call("GET", everyone(200)),)),
    "relationships:contact-new": Row(
        calls=(
            Call("GET", everyone(200)),
            Call(
                "POST",
                everyone(302),
                data=lambda w: {
                    "first_name": "Zed",
                    "emails": "zed@example.com",
                    "tier": "B",
                    "lawful_basis": "legitimate_interest",
                },
            ),
        )
    ),
    "relationships:contact-export": Row(calls=(Call("GET", everyone(200)),)),
    "relationships:contact-import": Row(calls=(Call("GET", everyone(200)),)),
    "relationships:contact-import-preview": Row(
        kwargs=lambda w: {"pk": w.contact_import.pk},
        calls=(Call("GET", {**everyone(404), "owner": 200}),),  # the uploader's alone
    ),
    "relationships:interaction-create": Row(
        kwargs=contact,
        calls=(
            Call(
                "POST",
                everyone(302),
                data=lambda w: {
                    "log-kind": "call",
                    "log-direction": "outbound",
                    "log-summary": "Spoke",
                },
            ),
        ),
    ),
    "relationships:relationship-update": Row(
        kwargs=contact, calls=(Call("POST", owner_side(302), data=lambda w: {"tier-tier": "A"}),)
    ),
    "relationships:connection-create": Row(
        kwargs=contact,
        calls=(
            Call(
                "POST",
                everyone(302),
                data=lambda w: {
                    "connection-direction": "from",
                    "connection-kind": "reports_to",
                    "connection-other": w.interviewer.pk,
                    "connection-other_query": "Ivy",
                },
            ),
        ),
    ),
    "relationships:connection-matches": Row(
        kwargs=contact, calls=(Call("GET", everyone(200), query="other_query=Ben"),)
    ),
    "relationships:handoff-list": Row(calls=(Call("GET", everyone(200)),)),
    "relationships:handoff-new": Row(
        calls=(
            Call("GET", everyone(200)),
            Call(
                "POST",
                # The form says why; another desk's manager is refused outright.
                {**owner_side(302, refused=Refused(200)), "other_manager": 403},
                data=lambda w: {
                    "from_recruiter": w.owner.pk,
                    "to_recruiter": w.recruiter.pk,
                    "scope": "all",
                    "confirm": "1",
                },
            ),
        )
    ),
    "relationships:handoff-choices": Row(calls=(Call("GET", everyone(200)),)),
    "relationships:handoff-detail": Row(
        kwargs=lambda w: {"pk": w.handoff.pk}, calls=(Call("GET", everyone(200)),)
    ),
    "relationships:contact-merge": Row(kwargs=contact, calls=(Call("GET", owner_side(200)),)),
    "relationships:contact-merge-compare": Row(
        kwargs=lambda w: {"pk": w.contact.pk, "other_pk": w.other_contact.pk},
        calls=(
            Call("GET", owner_side(200)),
            Call("POST", owner_side(302), data=lambda w: {"survivor": w.contact.pk}),
        ),
    ),
    "contacts:search": Row(calls=(Call("GET", everyone(200), query="q=Ana"),)),
    "contacts:contact-detail": Row(kwargs=contact, calls=(Call("GET", everyone(200)),)),
    "contacts:contact-brief": Row(kwargs=contact, calls=(Call("GET", everyone(200)),)),
    "contacts:contact-edit": Row(
        kwargs=contact,
        calls=(
            Call("GET", everyone(200)),
            Call(
                "POST",
                owner_side(302),
                label="phones",
                data=lambda w: {
                    "first_name": "Ana",
                    "last_name": "Lima",
                    "emails": "ana@example.com",
                    "phones": "+44 20 7946 0999",
                    "roles": ["candidate"],
                    "title": "Engineer",
                    "lawful_basis": "legitimate_interest",
                },
            ),
        ),
    ),
    "contacts:fact-create": Row(
        kwargs=contact,
        calls=(
            Call(
                "POST",
                everyone(302),
                data=lambda w: {"fact-category": "interests", "fact-text": "Chess"},
            ),
        ),
    ),
    "contacts:fact-pin": Row(
        kwargs=lambda w: {"pk": w.contact.pk, "fact_pk": w.fact.pk},
        calls=(Call("POST", everyone(302)),),
    ),
    "contacts:fact-delete": Row(
        kwargs=lambda w: {"pk": w.contact.pk, "fact_pk": w.fact.pk},
        calls=(Call("POST", owner_side(302)),),
    ),
    "contacts:organization-list": Row(calls=(Call("GET", everyone(200)),)),
    "contacts:organization-detail": Row(
        kwargs=lambda w: {"pk": w.organization.pk}, calls=(Call("GET", everyone(200)),)
    ),
    # --- pages: jobs -------------------------------------------------------------------------
    "jobs:index": Row(calls=(Call("GET", everyone(200)),)),
    "jobs:job-new": Row(
        calls=(
            Call("GET", everyone(200)),
            Call(
                "POST",
                everyone(302),
                data=lambda w: {
                    "title": "Data lead",
                    "organization": w.organization.pk,
                    "openings": 1,
                    "currency": "EUR",
                },
            ),
        )
    ),
    "jobs:job-detail": Row(kwargs=job, calls=(Call("GET", everyone(200)),)),
    "jobs:job-intake": Row(
        kwargs=job,
        calls=(
            Call("GET", owner_side(200)),
            Call("POST", owner_side(302), data=lambda w: {"asked_for": "A payments lead"}),
        ),
    ),
    "jobs:job-open": Row(
        kwargs=lambda w: {"pk": w.intake_job.pk}, calls=(Call("POST", owner_side(302)),)
    ),
    "jobs:job-close": Row(
        kwargs=job,
        calls=(Call("POST", owner_side(302), data=lambda w: {"status": "cancelled"}),),
    ),
    "jobs:job-feedback": Row(
        kwargs=job,
        calls=(
            Call(
                "POST",
                owner_side(302),
                data=lambda w: {
                    "candidacy": w.candidacy.pk,
                    "interviewer": w.interviewer.pk,
                    "recommendation": "no",
                },
            ),
        ),
    ),
    "jobs:job-board": Row(kwargs=job, calls=(Call("GET", everyone(200)),)),
    "jobs:candidacy-undo": Row(
        # Who decided (the owner here), or their manager: another desk's manager undid it before.
        kwargs=lambda w: {"pk": w.closed_candidacy.pk},
        calls=(Call("POST", owner_side(302)),),
    ),
    "jobs:candidacy-move": Row(
        kwargs=candidacy,
        calls=(Call("POST", owner_side(302), data=lambda w: {"stage": "screening"}),),
    ),
    "jobs:candidacy-close": Row(
        kwargs=candidacy,
        calls=(Call("POST", owner_side(302), data=lambda w: {"outcome": "not_a_fit"}),),
    ),
    "jobs:job-split": Row(
        kwargs=job,
        calls=(
            Call("GET", owner_side(200)),
            Call(
                "POST",
                owner_side(302),
                data=lambda w: {
                    "title_a": "Payments lead (UK)",
                    "title_b": "Payments lead (DE)",
                    f"route_{w.candidacy.pk}": "a",
                },
            ),
        ),
    ),
    "jobs:contact-candidacies": Row(kwargs=contact, calls=(Call("GET", everyone(200)),)),
    "jobs:contact-candidacies-brief": Row(kwargs=contact, calls=(Call("GET", everyone(200)),)),
    "jobs:contact-candidacy-add": Row(
        kwargs=lambda w: {"pk": w.other_contact.pk},
        calls=(
            # The form offers only the jobs the user changes.
            Call(
                "POST", owner_side(302, 400), data=lambda w: {"job": w.job.pk, "stage": "sourced"}
            ),
        ),
    ),
    "jobs:candidacy-reopen": Row(
        kwargs=lambda w: {"pk": w.closed_candidacy.pk},
        calls=(Call("POST", owner_side(302), data=lambda w: {"stage": "sourced"}),),
    ),
    # --- pages: follow-through and messages --------------------------------------------------
    "market:contact-notes": Row(kwargs=contact, calls=(Call("GET", everyone(200)),)),
    "followups:followup-new": Row(
        kwargs=lambda w: {"contact_pk": w.contact.pk},
        calls=(
            Call(
                "POST",
                everyone(302),
                data=lambda w: {"summary": "Call back", "kind": "call", "due_at": TOMORROW},
            ),
        ),
    ),
    "followups:followup-complete": Row(
        kwargs=followup,
        calls=(Call("POST", outbox(302, change=True), data=lambda w: {"outcome": "Spoke to Ana"}),),
    ),
    "followups:followup-snooze": Row(
        kwargs=followup,
        calls=(Call("POST", outbox(302, change=True), data=lambda w: {"until": TOMORROW}),),
    ),
    "followups:message-list": Row(calls=(Call("GET", everyone(200)),)),
    "followups:message-detail": Row(
        kwargs=message, calls=(Call("GET", outbox(200, change=False)),)
    ),
    "followups:message-edit": Row(
        kwargs=message,
        calls=(
            Call(
                "POST",
                outbox(302, change=True),
                data=lambda w: {"subject": "Hello", "text": "Hi Ana"},
            ),
        ),
    ),
    "followups:message-send-now": Row(
        kwargs=message, calls=(Call("POST", outbox(302, change=True)),)
    ),
    "followups:message-market-note": Row(
        kwargs=message,
        calls=(Call("POST", outbox(302, change=True), data=lambda w: {"note": w.note.pk}),),
    ),
    "followups:message-skip": Row(
        kwargs=message,
        calls=(Call("POST", outbox(302, change=True), data=lambda w: {"reason": "Spoke instead"}),),
    ),
    "followups:job-policy": Row(
        kwargs=lambda w: {"job_pk": w.job.pk},
        calls=(
            Call("GET", owner_side(200)),
            Call("POST", owner_side(302), data=lambda w: {"update_cadence_days": 5}),
        ),
    ),
    "followups:one-off-email": Row(
        kwargs=contact,
        calls=(
            Call("GET", everyone(200)),
            # Anyone emails any contact, as their own message (opt-outs and suppressions hold).
            Call("POST", everyone(302), data=lambda w: {"subject": "Hello", "text": "Hi Ana"}),
        ),
    ),
    "followups:reply-unmatched": Row(calls=(Call("GET", everyone(200)),)),
    "followups:reply-detail": Row(kwargs=reply, calls=(Call("GET", everyone(200)),)),
    "followups:reply-assign": Row(
        kwargs=reply,
        calls=(Call("POST", everyone(302), data=lambda w: {"contact": w.contact.pk}),),
    ),
    # --- API ---------------------------------------------------------------------------------
    "api-fact-list": Row(
        calls=(
            Call("GET", everyone(200), query=lambda w: f"contact={w.contact.pk}"),
            Call("POST", everyone(201), data=lambda w: {"contact": w.contact.pk, "text": "Chess"}),
        )
    ),
    "api-fact-detail": Row(
        kwargs=fact,
        calls=(
            Call("GET", everyone(200)),
            Call("PATCH", owner_side(200), data=lambda w: {"text": "Runs ultras"}),
            Call("PATCH", everyone(200), label="pin", data=lambda w: {"pinned": True}),
            Call("DELETE", owner_side(204)),
        ),
    ),
    "api-contact-list": Row(
        calls=(
            Call("GET", everyone(200)),
            Call("POST", everyone(201), data=lambda w: {"first_name": "Zed", "tier": "B"}),
        )
    ),
    "api-contact-detail": Row(
        kwargs=contact,
        calls=(
            Call("GET", everyone(200)),
            Call("PATCH", owner_side(200), data=lambda w: {"email_opt_out": True}),
            Call("PATCH", everyone(200), label="shared", data=lambda w: {"title": "CTO"}),
        ),
    ),
    "api-contact-merge": Row(
        kwargs=contact,
        calls=(Call("POST", owner_side(200), data=lambda w: {"duplicate": w.other_contact.pk}),),
    ),
    "api-interaction-list": Row(
        calls=(
            Call("GET", everyone(200), query=lambda w: f"contact={w.contact.pk}"),
            Call(
                "POST",
                everyone(201),
                data=lambda w: {"contact": w.contact.pk, "kind": "call", "summary": "Spoke"},
            ),
        )
    ),
    "api-interaction-detail": Row(
        kwargs=lambda w: {"pk": w.interaction.pk}, calls=(Call("GET", everyone(200)),)
    ),
    "api-relationship-detail": Row(
        kwargs=lambda w: {"contact_id": w.contact.pk},
        calls=(
            Call("GET", everyone(200)),
            Call("PATCH", owner_side(200), data=lambda w: {"tier": "A"}),
        ),
    ),
    "api-connection-list": Row(
        calls=(
            Call("GET", everyone(200), query=lambda w: f"contact={w.contact.pk}"),
            Call(
                "POST",
                everyone(201),
                data=lambda w: {
                    "from_contact": w.contact.pk,
                    "to_contact": w.interviewer.pk,
                    "kind": "reports_to",
                },
            ),
        )
    ),
    "api-connection-detail": Row(
        kwargs=lambda w: {"pk": w.connection.pk}, calls=(Call("DELETE", everyone(204)),)
    ),
    "api-handoff-list": Row(
        calls=(
            Call("GET", everyone(200)),
            Call(
                "POST",
                owner_side(201),
                data=lambda w: {"from_recruiter": w.owner.pk, "to_recruiter": w.recruiter.pk},
            ),
        )
    ),
    "api-handoff-detail": Row(
        kwargs=lambda w: {"pk": w.handoff.pk}, calls=(Call("GET", everyone(200)),)
    ),
    "api-job-list": Row(
        calls=(
            Call("GET", everyone(200)),
            Call(
                "POST",
                everyone(201),
                data=lambda w: {"title": "Data lead", "organization": w.organization.pk},
            ),
        )
    ),
    "api-job-detail": Row(kwargs=job, calls=(Call("GET", everyone(200)),)),
    "api-job-close": Row(
        kwargs=job,
        calls=(Call("POST", owner_side(200, 404), data=lambda w: {"status": "cancelled"}),),
    ),
    "api-job-intake": Row(
        kwargs=job,
        calls=(
            Call(
                "PUT",
                owner_side(200, 404),
                data=lambda w: {"items": {"asked_for": ["A payments lead"]}},
            ),
        ),
    ),
    "api-job-open": Row(
        kwargs=lambda w: {"pk": w.intake_job.pk}, calls=(Call("POST", owner_side(200, 404)),)
    ),
    "api-job-split": Row(
        kwargs=job,
        calls=(
            Call(
                "POST",
                owner_side(200, 404),
                data=lambda w: {
                    "title_a": "Payments lead (UK)",
                    "title_b": "Payments lead (DE)",
                    "routes": [{"candidacy": w.candidacy.pk, "route": "a"}],
                },
            ),
        ),
    ),
    "api-job-split-suggestion": Row(kwargs=job, calls=(Call("GET", everyone(200)),)),
    "api-candidacy-list": Row(
        calls=(
            Call("GET", everyone(200)),
            Call(
                "POST",
                owner_side(201),
                data=lambda w: {"job": w.job.pk, "contact": w.other_contact.pk},
            ),
        )
    ),
    "api-candidacy-detail": Row(kwargs=candidacy, calls=(Call("GET", everyone(200)),)),
    "api-candidacy-close": Row(
        kwargs=candidacy,
        calls=(Call("POST", owner_side(200, 404), data=lambda w: {"outcome": "not_a_fit"}),),
    ),
    "api-candidacy-history": Row(kwargs=candidacy, calls=(Call("GET", everyone(200)),)),
    "api-candidacy-move": Row(
        kwargs=candidacy,
        calls=(Call("POST", owner_side(200, 404), data=lambda w: {"stage": "screening"}),),
    ),
    "api-feedback-list": Row(
        calls=(
            Call("GET", everyone(200)),
            Call(
                "POST",
                owner_side(201),
                data=lambda w: {
                    "candidacy": w.candidacy.pk,
                    "interviewer": w.interviewer.pk,
                    "recommendation": "no",
                },
            ),
        )
    ),
    "api-feedback-detail": Row(
        kwargs=lambda w: {"pk": w.feedback.pk}, calls=(Call("GET", everyone(200)),)
    ),
    "api-followup-list": Row(
        calls=(
            Call("GET", everyone(200)),
            Call(
                "POST",
                everyone(201),
                data=lambda w: {
                    "contact": w.contact.pk,
                    "summary": "Call back",
                    "due_at": TOMORROW + ":00Z",
                },
            ),
        )
    ),
    "api-followup-detail": Row(
        kwargs=followup,
        calls=(
            Call("GET", outbox(200, change=False)),
            Call("PATCH", outbox(200, change=True), data=lambda w: {"summary": "Call Ana back"}),
            Call("DELETE", outbox(204, change=True)),
        ),
    ),
    "api-followup-complete": Row(
        kwargs=followup,
        calls=(Call("POST", outbox(200, change=True), data=lambda w: {"outcome": "Spoke"}),),
    ),
    "api-followup-snooze": Row(
        kwargs=followup,
        calls=(
            Call("POST", outbox(200, change=True), data=lambda w: {"until": TOMORROW + ":00Z"}),
        ),
    ),
    "api-message-list": Row(calls=(Call("GET", everyone(200)),)),
    "api-message-detail": Row(kwargs=message, calls=(Call("GET", outbox(200, change=False)),)),
    "api-message-edit": Row(
        kwargs=message,
        calls=(
            Call(
                "POST",
                outbox(200, change=True),
                data=lambda w: {"subject": "Hello", "text": "Hi Ana"},
            ),
        ),
    ),
    "api-message-market-notes": Row(
        kwargs=message,
        calls=(
            Call("GET", outbox(200, change=False)),
            Call("POST", outbox(200, change=True), data=lambda w: {"note": w.note.pk}),
        ),
    ),
    "api-message-preview": Row(kwargs=message, calls=(Call("GET", outbox(200, change=False)),)),
    "api-message-send-now": Row(kwargs=message, calls=(Call("POST", outbox(200, change=True)),)),
    "api-message-skip": Row(
        kwargs=message,
        calls=(Call("POST", outbox(200, change=True), data=lambda w: {"reason": "Spoke instead"}),),
    ),
    "api-job-policy-detail": Row(
        kwargs=lambda w: {"job_id": str(w.job.pk)},
        calls=(
            Call("GET", everyone(200)),
            Call("PUT", owner_side(200), data=lambda w: {"update_cadence_days": 5}),
        ),
    ),
    "api-inbound-reply-list": Row(calls=(Call("GET", everyone(200)),)),
    "api-inbound-reply-detail": Row(kwargs=reply, calls=(Call("GET", everyone(200)),)),
    "api-inbound-reply-assign": Row(
        kwargs=reply,
        calls=(Call("POST", everyone(200), data=lambda w: {"contact": w.contact.pk}),),
    ),
    "api-reply-owed-list": Row(calls=(Call("GET", everyone(200)),)),
    "api-one-off-email-list": Row(
        calls=(
            Call(
                "POST",
                everyone(201),
                data=lambda w: {"contact": w.contact.pk, "subject": "Hello", "text": "Hi Ana"},
            ),
        )
    ),
    "api-rating-list": Row(calls=(Call("GET", everyone(200)),)),
    "api-market-note-use-list": Row(calls=(Call("GET", everyone(200)),)),
}

# Named URLs that show or change none of a contact, a fact, a job, a candidacy or a message,
# or that have an authentication of their own: URL name -> why, in a word.
OUT_OF_SCOPE: dict[str, str] = {
    "healthz": "public",
    "favicon": "static",
    "status": "operations",
    "status-ping": "operations",
    "dev-mailbox": "development",
    "dev-mailbox-reply": "development",
    "login": "authentication",
    "logout": "authentication",
    "account-tokens": "tokens",
    "account-token-revoke": "tokens",
    "contacts:organization-new": "organization",
    "market:note-list": "market",
    "market:note-new": "market",
    "market:note-detail": "market",
    "market:note-edit": "market",
    "market:note-confirm": "market",
    "market:note-retire": "market",
    "followups:template-list": "templates",
    "followups:template-preview": "templates",
    "followups:template-edit": "templates",
    "followups:policy": "policy",
    "followups:unsubscribe": "token",
    "followups:rate": "token",
    "followups:consent": "token",
    "dashboards:index": "figures",
    "dashboards:export": "figures",
    "dashboards:trends": "figures",
    "dashboards:digest-settings": "figures",
    "dashboards:figure": "figures",
    "dashboards:figure-export": "figures",
    "api-root": "index",
    "api-organization-list": "organization",
    "api-organization-detail": "organization",
    "api-market-note-list": "market",
    "api-market-note-suggestions": "market",
    "api-market-note-detail": "market",
    "api-market-note-confirm": "market",
    "api-policy-list": "policy",
    "api-policy-change": "policy",
    "api-dashboard-overview": "figures",
    "api-dashboard-trends": "figures",
    "api-dashboard-figure": "figures",
    "api-schema": "docs",
    "api-docs": "docs",
}

# Whole namespaces out of scope: URL namespace -> why.
OUT_OF_SCOPE_NAMESPACES: dict[str, str] = {
    # Staff only, with Django's own permissions (tests/accounts/test_admin_site.py).
    "admin": "django-admin",
    "webhooks": "esp-signed",  # the ESP's basic auth (tests/followups)
}
