"""Planners that write messages to the outbox: status updates, closure notices, the client's
notice of a closed job, and client digests."""

from datetime import datetime

from followups.models import Policy
from followups.planners.sql import execute_chunked, execute_once

# Every column of followups_message but the id, for the INSERT ... SELECT statements below.
_COLUMNS = """
    created_at, updated_at, kind, owner_id, contact_id, job_id, candidacy_id, recipient,
    subject, text, html, edited, personal_note, idempotency_key, send_after, deadline, status,
    attempts, last_error, claimed_at, sent_at, esp_message_id, skip_reason, skipped_by_id
"""


def _insert(select: str) -> str:
    return f"INSERT INTO followups_message ({_COLUMNS}) {select} ON CONFLICT DO NOTHING"


# An open candidacy without a candidate-facing touch for its cadence: one update per period.
# Periods count from the last touch (or the candidacy's start): the k-th period is due at
# base + k * cadence. The update is planned `lead` before that (Policy.status_update_lead) and
# leaves a review window later, so it is sent before the period ends and the timer is met on
# time; the key names the period's due date, so planning it early or again is a no-op.
# A skipped update does not reset the clock; the next period plans the next.
# The candidacies without a pending update are found first, on their own (OFFSET 0 keeps the
# planner from joining every open candidacy's contact before the anti-join): on a minutely run
# almost every due candidacy already has one, and the contacts are read only for the rest.
STATUS_UPDATES_SQL = _insert("""
SELECT %(now)s, %(now)s, 'status_update', j.owner_id, c.contact_id, c.job_id, c.id,
    COALESCE(ct.emails[1], ''), '', '', '', false, '',
    'status_update:' || c.id || ':' || to_char(
        c.base + c.cadence * floor(extract(epoch FROM %(now)s + %(lead)s - c.base)
                                   / extract(epoch FROM c.cadence)),
        'YYYY-MM-DD'),
    %(now)s + %(review)s, NULL, 'scheduled', 0, '', NULL, NULL, '', '', NULL
FROM (
    SELECT c.id, c.contact_id, c.job_id, p.base, p.cadence
    FROM jobs_candidacy c
    LEFT JOIN followups_jobpolicy jp ON jp.job_id = c.job_id
    CROSS JOIN LATERAL (
        SELECT COALESCE(c.last_candidate_touch_at, c.created_at) AS base,
               make_interval(days => COALESCE(jp.update_cadence_days, %(cadence)s)) AS cadence
    ) p
    WHERE c.id >= %(lo)s AND c.id < %(hi)s
      AND c.decided_at IS NULL
      AND p.base <= %(now)s + %(lead)s - p.cadence
      AND NOT EXISTS (
          SELECT 1 FROM followups_message m
          WHERE m.candidacy_id = c.id AND m.kind = 'status_update'
            AND m.status IN ('scheduled', 'queued', 'sending'))
    OFFSET 0
) c
JOIN jobs_job j ON j.id = c.job_id
JOIN contacts_contact ct ON ct.id = c.contact_id
WHERE NOT ct.do_not_contact
""")


def status_updates_plan(*, now: datetime, policy: Policy) -> int:
    return execute_chunked(
        STATUS_UPDATES_SQL,
        {
            "now": now,
            "review": policy.review_window,
            "lead": policy.status_update_lead,
            "cadence": policy.update_cadence_days,
        },
        table="jobs_candidacy",
    )


# Every closed candidacy gets one closure notice, after the undo window, before the deadline.
# One statement, not chunks: it only reads the decisions of the deadline window.
CLOSURES_SQL = _insert("""
SELECT %(now)s, %(now)s, 'closure', j.owner_id, c.contact_id, c.job_id, c.id,
    COALESCE(ct.emails[1], ''), '', '', '', false, '', 'closure:' || c.id,
    c.decided_at + %(undo)s, c.decided_at + %(deadline)s, 'scheduled', 0, '', NULL, NULL, '',
    '', NULL
FROM jobs_candidacy c
JOIN jobs_job j ON j.id = c.job_id
JOIN contacts_contact ct ON ct.id = c.contact_id
WHERE c.decided_at IS NOT NULL
  AND c.decided_at > %(now)s - %(deadline)s
  AND NOT ct.do_not_contact
""")


def closures_plan(*, now: datetime, policy: Policy) -> int:
    return execute_once(
        CLOSURES_SQL,
        {"now": now, "undo": policy.closure_undo, "deadline": policy.closure_deadline},
    )


# A job filled or cancelled: its client (the hiring manager) hears it too (the deadline window's
# closed jobs only, so one statement).
JOBS_CLOSED_SQL = _insert("""
SELECT %(now)s, %(now)s, 'job_closed', j.owner_id, j.hiring_manager_id, j.id, NULL,
    COALESCE(ct.emails[1], ''), '', '', '', false, '', 'job_closed:' || j.id,
    j.closed_at + %(undo)s, j.closed_at + %(deadline)s, 'scheduled', 0, '', NULL, NULL, '', '',
    NULL
FROM jobs_job j
JOIN contacts_contact ct ON ct.id = j.hiring_manager_id
WHERE j.status IN ('filled', 'cancelled') AND j.closed_at IS NOT NULL
  AND j.closed_at > %(now)s - %(deadline)s
  AND NOT ct.do_not_contact
""")


def jobs_closed_plan(*, now: datetime, policy: Policy) -> int:
    return execute_once(
        JOBS_CLOSED_SQL,
        {"now": now, "undo": policy.closure_undo, "deadline": policy.closure_deadline},
    )


# An open job's client gets a digest every cadence, counted from the day the job opened.
DIGESTS_SQL = _insert("""
SELECT %(now)s, %(now)s, 'client_digest', j.owner_id, j.hiring_manager_id, j.id, NULL,
    COALESCE(ct.emails[1], ''), '', '', '', false, '',
    'digest:' || j.id || ':' || to_char(
        j.opened_at + p.cadence * floor(extract(epoch FROM %(now)s - j.opened_at)
                                        / extract(epoch FROM p.cadence)),
        'YYYY-MM-DD'),
    %(now)s, NULL, 'scheduled', 0, '', NULL, NULL, '', '', NULL
FROM jobs_job j
JOIN contacts_contact ct ON ct.id = j.hiring_manager_id
LEFT JOIN followups_jobpolicy jp ON jp.job_id = j.id
CROSS JOIN LATERAL (
    SELECT make_interval(days => COALESCE(jp.digest_cadence_days, %(cadence)s)) AS cadence
) p
WHERE j.id >= %(lo)s AND j.id < %(hi)s
  AND j.status = 'open' AND j.opened_at IS NOT NULL
  AND j.opened_at <= %(now)s - p.cadence
  AND NOT ct.do_not_contact AND NOT ct.email_opt_out
""")


def digests_plan(*, now: datetime, policy: Policy) -> int:
    return execute_chunked(
        DIGESTS_SQL, {"now": now, "cadence": policy.digest_cadence_days}, table="jobs_job"
    )
