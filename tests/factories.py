import factory
from django.contrib.auth.models import Group

from ideasluss.accounts.models import Unit, User
from ideasluss.accounts.roles import Role
from ideasluss.ideas.models import Idea

TEST_PASSWORD = "correct-horse-battery"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Enhet {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.se")
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        roles = extracted if extracted is not None else [Role.STAFF]
        if create and roles:
            self.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"Idé nummer {n}")
    problem = "Brukarna väntar för länge på nycklar."
    target_group = "äldre med hemtjänst"
    description = "Digitala lås i stället för nyckelskåp."
    owner = factory.SubFactory(UserFactory)
    unit = factory.SelfAttribute("owner.unit")
