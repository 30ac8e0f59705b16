"""Service levels (docs/architecture.md, "Service levels"): every obligation is a timer, and a
timer has a state.

A timer starts at `started_at`, has a `target` (an interval from the policy or the job's
override) and is met at `met_at` (null while open). Its due time and its state are computed in
exactly one place, two PostgreSQL functions created by migration followups 0002 (calendar time
today; a business-hours calendar would replace these two bodies and nothing else):

    followups_timer_due(started_at, target)                          -> due_at
    followups_timer_state(due_at, target, met_at, at, warning_share) -> on_track | due_soon |
                                                                         breached | met | met_late

`TimerDue` and `TimerStateAt` call them from the ORM; `timers_sql` is the set-based SELECT of
the timers of the five obligations, read from the live tables:

- status_update: starts at an open candidacy's last candidate-facing touch (or its creation);
  target the update cadence (the job's override, else the policy); met by the next
  candidate-facing touch (a status update or closure notice sent, a call, email or meeting).
- closure: starts at a candidacy's decision; target the closure deadline; met by its closure
  notice sent (and not bounced or complained), or by the call made instead.
- client_digest: starts at an open job's last digest sent (or its opening; a job split from
  another, its creation); target the digest cadence; met by the next digest sent.
- relationship_touch: starts at the relationship's last touch (or its start); target its cadence
  (the tier's); met by the next touch on the timeline.
- client_decision: starts when a candidacy enters a stage that waits on the client (submitted,
  client interview); target the chase-client days; met by its next stage move (the decision).

Timers are keyed on what they are about (a candidacy, a job, a relationship) and on their start,
never on who owns them: a handoff changes the owner a timer is counted for and nothing else, so
it moves with its remaining time.

A timer whose subject ends before it is due (a candidacy decided, a job closed) is void; one that
ends after its due time, unmet, stays breached. Candidates and clients marked "do not contact"
are owed nothing, as the planners plan nothing for them.
"""

# ruff: noqa: S608 - the SQL is composed from this module's constants; every value is a parameter.

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, models
from django.db.models import DateTimeField, Func

from followups.models import Policy
from relationships.models import Relationship

RELATIONSHIP_TABLE = Relationship._meta.db_table

WARNING_SHARE = 0.25


class TimerKind(models.TextChoices):
    STATUS_UPDATE = "status_update", "Status update"
    CLOSURE = "closure", "Closure notice"
    CLIENT_DIGEST = "client_digest", "Client digest"
    RELATIONSHIP_TOUCH = "relationship_touch", "Relationship touch"
    CLIENT_DECISION = "client_decision", "Client decision"


class TimerState(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    DUE_SOON = "due_soon", "Due soon"
    BREACHED = "breached", "Breached"
    MET = "met", "Met"
    MET_LATE = "met_late", "Met late"


OPEN_STATES = frozenset({TimerState.ON_TRACK, TimerState.DUE_SOON, TimerState.BREACHED})
# A timer is settled once it is met, or breached: what "promises kept" counts.
SETTLED_STATES = frozenset({TimerState.MET, TimerState.MET_LATE, TimerState.BREACHED})
# Stages in which a candidacy waits on the client's decision (jobs' awaiting_client()).
AWAITING_CLIENT_STAGES = ("submitted", "client_interview")


class TimerDue(Func):
    """`followups_timer_due(started_at, target)`: when a timer is due."""

    function = "followups_timer_due"
    output_field = DateTimeField()

    def __init__(self, started_at, target, **extra):
        super().__init__(started_at, target, **extra)


class TimerStateAt(Func):
    """`followups_timer_state(due_at, target, met_at, at, warning_share)`: a TimerState value."""

    function = "followups_timer_state"
    output_field = models.CharField()

    def __init__(self, due_at, target, met_at, at, warning_share=WARNING_SHARE, **extra):
        super().__init__(due_at, target, met_at, at, models.Value(float(warning_share)), **extra)


# --- which timers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimerWindow:
    """Which timers to read: those open now, or those due, started or met in [start, end)."""

    mode: str  # "open", "due", "started", "met"
    start: datetime | None = None
    end: datetime | None = None
    # Open timers only: just those that need attention (breached or due soon), pruned before
    # anything is computed for the others (a team's relationships are mostly on track).
    attention: bool = False

    @classmethod
    def open(cls, *, attention: bool = False) -> "TimerWindow":
        return cls("open", attention=attention)

    @classmethod
    def due(cls, start: datetime, end: datetime) -> "TimerWindow":
        return cls("due", start, end)

    @classmethod
    def started(cls, start: datetime, end: datetime) -> "TimerWindow":
        return cls("started", start, end)

    @classmethod
    def met(cls, start: datetime, end: datetime) -> "TimerWindow":
        return cls("met", start, end)


# Every timer row has these columns (then due_at and state, computed once in timers_sql).
TIMER_COLUMNS = (
    "key",
    "kind",
    "owner_id",
    "contact_id",
    "job_id",
    "candidacy_id",
    "relationship_id",
    "organization_id",
    "stage",
    "started_at",
    "target",
    "met_at",
)

# A timer's key: what it is about and when it started (and ended), never whose it is.
_KEY = (
    "'{kind}:' || {subject} || ':' || (extract(epoch FROM {started}) * 1000000)::bigint"
    " || ':' || COALESCE((extract(epoch FROM {met}::timestamptz) * 1000000)::bigint::text, '')"
)

# Touches that meet a candidacy's status-update timer: obligation messages sent about it, and
# completed calls, emails and meetings about it that were not chasing the client (the same
# writes that move `last_candidate_touch_at`).
_CANDIDATE_TOUCHES = """
    SELECT m.candidacy_id, m.sent_at AS at FROM followups_message m
    WHERE m.candidacy_id IS NOT NULL AND m.kind IN ('status_update', 'closure')
      AND m.sent_at IS NOT NULL
    UNION ALL
    SELECT f.candidacy_id, f.completed_at FROM followups_followup f
    WHERE f.candidacy_id IS NOT NULL AND f.completed_at IS NOT NULL
      AND f.kind IN ('call', 'email', 'meeting') AND f.reason <> 'chase_client'
"""

_CANDIDACY_FROM = """
    FROM jobs_candidacy c
    JOIN jobs_job j ON j.id = c.job_id
    JOIN contacts_contact ct ON ct.id = c.contact_id AND NOT ct.do_not_contact
    LEFT JOIN followups_jobpolicy jp ON jp.job_id = c.job_id
    LEFT JOIN followups_policy pol ON pol.id = 1
"""


def _select(kind: str, subject: str, *, owner: str, contact: str, job: str, candidacy: str,
            relationship: str, organization: str, stage: str, started: str, target: str,
            met: str) -> str:  # fmt: skip
    key = _KEY.format(kind=kind, subject=subject, started=started, met=met)
    return (
        f"SELECT {key} AS key, '{kind}'::text AS kind, {owner} AS owner_id, "
        f"{contact} AS contact_id, {job} AS job_id, {candidacy} AS candidacy_id, "
        f"{relationship} AS relationship_id, {organization} AS organization_id, "
        f"{stage}::text AS stage, {started} AS started_at, {target} AS target, "
        f"{met}::timestamptz AS met_at"
    )


def _owner_filter(column: str, owner_ids: Sequence[int] | None) -> str:
    return "" if owner_ids is None else f" AND {column} = ANY(%(sl_owners)s)"


def _open_or_due(window: TimerWindow, timers: str) -> None:
    """Timers that are only read open (as they stand) or settled by their due time."""
    if window.mode not in ("open", "due"):
        raise ValueError(f"{timers} timers are read open or by due time, not {window.mode}")


def _settled(kind: str, subject: str, columns: dict[str, str], source: str) -> str:
    """The timers that touches met, one a row of `source`: it selects the timer's columns
    (`columns`, aliased by their names), its `target`, the touch's time `at` and the time `prev`
    that started the timer (the previous touch, or the start of what is followed)."""
    inner = ", ".join(f"{expr} AS {name}" for name, expr in columns.items())
    return (
        _select(
            kind,
            f"x.{subject}",
            **{name: f"x.{name}" for name in columns},
            started="x.prev",
            target="x.target",
            met="x.at",
        )
        + f" FROM (SELECT {inner}, {source}) x"
    )


def _lower(window: TimerWindow, target: str, started: str) -> str:
    """A condition on `started` that keeps every timer the window can hold (a pruning of rows
    for speed; the window's exact condition is applied once, on the union). A day of slack
    covers calendar arithmetic around daylight-saving changes."""
    if window.mode == "due":
        return f" AND {started} >= %(sl_start)s - {target} - interval '1 day'"
    if window.mode == "started":
        return f" AND {started} >= %(sl_start)s AND {started} < %(sl_end)s"
    if window.mode == "open" and window.attention:
        return (
            f" AND followups_timer_due({started}, {target}) <= %(sl_now)s + {target} * %(sl_share)s"
        )
    return ""


# --- status updates ------------------------------------------------------------------------------

_UPDATE_TARGET = (
    "make_interval(days => COALESCE(jp.update_cadence_days, pol.update_cadence_days,"
    " %(sl_update_days)s))"
)


def _status_updates(window: TimerWindow, owners: Sequence[int] | None) -> list[str]:
    columns = {
        "owner": "j.owner_id",
        "contact": "c.contact_id",
        "job": "c.job_id",
        "candidacy": "c.id",
        "relationship": "NULL::bigint",
        "organization": "j.organization_id",
        "stage": "c.stage",
    }
    owner = _owner_filter("j.owner_id", owners)
    target = _UPDATE_TARGET
    started = "COALESCE(c.last_candidate_touch_at, c.created_at)"
    current = (
        _select("status_update", "c.id", **columns, started=started, target=target, met="NULL")
        + f" {_CANDIDACY_FROM} WHERE c.decided_at IS NULL{owner}{_lower(window, target, started)}"
    )
    _open_or_due(window, "status-update")
    if window.mode == "open":
        return [current]
    # Settled timers: each touch meets the timer its previous touch (or the creation) started.
    # Touches earlier than the window's reach are left out: the first touch kept then counts
    # from the creation, which is earlier still, so its timer falls outside the window too.
    history = _settled(
        "status_update",
        "candidacy",
        columns,
        f"""{target} AS target, tt.at,
            COALESCE(lag(tt.at) OVER (PARTITION BY c.id ORDER BY tt.at), c.created_at) AS prev
        {_CANDIDACY_FROM}
        JOIN ({_CANDIDATE_TOUCHES}) tt ON tt.candidacy_id = c.id
        WHERE tt.at <= COALESCE(c.decided_at, 'infinity'::timestamptz)
          AND tt.at >= %(sl_start)s - {target} - interval '1 day'{owner}""",
    )
    # A candidacy decided after its timer was due, without a touch in between: breached.
    ended = (
        _select("status_update", "c.id", **columns, started="lt.prev", target=target, met="NULL")
        + f""" {_CANDIDACY_FROM}
        CROSS JOIN LATERAL (
            SELECT COALESCE(max(tt.at), c.created_at) AS prev
            FROM ({_CANDIDATE_TOUCHES}) tt
            WHERE tt.candidacy_id = c.id AND tt.at <= c.decided_at
        ) lt
        WHERE c.decided_at IS NOT NULL AND c.decided_at >= %(sl_start)s{owner}
          AND c.decided_at > followups_timer_due(lt.prev, {target})"""
    )
    return [current, history, ended]


# --- closure notices -----------------------------------------------------------------------------


def _closures(window: TimerWindow, owners: Sequence[int] | None) -> list[str]:
    target = "make_interval(hours => COALESCE(pol.closure_deadline_hours, %(sl_closure_hours)s))"
    started = "c.decided_at"
    # The notice sent and not bounced back, or, when it could not be delivered, the call made
    # instead: the earliest of them meets the timer.
    # (A lateral join, not a scalar subquery: the state function would run that once for
    # every time it names met_at.)
    notice = """
    LEFT JOIN LATERAL (
        SELECT min(x.at) AS at FROM (
            SELECT m.sent_at AS at FROM followups_message m
            WHERE m.candidacy_id = c.id AND m.kind = 'closure'
              AND m.status IN ('sent', 'delivered') AND m.sent_at IS NOT NULL
            UNION ALL
            SELECT f.completed_at FROM followups_message m
            JOIN followups_followup f ON f.message_id = m.id
            WHERE m.candidacy_id = c.id AND m.kind = 'closure' AND f.reason = 'call_instead'
              AND f.completed_at IS NOT NULL
        ) x
    ) notice ON true"""
    met = "notice.at"
    select = _select(
        "closure",
        "c.id",
        owner="j.owner_id",
        contact="c.contact_id",
        job="c.job_id",
        candidacy="c.id",
        relationship="NULL::bigint",
        organization="j.organization_id",
        stage="c.stage",
        started=started,
        target=target,
        met=met,
    )
    where = f"c.decided_at IS NOT NULL{_owner_filter('j.owner_id', owners)}"
    where += _lower(window, target, started)
    if window.mode == "met":
        where += " AND c.decided_at < %(sl_end)s"
    return [f"{select} {_CANDIDACY_FROM} {notice} WHERE {where}"]


# --- client digests ------------------------------------------------------------------------------

_DIGEST_TARGET = (
    "make_interval(days => COALESCE(jp.digest_cadence_days, pol.digest_cadence_days,"
    " %(sl_digest_days)s))"
)
_JOB_FROM = """
    FROM jobs_job j
    JOIN contacts_contact hm ON hm.id = j.hiring_manager_id
        AND NOT hm.do_not_contact AND NOT hm.email_opt_out
    LEFT JOIN followups_jobpolicy jp ON jp.job_id = j.id
    LEFT JOIN followups_policy pol ON pol.id = 1
"""
# A job's digests are owed from its opening; a job split from another inherits the parent's
# opening (jobs.services.SIBLING_FIELDS) but is owed nothing before it existed.
_JOB_START = "GREATEST(j.opened_at, j.created_at)"
_DIGESTS_SENT = """
    SELECT m.job_id, m.sent_at AS at FROM followups_message m
    WHERE m.kind = 'client_digest' AND m.job_id IS NOT NULL AND m.sent_at IS NOT NULL
"""


def _digests(window: TimerWindow, owners: Sequence[int] | None) -> list[str]:
    columns = {
        "owner": "j.owner_id",
        "contact": "j.hiring_manager_id",
        "job": "j.id",
        "candidacy": "NULL::bigint",
        "relationship": "NULL::bigint",
        "organization": "j.organization_id",
        "stage": "NULL",
    }
    owner = _owner_filter("j.owner_id", owners)
    target = _DIGEST_TARGET
    started = f"COALESCE(ld.at, {_JOB_START})"
    current = (
        _select("client_digest", "j.id", **columns, started=started, target=target, met="NULL")
        + f""" {_JOB_FROM}
        LEFT JOIN LATERAL (
            SELECT max(d.at) AS at FROM ({_DIGESTS_SENT}) d WHERE d.job_id = j.id
        ) ld ON true
        WHERE j.status = 'open' AND j.opened_at IS NOT NULL{owner}"""
    )
    _open_or_due(window, "digest")
    if window.mode == "open":
        return [current]
    history = _settled(
        "client_digest",
        "job",
        columns,
        f"""{target} AS target, d.at,
            COALESCE(lag(d.at) OVER (PARTITION BY j.id ORDER BY d.at), {_JOB_START}) AS prev
        {_JOB_FROM}
        JOIN ({_DIGESTS_SENT}) d ON d.job_id = j.id
        WHERE j.opened_at IS NOT NULL
          AND d.at >= %(sl_start)s - {target} - interval '1 day'{owner}""",
    )
    ended = (
        _select("client_digest", "j.id", **columns, started="ld.at", target=target, met="NULL")
        + f""" {_JOB_FROM}
        CROSS JOIN LATERAL (
            SELECT COALESCE(max(d.at), {_JOB_START}) AS at FROM ({_DIGESTS_SENT}) d
            WHERE d.job_id = j.id AND d.at <= j.closed_at
        ) ld
        WHERE j.status <> 'open' AND j.opened_at IS NOT NULL AND j.closed_at IS NOT NULL
          AND j.closed_at >= %(sl_start)s{owner}
          AND j.closed_at > followups_timer_due(ld.at, {target})"""
    )
    return [current, history, ended]


# --- relationship touches ------------------------------------------------------------------------

_TOUCH_KINDS = "('call', 'email', 'meeting', 'message')"


def _relationship_touches(window: TimerWindow, owners: Sequence[int] | None) -> list[str]:
    columns = {
        "owner": "r.owner_id",
        "contact": "r.contact_id",
        "job": "NULL::bigint",
        "candidacy": "NULL::bigint",
        "relationship": "r.id",
        "organization": "ct.organization_id",
        "stage": "NULL",
    }
    owner = _owner_filter("r.owner_id", owners)
    target = "make_interval(days => r.cadence_days)"
    started = "COALESCE(r.last_touch_at, r.created_at)"
    source = f"""
        FROM {RELATIONSHIP_TABLE} r
        JOIN contacts_contact ct ON ct.id = r.contact_id AND NOT ct.do_not_contact
    """
    current = (
        _select(
            "relationship_touch", "r.id", **columns, started=started, target=target, met="NULL"
        )  # fmt: skip
        + f" {source} WHERE true{owner}{_lower(window, target, started)}"
    )
    _open_or_due(window, "touch")
    if window.mode == "open":
        return [current]
    # Settled timers: each start (the relationship's creation, or a touch) whose due time falls
    # in the window, met by the next touch. Only the starts in a window as long as the period
    # are read, each with one index probe for its next touch.
    touch = f"i.contact_id = r.contact_id AND i.kind IN {_TOUCH_KINDS}"
    starts = f"""
        SELECT r.id AS relationship, r.created_at AS at, 0::bigint AS touch_id
        {source}
        WHERE r.created_at >= %(sl_start)s - {target} - interval '1 day'
          AND r.created_at < %(sl_end)s - {target} + interval '1 day'{owner}
        UNION ALL
        SELECT r.id, i.occurred_at, i.id
        {source}
        JOIN relationships_interaction i ON {touch}
        WHERE i.occurred_at >= r.created_at
          AND i.occurred_at >= %(sl_start)s - {target} - interval '1 day'
          AND i.occurred_at < %(sl_end)s - {target} + interval '1 day'{owner}"""
    met_columns = {**columns, "relationship": "r.id"}
    history = (
        _select(
            "relationship_touch",
            "r.id",
            **met_columns,
            started="st.at",
            target=target,
            met="nx.at",
        )
        + f""" FROM ({starts}) st
        JOIN {RELATIONSHIP_TABLE} r ON r.id = st.relationship
        JOIN contacts_contact ct ON ct.id = r.contact_id
        CROSS JOIN LATERAL (
            SELECT i.occurred_at AS at FROM relationships_interaction i
            WHERE {touch} AND i.occurred_at <= %(sl_now)s
              AND (i.occurred_at, i.id) > (st.at, st.touch_id)
              AND i.occurred_at >= r.created_at
            ORDER BY i.occurred_at, i.id LIMIT 1
        ) nx"""
    )
    return [current, history]


# --- client decisions ----------------------------------------------------------------------------

_CHASE_TARGET = (
    "make_interval(days => COALESCE(jp.chase_client_days, pol.chase_client_days,"
    " %(sl_chase_days)s))"
)
_AWAITING = "('submitted', 'client_interview')"


def _client_decisions(window: TimerWindow, owners: Sequence[int] | None) -> list[str]:
    columns = {
        "owner": "j.owner_id",
        "contact": "c.contact_id",
        "job": "c.job_id",
        "candidacy": "c.id",
        "relationship": "NULL::bigint",
        "organization": "j.organization_id",
    }
    owner = _owner_filter("j.owner_id", owners)
    target = _CHASE_TARGET
    current = (
        _select(
            "client_decision",
            "c.id",
            **columns,
            stage="c.stage",
            started="c.stage_entered_at",
            target=target,
            met="NULL",
        )
        + f""" {_CANDIDACY_FROM}
        WHERE c.decided_at IS NULL AND c.stage IN {_AWAITING}{owner}"""
        + _lower(window, target, "c.stage_entered_at")
    )
    if window.mode == "open":
        return [current]
    # Settled waits: a stage change into a waiting stage, met by the candidacy's next change.
    # A split copies a candidacy's history onto its copy; a copied wait counts only when the
    # decision came on the copy itself, so nothing counts twice.
    entered = (
        "sc.to_stage IN " + _AWAITING + " AND sc.outcome = ''"
        " AND sc.from_stage IS DISTINCT FROM sc.to_stage"
    )
    where = f"{entered}{owner}"
    if window.mode == "due":
        where += f" AND sc.at >= %(sl_start)s - {target} - interval '1 day' AND sc.at < %(sl_end)s"
    elif window.mode == "started":
        where += " AND sc.at >= %(sl_start)s AND sc.at < %(sl_end)s"
    elif window.mode == "met":
        where += " AND sc.at < %(sl_end)s AND nx.at >= %(sl_start)s AND nx.at < %(sl_end)s"
    settled = (
        _select(
            "client_decision",
            "c.id",
            **columns,
            stage="sc.to_stage",
            started="sc.at",
            target=target,
            met="nx.at",
        )
        + f""" FROM jobs_stagechange sc
        JOIN jobs_candidacy c ON c.id = sc.candidacy_id
        JOIN jobs_job j ON j.id = c.job_id
        JOIN contacts_contact ct ON ct.id = c.contact_id AND NOT ct.do_not_contact
        LEFT JOIN followups_jobpolicy jp ON jp.job_id = c.job_id
        LEFT JOIN followups_policy pol ON pol.id = 1
        CROSS JOIN LATERAL (
            SELECT n.at, n.is_copy FROM jobs_stagechange n
            WHERE n.candidacy_id = sc.candidacy_id AND (n.at, n.id) > (sc.at, sc.id)
            ORDER BY n.at, n.id LIMIT 1
        ) nx
        WHERE {where} AND (NOT sc.is_copy OR NOT nx.is_copy)"""
    )
    if window.mode == "met":
        return [settled]
    return [current, settled]


_KINDS = {
    TimerKind.STATUS_UPDATE: _status_updates,
    TimerKind.CLOSURE: _closures,
    TimerKind.CLIENT_DIGEST: _digests,
    TimerKind.RELATIONSHIP_TOUCH: _relationship_touches,
    TimerKind.CLIENT_DECISION: _client_decisions,
}


def timer_params(*, now: datetime, window: TimerWindow, owner_ids: Sequence[int] | None) -> dict:
    """The parameters `timers_sql` refers to (all named `sl_*`)."""

    def default(name: str) -> int:
        return Policy._meta.get_field(name).default

    params = {
        "sl_now": now,
        "sl_share": WARNING_SHARE,
        "sl_update_days": default("update_cadence_days"),
        "sl_closure_hours": default("closure_deadline_hours"),
        "sl_digest_days": default("digest_cadence_days"),
        "sl_chase_days": default("chase_client_days"),
    }
    if window.start is not None:
        params.update(sl_start=window.start, sl_end=window.end)
    if owner_ids is not None:
        params["sl_owners"] = list(owner_ids)
    return params


def timers_sql(
    *,
    window: TimerWindow,
    kinds: Iterable[str] = tuple(TimerKind.values),
    owner_ids: Sequence[int] | None = None,
) -> str:
    """A SELECT of the timers in `window` (of `kinds`, owned by `owner_ids`, or everyone's when
    None): TIMER_COLUMNS, then `due_at`, `state` (a TimerState at %(sl_now)s), `time_left`
    (due_at - now, negative once breached) and `late_by` (met_at - due_at when met late).
    Parameters: `timer_params(...)` with the same window and owners."""
    parts = [sql for kind in kinds for sql in _KINDS[TimerKind(kind)](window, owner_ids)]
    union = "\nUNION ALL\n".join(f"({part})" for part in parts)
    condition = {
        "open": "t.met_at IS NULL"
        # breached or due soon: at most the warning share of the target left
        + (" AND t.due_at - %(sl_now)s <= t.target * %(sl_share)s" if window.attention else ""),
        "due": "t.due_at >= %(sl_start)s AND t.due_at < %(sl_end)s",
        "started": "t.started_at >= %(sl_start)s AND t.started_at < %(sl_end)s",
        "met": "t.met_at >= %(sl_start)s AND t.met_at < %(sl_end)s",
    }[window.mode]
    return f"""
    SELECT t.*,
        followups_timer_state(t.due_at, t.target, t.met_at, %(sl_now)s, %(sl_share)s) AS state,
        t.due_at - %(sl_now)s AS time_left,
        CASE WHEN t.met_at > t.due_at THEN t.met_at - t.due_at END AS late_by
    FROM (
        SELECT u.*, followups_timer_due(u.started_at, u.target) AS due_at
        FROM ({union}) u
    ) t
    WHERE {condition}"""


def timer_list(
    *,
    now: datetime,
    window: TimerWindow,
    kinds: Iterable[str] = tuple(TimerKind.values),
    owner_ids: Sequence[int] | None = None,
) -> list[dict]:
    """The timers as dicts, earliest due first: one query (for a small set, or a test; pages
    aggregate `timers_sql` in SQL instead)."""
    sql = timers_sql(window=window, kinds=kinds, owner_ids=owner_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"{sql} ORDER BY due_at, key",
            timer_params(now=now, window=window, owner_ids=owner_ids),
        )
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def timer_state(
    *, due_at: datetime, target: timedelta, met_at: datetime | None, at: datetime,
    warning_share: float = WARNING_SHARE,
) -> TimerState:  # fmt: skip
    """The Python twin of `followups_timer_state`, for one timer already in memory (a test
    holds the two to the same answers)."""
    if met_at is not None:
        return TimerState.MET if met_at <= due_at else TimerState.MET_LATE
    if at > due_at:
        return TimerState.BREACHED
    if due_at - at <= target * warning_share:
        return TimerState.DUE_SOON
    return TimerState.ON_TRACK


# --- business hours ------------------------------------------------------------------------------
# A reply owed is due a number of business hours after it arrived: the clock runs on weekdays
# (Monday to Friday, in the site's time zone) and stands still over the weekend.


def _is_weekend(moment: datetime) -> bool:
    return moment.weekday() >= 5


def business_hours_after(start: datetime, hours: float) -> datetime:
    """`start` plus `hours` counted on weekdays only: a reply at Friday 17:00 owed within 24
    business hours is due Monday 17:00; one at Saturday noon is due Tuesday 00:00."""
    from django.utils import timezone

    local = timezone.localtime(start)
    while _is_weekend(local):
        local = _next_day(local)
    remaining = timedelta(hours=hours)
    while True:
        day_end = _next_day(local)
        available = day_end - local
        if remaining <= available:
            return local + remaining
        remaining -= available
        local = day_end
        while _is_weekend(local):
            local = _next_day(local)


def _next_day(moment: datetime) -> datetime:
    """Midnight after `moment` in its time zone (DST-safe: built from the next calendar date)."""
    from django.utils import timezone

    tomorrow = (moment + timedelta(days=1)).date()
    naive = datetime(tomorrow.year, tomorrow.month, tomorrow.day)  # noqa: DTZ001 - made aware next
    return timezone.make_aware(naive, timezone.get_current_timezone())
