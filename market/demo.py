"""A dozen market notes across the demo jobs' terms (Hamburg software engineering, Lyon energy
data, Munich clinical data, product design), two salary facts and one note past its review date.
Idempotent: nothing is added when the first note exists."""

import datetime

from django.utils import timezone

from accounts.models import User
from market.models import MarketNote
from market.services import note_create

# title, kind, tags, days old, body, extra fields
NOTES = [
    (
        "Hamburg software teams hire again after a slow spring",
        "hiring_news",
        ["hamburg", "software", "engineer"],
        6,
        "Three of our Hamburg clients reopened **senior** roles this month; most want someone "
        "who has run services in production.",
        {},
    ),
    (
        "Senior engineers in Hamburg: offers land within two weeks",
        "process",
        ["hamburg", "senior", "engineer"],
        14,
        "From first interview to offer took 13 days on average across our last eight "
        "placements. Candidates with two processes running decide in *days*, not weeks.",
        {},
    ),
    (
        "Logistics platforms compete for backend engineers",
        "trend",
        ["logistics", "software", "engineer"],
        21,
        "Route planning and warehouse software keep hiring while retail slows.",
        {},
    ),
    (
        "Senior software engineer salaries, Hamburg",
        "salary",
        ["hamburg", "senior", "software", "engineer"],
        30,
        "From our placements and the offers our candidates shared.",
        {
            "role": "Software engineer",
            "seniority": "Senior",
            "region": "Hamburg",
            "currency": "EUR",
            "period": "year",
            "p25": 72000,
            "median": 80000,
            "p75": 90000,
            "sample_size": 23,
            "source": "Rapport placements and shared offers, 2026",
        },
    ),
    (
        "Lyon energy firms build in-house data teams",
        "trend",
        ["lyon", "renewable energy", "data", "analyst"],
        9,
        "Grid operators and solar developers are moving analytics in-house; see the "
        "[regional employment survey](https://www.insee.fr/).",
        {},
    ),
    (
        "Energy data analyst salaries, Lyon",
        "salary",
        ["lyon", "energy", "data", "analyst"],
        40,
        "",
        {
            "role": "Data analyst",
            "seniority": "Mid-level",
            "region": "Lyon",
            "currency": "EUR",
            "period": "year",
            "p25": 42000,
            "median": 47000,
            "p75": 53000,
            "sample_size": 17,
            "source": "Rapport placements 2025-2026",
        },
    ),
    (
        "French notice periods stretch energy hires to three months",
        "process",
        ["lyon", "renewable energy"],
        18,
        "Most analysts we place in France have a three-month notice: plan start dates early.",
        {},
    ),
    (
        "Munich clinical data leads: GCP experience is the filter",
        "hiring_news",
        ["munich", "clinical", "data", "healthcare"],
        11,
        "Every clinical data client this quarter asked for **GCP** and submission experience.",
        {},
    ),
    (
        "EU AI Act obligations reach health software vendors",
        "regulation",
        ["healthcare", "clinical", "data"],
        25,
        "High-risk system rules apply from August 2026; vendors are hiring compliance-minded "
        "data leads.",
        {},
    ),
    (
        "Product designers: portfolios over titles",
        "trend",
        ["product", "designer"],
        35,
        "Hiring managers read case studies first; a title change alone rarely moves an offer.",
        {},
    ),
    (
        "Fintech hiring pauses in Berlin",
        "hiring_news",
        ["fintech", "berlin"],
        50,
        "Two payment firms froze hiring after their funding rounds slipped.",
        {},
    ),
    (
        "Remote weeks are now a standard ask for engineers",
        "trend",
        ["engineer", "software"],
        120,
        "Candidates ask for a remote week a month; say so early in the intake.",
        # Past its review date: on the recruiter's My day as a note to review.
        {"review_by_days": 20},
    ),
]


def load(stdout) -> None:
    if MarketNote.objects.filter(title=NOTES[0][0]).exists():
        return
    authors = list(User.objects.filter(username__in=["recruiter", "recruiter2"]).order_by("id"))
    if not authors:
        return
    today = timezone.localdate()
    for index, (title, kind, tags, days_old, body, extra) in enumerate(NOTES):
        extra = dict(extra)
        as_of = today - datetime.timedelta(days=days_old)
        review_by_days = extra.pop("review_by_days", None)
        if review_by_days is not None:
            extra["review_by"] = as_of + datetime.timedelta(days=review_by_days)
        note_create(
            author=authors[index % len(authors)] if review_by_days is None else authors[0],
            title=title,
            kind=kind,
            tags=tags,
            body=body,
            true_as_of=as_of,
            **extra,
        )
    stdout.write(f"  {len(NOTES)} market notes")
