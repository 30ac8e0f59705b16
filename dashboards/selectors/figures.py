"""The figures of the overview, and the cards that show them.

A figure is a predicate over one source (dashboards.selectors.sources) and a measure of the rows
it keeps: a count, a sum, a median... Its drill-down lists exactly those rows. `FIGURES` is the
registry; `CARDS` lays them out, one column a few figures."""

from dataclasses import dataclass, field

from followups.servicelevels import TimerKind
from jobs.models import Candidacy

Stage = Candidacy.Stage

COUNT, PERCENT, HOURS, DAYS = "count", "percent", "hours", "days"
KIND_PLURALS = {
    TimerKind.STATUS_UPDATE: "Status updates",
    TimerKind.CLOSURE: "Closure notices",
    TimerKind.CLIENT_DIGEST: "Client digests",
    TimerKind.RELATIONSHIP_TOUCH: "Relationship touches",
    TimerKind.CLIENT_DECISION: "Client decisions",
}


@dataclass(frozen=True)
class Figure:
    key: str
    label: str  # what it is, on its own ("Closure notices: median hours to the notice")
    short: str  # its name inside a card's cell ("median h")
    source: str
    where: str = "true"
    # count | sum | median | p90 | max | percent (of `where` rows, those with `numerator`) |
    # ratio (rows with `numerator` per row with `where`, in %) | python (computed outside SQL)
    measure: str = "count"
    value: str = ""  # what sum, median, p90 and max measure
    numerator: str = ""
    unit: str = COUNT
    order: str = ""  # the drill-down's order, when not the source's
    by_organization: bool = False
    # A percent over fewer `where` rows than this is not shown (too few answers to mean much).
    min_rows: int = 0

    def aggregate(self) -> str:
        where = f"({self.where})"
        if self.measure == "count":
            return f"count(*) FILTER (WHERE {where})"
        if self.measure == "sum":
            return f"COALESCE(sum({self.value}) FILTER (WHERE {where}), 0)"
        # Measures are rounded in PostgreSQL (half away from zero), to one decimal.
        if self.measure in ("median", "p90"):
            share = 0.5 if self.measure == "median" else 0.9
            return (
                f"round((percentile_cont({share}) WITHIN GROUP (ORDER BY {self.value}) "
                f"FILTER (WHERE {where}))::numeric, 1)"
            )
        if self.measure == "max":
            return f"round((max({self.value}) FILTER (WHERE {where}))::numeric, 1)"
        if self.measure == "percent":
            percent = (
                f"round(100.0 * count(*) FILTER (WHERE {where} AND ({self.numerator}))"
                f" / NULLIF(count(*) FILTER (WHERE {where}), 0), 1)"
            )
            if not self.min_rows:
                return percent
            enough = f"count(*) FILTER (WHERE {where}) >= {self.min_rows}"
            return f"CASE WHEN {enough} THEN {percent} END"
        if self.measure == "ratio":
            return (
                f"round(100.0 * count(*) FILTER (WHERE {self.numerator})"
                f" / NULLIF(count(*) FILTER (WHERE {where}), 0), 1)"
            )
        raise ValueError(f"{self.key}: no SQL for the measure {self.measure!r}")

    @property
    def is_count(self) -> bool:
        return self.measure == "count"


HOURS_TO_NOTICE = "extract(epoch FROM met_at - started_at) / 3600"
DAYS_TO_DECISION = "extract(epoch FROM met_at - started_at) / 86400"
ANSWER_HOURS = "extract(epoch FROM answered_in) / 3600"
# Fewer answers than this and the share of "good" is not shown.
RATINGS_MIN_ANSWERS = 5
# The ratings' "by stage reached": how far the candidacy got before it was decided.
STAGES_REACHED = (
    ("screening", "who went no further than screening", "screening",
     (Stage.SOURCED, Stage.CONTACTED, Stage.SCREENING)),
    ("client", "the client saw", "client", (Stage.SUBMITTED, Stage.CLIENT_INTERVIEW)),
    ("offer", "who reached an offer", "offer", (Stage.OFFER, Stage.PLACED)),
)  # fmt: skip


def _sql_list(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


IN_PERIOD = "created_at >= %(sl_start)s AND created_at < %(sl_end)s"
CALLS_OPENED = f"reason = 'call_instead' AND {IN_PERIOD}"


def _promises() -> list[Figure]:
    figures = []
    for kind in TimerKind:
        where = f"kind = '{kind.value}'"
        digest = kind == TimerKind.CLIENT_DIGEST
        label = KIND_PLURALS[kind]
        figures += [
            Figure(
                f"promises.{kind.value}.kept", f"{label} kept on time", "kept", "promises",
                where, "percent", numerator="state = 'met'", unit=PERCENT,
                by_organization=digest,
            ),
            Figure(
                f"promises.{kind.value}.met", f"{label} met on time", "on time", "promises",
                f"{where} AND state = 'met'", by_organization=digest,
            ),
            Figure(
                f"promises.{kind.value}.late", f"{label} met late", "late", "promises",
                f"{where} AND state = 'met_late'", by_organization=digest,
            ),
            Figure(
                f"promises.{kind.value}.breached", f"{label} breached", "breached", "promises",
                f"{where} AND state = 'breached'", by_organization=digest,
            ),
        ]  # fmt: skip
    return figures


def _relationships() -> list[Figure]:
    figures = [
        Figure("rel.overdue", "Relationships overdue", "overdue", "relationships",
               "state = 'breached'"),
        Figure("rel.untouched", "People untouched for 90 days or more", "90+ days",
               "untouched"),
    ]  # fmt: skip
    for tier in "ABC":
        for side, flag in (("client", "is_client"), ("candidate", "is_candidate")):
            figures.append(
                Figure(
                    f"rel.overdue.{tier}.{side}",
                    f"Tier {tier} {side}s overdue",
                    f"{side}s",
                    "relationships",
                    f"state = 'breached' AND tier = '{tier}' AND {flag}",
                )
            )
    return figures


_FIGURES: list[Figure] = [
    *_promises(),
    # Breached and due soon, now.
    Figure("now.queue", "Open timers breached or due soon", "queue", "open_timers",
           "state IN ('breached', 'due_soon')"),
    Figure("now.breached", "Open timers breached", "breached", "open_timers",
           "state = 'breached'"),
    Figure("now.due_soon", "Open timers due soon", "due soon", "open_timers",
           "state = 'due_soon'"),
    # Fading away.
    Figure("fading.quiet", "Candidates quiet past their update cadence", "quiet",
           "open_timers", "kind = 'status_update' AND state = 'breached'", order="started_at"),
    Figure("fading.quiet_longest", "Longest quiet open candidacy (days)", "longest",
           "open_timers", "kind = 'status_update'", "max",
           "extract(epoch FROM %(sl_now)s - started_at) / 86400", unit=DAYS,
           order="started_at"),
    Figure("fading.waiting", "Candidacies waiting on the client past the chase days",
           "waiting", "open_timers", "kind = 'client_decision' AND state = 'breached'",
           order="started_at"),
    Figure("fading.waiting_longest", "Longest wait on a client's decision (days)",
           "longest", "open_timers", "kind = 'client_decision'", "max",
           "extract(epoch FROM %(sl_now)s - started_at) / 86400", unit=DAYS,
           order="started_at"),
    # Closure coverage.
    Figure("closure.decided", "Candidacies decided", "decided", "closures"),
    Figure("closure.notified_pct", "Decisions with a closure notice", "notified", "closures",
           measure="percent", numerator="met_at IS NOT NULL", unit=PERCENT),
    Figure("closure.notified", "Decisions notified", "notified", "closures",
           "met_at IS NOT NULL"),
    Figure("closure.median_hours", "Median hours from decision to notice", "median",
           "closures", "met_at IS NOT NULL", "median", HOURS_TO_NOTICE, unit=HOURS),
    Figure("closure.p90_hours", "90th percentile hours from decision to notice", "p90",
           "closures", "met_at IS NOT NULL", "p90", HOURS_TO_NOTICE, unit=HOURS),
    Figure("closure.without_notice", "Decisions still without a notice", "without",
           "closures", "met_at IS NULL"),
    # Replies owed an answer (first reply time), for replies received in the period.
    Figure("replies.owed", "Replies that owed an answer", "replies", "replies"),
    Figure("replies.on_time_pct", "Replies answered on time", "on time", "replies",
           measure="percent", numerator="on_time", unit=PERCENT),
    Figure("replies.median_hours", "Median hours to answer a reply", "median", "replies",
           "completed_at IS NOT NULL", "median", ANSWER_HOURS, unit=HOURS),
    Figure("replies.p90_hours", "90th percentile hours to answer a reply", "p90", "replies",
           "completed_at IS NOT NULL", "p90", ANSWER_HOURS, unit=HOURS),
    Figure("replies.waiting", "Replies still waiting for an answer", "waiting", "replies",
           "completed_at IS NULL"),
    # Closure notices' ratings asked in the period ("How well did I keep you informed?").
    Figure("ratings.asked", "Closure notices that asked for a rating", "asked", "ratings"),
    Figure("ratings.answered_pct", "Ratings answered", "answered", "ratings",
           measure="percent", numerator="answer <> ''", unit=PERCENT),
    Figure("ratings.good_pct", "Answers that say we kept them informed well", "good",
           "ratings", "answer <> ''", "percent", numerator="answer = 'good'", unit=PERCENT,
           min_rows=RATINGS_MIN_ANSWERS),
    *(Figure(f"ratings.good_pct.{key}", f"Answers that say good, from candidates {label}", short,
             "ratings", f"answer <> '' AND stage_reached IN ({_sql_list(stages)})", "percent",
             numerator="answer = 'good'", unit=PERCENT, min_rows=RATINGS_MIN_ANSWERS)
      for key, label, short, stages in STAGES_REACHED),
    Figure("ratings.not_good", "Answers of 'not good'", "not good", "ratings",
           "answer = 'not_good'"),
    Figure("ratings.comments", "Answers with a comment", "comments", "ratings",
           "comment <> ''"),
    # Client decisions after a submittal (digests are promises.client_digest.*).
    Figure("decision.count", "Client decisions on a submittal", "decisions", "decisions",
           by_organization=True),
    Figure("decision.median_days", "Median days from submittal to the client's decision",
           "median", "decisions", measure="median", value=DAYS_TO_DECISION, unit=DAYS,
           by_organization=True),
    Figure("decision.p90_days", "90th percentile days from submittal to decision", "p90",
           "decisions", measure="p90", value=DAYS_TO_DECISION, unit=DAYS,
           by_organization=True),
    # Follow-up debt.
    Figure("debt.overdue", "Overdue follow-ups", "overdue", "followups",
           "completed_at IS NULL AND due_at < %(sl_now)s"),
    Figure("debt.overdue_median_days", "Median age of overdue follow-ups (days)",
           "median", "followups", "completed_at IS NULL AND due_at < %(sl_now)s",
           "median", "extract(epoch FROM overdue_by) / 86400", unit=DAYS),
    Figure("debt.overdue_max_days", "Oldest overdue follow-up (days)", "oldest",
           "followups", "completed_at IS NULL AND due_at < %(sl_now)s", "max",
           "extract(epoch FROM overdue_by) / 86400", unit=DAYS),
    Figure("debt.calls_opened", "Obligations turned into calls", "opened", "followups",
           CALLS_OPENED, order="created_at"),
    Figure("debt.calls_open", "Calls instead still open", "still open", "followups",
           f"{CALLS_OPENED} AND completed_at IS NULL", order="created_at"),
    *_relationships(),
    # Pipeline health.
    Figure("pipeline.stalled", "Stalled jobs", "stalled", "jobs", "stalled"),
    Figure("pipeline.split", "Jobs with a split suggestion", "split", "jobs",
           "id = ANY(%(d_split_job_ids)s)", measure="python"),
    Figure("pipeline.in_stage_median_days", "Median days in the current stage", "median",
           "in_stage", measure="median", value="extract(epoch FROM in_stage_for) / 86400",
           unit=DAYS),
    Figure("pipeline.submitted", "Candidacies submitted", "submitted", "entries",
           "stage = 'submitted'"),
    Figure("pipeline.interview", "Candidacies to a client interview", "interviews", "entries",
           "stage = 'client_interview'"),
    Figure("pipeline.offer", "Candidacies to an offer", "offers", "entries", "stage = 'offer'"),
    Figure("pipeline.placed", "Candidacies placed", "placed", "entries", "stage = 'placed'"),
    Figure("pipeline.to_interview_pct", "Interviews per submittal", "of submitted", "entries",
           "stage = 'submitted'", "ratio", numerator="stage = 'client_interview'",
           unit=PERCENT),
    Figure("pipeline.to_offer_pct", "Offers per interview", "of interviews", "entries",
           "stage = 'client_interview'", "ratio", numerator="stage = 'offer'", unit=PERCENT),
    Figure("pipeline.to_placed_pct", "Placements per offer", "of offers", "entries",
           "stage = 'offer'", "ratio", numerator="stage = 'placed'", unit=PERCENT),
    # Deliverability.
    Figure("deliver.sent", "Messages sent", "sent", "messages"),
    Figure("deliver.bounce_pct", "Bounce rate", "bounced", "messages", measure="percent",
           numerator="status = 'bounced'", unit=PERCENT),
    Figure("deliver.bounced", "Messages bounced", "bounced", "messages", "status = 'bounced'"),
    Figure("deliver.complaint_pct", "Complaint rate", "complaints", "messages",
           measure="percent", numerator="status = 'complained'", unit=PERCENT),
    Figure("deliver.complained", "Messages marked as spam", "complaints", "messages",
           "status = 'complained'"),
    Figure("deliver.suppressed", "Addresses suppressed", "suppressed", "suppressions"),
    # Handoffs.
    Figure("handoffs.given", "Handoffs given", "handoffs", "handoffs", "role = 'given'"),
    Figure("handoffs.received", "Handoffs received", "handoffs", "handoffs",
           "role = 'received'"),
    Figure("handoffs.relationships_out", "Relationships handed off", "relationships",
           "handoffs", "role = 'given'", "sum", "relationship_count"),
    Figure("handoffs.relationships_in", "Relationships received", "relationships",
           "handoffs", "role = 'received'", "sum", "relationship_count"),
    Figure("handoffs.promises_out", "Open promises handed off", "open promises", "handoffs",
           "role = 'given'", "sum", "promises_moved"),
    Figure("handoffs.promises_in", "Open promises received", "open promises", "handoffs",
           "role = 'received'", "sum", "promises_moved"),
    Figure("handoffs.jobs_out", "Jobs handed off", "jobs", "handoffs", "role = 'given'", "sum",
           "jobs_moved"),
    Figure("handoffs.jobs_in", "Jobs received", "jobs", "handoffs", "role = 'received'", "sum",
           "jobs_moved"),
]  # fmt: skip

FIGURES: dict[str, Figure] = {figure.key: figure for figure in _FIGURES}


@dataclass(frozen=True)
class Column:
    label: str
    figures: tuple[str, ...]


@dataclass(frozen=True)
class Card:
    key: str
    title: str
    description: str
    columns: tuple[Column, ...]
    over_period: bool = True  # False: the figures are "now", the period does not apply
    previews: tuple[str, ...] = ()  # figures whose first rows the card lists
    by_organization: tuple[Column, ...] = field(default=())


def _kind_columns() -> tuple[Column, ...]:
    return tuple(
        Column(
            kind.label,
            tuple(f"promises.{kind.value}.{part}" for part in ("kept", "late", "breached")),
        )
        for kind in TimerKind
    )


_DIGEST_COLUMNS = (
    Column("Digests on schedule", ("promises.client_digest.kept", "promises.client_digest.late",
                                   "promises.client_digest.breached")),
    Column("Submittal to decision", ("decision.median_days", "decision.p90_days",
                                     "decision.count")),
)  # fmt: skip

CARDS: tuple[Card, ...] = (
    Card("promises", "Promises kept",
         "Timers due in the period: the share met on time, and how many were met late or are "
         "breached.", _kind_columns()),
    Card("now", "Breached and due soon, now",
         "Open timers past their target or within the last quarter of it, oldest first.",
         (Column("Breached", ("now.breached",)), Column("Due soon", ("now.due_soon",))),
         over_period=False, previews=("now.queue",)),
    Card("fading", "Fading away",
         "Open candidacies quiet past their update cadence, and those waiting on the client "
         "past the chase days.",
         (Column("Quiet", ("fading.quiet", "fading.quiet_longest")),
          Column("Waiting on the client", ("fading.waiting", "fading.waiting_longest"))),
         over_period=False, previews=("fading.quiet", "fading.waiting")),
    Card("closures", "Closure coverage",
         "Candidacies decided in the period: how many heard from us, and how fast.",
         (Column("Decided", ("closure.decided",)),
          Column("Notified", ("closure.notified_pct", "closure.notified")),
          Column("Decision to notice", ("closure.median_hours", "closure.p90_hours")),
          Column("Without a notice", ("closure.without_notice",)))),
    Card("replies", "Replies answered",
         "Replies from contacts in the period that owed an answer: the share answered within "
         "the target (one business day by default), how fast, and those still waiting.",
         (Column("Replies", ("replies.owed",)),
          Column("On time", ("replies.on_time_pct",)),
          Column("Time to answer", ("replies.median_hours", "replies.p90_hours")),
          Column("Waiting", ("replies.waiting",)))),
    Card("ratings", "How candidates rate our updates",
         "Closure notices in the period that asked \"How well did I keep you informed?\": "
         f"the share answered, the share of answers that say good (shown from "
         f"{RATINGS_MIN_ANSWERS} answers on), and the answers to read.",
         (Column("Asked", ("ratings.asked",)),
          Column("Answered", ("ratings.answered_pct",)),
          Column("Good", ("ratings.good_pct",)),
          Column("Good, by stage reached",
                 tuple(f"ratings.good_pct.{key}" for key, *_ in STAGES_REACHED)),
          Column("To read", ("ratings.not_good", "ratings.comments")))),
    Card("digests", "Client digests and decisions",
         "Digests due in the period, on schedule per recruiter and per client; days from a "
         "submittal to the client's decision, for decisions in the period.",
         _DIGEST_COLUMNS, by_organization=_DIGEST_COLUMNS),
    Card("debt", "Follow-up debt",
         "Follow-ups overdue now and their age; calls instead of undeliverable emails opened "
         "in the period, and those still open.",
         (Column("Overdue", ("debt.overdue",)),
          Column("Age", ("debt.overdue_median_days", "debt.overdue_max_days")),
          Column("Calls instead", ("debt.calls_opened", "debt.calls_open")))),
    Card("relationships", "Relationships overdue",
         "Relationships past their tier's cadence now, clients and candidates apart, and "
         "people untouched for 90 days or more.",
         (Column("Overdue", ("rel.overdue",)),
          *(Column(f"Tier {tier}", (f"rel.overdue.{tier}.client",
                                    f"rel.overdue.{tier}.candidate")) for tier in "ABC"),
          Column("Untouched 90+ days", ("rel.untouched",))),
         over_period=False),
    Card("pipeline", "Pipeline health",
         "Stalled jobs and split suggestions now, time in the current stage, and conversion "
         "between the stages entered in the period.",
         (Column("Stalled jobs", ("pipeline.stalled",)),
          Column("Split suggested", ("pipeline.split",)),
          Column("Days in stage", ("pipeline.in_stage_median_days",)),
          Column("Submitted", ("pipeline.submitted",)),
          Column("Interview", ("pipeline.interview", "pipeline.to_interview_pct")),
          Column("Offer", ("pipeline.offer", "pipeline.to_offer_pct")),
          Column("Placed", ("pipeline.placed", "pipeline.to_placed_pct")))),
    Card("deliverability", "Deliverability",
         "Messages sent in the period per sender, bounces and complaints, addresses "
         "suppressed and obligations turned into calls.",
         (Column("Sent", ("deliver.sent",)),
          Column("Bounces", ("deliver.bounce_pct", "deliver.bounced")),
          Column("Complaints", ("deliver.complaint_pct", "deliver.complained")),
          Column("Suppressed", ("deliver.suppressed",)),
          Column("Turned into calls", ("debt.calls_opened",)))),
    Card("handoffs", "Handoffs",
         "Handoffs in the period: relationships, open promises and jobs moved.",
         (Column("Given", ("handoffs.given", "handoffs.relationships_out",
                           "handoffs.promises_out", "handoffs.jobs_out")),
          Column("Received", ("handoffs.received", "handoffs.relationships_in",
                              "handoffs.promises_in", "handoffs.jobs_in")))),
)  # fmt: skip
