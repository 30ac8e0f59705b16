"""How the dashboards print: a figure's value, the cards' cells with their links, and the
columns of each drill-down (the page and its CSV share them)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from core.links import pk_link
from dashboards.selectors import CARDS, Card, Figure, Overview, Period, Scope
from dashboards.selectors.figures import DAYS, HOURS, PERCENT
from followups.models import FollowUp, MessageKind, Rating
from followups.servicelevels import TimerKind, TimerState
from jobs.models import Candidacy, Job

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_FIGURE_SENTINEL = "FIGURE-KEY"


def value_text(figure: Figure, value: float | int | None) -> str:
    if value is None:
        return "—"
    if figure.unit == PERCENT:
        return f"{value:.1f} %"
    if figure.unit == HOURS:
        return f"{value:.1f} h"
    if figure.unit == DAYS:
        return f"{value:.1f} d"
    return str(int(value))


def moment_text(value: dt.datetime | None) -> str:
    """ "4 Mar 2026 10:00", in local time."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H:%M}"


def duration_text(value: dt.timedelta | None) -> str:
    """ "-15 d 3 h", "21 h", "1 min": at most two units."""
    if value is None:
        return ""
    sign = "-" if value < dt.timedelta(0) else ""
    minutes = int(abs(value).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else ""]
    if not days:
        parts.append(f"{minutes} min" if minutes or not hours else "")
    return sign + " ".join(part for part in parts if part)


# --- the cards -----------------------------------------------------------------------------------


class FigureLinks:
    """Drill-down URLs, the pattern reversed once per request."""

    def __init__(self) -> None:
        before, _, after = reverse("dashboards:figure", args=[_FIGURE_SENTINEL]).partition(
            _FIGURE_SENTINEL
        )
        self._before, self._after = before, after

    def figure(self, key: str, query: dict[str, str]) -> str:
        return f"{self._before}{key}{self._after}?{urlencode(query)}"


@dataclass
class CellValue:
    text: str
    url: str
    short: str
    main: bool
    css: str = ""


@dataclass
class CardRow:
    label: str
    url: str  # the overview of this row's recruiter, or ""
    cells: list[list[CellValue]]
    testid: str = ""


@dataclass
class CardTable:
    card: Card
    total: CardRow
    rows: list[CardRow]
    organizations: list[CardRow] = field(default_factory=list)
    previews: list[tuple[Figure, str, list[dict]]] = field(default_factory=list)
    organizations_more: int = 0  # clients left out of `organizations`


def _row(
    label: str, columns, value_of: Callable[[str], Any], query: dict, links: FigureLinks,
    figures: dict[str, Figure], url: str = "", testid: str = "",
) -> CardRow:  # fmt: skip
    cells = []
    for column in columns:
        cell = []
        for index, key in enumerate(column.figures):
            figure = figures[key]
            value = value_of(key)
            css = "text-danger" if "breached" in key and value else ""
            cell.append(
                CellValue(
                    value_text(figure, value), links.figure(key, query), figure.short,
                    main=index == 0, css=css,
                )
            )  # fmt: skip
        cells.append(cell)
    return CardRow(label=label, url=url, cells=cells, testid=testid)


def _preview(row: dict, links: "RecordLinks") -> dict:
    """One record of a card's preview: an open timer, with the time it has left."""
    return {
        "kind": KIND_LABELS.get(row["kind"], row["kind"]),
        "contact": row["contact_name"] or "",
        "contact_url": links.url("contact", row),
        "owner": row["owner_name"] or "",
        "time_left": duration_text(row["time_left"]),
        "late": row["time_left"] < dt.timedelta(0),
    }


def cards_build(overview: Overview, *, can_open_recruiters: bool) -> list[CardTable]:
    """The overview's cards as tables: the scope's total, then a row per member (unless the
    scope is one recruiter), and per client where the card has it; every number a link."""
    links = FigureLinks()
    record_links = RecordLinks()
    scope, period = overview.scope, overview.period
    figures = {key: values.figure for key, values in overview.values.items()}
    base = scope.query() | period.query()
    overview_url = reverse("dashboards:index")
    tables = []
    for card in CARDS:
        total = _row(
            scope.label, card.columns, lambda key: overview.values[key].total, base, links,
            figures, testid="total",
        )  # fmt: skip
        rows = []
        if scope.kind != Scope.RECRUITER:
            for member in scope.members:
                query = {"scope": f"recruiter:{member.pk}"} | period.query()
                rows.append(
                    _row(
                        str(member), card.columns,
                        lambda key, pk=member.pk: overview.values[key].owner(pk), query, links,
                        figures, f"{overview_url}?{urlencode(query)}" if can_open_recruiters
                        else "", testid=f"member-{member.username}",
                    )
                )  # fmt: skip
        organizations = [
            _row(
                name, card.by_organization,
                lambda key, pk=pk: overview.values[key].organization(pk),
                base | {"organization": str(pk)}, links, figures, testid=f"client-{pk}",
            )
            for pk, name in overview.organizations.items()
        ] if card.by_organization else []  # fmt: skip
        previews = [
            (
                figures[key],
                links.figure(key, base),
                [_preview(row, record_links) for row in overview.previews.get(key, [])],
            )
            for key in card.previews
        ]
        more = overview.organizations_more if card.by_organization else 0
        tables.append(CardTable(card, total, rows, organizations, previews, more))
    return tables


# --- the drill-downs' columns --------------------------------------------------------------------

KIND_LABELS = dict(TimerKind.choices)
STATE_LABELS = dict(TimerState.choices)
STAGE_LABELS = dict(Candidacy.Stage.choices)
JOB_STATUS_LABELS = dict(Job.Status.choices)
MESSAGE_KIND_LABELS = dict(MessageKind.choices)
FOLLOWUP_KIND_LABELS = dict(FollowUp.Kind.choices)
REASON_LABELS = dict(FollowUp.Reason.choices)
RATING_LABELS = dict(Rating.Answer.choices)


@dataclass(frozen=True)
class RecordColumn:
    header: str
    field: str = ""  # the row's value printed (through `labels` when given)...
    labels: dict | None = None
    compute: Callable[[dict], str] | None = None  # ...or this function's text
    link: str = ""  # "contact", "job" or "handoff": the cell links to that page
    css: Callable[[dict], str] = lambda row: ""

    def text(self, row: dict) -> str:
        if self.compute is not None:
            return self.compute(row)
        value = row.get(self.field)
        if value is None:
            return ""
        if self.labels is not None:
            return str(self.labels.get(value, value))
        if isinstance(value, dt.datetime):
            return moment_text(value)
        if isinstance(value, dt.timedelta):
            return duration_text(value)
        return str(value)

    def csv(self, row: dict) -> str:
        """As the page prints it, but moments in ISO 8601 (local time)."""
        value = row.get(self.field) if self.compute is None else None
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).isoformat(timespec="seconds")
        return self.text(row)


def _time_left(row: dict) -> str:
    return "" if row.get("met_at") else duration_text(row.get("time_left"))


def _overdue_by(row: dict) -> str:
    overdue = row["overdue_by"]
    if row.get("completed_at") or overdue < dt.timedelta(0):
        return ""
    return duration_text(overdue)


def _late(row: dict) -> str:
    return "text-danger fw-semibold" if row.get("time_left") and (
        not row.get("met_at") and row["time_left"] < dt.timedelta(0)
    ) else ""  # fmt: skip


CONTACT = RecordColumn("Contact", "contact_name", link="contact")
JOB = RecordColumn("Job", field="job_title", link="job")
CLIENT = RecordColumn("Client", field="organization_name")
OWNER = RecordColumn("Owner", field="owner_name")
TIMER_COLUMNS = (
    RecordColumn("Obligation", field="kind", labels=KIND_LABELS),
    RecordColumn("State", field="state", labels=STATE_LABELS),
    CONTACT, JOB, CLIENT, OWNER,
    RecordColumn("Started", field="started_at"),
    RecordColumn("Due", field="due_at"),
    RecordColumn("Time left", compute=_time_left, css=_late),
    RecordColumn("Met", field="met_at"),
    RecordColumn("Late by", field="late_by"),
)  # fmt: skip
COLUMNS: dict[str, tuple[RecordColumn, ...]] = {
    "promises": TIMER_COLUMNS,
    "open_timers": TIMER_COLUMNS,
    "closures": TIMER_COLUMNS,
    "decisions": TIMER_COLUMNS,
    "relationships": (
        CONTACT,
        RecordColumn("Tier", field="tier"),
        OWNER,
        RecordColumn("State", field="state", labels=STATE_LABELS),
        RecordColumn("Last touch", field="last_touch_at"),
        RecordColumn("Due", field="due_at"),
        RecordColumn("Time left", compute=_time_left, css=_late),
    ),
    "untouched": (
        CONTACT,
        RecordColumn("Tier", field="tier"),
        OWNER,
        RecordColumn("Last touch", field="last_touch_at"),
        RecordColumn("Untouched since", field="started_at"),
    ),
    "followups": (
        RecordColumn("Follow-up", field="summary"),
        CONTACT,
        OWNER,
        RecordColumn("Kind", field="kind", labels=FOLLOWUP_KIND_LABELS),
        RecordColumn("Reason", field="reason", labels=REASON_LABELS),
        RecordColumn("Due", field="due_at"),
        RecordColumn("Overdue by", compute=_overdue_by),
        RecordColumn("Created", field="created_at"),
        RecordColumn("Done", field="completed_at"),
    ),  # fmt: skip
    "replies": (
        RecordColumn("Reply", field="summary"),
        CONTACT,
        OWNER,
        RecordColumn("Received", field="created_at"),
        RecordColumn("Answer due", field="due_at"),
        RecordColumn("Answered", field="completed_at"),
    ),  # fmt: skip
    "ratings": (
        CONTACT,
        OWNER,
        RecordColumn("Asked", field="requested_at"),
        RecordColumn("Answer", field="answer", labels=RATING_LABELS),
        RecordColumn("Comment", field="comment"),
        RecordColumn("Answered", field="answered_at"),
    ),  # fmt: skip
    "jobs": (
        JOB,
        CLIENT,
        OWNER,
        RecordColumn("Status", field="status", labels=JOB_STATUS_LABELS),
        RecordColumn("Opened", field="opened_at"),
        RecordColumn("Last stage move", field="last_moved_at"),
    ),  # fmt: skip
    "in_stage": (
        CONTACT,
        JOB,
        CLIENT,
        OWNER,
        RecordColumn("Stage", field="stage", labels=STAGE_LABELS),
        RecordColumn("Since", field="stage_entered_at"),
        RecordColumn("In stage for", field="in_stage_for"),
    ),  # fmt: skip
    "entries": (
        CONTACT,
        JOB,
        CLIENT,
        OWNER,
        RecordColumn("Stage entered", field="stage", labels=STAGE_LABELS),
        RecordColumn("At", field="at"),
    ),  # fmt: skip
    "messages": (
        RecordColumn("Message", field="kind", labels=MESSAGE_KIND_LABELS),
        CONTACT,
        OWNER,
        RecordColumn("Status", field="status"),
        RecordColumn("Sent", field="sent_at"),
        RecordColumn("To", field="recipient"),
    ),  # fmt: skip
    "suppressions": (
        RecordColumn("Address", field="email"),
        RecordColumn("Why", field="reason"),
        CONTACT,
        OWNER,
        RecordColumn("Suppressed", field="created_at"),
    ),  # fmt: skip
    "handoffs": (
        RecordColumn("Handoff", compute=lambda row: row["role"].capitalize(), link="handoff"),
        OWNER,
        RecordColumn("Other recruiter", field="other_name"),
        RecordColumn("Scope", field="scope"),
        RecordColumn("Relationships", field="relationship_count"),
        RecordColumn("Open promises", field="promises_moved"),
        RecordColumn("Jobs", field="jobs_moved"),
        RecordColumn("When", field="created_at"),
    ),  # fmt: skip
}


class RecordLinks:
    def __init__(self) -> None:
        self.contact = pk_link("contacts:contact-detail")
        self.job = pk_link("jobs:job-detail")
        self.handoff = pk_link("relationships:handoff-detail")

    def url(self, link: str, row: dict) -> str:
        if link == "contact" and row.get("contact_id"):
            return self.contact(row["contact_id"])
        if link == "job" and row.get("job_id"):
            return self.job(row["job_id"])
        if link == "handoff":
            return self.handoff(row["id"])
        return ""


def record_cells(columns: tuple[RecordColumn, ...], row: dict, links: RecordLinks) -> list[dict]:
    return [
        {"text": column.text(row), "url": links.url(column.link, row), "css": column.css(row)}
        for column in columns
    ]


def scope_and_period_query(scope: Scope, period: Period) -> str:
    return urlencode(scope.query() | period.query())


def trend_rows(trends) -> list[tuple[dt.date, list[str]]]:
    """The trends table's cells: a percentage with one decimal, a count, or a dash."""
    units = [series.unit for series in trends.series]
    return [
        (
            week,
            [
                "—" if value is None else (f"{value:.1f} %" if unit == PERCENT else str(value))
                for value, unit in zip(values, units, strict=True)
            ],
        )
        for week, values in trends.rows()
    ]
