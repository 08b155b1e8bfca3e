from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from clusters.models import Cluster, ClusterMembership, Ecosystem, JoinRequest, Organisation

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Give the user a verified primary e-mail, as allauth expects for login."""
        if not create:
            return
        obj.save()
        if extracted is False:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=obj, email=obj.email, defaults={"verified": True, "primary": True}
        )


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    country = "DE"
    kind = Organisation.Kind.SME
    size = Organisation.Size.SMALL


def ecosystem(code: str) -> Ecosystem:
    return Ecosystem.objects.get(code=code)


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Cluster {n}")
    acronym = factory.Sequence(lambda n: f"TC{n}")
    slug = factory.Sequence(lambda n: f"test-cluster-{n}")
    country = "DE"
    city = "Berlin"
    contact_email = factory.Sequence(lambda n: f"contact{n}@cluster.example.org")
    description = "A cluster of companies working on smart city solutions."
    members_smes = 40
    members_research = 5

    @factory.post_generation
    def ecosystems(obj, create, extracted, **kwargs):
        if not create:
            return
        codes = extracted if extracted is not None else ["mobility"]
        obj.ecosystems.set(Ecosystem.objects.filter(code__in=codes))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterMembership

    user = factory.SubFactory(UserFactory)
    cluster = factory.SubFactory(ClusterFactory)
    role = ClusterMembership.Role.MANAGER


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest
        skip_postgeneration_save = True

    requester = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Joining Cluster {n}")
    acronym = "JC"
    country = "PT"
    city = "Porto"
    contact_email = "hello@joining.example.org"
    description = "A new cluster on energy communities."
    motivation = "We want to learn from the network and share our energy know-how."

    @factory.post_generation
    def ecosystems(obj, create, extracted, **kwargs):
        if not create:
            return
        codes = extracted if extracted is not None else ["energy"]
        obj.ecosystems.set(Ecosystem.objects.filter(code__in=codes))


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.Notification"

    recipient = factory.SubFactory(UserFactory)
    kind = "clusters.joinrequest_submitted"
    subject = factory.Sequence(lambda n: f"Something happened #{n}")
    body = "Something happened in the network that you should know about."
    link = "/clusters/"
    email_state = "sent"


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.Preference"

    user = factory.SubFactory(UserFactory)
    kind = "clusters.joinrequest_submitted"
    channel = "digest"


# --- practices --------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _now():
    from django.utils import timezone

    return timezone.now()


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "practices.Tag"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.LazyAttribute(lambda o: _slug(o.name))


class PracticeFactory(factory.django.DjangoModelFactory):
    """A practice; a status past "draft" fills in the dates the constraints ask for.

    ``ecosystems`` takes codes (default: mobility), ``tags`` takes names.
    """

    class Meta:
        model = "practices.Practice"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Practice {n}")
    slug = factory.Sequence(lambda n: f"practice-{n}")
    cluster = factory.SubFactory(ClusterFactory)
    author = None
    category = "management"
    summary = "The cluster pooled its members' demand for shared services."
    problem = "Members bought the same services separately, at a high price."
    description = "The cluster gathered the needs, wrote one tender and ran it."
    start_year = 2020
    status = "draft"
    submitted_at = factory.LazyAttribute(lambda o: None if o.status == "draft" else _now())
    published_at = factory.LazyAttribute(
        lambda o: _now() if o.status in {"published", "archived"} else None
    )

    @factory.post_generation
    def ecosystems(obj, create, extracted, **kwargs):
        if not create:
            return
        codes = extracted if extracted is not None else ["mobility"]
        obj.ecosystems.set(Ecosystem.objects.filter(code__in=codes))

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set([TagFactory(name=name) for name in extracted])


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "practices.Attachment"

    practice = factory.SubFactory(PracticeFactory)
    file = factory.django.FileField(filename="report.pdf", data=PDF_BYTES)
    name = factory.LazyAttribute(lambda o: o.file.name)
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda o: o.file.size)


class TransferInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "practices.TransferInterest"

    practice = factory.SubFactory(PracticeFactory, status="published")
    user = factory.SubFactory(UserFactory)
    message = "We would like to run the same tender in our region."


class ClusterFollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "clusters.ClusterFollow"

    user = factory.SubFactory(UserFactory)
    cluster = factory.SubFactory(ClusterFactory)


# ---------------------------------------------------------------- exchange

EXCHANGE_COUNTRIES = "AT,BE,DE,ES,FR,IT,NL,PL"
TRAVEL_BANDS = [(0, "50.00"), (100, "180.00"), (500, "275.00"), (2000, "360.00")]


def _monday_on_or_after(day):
    return day + timedelta(days=(7 - day.weekday()) % 7)


class CallFactory(factory.django.DjangoModelFactory):
    """An open call: applications until 20 days from now, visits from 30 days on."""

    class Meta:
        model = "exchange.Call"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"ClusterXchange call {n}")
    series = "ClusterXchange test series"
    description = "Short visits to clusters abroad."
    opens_at = factory.LazyFunction(lambda: _now() - _days(10))
    closes_at = factory.LazyFunction(lambda: _now() + _days(20))
    visits_from = factory.LazyFunction(lambda: _today() + _days(30))
    visits_until = factory.LazyFunction(lambda: _today() + _days(200))
    eligible_countries = EXCHANGE_COUNTRIES
    funded_places = 10
    daily_allowance = Decimal("100.00")

    @factory.post_generation
    def bands(obj, create, extracted, **kwargs):
        if not create:
            return
        from exchange.models import TravelBand

        for from_km, amount in TRAVEL_BANDS if extracted is None else extracted:
            TravelBand.objects.create(call=obj, from_km=from_km, amount=Decimal(amount))


def _now():
    from django.utils import timezone

    return timezone.now()


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _days(n):
    return timedelta(days=n)


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "exchange.Offer"
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    host = factory.SubFactory(ClusterFactory, country="FR", city="Lyon")
    topic = factory.Sequence(lambda n: f"Smart mobility living lab {n}")
    description = "Three days in our living lab, meetings with member SMEs."
    languages = "English, French"
    available_from = factory.SelfAttribute("call.visits_from")
    available_until = factory.SelfAttribute("call.visits_until")
    capacity = 2

    @factory.post_generation
    def ecosystems(obj, create, extracted, **kwargs):
        if not create:
            return
        codes = extracted if extracted is not None else ["mobility"]
        obj.ecosystems.set(Ecosystem.objects.filter(code__in=codes))


class ApplicantFactory(UserFactory):
    """A member with an SME in Germany: eligible for the factories' calls to French hosts."""

    country = "DE"
    organisation = factory.SubFactory(OrganisationFactory, country="DE")


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft that passes every eligibility rule: Monday to Friday, 800 km."""

    class Meta:
        model = "exchange.Application"

    reference = factory.Sequence(lambda n: f"CX-TEST-{n:04d}")
    offer = factory.SubFactory(OfferFactory)
    call = factory.SelfAttribute("offer.call")
    host = factory.SelfAttribute("offer.host")
    applicant = factory.SubFactory(ApplicantFactory)
    organisation = factory.SelfAttribute("applicant.organisation")
    applicant_kind = "sme"
    motivation = "We want to learn how the host runs its living lab."
    learning_goals = "Data sharing agreements; pilot procurement."
    expected_results = "A joint pilot proposal."
    start_date = factory.LazyAttribute(lambda o: _monday_on_or_after(o.call.visits_from))
    end_date = factory.LazyAttribute(lambda o: o.start_date + _days(4))
    travel_from_city = "Munich"
    travel_from_country = "DE"
    distance_km = 800
    status = "draft"
