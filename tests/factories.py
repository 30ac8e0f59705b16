import factory

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
