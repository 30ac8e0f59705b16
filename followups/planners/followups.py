"""Planners that write follow-ups for recruiters: relationship cadence and chasing the client.
("Call instead" follow-ups are planned by followups.services.call_instead_plan.)"""

from datetime import datetime

from django.utils import timezone

from followups.models import Policy
from followups.planners.sql import execute_chunked
from relationships.models import Relationship

RELATIONSHIP_TABLE = Relationship._meta.db_table

# A relationship whose next touch is past due, and no open follow-up with that contact: a call
# on the owner's list, at most the daily budget a recruiter a day (the policy's
# daily_touch_budget), highest tier and most overdue first. What does not fit stays overdue on
# the contact list ("relationship debt") and comes up on a later day. Owners run in chunks; an
# owner whose budget for the day is spent costs nothing on the minutely runs after.
CADENCE_SQL = f"""
WITH budget AS (
    SELECT u.id AS owner_id, %(budget)s - COALESCE(spent.n, 0) AS remaining
    FROM accounts_user u
    LEFT JOIN LATERAL (
        SELECT count(*) AS n FROM followups_followup f
        WHERE f.owner_id = u.id AND f.reason = 'relationship_cadence'
          AND f.created_at >= %(day_start)s
    ) spent ON true
    WHERE u.id >= %(lo)s AND u.id < %(hi)s
)
INSERT INTO followups_followup (
    created_at, updated_at, owner_id, contact_id, job_id, candidacy_id, message_id, kind,
    reason, summary, due_at, snooze_count, completed_at, outcome, idempotency_key)
SELECT %(now)s, %(now)s, due.owner_id, due.contact_id, NULL, NULL, NULL, 'call',
    'relationship_cadence', due.summary, due.next_touch_due, 0, NULL, '',
    'cadence:' || due.id || ':' || to_char(due.next_touch_due, 'YYYY-MM-DD')
FROM budget b
CROSS JOIN LATERAL (
    SELECT r.id, r.owner_id, r.contact_id, r.next_touch_due,
        left('Keep in touch with ' || trim(ct.first_name || ' ' || ct.last_name), 300) AS summary
    FROM {RELATIONSHIP_TABLE} r
    JOIN contacts_contact ct ON ct.id = r.contact_id
    WHERE r.owner_id = b.owner_id
      AND r.next_touch_due <= %(now)s
      AND NOT ct.do_not_contact
      AND NOT EXISTS (
          SELECT 1 FROM followups_followup f
          WHERE f.contact_id = r.contact_id AND f.completed_at IS NULL)
    ORDER BY r.tier, r.next_touch_due, r.id
    LIMIT b.remaining
) due
WHERE b.remaining > 0
ON CONFLICT DO NOTHING
"""  # noqa: S608 - the table name is the model's, every value a parameter


def cadence_followups_plan(*, now: datetime, policy: Policy) -> int:
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return execute_chunked(
        CADENCE_SQL,
        {"now": now, "budget": policy.daily_touch_budget, "day_start": day_start},
        table="accounts_user",
    )


# A candidacy waiting for the client's decision longer than the threshold: the job's owner
# chases the hiring manager (or, without one, calls the candidate), once per stage entered.
# The candidacies whose chase is not planned yet are found first, on their own (OFFSET 0): a
# minutely run then reads no contact or organization for the thousands already chased, instead
# of building each one's call to have the insert drop it as a conflict.
CHASE_SQL = """
INSERT INTO followups_followup (
    created_at, updated_at, owner_id, contact_id, job_id, candidacy_id, message_id, kind,
    reason, summary, due_at, snooze_count, completed_at, outcome, idempotency_key)
SELECT %(now)s, %(now)s, j.owner_id, COALESCE(j.hiring_manager_id, c.contact_id), j.id, c.id,
    NULL, 'call', 'chase_client',
    left('Chase ' || o.name || ' for a decision on ' || trim(ct.first_name || ' '
        || ct.last_name) || ' (' || j.title || ')', 300),
    %(now)s, 0, NULL, '', c.key
FROM (
    SELECT c.id, c.job_id, c.contact_id, k.key
    FROM jobs_candidacy c
    LEFT JOIN followups_jobpolicy jp ON jp.job_id = c.job_id
    CROSS JOIN LATERAL (
        SELECT 'chase:' || c.id || ':' || c.stage || ':'
               || to_char(c.stage_entered_at, 'YYYY-MM-DD') AS key
    ) k
    WHERE c.id >= %(lo)s AND c.id < %(hi)s
      AND c.decided_at IS NULL
      AND c.stage IN ('submitted', 'client_interview')
      AND c.stage_entered_at <= %(now)s
          - make_interval(days => COALESCE(jp.chase_client_days, %(days)s))
      AND NOT EXISTS (SELECT 1 FROM followups_followup f WHERE f.idempotency_key = k.key)
    OFFSET 0
) c
JOIN jobs_job j ON j.id = c.job_id
JOIN contacts_organization o ON o.id = j.organization_id
JOIN contacts_contact ct ON ct.id = c.contact_id
ON CONFLICT (idempotency_key) DO NOTHING
"""


def chase_followups_plan(*, now: datetime, policy: Policy) -> int:
    return execute_chunked(
        CHASE_SQL, {"now": now, "days": policy.chase_client_days}, table="jobs_candidacy"
    )
