from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Team, User

PASSWORD = "correct-horse-battery"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Desk {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@rapport.example")
    role = User.Role.RECRUITER
    team = factory.SubFactory(TeamFactory, name="London desk")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


# --- contacts ------------------------------------------------------------------------------------
# Contacts and organizations are made through the services, so derived fields (phone keys,
# LinkedIn key, search document, career history) are what the product would write.


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contacts.Organization"

    name = factory.Sequence(lambda n: f"Company {n}")
    kind = "client"
    domain = factory.Sequence(lambda n: f"company{n}.example")
    industry = "Software"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from contacts.services import organization_create

        return organization_create(**kwargs)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contacts.Contact"

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    emails = factory.LazyAttributeSequence(
        lambda contact, n: [f"{contact.first_name}.{contact.last_name}.{n}@mail.example".lower()]
    )
    title = "Engineer"
    roles = factory.LazyFunction(lambda: ["candidate"])

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from contacts.services import contact_create

        return contact_create(**kwargs)


class FactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contacts.Fact"

    contact = factory.SubFactory(ContactFactory)
    category = "interests"
    text = "Runs marathons"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from contacts.services import fact_create

        return fact_create(**kwargs)


# --- relationships -------------------------------------------------------------------------------


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "relationships.Relationship"

    contact = factory.SubFactory(ContactFactory)
    owner = factory.SubFactory(UserFactory)
    tier = "B"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from relationships.services import relationship_create

        return relationship_create(**kwargs)


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "relationships.Interaction"

    contact = factory.SubFactory(ContactFactory)
    kind = "call"
    summary = "Caught up on the phone"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from relationships.services import interaction_log

        return interaction_log(**kwargs)


# --- jobs ----------------------------------------------------------------------------------------

FULL_INTAKE = {
    "asked_for": ["A senior Python developer"],
    "really_need": ["Someone who can lead the payments rebuild"],
    "why_open": ["The lead left for a startup"],
    "success_6m": ["The new ledger is live"],
    "success_12m": ["Leads a team of four"],
    "who_did_well": ["Engineers who talked to customers"],
    "must_have": ["Technical depth", "Client-facing experience"],
    "nice_to_have": ["Fintech background"],
    "deal_breaker": ["Will not work on site two days a week"],
}


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jobs.Job"

    organization = factory.SubFactory(OrganizationFactory)
    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Backend engineer {n}")
    intake = factory.LazyFunction(lambda: dict(FULL_INTAKE))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from jobs.services import job_create, job_open

        status = kwargs.pop("status", "open")
        job = job_create(**kwargs)
        if status == "open":
            job = job_open(job=job, user=job.owner)
        return job


class CandidacyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "jobs.Candidacy"

    job = factory.SubFactory(JobFactory)
    contact = factory.SubFactory(ContactFactory)
    user = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from jobs.services import candidacy_add

        return candidacy_add(**kwargs)


# --- followups -----------------------------------------------------------------------------------


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    """A status update, due in four hours, to the candidate of a new "Data lead" candidacy of
    `owner`'s."""

    class Meta:
        model = "followups.Message"

    kind = "status_update"
    owner = factory.SubFactory(UserFactory)
    candidacy = factory.LazyAttribute(
        lambda message: CandidacyFactory(job=JobFactory(owner=message.owner, title="Data lead"))
    )
    contact = factory.SelfAttribute("candidacy.contact")
    job = factory.SelfAttribute("candidacy.job")
    recipient = factory.LazyAttribute(lambda message: message.contact.emails[0])
    idempotency_key = factory.LazyAttribute(
        lambda message: f"status_update:{message.candidacy.pk}:x"
    )
    send_after = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=4))
