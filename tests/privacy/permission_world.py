"""The world the permission matrix (tests/privacy/permission_matrix.py) runs in: the personas
and one of each record, all of them rosa's (the owner), on the London desk."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.models import ApiToken, User
from accounts.services import api_token_create
from contacts.models import Contact, ContactImport, Fact, Organization
from followups.models import FollowUp, InboundReply, Message
from followups.services import followup_create
from jobs.models import Candidacy, Feedback, Job
from jobs.services import candidacy_add, candidacy_close, feedback_record
from market.models import MarketNote
from market.services import note_create
from relationships.models import Connection, Handoff, Interaction
from relationships.services import connection_create, interaction_log, relationship_handoff
from tests.factories import (
    ContactFactory,
    FactFactory,
    JobFactory,
    OrganizationFactory,
    RelationshipFactory,
    StatusUpdateFactory,
    TeamFactory,
    UserFactory,
)


@dataclass
class World:
    owner: User
    recruiter: User
    other_team: User
    manager: User
    other_manager: User
    admin: User
    token_key: str
    token: ApiToken
    contact: Contact
    other_contact: Contact
    interviewer: Contact
    fact: Fact
    organization: Organization
    job: Job
    intake_job: Job
    candidacy: Candidacy
    closed_candidacy: Candidacy
    message: Message
    followup: FollowUp
    note: MarketNote
    interaction: Interaction
    connection: Connection
    handoff: Handoff
    feedback: Feedback
    reply: InboundReply
    contact_import: ContactImport

    def persona(self, name: str) -> User | None:
        return getattr(self, name, None) if name in PERSONA_USERS else None


# The personas who sign in; "anonymous", "token" (the owner's API token) and "bad_token" do not.
PERSONA_USERS = ("owner", "recruiter", "other_team", "manager", "other_manager", "admin")


def world_build() -> World:
    london = TeamFactory(name="London desk")
    rosa = UserFactory(username="rosa", first_name="Rosa", last_name="Reyes", team=london)
    tom = UserFactory(username="tom", first_name="Tom", last_name="Brandt", team=london)
    berlin = TeamFactory(name="Berlin desk")
    bob = UserFactory(username="bob", first_name="Bob", team=berlin)
    max_ = UserFactory(username="max", first_name="Max", role=User.Role.MANAGER, team=berlin)
    maya = UserFactory(username="maya", first_name="Maya", role=User.Role.MANAGER, team=london)
    adam = UserFactory(
        username="adam", first_name="Adam", role=User.Role.ADMIN, is_staff=True, team=london
    )
    token, token_key = api_token_create(user=rosa, name="spreadsheet")

    ana = RelationshipFactory(
        owner=rosa,
        contact=ContactFactory(
            first_name="Ana", last_name="Lima", emails=["ana@example.com"], phones=["+442079460000"]
        ),
    ).contact
    ben = RelationshipFactory(
        owner=rosa, contact=ContactFactory(first_name="Ben", last_name="Okafor")
    ).contact
    cy = RelationshipFactory(owner=rosa, contact=ContactFactory(first_name="Cy")).contact
    acme = OrganizationFactory(name="Acme")
    ivy = ContactFactory(first_name="Ivy", last_name="Stone", roles=["hiring_manager"])
    fact = FactFactory(contact=ana, author=rosa, text="Runs marathons")
    job = JobFactory(owner=rosa, organization=acme, title="Payments lead")
    intake_job = JobFactory(owner=rosa, organization=acme, title="Data lead", status="intake")
    candidacy = candidacy_add(job=job, contact=ana, user=rosa)
    closed_candidacy = candidacy_close(
        candidacy=candidacy_add(job=job, contact=cy, user=rosa), user=rosa, outcome="not_a_fit"
    )
    message = StatusUpdateFactory(owner=rosa, candidacy=candidacy)
    followup = followup_create(
        owner=rosa, contact=ana, due_at=timezone.now() + timedelta(days=2), summary="Call Ana"
    )
    note = note_create(
        author=rosa, title="Fintech salaries rising", true_as_of=timezone.localdate()
    )
    interaction = interaction_log(contact=ana, kind="call", summary="Caught up", recruiter=rosa)
    connection = connection_create(from_contact=ana, to_contact=ben, kind="worked_with")
    handoff = relationship_handoff(
        from_recruiter=rosa, to_recruiter=tom, performed_by=maya, contacts=[cy]
    )
    feedback = feedback_record(
        candidacy=candidacy, interviewer=ivy, recommendation="yes", user=rosa
    )
    reply = InboundReply.objects.create(
        event_key="permission-matrix-1",
        esp_name="test",
        from_email="stranger@example.net",
        subject="Re: hello",
        reply_text="Who is this?",
        received_at=timezone.now(),
    )
    contact_import = ContactImport.objects.create(
        file_name="people.csv",
        content="first_name,email\nZoe,zoe@example.com\n",
        created_by=rosa,
    )
    return World(
        owner=rosa, recruiter=tom, other_team=bob, manager=maya, other_manager=max_, admin=adam,
        token_key=token_key, token=token,
        contact=ana, other_contact=ben, interviewer=ivy, fact=fact, organization=acme,
        job=job, intake_job=intake_job, candidacy=candidacy, closed_candidacy=closed_candidacy,
        message=message, followup=followup, note=note,
        interaction=interaction, connection=connection, handoff=handoff, feedback=feedback,
        reply=reply, contact_import=contact_import,
    )  # fmt: skip
