import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone as django_timezone

from ideasluss.accounts.models import Unit, User
from ideasluss.accounts.roles import Role
from ideasluss.fund.models import Criterion
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


class TestPlanFactory(factory.django.DjangoModelFactory):
    __test__ = False  # not a test class, despite the name

    class Meta:
        model = "ideas.TestPlan"

    idea = factory.SubFactory(IdeaFactory)
    hypothesis = "Om brukarna får digitala nycklar slipper de vänta på personalen."
    success_criteria = factory.LazyFunction(
        lambda: ["Väntetiden halveras", "Personalen sparar en timme per dag"]
    )
    start_date = factory.LazyFunction(lambda: django_timezone.localdate())
    end_date = factory.LazyFunction(
        lambda: django_timezone.localdate() + datetime.timedelta(days=30)
    )


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ideas.Evaluation"

    idea = factory.SubFactory(IdeaFactory)
    results = factory.LazyAttribute(
        lambda evaluation: [
            {"criterion": criterion, "result": "Uppfyllt"}
            for criterion in evaluation.idea.test_plan.success_criteria
        ]
    )


MINIMAL_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A small PDF on an idea, written to the attachment field's (private) storage."""

    class Meta:
        model = "ideas.Attachment"

    idea = factory.SubFactory(IdeaFactory)
    uploaded_by = factory.SelfAttribute("idea.owner")
    kind = "pdf"
    original_name = "plan.pdf"
    content_type = "application/pdf"
    file = factory.django.FileField(filename="plan.pdf", data=MINIMAL_PDF)
    size = len(MINIMAL_PDF)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ideas.Comment"

    idea = factory.SubFactory(IdeaFactory, state="submitted")
    author = factory.SubFactory(UserFactory)
    body = "Bra idé! Vi har samma problem hos oss."
    hidden_at = factory.LazyAttribute(
        lambda comment: django_timezone.now() if comment.hidden_by else None
    )
    hidden_by = None


# --- the innovation fund ---------------------------------------------------------------

DEFAULT_CRITERIA = ["Nytta för invånarna", "Lärande", "Genomförbarhet", "Skalbarhet"]


class FundFactory(factory.django.DjangoModelFactory):
    """A fund for this year with the four usual criteria."""

    class Meta:
        model = "fund.Fund"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Innovationsfonden {n}")
    registration_prefix = factory.Sequence(lambda n: f"F{n}")
    start_date = factory.LazyFunction(lambda: datetime.date(django_timezone.localdate().year, 1, 1))
    end_date = factory.LazyFunction(lambda: datetime.date(django_timezone.localdate().year, 12, 31))
    capital = 1_000_000
    delegated_limit = 50_000
    is_open = True

    @factory.post_generation
    def committee(self, create, extracted, **kwargs):
        """`FundFactory(committee=[...])` seats these users on the fund's committee."""
        if create and extracted:
            self.committee_members.add(*extracted)

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        names = extracted if extracted is not None else DEFAULT_CRITERIA
        if create:
            # Not self.criteria.create(): a ParentalKey relation defers that until save().
            Criterion.objects.bulk_create(
                Criterion(fund=self, name=name, position=position)
                for position, name in enumerate(names)
            )


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application with one materials line of `total` kronor, in `state`.

    The state is written directly (factories set up situations; the services
    under test move applications).
    """

    class Meta:
        model = "fund.Application"
        skip_postgeneration_save = True

    fund = factory.SubFactory(FundFactory)
    idea = factory.SubFactory(IdeaFactory, state="planning")
    applicant = factory.SelfAttribute("idea.owner")
    motivation = "Vi behöver låsen för att kunna testa på riktigt."
    expected_effect = "Kortare väntetider för brukarna."
    total = 20_000
    state = "submitted"

    @factory.post_generation
    def budget(self, create, extracted, **kwargs):
        if create:
            self.budget_lines.create(
                category="materials", description="Digitala lås", amount=self.total
            )


# --- the best mistake of the year ------------------------------------------------------


class NominationFactory(factory.django.DjangoModelFactory):
    """A free-text nomination with consent, for this year, in `state` (written directly)."""

    class Meta:
        model = "ideas.Nomination"

    year = factory.LazyFunction(lambda: django_timezone.localdate().year)
    title = factory.Sequence(lambda n: f"Misstag nummer {n}")
    story = "Vi beställde lås som inte passade dörrarna. Nu mäter vi först."
    nominated_by = factory.SubFactory(UserFactory)
    consent_confirmed = True
    state = "nominated"
    jury_motivation = factory.LazyAttribute(
        lambda nomination: "Modigt och lärorikt." if nomination.state == "winner" else ""
    )


# --- pictures on the public site -------------------------------------------------------


class WagtailImageFactory(factory.django.DjangoModelFactory):
    """A small JPEG in Wagtail's image library."""

    class Meta:
        model = "wagtailimages.Image"

    title = factory.Sequence(lambda n: f"Bild {n}")
    description = "Personal vid ett digitalt lås på en ytterdörr"
    file = factory.django.ImageField(width=640, height=400, color="teal", format="JPEG")


class PictureAttachmentFactory(AttachmentFactory):
    """A picture on an idea (private storage), with an alt text."""

    kind = "image"
    original_name = factory.Sequence(lambda n: f"bild{n}.jpg")
    content_type = "image/jpeg"
    file = factory.django.ImageField(
        filename="bild.jpg", width=320, height=200, color="orange", format="JPEG"
    )
    size = 1000
    width = 320
    height = 200
    alt_text = "En brukare öppnar dörren med mobilen"
