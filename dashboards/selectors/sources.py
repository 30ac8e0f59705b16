"""The row sets the figures count (sources), as SQL over the live tables and the service-level
timers (followups.servicelevels). Every source has `key` (text, unique in it), `owner_id` (whose
row it is), `contact_id`, `job_id` and `organization_id` (what the row links to, or NULL), and
its own columns. A figure is a predicate and an aggregate over one source; its drill-down lists
the same source under the same predicate, so the two agree by construction."""

# ruff: noqa: S608 - SQL composed from this module's constants; every value is a parameter.

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from dashboards.selectors.scope import Period
from followups.servicelevels import TimerKind, TimerWindow, timer_params, timers_sql
from jobs.selectors import STALL_DAYS
from relationships.models import Relationship

RELATIONSHIP_TABLE = Relationship._meta.db_table

# People untouched for this long show on the relationships card.
UNTOUCHED_DAYS = 90
CONVERSION_STAGES = ("submitted", "client_interview", "offer", "placed")
CLIENT_SIDE_ROLES = ("client", "hiring_manager", "interviewer")


@dataclass(frozen=True)
class Context:
    """What every source is read for: the moment, the period and the owners (None: everyone)."""

    now: datetime
    period: Period
    owner_ids: list[int] | None

    def params(self) -> dict:
        window = TimerWindow.due(self.period.start, self.period.end)
        params = timer_params(now=self.now, window=window, owner_ids=self.owner_ids)
        params.update(
            d_stall_days=STALL_DAYS,
            d_untouched_days=UNTOUCHED_DAYS,
            d_client_roles=list(CLIENT_SIDE_ROLES),
        )
        return params

    def owners(self, column: str) -> str:
        """The owner condition on `column` (nothing for everyone)."""
        return "" if self.owner_ids is None else f" AND {column} = ANY(%(sl_owners)s)"


# --- the timers, read once per statement (WITH ... AS MATERIALIZED) -------------------------------


def _timers(window: Callable[[Period], TimerWindow], kinds=None):
    def sql(ctx: Context) -> str:
        chosen = window(ctx.period)
        if kinds is None:
            return timers_sql(window=chosen, owner_ids=ctx.owner_ids)
        return timers_sql(window=chosen, kinds=kinds, owner_ids=ctx.owner_ids)

    return sql


def _open_timers(ctx: Context) -> str:
    """Every open timer of a candidacy or a job, and the relationships' that need attention
    (breached or due soon): a team's relationships are mostly on track, and no figure of open
    timers counts those."""
    others = [kind for kind in TimerKind.values if kind != TimerKind.RELATIONSHIP_TOUCH]
    return (
        timers_sql(window=TimerWindow.open(), kinds=others, owner_ids=ctx.owner_ids)
        + "\nUNION ALL\n"
        + timers_sql(
            window=TimerWindow.open(attention=True),
            kinds=[TimerKind.RELATIONSHIP_TOUCH],
            owner_ids=ctx.owner_ids,
        )
    )


BASES: dict[str, Callable[[Context], str]] = {
    "timers_due": _timers(lambda p: TimerWindow.due(p.start, p.end)),
    "timers_open": _open_timers,
    "closures_decided": _timers(lambda p: TimerWindow.started(p.start, p.end), ["closure"]),
    "decisions_met": _timers(lambda p: TimerWindow.met(p.start, p.end), ["client_decision"]),
}


@dataclass(frozen=True)
class Source:
    name: str
    sql: Callable[[Context], str]
    # The drill-down's order: a non-null expression over the source's columns and its SQL type,
    # then `key`; newest first when `descending`.
    order: str
    order_type: str = "timestamptz"
    descending: bool = False
    bases: tuple[str, ...] = ()


def _constant(text: str) -> Callable[[Context], str]:
    return lambda ctx: text


def _followups(ctx: Context) -> str:
    return f"""
    SELECT f.id::text AS key, f.id, f.owner_id, f.contact_id, f.job_id, f.candidacy_id,
        NULL::bigint AS organization_id, f.kind, f.reason, f.summary, f.due_at, f.created_at,
        f.completed_at, %(sl_now)s - f.due_at AS overdue_by
    FROM followups_followup f
    WHERE ((f.completed_at IS NULL AND f.due_at < %(sl_now)s)
        OR (f.reason = 'call_instead' AND f.created_at >= %(sl_start)s
            AND f.created_at < %(sl_end)s)){ctx.owners("f.owner_id")}"""


def _replies(ctx: Context) -> str:
    # The replies owed an answer that came in the period (followups.replies opens one a human
    # reply; the owner's next outbound touch meets it).
    return f"""
    SELECT f.id::text AS key, f.id, f.owner_id, f.contact_id, f.job_id, f.candidacy_id,
        NULL::bigint AS organization_id, f.summary, f.created_at, f.due_at, f.completed_at,
        (f.completed_at IS NOT NULL AND f.completed_at <= f.due_at) AS on_time,
        f.completed_at - f.created_at AS answered_in
    FROM followups_followup f
    WHERE f.reason = 'reply_owed'
      AND f.created_at >= %(sl_start)s AND f.created_at < %(sl_end)s{ctx.owners("f.owner_id")}"""


def _ratings(ctx: Context) -> str:
    # The ratings the closure notices sent in the period asked for (followups.ratings), with the
    # stage the candidacy had reached when it was decided.
    return f"""
    SELECT r.id::text AS key, r.id, m.owner_id, r.contact_id, m.job_id, m.candidacy_id,
        NULL::bigint AS organization_id, r.requested_at, r.answer, r.answered_at, r.comment,
        c.stage AS stage_reached
    FROM followups_rating r
    JOIN followups_message m ON m.id = r.message_id
    LEFT JOIN jobs_candidacy c ON c.id = m.candidacy_id
    WHERE r.requested_at >= %(sl_start)s
      AND r.requested_at < %(sl_end)s{ctx.owners("m.owner_id")}"""


def _jobs(ctx: Context) -> str:
    # The jobs app's "stalled": open for longer than STALL_DAYS without a stage move.
    return f"""
    SELECT j.id::text AS key, j.id, j.owner_id, NULL::bigint AS contact_id, j.id AS job_id,
        j.organization_id, j.status, j.opened_at, lm.at AS last_moved_at,
        COALESCE(lm.at, j.opened_at, j.created_at) AS quiet_since,
        (j.status = 'open'
            AND j.opened_at < %(sl_now)s - make_interval(days => %(d_stall_days)s)
            AND (lm.at IS NULL
                 OR lm.at < %(sl_now)s - make_interval(days => %(d_stall_days)s))) AS stalled
    FROM jobs_job j
    LEFT JOIN LATERAL (
        SELECT max(sc.at) AS at FROM jobs_stagechange sc WHERE sc.job_id = j.id
    ) lm ON true
    WHERE j.status IN ('intake', 'open', 'on_hold'){ctx.owners("j.owner_id")}"""


def _in_stage(ctx: Context) -> str:
    return f"""
    SELECT c.id::text AS key, c.id, j.owner_id, c.contact_id, c.job_id, j.organization_id,
        c.stage, c.stage_entered_at, %(sl_now)s - c.stage_entered_at AS in_stage_for
    FROM jobs_candidacy c JOIN jobs_job j ON j.id = c.job_id
    WHERE c.decided_at IS NULL{ctx.owners("j.owner_id")}"""


def _entries(ctx: Context) -> str:
    # The first time each candidacy entered each stage in the period, in the job it happened in
    # (copies a split made of a history count once, on the original).
    stages = ", ".join(f"'{stage}'" for stage in CONVERSION_STAGES)
    return f"""
    SELECT DISTINCT ON (sc.candidacy_id, sc.to_stage)
        sc.id::text AS key, sc.id, j.owner_id, c.contact_id, sc.job_id, j.organization_id,
        sc.candidacy_id, sc.to_stage AS stage, sc.at
    FROM jobs_stagechange sc
    JOIN jobs_job j ON j.id = sc.job_id
    JOIN jobs_candidacy c ON c.id = sc.candidacy_id
    WHERE NOT sc.is_copy AND sc.to_stage IN ({stages})
      AND sc.from_stage IS DISTINCT FROM sc.to_stage
      AND sc.at >= %(sl_start)s AND sc.at < %(sl_end)s{ctx.owners("j.owner_id")}
    ORDER BY sc.candidacy_id, sc.to_stage, sc.at, sc.id"""


def _messages(ctx: Context) -> str:
    # Messages to contacts: not the managers' digests (no contact).
    return f"""
    SELECT m.id::text AS key, m.id, m.owner_id, m.contact_id, m.job_id,
        NULL::bigint AS organization_id, m.kind, m.status, m.sent_at, m.recipient
    FROM followups_message m
    WHERE m.sent_at >= %(sl_start)s AND m.sent_at < %(sl_end)s
      AND m.contact_id IS NOT NULL{ctx.owners("m.owner_id")}"""


def _suppressions(ctx: Context) -> str:
    # An address is the sender's when a message of theirs was suppressed, else the owner's of
    # the (first) contact with that address.
    return f"""
    SELECT * FROM (
        SELECT s.id::text AS key, s.id, s.email, s.reason, s.created_at,
            COALESCE(m.owner_id, who.owner_id) AS owner_id,
            COALESCE(m.contact_id, who.contact_id) AS contact_id,
            NULL::bigint AS job_id, NULL::bigint AS organization_id
        FROM followups_suppression s
        LEFT JOIN followups_message m ON m.id = s.message_id
        LEFT JOIN LATERAL (
            SELECT c.id AS contact_id, r.owner_id
            FROM (
                -- OFFSET 0 keeps the planner on the emails index: with ORDER BY id LIMIT 1
                -- alone it walks the primary key through a million contacts instead.
                SELECT c.id FROM contacts_contact c
                WHERE c.emails @> ARRAY[s.email]::varchar(254)[] OFFSET 0
            ) c
            LEFT JOIN {RELATIONSHIP_TABLE} r ON r.contact_id = c.id
            ORDER BY c.id LIMIT 1
        ) who ON true
        WHERE s.created_at >= %(sl_start)s AND s.created_at < %(sl_end)s
    ) suppressed WHERE true{ctx.owners("suppressed.owner_id")}"""


def _handoffs(ctx: Context) -> str:
    # A handoff is a row for who gave it and a row for who received it.
    def side(role: str, owner: str, other: str) -> str:
        return f"""
        SELECT h.id || ':{role}' AS key, h.id, '{role}'::text AS role, h.{owner} AS owner_id,
            h.{other} AS other_id, h.scope, h.relationship_count, h.created_at,
            COALESCE(w.followups, 0) + COALESCE(w.messages, 0) + hj.candidacies
                AS promises_moved,
            hj.jobs AS jobs_moved, NULL::bigint AS contact_id, NULL::bigint AS job_id,
            NULL::bigint AS organization_id,
            COALESCE(NULLIF(trim(o.first_name || ' ' || o.last_name), ''), o.username)
                AS other_name
        FROM relationships_handoff h
        JOIN accounts_user o ON o.id = h.{other}
        LEFT JOIN followups_handedoffwork w ON w.handoff_id = h.id
        CROSS JOIN LATERAL (
            SELECT count(*) AS jobs, COALESCE(sum(x.open_candidacies), 0) AS candidacies
            FROM jobs_handedoffjob x WHERE x.handoff_id = h.id
        ) hj
        WHERE h.created_at >= %(sl_start)s AND h.created_at < %(sl_end)s
            {ctx.owners("h." + owner)}"""

    return (
        side("given", "from_recruiter_id", "to_recruiter_id")
        + "\nUNION ALL\n"
        + side("received", "to_recruiter_id", "from_recruiter_id")
    )


def _untouched(ctx: Context) -> str:
    return f"""
    SELECT r.id::text AS key, r.id, r.owner_id, r.contact_id, NULL::bigint AS job_id,
        ct.organization_id, r.tier, r.last_touch_at,
        COALESCE(r.last_touch_at, r.created_at) AS started_at
    FROM {RELATIONSHIP_TABLE} r
    JOIN contacts_contact ct ON ct.id = r.contact_id AND NOT ct.do_not_contact
    WHERE COALESCE(r.last_touch_at, r.created_at)
        < %(sl_now)s - make_interval(days => %(d_untouched_days)s){ctx.owners("r.owner_id")}"""


_RELATIONSHIPS = f"""
    SELECT t.*, r.tier, r.last_touch_at,
        ct.roles && %(d_client_roles)s::varchar(20)[] AS is_client,
        'candidate' = ANY(ct.roles) AS is_candidate
    FROM timers_open t
    JOIN {RELATIONSHIP_TABLE} r ON r.id = t.relationship_id
    JOIN contacts_contact ct ON ct.id = t.contact_id
    WHERE t.kind = 'relationship_touch'"""

SOURCES: dict[str, Source] = {
    source.name: source
    for source in [
        Source(
            "promises",
            _constant("SELECT * FROM timers_due WHERE state IN ('met', 'met_late', 'breached')"),
            order="due_at",
            bases=("timers_due",),
        ),
        Source(
            "open_timers",
            _constant("SELECT * FROM timers_open"),
            order="due_at",
            bases=("timers_open",),
        ),
        Source(
            "closures",
            _constant("SELECT * FROM closures_decided"),
            order="started_at",
            bases=("closures_decided",),
        ),
        Source(
            "decisions",
            _constant("SELECT * FROM decisions_met WHERE stage = 'submitted'"),
            order="met_at",
            bases=("decisions_met",),
        ),
        Source("relationships", _constant(_RELATIONSHIPS), order="due_at", bases=("timers_open",)),
        Source("untouched", _untouched, order="started_at"),
        Source("followups", _followups, order="due_at"),
        Source("replies", _replies, order="created_at"),
        Source("ratings", _ratings, order="requested_at", descending=True),
        Source("jobs", _jobs, order="quiet_since"),
        Source("in_stage", _in_stage, order="stage_entered_at"),
        Source("entries", _entries, order="at"),
        Source("messages", _messages, order="sent_at", descending=True),
        Source("suppressions", _suppressions, order="created_at", descending=True),
        Source("handoffs", _handoffs, order="created_at", descending=True),
    ]
}


def with_clause(ctx: Context, sources: list[Source]) -> str:
    """`WITH` the timers these sources read (each computed once) and the sources themselves,
    as `src_<name>`."""
    bases = sorted({base for source in sources for base in source.bases})
    parts = [f"{name} AS MATERIALIZED ({BASES[name](ctx)})" for name in bases]
    parts += [f"src_{source.name} AS ({source.sql(ctx)})" for source in sources]
    return "WITH " + ",\n".join(parts)
