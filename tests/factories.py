"""factory_boy factories for every model. Tests build their data here, never by hand."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cities.models import City
from partnerships import models as m


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    country = "FR"
    # Decimal via str: a float such as 16.2399 would pass more than 6 decimal places
    # to full_clean() and fail validation on its own.
    latitude = factory.Sequence(lambda n: Decimal(str(round(-60 + (n * 7.31) % 120, 4))))
    longitude = factory.Sequence(lambda n: Decimal(str(round(-170 + (n * 13.7) % 340, 4))))


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Source

    publisher = "Test Gazette"
    title = factory.Sequence(lambda n: f"Report {n}")
    published_on = dt.date(2020, 1, 1)


class CooperationAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CooperationArea
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = m.OrganizationKind.SCIENCE_PARK
    city = factory.SubFactory(CityFactory)


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Official

    name = factory.Sequence(lambda n: f"Official {n}")
    slug = factory.Sequence(lambda n: f"official-{n}")
    title = "Mayor"
    city = factory.SubFactory(CityFactory)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Partnership

    city_a = factory.SubFactory(CityFactory)
    city_b = factory.SubFactory(CityFactory)
    kind = m.PartnershipKind.TWIN
    status = m.PartnershipStatus.ACTIVE
    start_date = dt.date(1998, 1, 1)
    start_precision = m.Precision.YEAR


class LiaisonOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.LiaisonOffice

    name = factory.Sequence(lambda n: f"Liaison office {n}")
    slug = factory.Sequence(lambda n: f"liaison-office-{n}")
    organization = factory.SubFactory(OrganizationFactory)
    home_city = factory.SelfAttribute("organization.city")
    host_city = factory.SubFactory(CityFactory)
    status = m.LiaisonOfficeStatus.ANNOUNCED


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Event

    date = dt.date(2018, 4, 1)
    date_precision = m.Precision.MONTH
    kind = m.EventKind.MEETING
    title = factory.Sequence(lambda n: f"Event {n}")


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Quote

    official = factory.SubFactory(OfficialFactory)
    event = factory.SubFactory(EventFactory)
    text = factory.Sequence(lambda n: f"Quote number {n}.")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            ensure_staff_groups()
            for name in extracted:
                self.groups.add(Group.objects.get(name=name))
        if create:
            self.save()


def world_record(model):
    """A record of the world-record models, which the seed does not hold."""
    from cities.models import City, CityName, CityRedirect, PossibleDuplicate

    first, second = City.objects.order_by("pk")[:2]
    builders = {
        CityName: lambda: CityName.objects.create(city=first, language="ru", name="Пекин"),
        CityRedirect: lambda: CityRedirect.objects.create(old_slug="peking", city=first),
        PossibleDuplicate: lambda: PossibleDuplicate.objects.create(
            city_a=first, city_b=second, reason="same name"
        ),
    }
    return builders[model]() if model in builders else None


def ensure_staff_groups():
    """The staff groups the migrations create (partnerships 0002/0004, suggestions 0002).

    A transactional test (transaction=True, live_server) ends with a flush that empties
    every table; content types and permissions come back through post_migrate, the
    groups do not. Make them again as the migrations do, when they are missing."""
    from django.contrib.auth.models import Group, Permission

    editors, _ = Group.objects.get_or_create(name="editors")
    viewers, _ = Group.objects.get_or_create(name="viewers")
    if editors.permissions.exists():
        return
    records = Permission.objects.filter(content_type__app_label__in=["cities", "partnerships"])
    review = Permission.objects.filter(content_type__app_label__in=["suggestions", "changes"])
    editors.permissions.set(list(records) + list(review.filter(codename__regex=r"^(view|change)_")))
    viewers.permissions.set(
        list(records.filter(codename__startswith="view_"))
        + list(review.filter(codename__startswith="view_"))
    )
