"""Reads of market notes shared by the pages, the panels and the API.

Relevance is one SQL statement: a note matches when its tags overlap the subject's terms
(`tags && terms`, the GIN index); its score is the number of overlapping tags times its kind's
weight, plus a recency bonus that falls from 1 to 0 over RECENCY_DAYS of its true-as-of date.
Only fresh notes (not retired, review date not passed) the user may see are suggested."""

# ruff: noqa: S608, S611 - SQL composed from this module's constants; every value is a parameter.

import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import User
from contacts.models import Contact
from core.cursors import InvalidCursor, cursor_decode, cursor_encode
from jobs.models import Candidacy, Job
from market.models import MarketNote, MarketNoteQuerySet, tags_normalize

NOTE_PAGE_SIZE = 25
SUGGESTION_LIMIT = 3
RECENCY_DAYS = 180
KIND_WEIGHTS = {
    MarketNote.Kind.SALARY: 3,
    MarketNote.Kind.HIRING_NEWS: 2,
    MarketNote.Kind.PROCESS: 2,
    MarketNote.Kind.TREND: 1,
    MarketNote.Kind.REGULATION: 1,
}
TABLE = MarketNote._meta.db_table
# Words of a job title too common to say anything about the market.
TITLE_STOPWORDS = frozenset({"and", "the", "for", "of", "in", "at", "with", "to", "a", "an"})


# --- terms: what a contact or a job is about ----------------------------------------------------


def _place_terms(location: str) -> list[str]:
    """ "Berlin, Germany" -> berlin, germany."""
    return [part for part in re.split(r"\s*[,/;|]\s*", location.strip()) if part]


def _title_terms(title: str) -> list[str]:
    words = re.findall(r"[\w+#.-]+", title.lower())
    return [word.strip(".-") for word in words if word not in TITLE_STOPWORDS and len(word) > 1]


def job_terms_build(*, location: str, industry: str, title: str) -> list[str]:
    return tags_normalize([*_place_terms(location), industry, *_title_terms(title)])


def job_terms(job: Job) -> list[str]:
    """A job's location, its client's industry and the words of its title (one query at most:
    the organization, when not already joined)."""
    return job_terms_build(
        location=job.location, industry=job.organization.industry, title=job.title
    )


def contact_terms(contact: Contact) -> list[str]:
    """A contact's tags, location and company's industry, and the terms of the jobs of their
    open candidacies (location, client industry, title): one query, two when the contact
    comes without its organization."""
    if Contact.organization.is_cached(contact):
        industry = contact.organization.industry if contact.organization else ""
    else:
        industry = (
            Contact.objects.filter(pk=contact.pk).values_list("organization__industry", flat=True)
        ).first() or ""
    jobs = (
        Candidacy.objects.open()
        .filter(contact_id=contact.pk)
        .order_by("-id")
        .values_list("job__location", "job__organization__industry", "job__title")
    )
    terms = [*contact.tags, *_place_terms(contact.location), industry or ""]
    for location, job_industry, title in jobs:
        terms += job_terms_build(location=location, industry=job_industry, title=title)
    return tags_normalize(terms)


# --- suggestions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    note: MarketNote
    matched: list[str]
    age_days: int
    score: float

    @property
    def reason(self) -> str:
        """ "matches python, berlin; 12 days old"."""
        return f"matches {', '.join(self.matched)}; {age_text(self.age_days)}"


def age_text(days: int) -> str:
    if days <= 0:
        return "as of today"
    return "1 day old" if days == 1 else f"{days} days old"


def kind_weight_sql() -> str:
    cases = " ".join(f"WHEN '{kind}' THEN {weight}" for kind, weight in KIND_WEIGHTS.items())
    return f"(CASE {TABLE}.kind {cases} ELSE 1 END)"


def note_suggestions(
    *,
    user: User,
    terms: Iterable[str],
    limit: int = SUGGESTION_LIMIT,
    exclude_ids: Iterable[int] = (),
    today: datetime.date | None = None,
    kinds: Iterable[str] | None = None,
    exclude_query: QuerySet | None = None,
) -> list[Suggestion]:
    """The most relevant fresh notes the user may see for `terms`, best first, each with what
    matched: one query."""
    terms = tags_normalize(list(terms))
    if not terms:
        return []
    today = today or timezone.localdate()
    matched_sql = (
        f"ARRAY(SELECT t FROM unnest({TABLE}.tags) WITH ORDINALITY AS u(t, i) "
        f"WHERE t = ANY(%s::varchar[]) ORDER BY i)"
    )
    overlap_sql = (
        f"cardinality(ARRAY(SELECT unnest({TABLE}.tags) INTERSECT SELECT unnest(%s::varchar[])))"
    )
    age_sql = f"(%s::date - {TABLE}.true_as_of)"
    score_sql = (
        f"({overlap_sql} * {kind_weight_sql()} "
        f"+ GREATEST(0, 1 - {age_sql}::float / {RECENCY_DAYS}))"
    )
    queryset = (
        MarketNote.objects.visible_to(user)
        .fresh(today)
        .filter(tags__overlap=terms)
        .exclude(pk__in=list(exclude_ids))
        .select_related("author")
        .annotate(
            matched=RawSQL(matched_sql, (terms,)),
            age_days=RawSQL(age_sql, (today,)),
            score=RawSQL(score_sql, (terms, today)),
        )
        .order_by("-score", "-true_as_of", "-id")
    )
    if kinds is not None:
        queryset = queryset.filter(kind__in=list(kinds))
    if exclude_query is not None:  # a subquery of note ids, e.g. those a recipient was sent
        queryset = queryset.exclude(pk__in=exclude_query)
    return [
        Suggestion(note=note, matched=note.matched, age_days=note.age_days, score=note.score)
        for note in queryset[:limit]
    ]


def contact_suggestions(*, user: User, contact: Contact, **options) -> list[Suggestion]:
    return note_suggestions(user=user, terms=contact_terms(contact), **options)


def job_suggestions(*, user: User, job: Job, **options) -> list[Suggestion]:
    return note_suggestions(user=user, terms=job_terms(job), **options)


# --- lists --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteFilters:
    kind: str = ""
    tag: str = ""
    # "fresh", "stale", "review" (my stale ones), "retired", "mine" or "" (every note not retired).
    state: str = ""


@dataclass(frozen=True)
class NotePage:
    notes: list[MarketNote]
    next_cursor: str | None


def note_queryset(*, user: User) -> MarketNoteQuerySet:
    return MarketNote.objects.visible_to(user).select_related("author", "team")


def note_list(
    *,
    user: User,
    filters: NoteFilters | None = None,
    after: str | None = None,
    limit: int = NOTE_PAGE_SIZE,
    today: datetime.date | None = None,
) -> NotePage:
    """The notes the user may see, newest true-as-of first, keyset-paged: one query."""
    filters = filters or NoteFilters()
    today = today or timezone.localdate()
    queryset = note_queryset(user=user)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.tag:
        queryset = queryset.filter(tags__contains=tags_normalize([filters.tag]))
    if filters.state == "fresh":
        queryset = queryset.fresh(today)
    elif filters.state == "stale":
        queryset = queryset.stale(today)
    elif filters.state == "retired":
        queryset = queryset.filter(retired_at__isnull=False)
    elif filters.state == "review":
        queryset = queryset.stale(today).filter(author=user)
    elif filters.state == "mine":
        queryset = queryset.filter(author=user, retired_at__isnull=True)
    else:
        queryset = queryset.filter(retired_at__isnull=True)
    if after:
        as_of, pk = cursor_decode(after, length=2)
        try:
            as_of = datetime.date.fromisoformat(as_of)
        except (TypeError, ValueError) as error:
            raise InvalidCursor from error
        if isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk < 2**63:
            raise InvalidCursor
        queryset = queryset.filter(true_as_of__lte=as_of).exclude(true_as_of=as_of, pk__gte=pk)
    rows = list(queryset.order_by("-true_as_of", "-id")[: limit + 1])
    notes = rows[:limit]
    next_cursor = cursor_encode([notes[-1].true_as_of, notes[-1].pk]) if len(rows) > limit else None
    return NotePage(notes=notes, next_cursor=next_cursor)


def note_get(*, user: User, note_id: int) -> MarketNote:
    """A note the user may see (DoesNotExist otherwise)."""
    return note_queryset(user=user).get(pk=note_id)


SEARCH_LIMIT = 5


def note_search(*, user: User, query: str, limit: int = SEARCH_LIMIT) -> list[MarketNote]:
    """Current notes the user may see whose title or body holds the query, or tagged with it:
    one query, newest first."""
    words = query.strip()
    if not words:
        return []
    condition = Q(title__icontains=words) | Q(body__icontains=words)
    condition |= Q(tags__contains=tags_normalize([words]))
    return list(
        note_queryset(user=user)
        .filter(condition, retired_at__isnull=True)
        .order_by("-true_as_of", "-id")[:limit]
    )


def stale_note_count(*, user: User, today: datetime.date | None = None) -> int:
    """How many of the user's own notes are past their review date: one query."""
    return MarketNote.objects.filter(author=user).stale(today).count()


# --- one note for each of many recipients (the follow-through engine's merge field) -------------


@dataclass(frozen=True)
class NoteRequest:
    """Who asks (the note must be visible to `user`), about what, leaving out some notes."""

    key: int
    user: User
    terms: list[str]
    exclude_ids: list[int]


# How one note scores for one request (`n` the note, `x` the request), given how many of the
# request's terms it carries.
def _score_sql(overlap: str) -> str:
    weight = kind_weight_sql().replace(TABLE + ".", "n.")
    recency = f"GREATEST(0, 1 - (%(today)s::date - n.true_as_of)::float / {RECENCY_DAYS})"
    return f"({overlap}) * {weight} + {recency}"


_OVERLAP_SQL = "cardinality(ARRAY(SELECT unnest(n.tags) INTERSECT SELECT unnest(x.terms)))"
# A note carrying k of a request's terms is found by k(k-1)/2 of its pairs of terms.
_OVERLAP_FROM_PAIRS_SQL = "round((1 + sqrt(1 + 8 * n.pairs)) / 2)::int"


# The most a note sharing a single term with a request can score: its kind's weight plus the
# whole recency bonus.
_ONE_TERM_MAX = max(KIND_WEIGHTS.values()) + 1

_NOTE_FRESH_SQL = """
      n.retired_at IS NULL
      AND n.review_by >= %(today)s
      AND n.true_as_of >= %(since)s"""

_NOTE_VISIBLE_SQL = """
      NOT (n.id = ANY(x.exclude))
      AND (n.visibility = 'agency' OR n.author_id = x.user_id
           OR (n.visibility = 'team' AND n.team_id = x.team_id))"""

# The `per` best notes for each request, in one statement and exactly as if every note sharing a
# term were scored, without scoring most of them. Where tags are dense (a few dozen terms over
# thousands of notes) a request shares a term with a quarter of all notes, and scoring each was
# 5 ms a request. So first only the notes sharing at least two of its terms are scored (found
# through the GIN index by pairs of terms, a few hundred at most): when the request's `per`-th
# best of those scores more than any note sharing one term can (_ONE_TERM_MAX), no note left
# out could rank among its `per`, and it is done. The other requests (one term, sparse tags, few
# notes) are scored in full, as before.
TOP_FOR_EACH_SQL = f"""
WITH x AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset(%(rows)s::jsonb)
         AS x(key bigint, user_id bigint, team_id bigint, terms varchar[], exclude bigint[])
),
pairs AS (
    SELECT x.key, ARRAY[a.term, b.term]::varchar[] AS pair
    FROM x, unnest(x.terms) WITH ORDINALITY AS a(term, i),
         unnest(x.terms) WITH ORDINALITY AS b(term, j)
    WHERE a.i < b.j
),
shared AS (
    SELECT p.key, n.id, n.kind, n.true_as_of, n.visibility, n.author_id, n.team_id,
           count(*) AS pairs
    FROM pairs p JOIN {TABLE} n ON n.tags @> p.pair
    WHERE {_NOTE_FRESH_SQL}
    GROUP BY p.key, n.id
),
ranked AS (
    SELECT x.key, n.id, n.true_as_of, {_score_sql(_OVERLAP_FROM_PAIRS_SQL)} AS score
    FROM shared n JOIN x ON x.key = n.key
    WHERE {_NOTE_VISIBLE_SQL}
),
numbered AS (
    SELECT ranked.*, row_number() OVER (
        PARTITION BY key ORDER BY score DESC, true_as_of DESC, id DESC) AS place
    FROM ranked
),
settled AS (
    SELECT key FROM numbered WHERE place = %(per)s AND score > {_ONE_TERM_MAX}
)
SELECT key, id, score, true_as_of FROM numbered
WHERE place <= %(per)s AND key IN (SELECT key FROM settled)
UNION ALL
SELECT x.key, top.id, top.score, top.true_as_of
FROM x CROSS JOIN LATERAL (
    SELECT n.id, n.true_as_of, {_score_sql(_OVERLAP_SQL)} AS score
    FROM {TABLE} n
    WHERE n.tags && x.terms AND {_NOTE_FRESH_SQL} AND {_NOTE_VISIBLE_SQL}
    ORDER BY score DESC, n.true_as_of DESC, n.id DESC
    LIMIT %(per)s
) AS top
WHERE x.key NOT IN (SELECT key FROM settled)
"""


def note_top_for_each(
    requests: Iterable[NoteRequest],
    *,
    today: datetime.date | None = None,
    per: int = 1,
    since: datetime.date | None = None,
) -> dict[int, list[MarketNote]]:
    """The `per` most relevant fresh visible notes for each request (true as of `since` or
    later, when given), best first, by key (a request with none is left out): two queries for
    any number of requests. Exactly what scoring every note sharing a term would give (see
    TOP_FOR_EACH_SQL for how most of them are never scored)."""
    rows = [
        {
            "key": request.key,
            "user_id": request.user.pk,
            "team_id": request.user.team_id,
            "terms": tags_normalize(request.terms),
            "exclude": list(request.exclude_ids),
        }
        for request in requests
    ]
    rows = [row for row in rows if row["terms"]]
    if not rows:
        return {}
    params: dict[str, str | int | datetime.date] = {
        "rows": json.dumps(rows),
        "today": today or timezone.localdate(),
        "since": since or datetime.date.min,
        "per": per,
    }
    with connection.cursor() as cursor:
        cursor.execute(TOP_FOR_EACH_SQL, params)
        found = cursor.fetchall()
    # The lateral's order, best first (the outer rows come in no promised order).
    found.sort(key=lambda row: (row[0], -row[2], -row[3].toordinal(), -row[1]))
    notes = MarketNote.objects.in_bulk({row[1] for row in found})
    chosen: dict[int, list[MarketNote]] = {}
    for key, note_id, _, _ in found:
        if note_id in notes:
            chosen.setdefault(key, []).append(notes[note_id])
    return chosen


def note_best_for_each(
    requests: Iterable[NoteRequest], *, today: datetime.date | None = None
) -> dict[int, MarketNote]:
    """The most relevant fresh visible note for each request, by key (a request with none is
    left out): two queries for any number of requests."""
    return {key: found[0] for key, found in note_top_for_each(requests, today=today).items()}


def message_terms(*, contact: Contact, job: Job | None) -> list[str]:
    """What a message is about: its recipient (without a query when the contact comes with its
    organization, else its tags and location only) and its job."""
    terms = [*contact.tags, *_place_terms(contact.location)]
    if Contact.organization.is_cached(contact) and contact.organization is not None:
        terms.append(contact.organization.industry)
    if job is not None:
        terms += job_terms(job)
    return tags_normalize(terms)


def note_sentence(note: MarketNote) -> str:
    """The note as one plain sentence for an email: its title and the first paragraph of its
    body without Markdown."""
    first = re.split(r"\n\s*\n", note.body.strip())[0] if note.body.strip() else ""
    first = re.sub(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)", r"\1 (\2)", first)
    first = " ".join(re.sub(r"\*\*?([^*]+)\*\*?", r"\1", first).split())
    title = note.title.rstrip(".")
    return f"One thing I am seeing in the market: {title}." + (f" {first}" if first else "")
