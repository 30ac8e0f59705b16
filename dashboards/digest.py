"""The managers' weekly digest: every Monday morning each manager who has not opted out (their
profile's toggle, accounts.User.manager_digest) gets their team's overview of the week that
ended, the top of the breached list and links to the pages. The dashboards write the words
(templates/dashboards/email/digest.txt and .html) and queue them through the outbox
(followups.services.message_prerendered_schedule); the relay sends them like every email. Once
per manager and ISO week, whoever plans it again (beat twice, a retried task)."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from dashboards import selectors
from dashboards.display import COLUMNS, value_text
from dashboards.selectors import CARDS, Period, Scope
from followups.models import Message, MessageKind
from followups.services import message_prerendered_schedule

BREACHED_TOP = 10


@dataclass(frozen=True)
class DigestLine:
    label: str
    value: str


@dataclass(frozen=True)
class DigestCard:
    title: str
    lines: list[DigestLine]


def _local_monday(now: dt.datetime) -> dt.date:
    today = timezone.localdate(now)
    return today - dt.timedelta(days=today.weekday())


def _week_ended(now: dt.datetime) -> Period:
    """The last full week, Monday to Sunday, before the one `now` is in."""
    monday = _local_monday(now)
    return Period.custom(monday - dt.timedelta(days=7), monday - dt.timedelta(days=1))


def _url(path: str, query: dict[str, str] | None = None) -> str:
    url = f"{settings.SITE_URL.rstrip('/')}{path}"
    return f"{url}?{urlencode(query)}" if query else url


def digest_subject(*, scope: Scope, period: Period) -> str:
    return f"Your team's week: {scope.label}, {period.label}"


def digest_render(*, manager: User, scope: Scope, period: Period, now: dt.datetime) -> dict:
    """The digest's subject, text and html for `manager` (the HTML autoescaped)."""
    overview = selectors.overview_get(scope=scope, period=period, now=now)
    cards = []
    for card in CARDS:
        keys = dict.fromkeys(key for column in card.columns for key in column.figures)
        lines = [
            DigestLine(
                selectors.FIGURES[key].label,
                value_text(selectors.FIGURES[key], overview.values[key].total),
            )
            for key in keys
        ]
        cards.append(DigestCard(card.title, lines))
    breached = selectors.figure_get("now.breached")
    page = selectors.figure_page(
        figure=breached, scope=scope, period=period, limit=BREACHED_TOP, now=now
    )
    columns = {column.header: column for column in COLUMNS[breached.source]}
    rows = [
        {header: columns[header].text(row) for header in ("Obligation", "Contact", "Job", "Owner")}
        | {"due": columns["Due"].text(row), "late": columns["Time left"].text(row)}
        for row in page.rows
    ]
    query = {**scope.query(), **period.query()}
    context = {
        "manager": manager,
        "scope": scope,
        "period": period,
        "cards": cards,
        "breached": rows,
        "breached_total": overview.values["now.breached"].total,
        "overview_url": _url(reverse("dashboards:index"), query),
        "breached_url": _url(reverse("dashboards:figure", args=[breached.key]), scope.query()),
        "settings_url": _url(reverse("dashboards:digest-settings")),
    }
    return {
        "subject": digest_subject(scope=scope, period=period),
        "text": render_to_string("dashboards/email/digest.txt", context),
        "html": render_to_string("dashboards/email/digest.html", context),
    }


def digest_key(manager: User, now: dt.datetime) -> str:
    year, week, _ = _local_monday(now).isocalendar()
    return f"manager_digest:{manager.pk}:{year}-W{week:02d}"


def manager_digest_plan(*, now: dt.datetime) -> int:
    """Queue this week's digest for every active manager of a team with an email address who
    has not opted out; returns how many were new. A second run finds them queued: no figures
    are read for a manager whose digest exists."""
    period = _week_ended(now)
    managers = (
        User.objects.filter(
            role=User.Role.MANAGER, is_active=True, manager_digest=True, team__isnull=False
        )
        .exclude(email="")
        .select_related("team")
        .order_by("id")
    )
    planned = 0
    for manager in managers:
        key = digest_key(manager, now)
        if Message.objects.filter(idempotency_key=key).exists():
            continue
        scope = Scope.for_team(manager.team)
        words = digest_render(manager=manager, scope=scope, period=period, now=now)
        _, created = message_prerendered_schedule(
            kind=MessageKind.MANAGER_DIGEST,
            owner=manager,
            recipient=manager.email,
            idempotency_key=key,
            send_after=now,
            **words,
        )
        planned += created
    return planned
