"""Planners that write follow-ups for recruiters: relationship cadence and chasing the client.
("Call instead" follow-ups are planned by followups.services.call_instead_plan.)"""

from datetime import datetime

from followups.models import Policy
from followups.planners.sql import execute

# A relationship whose next touch is past due, and no open follow-up with that contact.
CADENCE_SQL = """
INSERT INTO followups_followup (
    created_at, updated_at, owner_id, contact_id, job_id, candidacy_id, message_id, kind,
    reason, summary, due_at, snooze_count, completed_at, outcome, idempotency_key)
SELECT %(now)s, %(now)s, r.owner_id, r.contact_id, NULL, NULL, NULL, 'call',
    'relationship_cadence',
    left('Keep in touch with ' || trim(ct.first_name || ' ' || ct.last_name), 300),
    r.next_touch_due, 0, NULL, '',
    'cadence:' || r.id || ':' || to_char(r.next_touch_due, 'YYYY-MM-DD')
FROM relationships_relationship r
JOIN contacts_contact ct ON ct.id = r.contact_id
WHERE r.next_touch_due <= %(now)s
  AND NOT ct.do_not_contact
  AND NOT EXISTS (
      SELECT 1 FROM followups_followup f
      WHERE f.contact_id = r.contact_id AND f.completed_at IS NULL)
ON CONFLICT (idempotency_key) DO NOTHING
"""


def cadence_followups_plan(*, now: datetime, policy: Policy) -> int:
    return execute(CADENCE_SQL, {"now": now})


# A candidacy waiting for the client's decision longer than the threshold: the job's owner
# chases the hiring manager (or, without one, calls the candidate), once per stage entered.
CHASE_SQL = """
INSERT INTO followups_followup (
    created_at, updated_at, owner_id, contact_id, job_id, candidacy_id, message_id, kind,
    reason, summary, due_at, snooze_count, completed_at, outcome, idempotency_key)
SELECT %(now)s, %(now)s, j.owner_id, COALESCE(j.hiring_manager_id, c.contact_id), j.id, c.id,
    NULL, 'call', 'chase_client',
    left('Chase ' || o.name || ' for a decision on ' || trim(ct.first_name || ' '
        || ct.last_name) || ' (' || j.title || ')', 300),
    %(now)s, 0, NULL, '',
    'chase:' || c.id || ':' || c.stage || ':' || to_char(c.stage_entered_at, 'YYYY-MM-DD')
FROM jobs_candidacy c
JOIN jobs_job j ON j.id = c.job_id
JOIN contacts_organization o ON o.id = j.organization_id
JOIN contacts_contact ct ON ct.id = c.contact_id
LEFT JOIN followups_jobpolicy jp ON jp.job_id = j.id
WHERE c.decided_at IS NULL
  AND c.stage IN ('submitted', 'client_interview')
  AND c.stage_entered_at <= %(now)s
      - make_interval(days => COALESCE(jp.chase_client_days, %(days)s))
ON CONFLICT (idempotency_key) DO NOTHING
"""


def chase_followups_plan(*, now: datetime, policy: Policy) -> int:
    return execute(CHASE_SQL, {"now": now, "days": policy.chase_client_days})
