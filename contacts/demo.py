"""Demo companies and people for `manage.py load_demo`: every role, careers and remembered facts.
Idempotent: a second run adds nothing."""

import datetime as dt

from django.utils import timezone

from contacts.models import Contact, Organization
from contacts.services import contact_create, contact_update, fact_create, organization_create

MARKER_DOMAIN = "northwind-demo.example"

ORGANIZATIONS = [
    # name, kind, domain, industry
    ("Northwind Logistics", "client", MARKER_DOMAIN, "Logistics"),
    ("Helios Energy", "client", "helios-demo.example", "Renewable energy"),
    ("Brightpath Health", "client", "brightpath-demo.example", "Healthcare"),
    ("Quanta Analytics", "prospect", "quanta-demo.example", "Software"),
    ("Lumen Retail", "prospect", "lumen-demo.example", "Retail"),
    ("Orbit Payments", "other", "orbit-demo.example", "Fintech"),
]

PEOPLE = [
    # first, last, organization (index or None), title, roles, tags, location, source
    (
        "Clara",
        "Jensen",
        0,
        "VP Engineering",
        ["hiring_manager", "client"],
        ["decision-maker"],
        "Hamburg",
        "Referral",
    ),
    (
        "Malik",
        "Osei",
        0,
        "Engineering Manager",
        ["interviewer"],
        ["technical"],
        "Hamburg",
        "Client intro",
    ),
    (
        "Sofia",
        "Lindqvist",
        0,
        "Head of Product",
        ["interviewer"],
        ["product"],
        "Hamburg",
        "Client intro",
    ),
    ("Greta", "Vogel", 0, "Receptionist", ["receptionist"], [], "Hamburg", "Office visit"),
    (
        "Daniel",
        "Moreau",
        1,
        "CTO",
        ["client", "hiring_manager"],
        ["decision-maker"],
        "Lyon",
        "Conference",
    ),
    ("Priya", "Raman", 1, "Talent Partner", ["client"], ["hr"], "Lyon", "LinkedIn"),
    ("Hannah", "Becker", 2, "Director of Nursing", ["hiring_manager"], [], "Munich", "Cold call"),
    ("Jonas", "Weber", 3, "Data Lead", ["referrer"], ["data"], "Berlin", "Meetup"),
    (
        "Ana",
        "Smith",
        5,
        "Senior Backend Engineer",
        ["candidate"],
        ["python", "django", "fintech"],
        "Berlin",
        "LinkedIn",
    ),
    (
        "Ben",
        "Carter",
        4,
        "Frontend Engineer",
        ["candidate"],
        ["react", "typescript"],
        "Berlin",
        "Job board",
    ),
    (
        "Chloe",
        "Dubois",
        None,
        "Product Designer",
        ["candidate"],
        ["design", "figma"],
        "Paris",
        "Referral",
    ),
    (
        "Emeka",
        "Nwosu",
        5,
        "Site Reliability Engineer",
        ["candidate"],
        ["kubernetes", "go"],
        "Amsterdam",
        "LinkedIn",
    ),
    (
        "Farah",
        "Haddad",
        3,
        "Machine Learning Engineer",
        ["candidate"],
        ["python", "ml"],
        "Berlin",
        "Meetup",
    ),
    (
        "Gabriel",
        "Santos",
        None,
        "Engineering Manager",
        ["candidate"],
        ["leadership"],
        "Lisbon",
        "Referral",
    ),
    ("Ines", "Kowalska", 4, "QA Engineer", ["candidate"], ["testing"], "Warsaw", "Job board"),
    (
        "Kenji",
        "Tanaka",
        None,
        "Staff Engineer",
        ["candidate", "referrer"],
        ["python", "architecture"],
        "Remote",
        "Conference",
    ),
    (
        "Lea",
        "Fischer",
        2,
        "Clinical Data Analyst",
        ["candidate"],
        ["sql", "healthcare"],
        "Munich",
        "LinkedIn",
    ),
    ("Marco", "Rossi", 1, "Energy Trader", ["candidate"], ["trading"], "Milan", "Referral"),
]

FACTS = {
    # (first, last): [(category, text, pinned, days ago it was learned)]
    ("Clara", "Jensen"): [
        ("family", "Two kids; the eldest starts university in Leipzig next autumn", True, 120),
        ("preferences", "Hates phone calls before 10:00; prefers a short email first", True, 45),
    ],
    ("Ana", "Smith"): [
        ("goals", "Wants to lead a small team within two years", True, 40),
        ("constraints", "Notice period of three months; cannot relocate before July", False, 34),
        ("interests", "Sails on the Wannsee most weekends", False, 9),
    ],
    ("Daniel", "Moreau"): [("interests", "Runs the Lyon marathon every year", False, 200)],
    ("Greta", "Vogel"): [
        ("other", "Knows everyone's calendar: ask her before dropping by", True, 60)
    ],
    ("Ben", "Carter"): [("constraints", "Needs visa sponsorship", True, 30)],
    ("Kenji", "Tanaka"): [
        ("goals", "Looking for a staff role with real architecture ownership", False, 75)
    ],
}


def load(stdout) -> None:
    if Organization.objects.filter(domain=MARKER_DOMAIN).exists():
        return
    organizations = [
        organization_create(name=name, kind=kind, domain=domain, industry=industry)
        for name, kind, domain, industry in ORGANIZATIONS
    ]
    contacts = {}
    for index, (first, last, org, title, roles, tags, location, source) in enumerate(PEOPLE):
        contacts[(first, last)] = contact_create(
            first_name=first,
            last_name=last,
            emails=[f"{first}.{last}@{_email_domain(org)}".lower()],
            phones=[f"+49 30 5550 {1000 + index}"],
            linkedin_url=f"https://www.linkedin.com/in/{first}-{last}-demo".lower(),
            title=title,
            organization=organizations[org] if org is not None else None,
            roles=roles,
            tags=tags,
            location=location,
            source=source,
            started_on=dt.date(2021, 1, 1) + dt.timedelta(days=97 * index),
        )
    # Today's junior is tomorrow's hiring manager: a former candidate now hires at a client.
    contact_update(
        contact=contacts[("Gabriel", "Santos")],
        organization=organizations[1],
        title="Head of Engineering",
        roles=["hiring_manager"],
        moved_on=dt.date(2026, 2, 1),
    )
    today = timezone.localdate()
    for (first, last), facts in FACTS.items():
        for category, text, pinned, days_ago in facts:
            fact_create(
                contact=contacts[(first, last)],
                category=category,
                text=text,
                pinned=pinned,
                learned_on=today - dt.timedelta(days=days_ago),
            )
    stdout.write(f"  demo: {len(organizations)} organizations, {len(contacts)} contacts")


def _email_domain(org: int | None) -> str:
    return ORGANIZATIONS[org][2] if org is not None else "mail-demo.example"


def demo_contacts() -> list[Contact]:
    """The demo people, for the apps to the right that add their own demo data."""
    return list(Contact.objects.filter(emails__0__endswith="-demo.example").order_by("id"))
