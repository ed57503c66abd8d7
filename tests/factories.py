import datetime as dt

import factory

from shadowing.organisation.models import Department, Person, Site
from shadowing.programmes.models import Shift, local_instant
from shadowing.programmes.pairing_models import Pairing, PairingStatus


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"Department {n}")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.Sequence(lambda n: f"Site {n}")
    region = "West"
    timezone = "America/Vancouver"
    channel = "call_centre"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    title = "Staff"
    department = factory.SubFactory(DepartmentFactory)
    site = factory.SubFactory(SiteFactory)
    languages = factory.LazyFunction(lambda: ["en"])


def make_shift(programme, agent, day, start="09:00", end="17:00") -> Shift:
    start_time, end_time = dt.time.fromisoformat(start), dt.time.fromisoformat(end)
    zone = agent.site.zone
    return Shift.objects.create(
        programme=programme,
        agent=agent,
        date=day,
        start_time=start_time,
        end_time=end_time,
        starts_at=local_instant(day, start_time, zone),
        ends_at=local_instant(day, end_time, zone),
    )


def make_pairing(programme, executive, agent, day, status=PairingStatus.PROPOSED, shift=None):
    shift = shift or Shift.objects.filter(programme=programme, agent=agent, date=day).first()
    shift = shift or make_shift(programme, agent, day)
    return Pairing.objects.create(
        programme=programme,
        executive=executive,
        agent=agent,
        date=day,
        shift=shift,
        site=agent.site,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        status=status,
    )
